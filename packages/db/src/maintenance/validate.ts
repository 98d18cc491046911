import { listPartitions } from "./partitions.ts";
import type { Queryable } from "./sql.ts";
import { ident, num, qualified } from "./sql.ts";

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

export const CHECKS: CheckName[] = ["orphans", "not_valid_constraints", "counter_drift", "default_partition_rows", "missing_partitions", "expired_rows"];

/** Read-only consistency checks. Nothing here changes data; each finding names its fix. */
export async function validateDatabase(db: Queryable, options: { checks?: CheckName[] } = {}): Promise<ValidateReport> {
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

/** The counters maint.recount_denormalized_counters keeps true, compared with the data (read only). */
async function findCounterDrift(db: Queryable): Promise<Finding[]> {
  const { rows } = await db.query<{ users: string; guilds: string }>(
    `SELECT (SELECT count(*) FROM public.users u
             WHERE u.character_count <> (SELECT count(*) FROM public.characters c WHERE c.user_id = u.id AND NOT c.is_deleted)) AS users,
            (SELECT count(*) FROM public.guilds g
             WHERE g.member_count <> (SELECT count(*) FROM public.guild_members m WHERE m.guild_id = g.id)) AS guilds`,
  );
  const fix = "SELECT * FROM maint.recount_denormalized_counters();";
  const findings: Finding[] = [];
  const users = num(rows[0]?.users);
  const guilds = num(rows[0]?.guilds);
  if (users) findings.push({ check: "counter_drift", object: "users.character_count", count: users, message: `${users} user(s) whose character_count differs from their non-deleted characters`, fix });
  if (guilds) findings.push({ check: "counter_drift", object: "guilds.member_count", count: guilds, message: `${guilds} guild(s) whose member_count differs from their guild_members rows`, fix });
  return findings;
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
 * Rows the expiry and archive jobs should already have handled, with an hour's grace so a job that
 * is merely about to run is not reported. Predicates mirror the maint.expire_* functions' defaults.
 */
async function findExpiredRows(db: Queryable): Promise<Finding[]> {
  const grace = "1 hour";
  const checks: { object: string; sql: string; what: string; job: string }[] = [
    { object: "character_effects", sql: "SELECT count(*) FROM public.character_effects WHERE expires_at <= now() - $1::interval", what: "expired effects not deleted", job: "mmo-expire-effects" },
    { object: "world_state", sql: "SELECT count(*) FROM public.world_state WHERE expires_at IS NOT NULL AND expires_at <= now() - $1::interval", what: "expired world_state rows not deleted", job: "mmo-expire-world-state" },
    { object: "character_mail", sql: "SELECT count(*) FROM public.character_mail WHERE expires_at IS NOT NULL AND expires_at <= now() - $1::interval AND NOT is_deleted", what: "expired mails not soft-deleted", job: "mmo-expire-mail" },
    { object: "character_mail", sql: "SELECT count(*) FROM public.character_mail WHERE expires_at IS NOT NULL AND expires_at <= now() - interval '30 days' - $1::interval AND is_deleted", what: "expired mails not purged after 30 days", job: "mmo-expire-mail" },
    { object: "player_presence", sql: "SELECT count(*) FROM public.player_presence WHERE last_heartbeat < now() - interval '5 minutes' - $1::interval", what: "stale presence rows", job: "mmo-expire-presence" },
    { object: "sessions", sql: "SELECT count(*) FROM public.sessions WHERE expires_at <= now() - interval '30 days' - $1::interval OR (revoked_at IS NOT NULL AND revoked_at <= now() - interval '30 days' - $1::interval)", what: "sessions expired or revoked over 30 days ago not purged", job: "mmo-purge-sessions" },
    { object: "characters", sql: "SELECT count(*) FROM public.characters WHERE is_deleted AND deleted_at < now() - interval '90 days' - $1::interval", what: "characters deleted over 90 days ago not archived", job: "mmo-archive-characters" },
  ];
  const findings: Finding[] = [];
  for (const c of checks) {
    const { rows } = await db.query<{ count: string }>(c.sql, [grace]);
    const count = num(rows[0]?.count);
    if (count) findings.push({ check: "expired_rows", object: c.object, count, message: `${count} ${c.what} (job ${c.job})`, fix: c.object === "characters" ? "mmo archive characters" : "mmo maintain --once   (then check `mmo cron history --failed`)" });
  }
  return findings;
}
