import { longestGap } from "./cron-schedule.ts";
import { listPartitions } from "./partitions.ts";
import type { Queryable } from "./sql.ts";
import { assertMigrated, ident, num, qualified } from "./sql.ts";

export type CheckName = "orphans" | "not_valid_constraints" | "counter_drift" | "default_partition_rows" | "missing_partitions" | "expired_rows";

export interface Finding {
  check: CheckName;
  /** The table, constraint or counter concerned. */
  object: string;
  count: number;
  message: string;
  fix: string;
}

export interface ValidateReport {
  checks: { check: CheckName; findings: number }[];
  findings: Finding[];
}

const HOUR_MS = 3_600_000;

export const CHECKS: CheckName[] = ["orphans", "not_valid_constraints", "counter_drift", "default_partition_rows", "missing_partitions", "expired_rows"];

/**
 * Read-only consistency checks. Nothing here changes data; each finding names its fix. Throws
 * NotMigratedError on a database the migrations have not reached (there is nothing to check).
 */
export async function validateDatabase(db: Queryable, options: { checks?: CheckName[] } = {}): Promise<ValidateReport> {
  await assertMigrated(db);
  const run: Record<CheckName, (db: Queryable) => Promise<Finding[]>> = {
    orphans: findOrphans,
    not_valid_constraints: findNotValidConstraints,
    counter_drift: findCounterDrift,
    default_partition_rows: findDefaultPartitionRows,
    missing_partitions: findMissingPartitions,
    expired_rows: findExpiredRows,
  };
  const findings: Finding[] = [];
  const checks: ValidateReport["checks"] = [];
  for (const check of options.checks ?? CHECKS) {
    const found = await run[check](db);
    checks.push({ check, findings: found.length });
    findings.push(...found);
  }
  return { checks, findings };
}

/**
 * Rows whose foreign key points at nothing: possible when a constraint is NOT VALID, or rows were
 * loaded with session_replication_role = replica (which skips FK triggers).
 */
