import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { UsageError } from "../errors.ts";
import { prismaErrorText } from "../migrate/prisma-cli.ts";
import { rollbackMigrations } from "../migrate/rollback.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";
import { createScratchDatabase, steppedHistory } from "./scratch.ts";
import { splitStatements } from "./sql-split.ts";
import { startWriters, type TableRef, type WriterStats } from "./writers.ts";
import { nodePgUrl } from "../url.ts";

export const DEFAULT_LOCK_BUDGET_MS = 200;

export interface LockImpact {
  migration: string;
  /** Existing tables the migration names: the ones writers kept writing to. */
  tables: string[];
  /** The longest time any writer statement spent blocked (seen waiting on a lock) while the migration was applied. */
  maxBlockedMs: number;
  /** The slowest writer statement, blocked or not (machine noise included), for comparison. */
  maxLatencyMs: number;
  worst: string | null;
  writes: number;
  overBudget: boolean;
  /** The reason given by a `-- lock-impact-waiver: <reason>` line in migration.sql. */
  waiver: string | null;
  /** Set when the migration itself failed while writers ran. */
  error: string | null;
  writers: WriterStats[];
}

export interface LockImpactOptions {
  migrationsDir?: string;
  /** Directory names to measure (all when absent); the others are applied and rolled back only. */
  only?: string[];
  /** Fills the scratch database once every migration is applied (a seed profile, fixtures…). */
  populate?: (url: string) => Promise<void>;
  budgetMs?: number;
  /** How long writers run before and after the deploy, to have a baseline. */
  settleMs?: number;
  onStep?: (text: string) => void;
}

/** Tables that exist now and that the migration's SQL (comments aside) names. */
export async function touchedTables(client: pg.ClientBase, sql: string): Promise<TableRef[]> {
  const code = splitStatements(sql).map((s) => s.code).join(";\n");
  const { rows } = await client.query<TableRef>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'cron', 'partition_archive') ORDER BY 1, 2`,
  );
  return rows.filter((t) => new RegExp(`(^|[^\\w$"])"?${t.name.replace(/[$]/g, "\\$")}"?(?![\\w$])`, "i").test(code));
}

/** The reason of a `-- lock-impact-waiver: <reason>` comment, continued on the `--` lines below it. */
export function waiverOf(sql: string): string | null {
  const match = /^--\s*lock-impact-waiver:\s*(.+(?:\n--[ \t]+\S.*)*)/im.exec(sql);
  return match?.[1] ? match[1].replace(/\n--[ \t]+/g, " ").trim() : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Measures how long each migration blocks the game's writers: on a scratch database of the server
 * at `url`, apply everything, populate, then walk the history backwards; for each measured
 * migration, roll back to just before it and apply it again with the real `prisma migrate deploy`
 * while writers keep inserting into and updating every existing table it names.
 */
export async function measureLockImpact(url: string, options: LockImpactOptions = {}): Promise<LockImpact[]> {
  const history = await steppedHistory(options.migrationsDir ?? defaultMigrationsDir);
  const unknown = (options.only ?? []).filter((n) => !history.names.includes(n));
  if (unknown.length) {
    await history.remove();
    throw new UsageError(`no migration directory ${unknown.join(", ")}`);
  }
  const budget = options.budgetMs ?? DEFAULT_LOCK_BUDGET_MS;
  const settle = options.settleMs ?? 300;
  const step = options.onStep ?? (() => undefined);
  const scratch = await createScratchDatabase(url, "mmo_lockimpact");
  const client = new pg.Client({ connectionString: nodePgUrl(scratch.url) });
  const results: LockImpact[] = [];
  try {
    await client.connect();
    step(`applying ${history.names.length} migration(s) to ${scratch.name}`);
    const all = await history.deployFirst(history.names.length, scratch.url);
    if (all.exitCode !== 0) throw new Error(prismaErrorText(all));
    if (options.populate) (step("populating"), await options.populate(scratch.url));
    let applied = history.names.length;
    for (let i = history.names.length - 1; i >= 0; i--) {
      const name = history.names[i] as string;
      if (options.only && !options.only.includes(name)) continue;
      await rollbackMigrations(scratch.url, { steps: applied - i, migrationsDir: history.migrationsDir });
      const sql = await readFile(join(history.migrationsDir, name, "migration.sql"), "utf8");
      const tables = await touchedTables(client, sql);
      step(`${name}: writing to ${tables.length ? tables.map((t) => t.name).join(", ") : "no existing table"} while applying`);
      const writers = await startWriters(scratch.url, tables);
      await sleep(settle);
      const run = await history.deployFirst(i + 1, scratch.url);
      await sleep(settle);
      const stats = await writers.stop();
      applied = run.exitCode === 0 ? i + 1 : i;
      const worst = stats.reduce<WriterStats | null>((w, s) => (s.maxBlockedMs > (w?.maxBlockedMs ?? 0) ? s : w), null);
      const maxBlockedMs = Math.round((worst?.maxBlockedMs ?? 0) * 10) / 10;
      const maxLatencyMs = Math.round(Math.max(0, ...stats.map((s) => s.maxMs)) * 10) / 10;
      const waiver = waiverOf(sql);
      results.push({
        migration: name,
        tables: tables.map((t) => `${t.schema}.${t.name}`),
        maxBlockedMs,
        maxLatencyMs,
        worst: worst ? `${worst.kind} ${worst.table}` : null,
        writes: stats.reduce((n, s) => n + s.operations, 0),
        overBudget: maxBlockedMs > budget,
        waiver,
        error: run.exitCode === 0 ? null : prismaErrorText(run).split("\n").filter((l) => l.trim() && !/pris\.ly/.test(l)).slice(0, 6).join(" "),
        writers: stats,
      });
      if (run.exitCode !== 0) {
        await client.query("DELETE FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL", [name]);
      }
    }
    return results.reverse();
  } finally {
    await client.end().catch(() => undefined);
    await scratch.drop();
    await history.remove();
  }
}
