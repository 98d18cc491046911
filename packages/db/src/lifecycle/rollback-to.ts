import pg from "pg";
import { UsageError } from "../errors.ts";
import { readAppliedMigrations } from "../migrate/history.ts";
import { rollbackMigrations, type RolledBackMigration } from "../migrate/rollback.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { nodePgUrl } from "../url.ts";

export interface RollbackTarget {
  /** Roll back this many of the newest applied migrations. */
  steps?: number;
  /** Or: roll back everything applied after this migration (it stays applied). */
  to?: string;
}

/** How many steps `--to <name>` means on this database; a name that is not applied is a usage error. */
export async function stepsToReach(url: string, to: string): Promise<number> {
  const client = new pg.Client({ connectionString: nodePgUrl(url) });
  await client.connect();
  try {
    const applied = (await readAppliedMigrations(client)).filter((m) => m.rolledBackAt === null && m.finishedAt !== null).map((m) => m.name);
    const at = applied.lastIndexOf(to);
    if (at === -1) throw new UsageError(`${to} is not an applied migration of this database (see \`mmo migrate status\`)`);
    return applied.length - 1 - at;
  } finally {
    await client.end();
  }
}

export async function rollback(url: string, target: RollbackTarget, options: { migrationsDir?: string } = {}): Promise<RolledBackMigration[]> {
  if (target.steps !== undefined && target.to !== undefined) throw new UsageError("use either --steps or --to, not both");
  const steps = target.to !== undefined ? await stepsToReach(url, target.to) : (target.steps ?? 1);
  if (steps === 0) return [];
  return rollbackMigrations(url, { steps, migrationsDir: options.migrationsDir ?? defaultMigrationsDir });
}
