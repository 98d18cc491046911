import type { Queryable } from "./sql.ts";
import { sandboxed } from "./sandbox.ts";
import { assertMigrated, num, qualified } from "./sql.ts";

/** One partition as maint.list_partitions reports it, plus an exact count when asked for. */
export interface PartitionInfo {
  table: string;
  partition: string;
  isDefault: boolean;
  from: Date | null;
  to: Date | null;
  /** Planner estimate (pg_class.reltuples), or the exact count with `exact`. */
  rows: number;
  rowsExact: boolean;
  bytes: number;
}

export interface PartitionGap {
  from: Date;
  to: Date;
}

export interface PlannedPartition {
  partition: string;
  from: Date;
  to: Date;
  hasDefaultRows: boolean;
  status: "missing" | "conflict";
}

export interface PartitionedTableReport {
  table: string;
  granularity: string;
  premake: number;
  retention: string | null;
  retentionAction: string;
  partitions: PartitionInfo[];
  /** Exact number of rows in the DEFAULT partition (rows no range partition covers). */
  defaultRows: number;
  /** Holes between consecutive range partitions (rows there land in DEFAULT). */
  gaps: PartitionGap[];
  /** What `partitions ensure` would create now (maint.plan_partitions). */
  planned: PlannedPartition[];
}

/**
 * Per managed table: its partitions (maint.list_partitions), what sits in DEFAULT, the gaps between
 * ranges and what ensure would create (maint.plan_partitions). An unknown table raises 22023 in SQL.
 */
export async function listPartitions(db: Queryable, options: { table?: string | undefined; exact?: boolean } = {}): Promise<PartitionedTableReport[]> {
  await assertMigrated(db);
  const table = options.table ?? null;
  const parts = await db.query<{ table_name: string; partition_name: string; is_default: boolean; range_from: Date | null; range_to: Date | null; estimated_rows: string; total_bytes: string }>(
    "SELECT * FROM maint.list_partitions($1::text)",
    [table],
  );
  const policies = await db.query<{ table_name: string; granularity: string; premake: number; retention: string | null; retention_action: string }>(
    "SELECT table_name, granularity, premake, retention::text AS retention, retention_action FROM maint.partition_policy WHERE $1::text IS NULL OR table_name = $1 ORDER BY table_name",
    [table],
  );
  const reports: PartitionedTableReport[] = [];
  for (const policy of policies.rows) {
    const partitions: PartitionInfo[] = [];
    for (const p of parts.rows.filter((r) => r.table_name === policy.table_name)) {
      const exact = options.exact || p.is_default;
      const rows = exact ? await exactCount(db, p.partition_name) : num(p.estimated_rows);
      partitions.push({ table: p.table_name, partition: p.partition_name, isDefault: p.is_default, from: p.range_from, to: p.range_to, rows, rowsExact: exact, bytes: num(p.total_bytes) });
    }
    const planned = await db.query<{ partition_name: string; range_from: Date; range_to: Date; has_default_rows: boolean; status: "missing" | "conflict" }>(
      "SELECT * FROM maint.plan_partitions($1::text)",
      [policy.table_name],
    );
    reports.push({
      table: policy.table_name,
      granularity: policy.granularity,
      premake: policy.premake,
      retention: policy.retention,
      retentionAction: policy.retention_action,
      partitions,
      defaultRows: partitions.filter((p) => p.isDefault).reduce((n, p) => n + p.rows, 0),
      gaps: findGaps(partitions),
      planned: planned.rows.map((r) => ({ partition: r.partition_name, from: r.range_from, to: r.range_to, hasDefaultRows: r.has_default_rows, status: r.status })),
    });
  }
  return reports;
}

/** Holes between consecutive range partitions, ordered by lower bound. */
export function findGaps(partitions: Pick<PartitionInfo, "isDefault" | "from" | "to">[]): PartitionGap[] {
  const ranges = partitions
    .filter((p): p is typeof p & { from: Date; to: Date } => !p.isDefault && p.from !== null && p.to !== null)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  const gaps: PartitionGap[] = [];
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const next = ranges[i]!;
    if (prev.to.getTime() < next.from.getTime()) gaps.push({ from: prev.to, to: next.from });
  }
  return gaps;
}

async function exactCount(db: Queryable, partition: string): Promise<number> {
  // The name comes from pg_class via maint.list_partitions and is quoted.
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ONLY ${qualified("public", partition)}`);
  return num(rows[0]?.n);
}

export interface EnsuredPartition {
  table: string;
  partition: string | null;
  from: Date | null;
  to: Date | null;
  action: string;
  rowsMoved: number;
}

/**
 * maint.ensure_partitions, one table per transaction (each query here autocommits), in the fixed
 * order of maint.partition_policy, through maint.run_sandboxed: it runs as mmo_maint whoever is
 * connected, under the one advisory lock every ensure and prune takes, as pg_cron's job does.
 */
export async function ensurePartitions(db: Queryable, options: { table?: string | undefined } = {}): Promise<EnsuredPartition[]> {
  const ensured: EnsuredPartition[] = [];
  for (const table of await upkeepTables(db, options.table)) {
    const rows = await sandboxed<{ table_name: string; partition_name: string | null; range_from: string | null; range_to: string | null; action: string; rows_moved: number | string }>(
      db,
      "SELECT format('SELECT * FROM maint.ensure_partitions(%L)', $1::text) AS command",
      [table],
    );
    ensured.push(...rows.map((r) => ({ table: r.table_name, partition: r.partition_name, from: dateOrNull(r.range_from), to: dateOrNull(r.range_to), action: r.action, rowsMoved: num(r.rows_moved) })));
  }
  return ensured;
}

export interface PrunedPartition {
  table: string;
  partition: string;
  from: Date;
  to: Date;
  action: string;
}

/** maint.prune_partitions (p_dry_run only reports), one table per transaction, through the sandbox like ensure. */
export async function prunePartitions(db: Queryable, options: { table?: string | undefined; dryRun?: boolean } = {}): Promise<PrunedPartition[]> {
  const pruned: PrunedPartition[] = [];
  for (const table of await upkeepTables(db, options.table)) {
    const rows = await sandboxed<{ table_name: string; partition_name: string; range_from: string; range_to: string; action: string }>(
      db,
      "SELECT format('SELECT * FROM maint.prune_partitions(%L, %L, %L::boolean)', $1::text, now(), $2::boolean) AS command",
      [table, Boolean(options.dryRun)],
    );
    pruned.push(...rows.map((r) => ({ table: r.table_name, partition: r.partition_name, from: new Date(r.range_from), to: new Date(r.range_to), action: r.action })));
  }
  return pruned;
}

/** The managed tables upkeep walks, in its one fixed order; an unknown table raises 22023 in SQL. */
async function upkeepTables(db: Queryable, table: string | undefined): Promise<string[]> {
  await assertMigrated(db);
  if (table !== undefined) {
    await db.query("SELECT maint.resolve_partitioned_table($1::text)", [table]);
    return [table];
  }
  const { rows } = await db.query<{ table_name: string }>("SELECT table_name FROM maint.partition_policy ORDER BY table_name");
  return rows.map((r) => r.table_name);
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
