import type pg from "pg";
import { migrationState, readAppliedMigrations, type MigrationState } from "../migrate/history.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";

export interface FailedMigration {
  name: string;
  startedAt: Date;
  /** The first lines of the error Prisma recorded in `_prisma_migrations.logs`. */
  error: string;
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
 */
export async function migrationStatus(client: pg.ClientBase | pg.Pool, dir = defaultMigrationsDir): Promise<MigrationStatus> {
  const [state, rows] = await Promise.all([migrationState(client, dir), readAppliedMigrations(client)]);
  const { rows: invalid } = await client.query<{ name: string }>(
    "SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'pg_toast'::regnamespace) ORDER BY 1",
  );
  const failedDetails = state.failed.map((name) => {
    const row = rows.filter((r) => r.name === name && r.rolledBackAt === null && r.finishedAt === null).at(-1);
    const error = (row?.logs ?? "").split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 4).join(" ");
    const recovery = [
      ...invalid.map((i) => `DROP INDEX CONCURRENTLY IF EXISTS ${i.name};   -- left INVALID by the failed CREATE INDEX CONCURRENTLY`),
      `fix prisma/migrations/${name}/migration.sql (or delete the directory if the change is abandoned)`,
      `mmo migrate resolve --rolled-back ${name}   # nothing of it was applied: it ran in one transaction`,
      "mmo migrate deploy",
      `# or, if you applied its change by hand: mmo migrate resolve --applied ${name}`,
      `# to abandon the release instead: mmo migrate resolve --rolled-back ${name}, then mmo migrate down --to <the last good migration> --yes`,
    ];
    return { name, startedAt: row?.startedAt ?? new Date(0), error, recovery };
  });
  return { ...state, failedDetails, invalidIndexes: invalid.map((i) => i.name) };
}
