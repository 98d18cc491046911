import { detectCapabilities } from "../capabilities.ts";
import { createDatabaseClient, type DatabaseClient } from "../client.ts";
import { MissingCapabilityError, UsageError } from "../errors.ts";
import { withDatabase } from "../url.ts";
import { validateCronSchedule } from "./cron-schedule.ts";
import type { ParsedInterval } from "./interval.ts";
import type { Queryable } from "./sql.ts";

/** A row of maint.cron_jobs: the single source of truth for what should be scheduled. */
export interface CronJobDefinition {
  jobName: string;
  schedule: string;
  /** The job's own SQL. */
  command: string;
  /** What pg_cron runs for it: maint.cron_command(job), the maint.run_job call (the raw command on a schema without it). */
  scheduledCommand: string;
  description: string;
  enabled: boolean;
}

export interface CronTarget {
  appDatabase: string;
  cronDatabase: string;
  cronUrl: string;
}

export async function readCronJobDefinitions(db: Queryable): Promise<CronJobDefinition[]> {
  // A database rolled back below 20261201000100_maintenance_job_runs has no run_job: pg_cron then
  // runs the raw commands, as before it.
  const { rows: has } = await db.query<{ ok: boolean }>("SELECT to_regprocedure('maint.cron_command(text)') IS NOT NULL AS ok");
  const scheduled = has[0]?.ok ? "maint.cron_command(job_name)" : "command";
  const { rows } = await db.query<{ job_name: string; schedule: string; command: string; scheduled_command: string; description: string; enabled: boolean }>(
    `SELECT job_name, schedule, command, ${scheduled} AS scheduled_command, description, enabled FROM maint.cron_jobs ORDER BY job_name`,
  );
  return rows.map((r) => ({ jobName: r.job_name, schedule: r.schedule, command: r.command, scheduledCommand: r.scheduled_command, description: r.description, enabled: r.enabled }));
}

/** Where pg_cron lives: same server and credentials, database = cron.database_name. */
export async function resolveCronTarget(db: Queryable, appUrl: string): Promise<CronTarget> {
  const caps = await detectCapabilities(db);
  if (!caps.pgCronLoaded || !caps.cronDatabase) {
    throw new MissingCapabilityError("pg_cron is not loaded on this server (add it to shared_preload_libraries and restart), or run upkeep with `mmo maintain --every 5m`");
  }
  const { rows } = await db.query<{ db: string }>("SELECT current_database() AS db");
  const appDatabase = rows[0]!.db;
  return { appDatabase, cronDatabase: caps.cronDatabase, cronUrl: withDatabase(appUrl, caps.cronDatabase) };
}

/**
 * pg_cron names are unique per user across all databases, so jobs scheduled from the cron database
 * for another database carry its name: "<database>:<job>". In the cron database itself the plain
 * names are used, as the migration schedules them.
 */
export function cronJobName(target: Pick<CronTarget, "appDatabase" | "cronDatabase">, jobName: string): string {
  return target.appDatabase === target.cronDatabase ? jobName : `${target.appDatabase}:${jobName}`;
}

/** Opens the cron database through the data layer's client factory, closes it afterwards. */
export async function withCronDatabase<T>(target: CronTarget, fn: (cron: DatabaseClient) => Promise<T>): Promise<T> {
  const cron = createDatabaseClient({ url: target.cronUrl, poolMax: 2, applicationName: "mmo cli (cron)" });
  try {
    return await fn(cron);
  } finally {
    await cron.close();
  }
}

async function pgCronInstalled(cron: Queryable): Promise<boolean> {
  const { rowCount } = await cron.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_cron'");
  return Boolean(rowCount);
}

async function requirePgCron(cron: Queryable, target: CronTarget): Promise<void> {
  if (!(await pgCronInstalled(cron))) {
    throw new MissingCapabilityError(`the pg_cron extension is not created in the cron database "${target.cronDatabase}": run \`mmo cron install\` (as a superuser)`);
  }
}

interface InstalledRow {
  jobid: string;
  jobname: string;
  schedule: string;
  command: string;
  database: string;
  active: boolean;
}

async function installedJobs(cron: Queryable, target: CronTarget, known: string[]): Promise<InstalledRow[]> {
  const prefix = target.appDatabase === target.cronDatabase ? null : `${target.appDatabase}:`;
  const { rows } = await cron.query<InstalledRow>(
    `SELECT jobid::text AS jobid, jobname, schedule, command, database, active FROM cron.job
     WHERE database = $1 AND (jobname = ANY($2::text[]) OR ($3::text IS NOT NULL AND left(jobname, length($3)) = $3))
     ORDER BY jobname`,
    [target.appDatabase, known.map((name) => cronJobName(target, name)), prefix],
  );
  return rows;
}

