import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { migrationOutcome, type MigrationOutcome } from "./committed.ts";
import { migrationState, readAppliedMigrations, type MigrationState } from "../migrate/history.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";

export interface FailedMigration {
  name: string;
  startedAt: Date;
  /** The first lines of the error Prisma recorded in `_prisma_migrations.logs`. */
  error: string;
  /** Whether it is in the database after all (a killed deploy's session may commit it later). */
  outcome: MigrationOutcome;
  /** What to run, in order. */
  recovery: string[];
}

export interface MigrationStatus extends MigrationState {
  failedDetails: FailedMigration[];
  /** Indexes left INVALID by a failed CREATE INDEX CONCURRENTLY (the only non-atomic kind of migration). */
  invalidIndexes: string[];
}

/**
 * `migrationState` plus, for each failed migration, the recorded error and the recovery. A failed
 * migration left nothing behind (Prisma applies each file as one transaction), so the choice is:
 * fix or remove it and mark it rolled back, then deploy again; or, if its change was made by hand,
 * mark it applied. Prisma refuses every later deploy until one of the two is done (P3009).
 * The exception is a deploy killed while its migration waited for a lock: its server session may
 * still be running the migration, or have committed it; `outcome` says which, and the recovery
 * follows it (wait or terminate; `resolve --applied`).
 */
export async function migrationStatus(client: pg.ClientBase | pg.Pool, dir = defaultMigrationsDir): Promise<MigrationStatus> {
  const [state, rows] = await Promise.all([migrationState(client, dir), readAppliedMigrations(client)]);
  const { rows: invalid } = await client.query<{ name: string }>(
    "SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'pg_toast'::regnamespace) ORDER BY 1",
  );
  const failedDetails = await Promise.all(
    state.failed.map(async (name) => {
      const row = rows.filter((r) => r.name === name && r.rolledBackAt === null && r.finishedAt === null).at(-1);
      const error = (row?.logs ?? "").split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 4).join(" ");
      // An error recorded means the script returned it: its one transaction rolled back. No error means
      // its deploy died before recording anything: look at what became of it.
      const script = error ? "" : await readFile(join(dir, name, "migration.sql"), "utf8").catch(() => "");
      const outcome: MigrationOutcome = error
        ? { kind: "not-applied", reason: "Prisma recorded its error: its transaction rolled back" }
        : script
          ? await migrationOutcome(client, script)
          : { kind: "unknown", found: [], missing: [] };
      const recovery = [
        ...invalid.map((i) => `DROP INDEX CONCURRENTLY IF EXISTS ${i.name};   -- left INVALID by the failed CREATE INDEX CONCURRENTLY`),
        ...recoverySteps(name, outcome),
      ];
      return { name, startedAt: row?.startedAt ?? new Date(0), error, outcome, recovery };
    }),
  );
  return { ...state, failedDetails, invalidIndexes: invalid.map((i) => i.name) };
}

function list(items: string[]): string {
  return items.length > 3 ? `${items.slice(0, 3).join(", ")}, …` : items.join(", ");
}

/** The steps for a failed migration, given what became of it. */
export function recoverySteps(name: string, outcome: MigrationOutcome): string[] {
  const redo = [
    `fix prisma/migrations/${name}/migration.sql (or delete the directory if the change is abandoned)`,
    `mmo migrate resolve --rolled-back ${name}   # nothing of it was applied: it ran in one transaction`,
    "mmo migrate deploy",
    `# or, if you applied its change by hand: mmo migrate resolve --applied ${name}`,
    `# to abandon the release instead: mmo migrate resolve --rolled-back ${name}, then mmo migrate down --to <the last good migration> --yes`,
  ];
  switch (outcome.kind) {
    case "running":
      return [
        `# still running: server session pid ${outcome.pid} is applying it (${outcome.waitingOn ? `waiting for ${outcome.waitingOn}` : outcome.state}); the deploy that started it is gone, but this session can still commit it`,
        "wait for it to end, then run `mmo migrate status` again: it will tell whether the migration committed",
        `# or end it now, so that nothing of it is applied: SELECT pg_terminate_backend(${outcome.pid});`,
      ];
    case "applied":
      return [
        `# it IS applied: ${list(outcome.found)} exist(s), so its transaction committed after the deploy recording it had died`,
        `mmo migrate resolve --applied ${name}`,
        "# not --rolled-back: deploying it again would fail on objects that already exist (42P07)",
      ];
    case "not-applied":
      return redo;
    case "unknown": {
      const seen = outcome.found.length || outcome.missing.length ? `present: ${list(outcome.found) || "none"}; missing: ${list(outcome.missing) || "none"}` : "it creates nothing status can look for";
      return [`# check by hand whether its change is in the database (${seen}); if it is, mmo migrate resolve --applied ${name}; if not:`, ...redo.map((step) => step.replace("# nothing of it was applied: it ran in one transaction", "# its change is not in the database"))];
    }
  }
}
