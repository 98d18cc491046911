import { detectCapabilities } from "../capabilities.ts";
import { errorMessage } from "../errors.ts";
import { migrationState, type MigrationState } from "../migrate/history.ts";
import { cronHistory } from "./cron.ts";
import { parseInterval, type ParsedInterval } from "./interval.ts";
import { readJobStatus } from "./maintain.ts";
import { interruptedRestoreAdvice, interruptedRestoreMarker } from "./restore-marker.ts";
import { num, type Queryable } from "./sql.ts";

export interface HealthReport {
  database: { name: string; serverVersion: string; bytes: number };
  /** The marker a killed (or unverified) `mmo restore` left on this database, or null (also while one runs). */
  interruptedRestore: string | null;
  migrations: MigrationState;
  tables: { table: string; partitioned: boolean; bytes: number; liveRows: number; deadRows: number; deadRatio: number; bloatBytes: number }[];
  partitions: { table: string; partition: string; bytes: number; rows: number }[];
  longTransactions: { pid: number; user: string | null; state: string | null; seconds: number; query: string }[];
  lockWaits: { pid: number; blockedBy: number[]; seconds: number; query: string }[];
  cron: { available: boolean; note: string | null; failuresLastDay: number; failures: { job: string | null; at: Date | null; message: string | null }[] };
  /**
   * maint.job_runs (every maint.run_job, by pg_cron or `mmo maintain`): jobs that failed in the last
   * day, or whose last run failed or was interrupted.
   */
  jobs: { available: boolean; failures: { job: string; lastStatus: string; failedAt: Date | null; error: string | null; failureCount: number }[] };
  cacheHitRatio: number | null;
  /** Blocks read plus blocks found in the cache since the statistics were reset. */
  cacheBlocks: number;
  problems: string[];
}

export interface HealthOptions {
  /** A transaction open longer than this is reported (default 5 minutes). */
  longTransaction?: ParsedInterval;
  /** The application database's URL, for reading pg_cron's history from the cron database. */
  url: string;
  top?: number;
}

/**
 * One look at the database: migrations, sizes, dead tuples and an estimate of the space they waste,
 * long transactions, lock waits, cron failures and the cache hit ratio. `problems` lists what needs
 * an operator (the CLI exits 3 when it is not empty).
 */
