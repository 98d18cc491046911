import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { UsageError } from "../errors.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { withMigrateLock } from "./advisory-lock.ts";
import { readAppliedMigrations } from "./history.ts";
import { nodePgUrl } from "../url.ts";

export interface RollbackOptions {
  /** How many of the most recently applied migrations to undo (default 1). */
  steps?: number;
  migrationsDir?: string;
}

export interface RolledBackMigration {
  name: string;
  /** The `-- Data loss:` line of its down.sql. */
  dataLoss: string;
}

/**
 * Rolls back the last `steps` applied migrations, newest first: each one's down.sql and the
 * marking of its `_prisma_migrations` row as rolled back run in one transaction, so a failing
 * down.sql changes nothing. Runs under Prisma's own migration lock. Refuses before touching
 * anything when a down.sql is missing.
 */
export async function rollbackMigrations(url: string, options: RollbackOptions = {}): Promise<RolledBackMigration[]> {
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new UsageError("steps must be a whole number of at least 1");
  const dir = options.migrationsDir ?? defaultMigrationsDir;
  const client = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo rollback" });
  await client.connect();
  try {
    return await withMigrateLock(client, async () => {
      const applied = (await readAppliedMigrations(client)).filter((m) => m.rolledBackAt === null && m.finishedAt !== null);
      if (applied.length < steps) throw new UsageError(`cannot roll back ${steps} migration(s): only ${applied.length} applied`);
      const targets = applied.slice(-steps).reverse();
      const scripts = await Promise.all(targets.map((m) => readDownScript(dir, m.name)));
      const done: RolledBackMigration[] = [];
      for (const [i, migration] of targets.entries()) {
        const script = scripts[i] as string;
        await client.query("BEGIN");
        try {
          await client.query(script);
          await client.query(MARK_ROLLED_BACK, [migration.id]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw new UsageError(`down.sql of ${migration.name} failed, nothing of it was applied: ${(error as Error).message}`);
        }
        done.push({ name: migration.name, dataLoss: dataLossLine(script) });
      }
      return done;
    });
  } finally {
    await client.end();
  }
}

/**
 * Rolled back the way Prisma records it for a failed migration resolved `--rolled-back`:
 * `rolled_back_at` set and `finished_at` cleared. Prisma's `migrate resolve --applied` refuses (P3008)
 * any name with a row whose `finished_at` is set, rolled back or not, so keeping it would make a
 * failed re-deploy of this migration impossible to resolve. When it had finished stays in `logs`.
 */
const MARK_ROLLED_BACK =
  "UPDATE _prisma_migrations SET rolled_back_at = now(), finished_at = NULL, logs = concat_ws(E'\\n', logs, 'rolled back with down.sql (mmo migrate down); it had finished at ' || finished_at) WHERE id = $1";

async function readDownScript(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name, "down.sql"), "utf8");
  } catch {
    throw new UsageError(`migration ${name} has no down.sql: refusing to roll back (nothing was changed)`);
  }
}

export function dataLossLine(script: string): string {
  return /^--\s*Data loss:\s*(.*)$/im.exec(script)?.[1]?.trim() ?? "not declared";
}