async function findOrphans(db: Queryable): Promise<Finding[]> {
  const { rows: fks } = await db.query<{ conname: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>(
    `SELECT c.conname, cc.relname AS child, pc.relname AS parent,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS child_cols,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_cols
     FROM pg_constraint c
     JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_class pc ON pc.oid = c.confrelid
     WHERE c.contype = 'f' AND c.conparentid = 0
       AND cc.relnamespace = 'public'::regnamespace AND pc.relnamespace = 'public'::regnamespace
     ORDER BY cc.relname, c.conname`,
  );
  const findings: Finding[] = [];
  for (const fk of fks) {
    const notNull = fk.child_cols.map((c) => `c.${ident(c)} IS NOT NULL`).join(" AND ");
    const match = fk.child_cols.map((c, i) => `p.${ident(fk.parent_cols[i]!)} = c.${ident(c)}`).join(" AND ");
    const where = `${notNull} AND NOT EXISTS (SELECT 1 FROM ${qualified("public", fk.parent)} p WHERE ${match})`;
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualified("public", fk.child)} c WHERE ${where}`);
    const count = num(rows[0]?.n);
    if (count > 0) {
      findings.push({
        check: "orphans",
        object: `${fk.child}.${fk.conname}`,
        count,
        message: `${count} row(s) of ${fk.child} reference a missing ${fk.parent} (${fk.child_cols.join(", ")})`,
        fix: `DELETE FROM public.${ident(fk.child)} c WHERE ${where};`,
      });
    }
  }
  return findings;
}

async function findNotValidConstraints(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ tbl: string; conname: string; contype: string }>(
    `SELECT cl.relname AS tbl, c.conname, c.contype FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
     WHERE NOT c.convalidated AND c.conparentid = 0 AND cl.relnamespace IN ('public'::regnamespace, 'maint'::regnamespace)
     ORDER BY cl.relname, c.conname`,
  );
  return rows.map((r) => ({
    check: "not_valid_constraints" as const,
    object: `${r.tbl}.${r.conname}`,
    count: 1,
    message: `constraint ${r.conname} on ${r.tbl} is NOT VALID: existing rows were never checked`,
    fix: `ALTER TABLE public.${ident(r.tbl)} VALIDATE CONSTRAINT ${ident(r.conname)};`,
  }));
}

/** The counters maint.recount_denormalized_counters keeps true, compared with the data (maint.counter_drift, read only). */
async function findCounterDrift(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ counter: string; drifted: string }>("SELECT counter, drifted FROM maint.counter_drift()");
  const fix = "SELECT * FROM maint.recount_denormalized_counters();";
  const what: Record<string, string> = {
    "users.character_count": "user(s) whose character_count differs from their non-deleted characters",
    "guilds.member_count": "guild(s) whose member_count differs from their guild_members rows",
  };
  return rows
    .filter((r) => num(r.drifted) > 0)
    .map((r) => ({ check: "counter_drift" as const, object: r.counter, count: num(r.drifted), message: `${num(r.drifted)} ${what[r.counter] ?? `row(s) whose ${r.counter} differs from the data`}`, fix }));
}

async function findDefaultPartitionRows(db: Queryable): Promise<Finding[]> {
  const reports = await listPartitions(db);
  return reports
    .filter((r) => r.defaultRows > 0)
    .map((r) => ({
      check: "default_partition_rows" as const,
      object: `${r.table}_default`,
      count: r.defaultRows,
      message: `${r.defaultRows} row(s) of ${r.table} sit in its DEFAULT partition (no range partition covers them)`,
      fix: `mmo partitions ensure ${r.table}   (or SELECT * FROM maint.ensure_partitions('${r.table}');)`,
    }));
}

/** Periods of the premake window with no partition yet (maint.plan_partitions), and conflicts. */
async function findMissingPartitions(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ table_name: string; missing: string; conflicts: string }>(
    `SELECT p.table_name,
            count(*) FILTER (WHERE x.status = 'missing' AND NOT x.has_default_rows) AS missing,
            count(*) FILTER (WHERE x.status = 'conflict') AS conflicts
     FROM maint.partition_policy p CROSS JOIN LATERAL maint.plan_partitions(p.table_name) x
     GROUP BY p.table_name ORDER BY p.table_name`,
  );
  const findings: Finding[] = [];
  for (const r of rows) {
    const missing = num(r.missing);
    const conflicts = num(r.conflicts);
    if (missing) findings.push({ check: "missing_partitions", object: r.table_name, count: missing, message: `${missing} future partition(s) of ${r.table_name} are missing from the premake window`, fix: `mmo partitions ensure ${r.table_name}` });
    if (conflicts) findings.push({ check: "missing_partitions", object: r.table_name, count: conflicts, message: `${conflicts} period(s) of ${r.table_name} cannot be created: an existing partition or table overlaps them`, fix: `mmo partitions list ${r.table_name}, then detach or rename the overlapping table` });
  }
  return findings;
}

/**
 * Rows the expiry and archive jobs should already have handled (maint.expiry_backlog, whose
 * predicates sit next to the functions they mirror). Each job's grace is its longest wait between
 * two firings plus an hour, so a row that merely waits for the job's next run (the daily session
 * purge, say) is not reported.
 */
async function findExpiredRows(db: Queryable): Promise<Finding[]> {
  const { rows: jobs } = await db.query<{ job_name: string; schedule: string; now: Date }>("SELECT job_name, schedule, now() AS now FROM maint.cron_jobs ORDER BY job_name");
  const findings: Finding[] = [];
  for (const job of jobs) {
    const graceMs = HOUR_MS + scheduleGap(job.schedule, job.now);
    const { rows } = await db.query<{ table_name: string; backlog: string; overdue: string }>(
      "SELECT table_name, backlog, overdue FROM maint.expiry_backlog($1, make_interval(secs => $2::float8 / 1000))",
      [job.job_name, graceMs],
    );
    for (const r of rows) {
      const count = num(r.overdue);
      if (!count) continue;
      findings.push({
        check: "expired_rows",
        object: r.table_name,
        count,
        message: `${count} ${r.backlog} (job ${job.job_name})`,
        fix: job.job_name === "mmo-archive-characters" ? "mmo archive characters" : `mmo maintain --force --job ${job.job_name}   (then see why it did not run: \`mmo cron history --failed\`, maint.job_status())`,
      });
    }
  }
  return findings;
}

/** A schedule cron-parser cannot read (pg_cron would refuse it too) gets no extra grace. */
function scheduleGap(schedule: string, now: Date): number {
  try {
    return longestGap(schedule, now);
  } catch {
    return 0;
  }
}