export interface CronInstallResult {
  job: string;
  cronJobName: string;
  schedule: string;
  action: "created" | "updated" | "unchanged" | "removed";
}

/**
 * Makes pg_cron's jobs for this database match maint.cron_jobs: schedules the enabled ones with
 * cron.schedule_in_database as maint.run_job calls (by name: re-running changes nothing), unschedules
 * disabled or unknown ones. Creates the pg_cron extension in the cron database when missing (needs a superuser).
 */
export async function installCronJobs(db: Queryable, appUrl: string): Promise<CronInstallResult[]> {
  const target = await resolveCronTarget(db, appUrl);
  const jobs = await readCronJobDefinitions(db);
  for (const job of jobs) validateCronSchedule(job.schedule);
  return withCronDatabase(target, async (cron) => {
    if (!(await pgCronInstalled(cron.pool))) {
      await cron.pool.query("CREATE EXTENSION IF NOT EXISTS pg_cron").catch((error: { code?: string; message?: string }) => {
        if (error.code === "42501") throw new MissingCapabilityError(`pg_cron is not created in "${target.cronDatabase}" and this role may not create it: ask a superuser to run CREATE EXTENSION pg_cron there`);
        throw error;
      });
    }
    const client = await cron.pool.connect();
    try {
      await client.query("BEGIN");
      // Two installs at once would race on the same names; one waits for the other.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('mmo cron install'), hashtext($1))", [target.appDatabase]);
      const installed = new Map((await installedJobs(client, target, jobs.map((j) => j.jobName))).map((row) => [row.jobname, row]));
      const results: CronInstallResult[] = [];
      for (const job of jobs) {
        const name = cronJobName(target, job.jobName);
        const existing = installed.get(name);
        installed.delete(name);
        if (!job.enabled) {
          if (existing) {
            await client.query("SELECT cron.unschedule($1::bigint)", [existing.jobid]);
            results.push({ job: job.jobName, cronJobName: name, schedule: job.schedule, action: "removed" });
          }
          continue;
        }
        if (existing && existing.schedule === job.schedule && existing.command === job.scheduledCommand && existing.active) {
          results.push({ job: job.jobName, cronJobName: name, schedule: job.schedule, action: "unchanged" });
          continue;
        }
        await client.query("SELECT cron.schedule_in_database($1, $2, $3, $4)", [name, job.schedule, job.scheduledCommand, target.appDatabase]);
        results.push({ job: job.jobName, cronJobName: name, schedule: job.schedule, action: existing ? "updated" : "created" });
      }
      for (const stale of installed.values()) {
        await client.query("SELECT cron.unschedule($1::bigint)", [stale.jobid]);
        results.push({ job: stale.jobname, cronJobName: stale.jobname, schedule: stale.schedule, action: "removed" });
      }
      await client.query("COMMIT");
      return results;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}

export interface CronJobStatus extends CronJobDefinition {
  cronJobName: string;
  /**
   * installed: as defined; differs: scheduled with another schedule/command or inactive; missing: not
   * scheduled; unverified: pg_cron's schedule is not readable by this role (last run from maint.job_runs).
   */
  state: "installed" | "differs" | "missing" | "disabled" | "unverified";
  jobId: string | null;
  lastRun: { status: string; startedAt: Date | null; message: string | null } | null;
}

/** maint.cron_jobs next to what pg_cron has scheduled for this database, with each job's last run. */
export async function listCronJobs(db: Queryable, appUrl: string): Promise<{ target: CronTarget; jobs: CronJobStatus[] }> {
  const target = await resolveCronTarget(db, appUrl);
  const jobs = await readCronJobDefinitions(db);
  return withCronDatabase(target, async (cron) => {
    await requirePgCron(cron.pool, target);
    try {
      await cron.pool.query("SELECT 1 FROM cron.job LIMIT 0");
    } catch (error) {
      // pg_cron's tables belong to the superuser who installed it: a deployer cannot read them.
      if ((error as { code?: string }).code !== "42501") throw error;
      return { target, jobs: await jobsFromJobRuns(db, target, jobs) };
    }
    const installed = new Map((await installedJobs(cron.pool, target, jobs.map((j) => j.jobName))).map((row) => [row.jobname, row]));
    const { rows: last } = await cron.pool.query<{ jobid: string; status: string; start_time: Date | null; return_message: string | null }>(
      `SELECT DISTINCT ON (jobid) jobid::text AS jobid, status, start_time, return_message
       FROM cron.job_run_details WHERE database = $1 ORDER BY jobid, start_time DESC NULLS LAST`,
      [target.appDatabase],
    );
    const lastById = new Map(last.map((r) => [r.jobid, r]));
    return {
      target,
      jobs: jobs.map((job) => {
        const name = cronJobName(target, job.jobName);
        const row = installed.get(name);
        const run = row ? lastById.get(row.jobid) : undefined;
        const state: CronJobStatus["state"] = !job.enabled ? "disabled" : !row ? "missing" : row.schedule === job.schedule && row.command === job.scheduledCommand && row.active ? "installed" : "differs";
        return { ...job, cronJobName: name, state, jobId: row?.jobid ?? null, lastRun: run ? { status: run.status, startedAt: run.start_time, message: run.return_message } : null };
      }),
    };
  });
}

/** Unschedules this database's jobs (all, or the named ones); returns the names removed. */
export async function removeCronJobs(db: Queryable, appUrl: string, names: string[] = []): Promise<string[]> {
  const target = await resolveCronTarget(db, appUrl);
  const jobs = await readCronJobDefinitions(db);
  const unknown = names.filter((n) => !jobs.some((j) => j.jobName === n));
  if (unknown.length) {
    throw new UsageError(`unknown cron job ${unknown.map((n) => `"${n}"`).join(", ")}: known jobs are ${jobs.map((j) => j.jobName).join(", ")}`);
  }
  return withCronDatabase(target, async (cron) => {
    await requirePgCron(cron.pool, target);
    const installed = await installedJobs(cron.pool, target, jobs.map((j) => j.jobName));
    const wanted = new Set(names.map((n) => cronJobName(target, n)));
    const removed: string[] = [];
    for (const row of installed) {
      if (wanted.size && !wanted.has(row.jobname)) continue;
      await cron.pool.query("SELECT cron.unschedule($1::bigint)", [row.jobid]);
      removed.push(row.jobname);
    }
    return removed;
  });
}

export interface CronRun {
  job: string | null;
  runId: string;
  status: string;
  failed: boolean;
  startedAt: Date | null;
  endedAt: Date | null;
  message: string | null;
  command: string;
}

/** Runs of this database's jobs from cron.job_run_details, newest first. */
export async function cronHistory(db: Queryable, appUrl: string, options: { since: ParsedInterval; limit: number; failedOnly?: boolean }): Promise<{ target: CronTarget; runs: CronRun[] }> {
  const target = await resolveCronTarget(db, appUrl);
  return withCronDatabase(target, async (cron) => {
    await requirePgCron(cron.pool, target);
    const { rows } = await cron.pool.query<{ jobname: string | null; runid: string; status: string; start_time: Date | null; end_time: Date | null; return_message: string | null; command: string }>(
      `SELECT j.jobname, d.runid::text AS runid, d.status, d.start_time, d.end_time, d.return_message, d.command
       FROM cron.job_run_details d LEFT JOIN cron.job j ON j.jobid = d.jobid
       WHERE d.database = $1 AND d.start_time >= now() - $2::interval AND (NOT $3::boolean OR d.status = 'failed')
       ORDER BY d.start_time DESC NULLS LAST LIMIT $4`,
      [target.appDatabase, options.since.text, Boolean(options.failedOnly), options.limit],
    );
    return {
      target,
      runs: rows.map((r) => ({ job: r.jobname, runId: r.runid, status: r.status, failed: r.status === "failed", startedAt: r.start_time, endedAt: r.end_time, message: r.return_message, command: r.command })),
    };
  });
}

/**
 * What a role that cannot read pg_cron's tables can know: every job's definition and its last run by
 * pg_cron as maint.run_job recorded it.
 */
async function jobsFromJobRuns(db: Queryable, target: CronTarget, jobs: CronJobDefinition[]): Promise<CronJobStatus[]> {
  const { rows } = await db.query<{ job_name: string; status: string; last_started_at: Date; last_error: string | null }>(
    "SELECT job_name, status, last_started_at, last_error FROM maint.job_runs WHERE last_run_by = 'pg_cron'",
  );
  const runs = new Map(rows.map((r) => [r.job_name, r]));
  return jobs.map((job) => {
    const run = runs.get(job.jobName);
    return {
      ...job,
      cronJobName: cronJobName(target, job.jobName),
      state: job.enabled ? "unverified" : "disabled",
      jobId: null,
      lastRun: run ? { status: run.status, startedAt: run.last_started_at, message: run.last_error } : null,
    };
  });
}