export async function databaseHealth(pool: Queryable, options: HealthOptions): Promise<HealthReport> {
  const longTx = options.longTransaction ?? parseInterval("5m");
  const top = options.top ?? 15;
  const caps = await detectCapabilities(pool);
  const db = (await pool.query<{ name: string; bytes: string }>("SELECT current_database() AS name, pg_database_size(current_database()) AS bytes")).rows[0]!;
  const interruptedRestore = await interruptedRestoreMarker(pool, db.name);
  const migrations = await migrationState(pool);

  // Partitioned tables rolled up over their partitions; dead-tuple stats are per leaf table.
  // Sizes without waiting: pg_total_relation_size needs an AccessShareLock, so a relation another
  // session holds exclusively (the very situation health should report) is sized from pg_class.
  const tables = await pool.query<{ name: string; partitioned: boolean; bytes: string; live: string; dead: string; heap: string }>(
    `WITH RECURSIVE tree AS (
       SELECT c.oid AS root, c.oid AS relid FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       UNION ALL
       SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.relid
     ), locked AS (
       SELECT DISTINCT relation FROM pg_locks
       WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock' AND granted AND pid <> pg_backend_pid()
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
     ), sized AS (
       SELECT t.root, t.relid,
              CASE WHEN t.relid IN (SELECT relation FROM locked) THEN r.relpages::bigint * current_setting('block_size')::bigint
                   ELSE pg_total_relation_size(t.relid) END AS total,
              CASE WHEN t.relid IN (SELECT relation FROM locked) THEN r.relpages::bigint * current_setting('block_size')::bigint
                   ELSE pg_table_size(t.relid) END AS heap
       FROM tree t JOIN pg_class r ON r.oid = t.relid
     )
     SELECT c.relname AS name, c.relkind = 'p' AS partitioned, sum(z.total) AS bytes,
            sum(coalesce(s.n_live_tup, 0)) AS live, sum(coalesce(s.n_dead_tup, 0)) AS dead, sum(z.heap) AS heap
     FROM sized z JOIN pg_class c ON c.oid = z.root
     LEFT JOIN pg_stat_user_tables s ON s.relid = z.relid
     GROUP BY c.relname, c.relkind ORDER BY sum(z.total) DESC, c.relname LIMIT $1`,
    [top],
  );
  // An unmigrated database, or one a killed restore left half-made, has no maint.list_partitions:
  // health still reports, its pending migrations (or the interrupted restore) being the problem.
  const { rows: hasListPartitions } = await pool.query<{ ok: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'list_partitions' AND pronamespace = to_regnamespace('maint')) AS ok");
  const partitions = hasListPartitions[0]?.ok
    ? await pool.query<{ table_name: string; partition_name: string; total_bytes: string; estimated_rows: string }>(
        "SELECT table_name, partition_name, total_bytes, estimated_rows FROM maint.list_partitions() ORDER BY total_bytes DESC, partition_name LIMIT $1",
        [top],
      )
    : { rows: [] };
  const longTransactions = await pool.query<{ pid: number; usename: string | null; state: string | null; seconds: number; query: string }>(
    `SELECT pid, usename, state, extract(epoch FROM now() - xact_start)::float8 AS seconds, left(query, 200) AS query
     FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND xact_start IS NOT NULL AND xact_start < now() - $1::interval ORDER BY xact_start`,
    [longTx.text],
  );
  const lockWaits = await pool.query<{ pid: number; blocked_by: number[]; seconds: number; query: string }>(
    `SELECT pid, pg_blocking_pids(pid) AS blocked_by, extract(epoch FROM now() - coalesce(state_change, query_start))::float8 AS seconds, left(query, 200) AS query
     FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND cardinality(pg_blocking_pids(pid)) > 0 ORDER BY pid`,
  );
  const cache = (await pool.query<{ hit: string; read: string }>("SELECT blks_hit AS hit, blks_read AS read FROM pg_stat_database WHERE datname = current_database()")).rows[0];
  const hit = num(cache?.hit);
  const read = num(cache?.read);
  const cacheHitRatio = hit + read > 0 ? hit / (hit + read) : null;

  const cron: HealthReport["cron"] = { available: false, note: null, failuresLastDay: 0, failures: [] };
  if (!caps.pgCronLoaded) cron.note = "pg_cron is not loaded: upkeep runs only through `mmo maintain`";
  else {
    try {
      const { runs } = await cronHistory(pool, options.url, { since: parseInterval("1 day"), limit: 1000, failedOnly: true });
      cron.available = true;
      cron.failuresLastDay = runs.length;
      cron.failures = runs.slice(0, 10).map((r) => ({ job: r.job, at: r.startedAt, message: r.message }));
    } catch (error) {
      cron.note = errorMessage(error);
    }
  }

  const jobs: HealthReport["jobs"] = { available: false, failures: [] };
  const { rows: hasJobRuns } = await pool.query<{ ok: boolean }>("SELECT to_regprocedure('maint.job_status()') IS NOT NULL AS ok");
  if (hasJobRuns[0]?.ok) {
    const { now, jobs: states } = await readJobStatus(pool);
    jobs.available = true;
    jobs.failures = states
      .filter((j) => j.status === "failed" || j.status === "interrupted" || (j.lastFailedAt !== null && now.getTime() - j.lastFailedAt.getTime() <= 86_400_000))
      .map((j) => ({
        job: j.jobName,
        lastStatus: j.status,
        failedAt: j.status === "interrupted" ? j.lastStartedAt : j.lastFailedAt,
        error: j.status === "interrupted" ? "interrupted: its session ended before the run finished" : j.lastError,
        failureCount: j.failureCount,
      }));
  }

  const report: HealthReport = {
    database: { name: db.name, serverVersion: caps.serverVersion, bytes: num(db.bytes) },
    interruptedRestore,
    migrations,
    tables: tables.rows.map((t) => {
      const live = num(t.live);
      const dead = num(t.dead);
      const ratio = live + dead > 0 ? dead / (live + dead) : 0;
      return { table: t.name, partitioned: t.partitioned, bytes: num(t.bytes), liveRows: live, deadRows: dead, deadRatio: ratio, bloatBytes: Math.round(num(t.heap) * ratio) };
    }),
    partitions: partitions.rows.map((p) => ({ table: p.table_name, partition: p.partition_name, bytes: num(p.total_bytes), rows: num(p.estimated_rows) })),
    longTransactions: longTransactions.rows.map((r) => ({ pid: r.pid, user: r.usename, state: r.state, seconds: r.seconds, query: r.query })),
    lockWaits: lockWaits.rows.map((r) => ({ pid: r.pid, blockedBy: r.blocked_by, seconds: r.seconds, query: r.query })),
    cron,
    jobs,
    cacheHitRatio,
    cacheBlocks: hit + read,
    problems: [],
  };
  report.problems = healthProblems(report);
  return report;
}

/** What an operator should act on; thresholds are deliberately conservative. */
export function healthProblems(r: HealthReport): string[] {
  const problems: string[] = [];
  if (r.interruptedRestore) problems.push(interruptedRestoreAdvice(r.database.name, r.interruptedRestore));
  if (r.migrations.pending.length) problems.push(`${r.migrations.pending.length} pending migration(s): run \`mmo migrate deploy\``);
  if (r.migrations.failed.length) problems.push(`failed migration(s): ${r.migrations.failed.join(", ")}`);
  if (r.longTransactions.length) problems.push(`${r.longTransactions.length} long-running transaction(s) (pid ${r.longTransactions.map((t) => t.pid).join(", ")})`);
  if (r.lockWaits.length) problems.push(`${r.lockWaits.length} session(s) waiting for a lock (pid ${r.lockWaits.map((w) => `${w.pid} blocked by ${w.blockedBy.join("/")}`).join(", ")})`);
  if (r.cron.failuresLastDay) problems.push(`${r.cron.failuresLastDay} failed pg_cron run(s) in the last day: see \`mmo cron history --failed\``);
  for (const j of r.jobs.failures) problems.push(`job ${j.job} failed${j.failedAt ? ` at ${j.failedAt.toISOString()}` : ""} (last run ${j.lastStatus}, ${j.failureCount} failure(s) in all)${j.error ? `: ${j.error.replace(/\s+/g, " ").slice(0, 160)}` : ""}; see maint.job_status()`);
  for (const t of r.tables) {
    if (t.deadRows > 10_000 && t.deadRatio > 0.2) problems.push(`${t.table}: ${Math.round(t.deadRatio * 100)}% dead tuples: VACUUM (ANALYZE) public.${t.table}`);
  }
  // Only meaningful once the database has seen real traffic.
  if (r.cacheHitRatio !== null && r.cacheBlocks >= 1_000_000 && r.cacheHitRatio < 0.9) {
    problems.push(`cache hit ratio ${(r.cacheHitRatio * 100).toFixed(1)}% is below 90%: shared_buffers may be too small`);
  }
  return problems;
}
