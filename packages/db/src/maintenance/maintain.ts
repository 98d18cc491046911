import type pg from "pg";
import { UsageError } from "../errors.ts";
import { latestFiring } from "./cron-schedule.ts";
import type { Queryable } from "./sql.ts";
import { num } from "./sql.ts";

/**
 * The advisory lock class of every job run: maint.run_job takes
 * pg_try_advisory_lock(hashtext('mmo maintain'), hashtext(job)) for the whole run, whether pg_cron or
 * `mmo maintain` called it, so one job never runs twice at the same time.
 */
export const MAINTAIN_LOCK_CLASS = "mmo maintain";

/** One job of maint.cron_jobs with its last run (maint.job_status()). */
export interface JobStatus {
  jobName: string;
  schedule: string;
  enabled: boolean;
  /** never | running | interrupted (its session died mid-run) | succeeded | failed */
  status: "never" | "running" | "interrupted" | "succeeded" | "failed";
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastDurationMs: number | null;
  lastResult: string | null;
  /** The most recent failure (kept after later successes). */
  lastError: string | null;
  lastSqlstate: string | null;
  lastFailedAt: Date | null;
  /** application_name of the session that ran it last (pg_cron, mmo cli, …). */
  lastRunBy: string | null;
  runCount: number;
  failureCount: number;
}

export interface MaintainJobResult {
  job: string;
  status: "ran" | "skipped_locked" | "not_due" | "disabled" | "failed";
  /** What maint.run_job reports: the first column of the command's first row (all columns as JSON when several). */
  result: string | null;
  error: string | null;
  ms: number;
}

export interface MaintainOptions {
  /** Run every selected job now, due or not (still under its lock). Default: only jobs that are due. */
  force?: boolean;
  /** Only these jobs of maint.cron_jobs (default: every enabled one). An unknown name is a UsageError. */
  jobs?: string[];
  onJob?: (result: MaintainJobResult) => void;
  signal?: AbortSignal;
}

/** Every job with its last run, and the server's clock (due-ness is judged by the server's time). */
export async function readJobStatus(db: Queryable): Promise<{ now: Date; jobs: JobStatus[] }> {
  const { rows } = await db.query<{
    now: Date;
    job_name: string;
    schedule: string;
    enabled: boolean;
    status: JobStatus["status"];
    last_started_at: Date | null;
    last_finished_at: Date | null;
    last_duration_ms: string | null;
    last_result: string | null;
    last_error: string | null;
    last_sqlstate: string | null;
    last_failed_at: Date | null;
    last_run_by: string | null;
    run_count: string;
    failure_count: string;
  }>("SELECT now() AS now, s.*, (extract(epoch FROM s.last_duration) * 1000)::float8 AS last_duration_ms FROM maint.job_status() s");
  const now = rows[0]?.now ?? (await db.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now;
  return {
    now,
    jobs: rows.map((r) => ({
      jobName: r.job_name,
      schedule: r.schedule,
      enabled: r.enabled,
      status: r.status,
      lastStartedAt: r.last_started_at,
      lastFinishedAt: r.last_finished_at,
      lastDurationMs: r.last_duration_ms === null ? null : Number(r.last_duration_ms),
      lastResult: r.last_result,
      lastError: r.last_error,
      lastSqlstate: r.last_sqlstate,
      lastFailedAt: r.last_failed_at,
      lastRunBy: r.last_run_by,
      runCount: num(r.run_count),
      failureCount: num(r.failure_count),
    })),
  };
}

/**
 * The firing a run at `now` would serve, or null when the job is not due: it is due when its cron
 * schedule fired since its last recorded start (or it never ran).
 */
export function dueFiring(job: Pick<JobStatus, "schedule" | "lastStartedAt">, now: Date): Date | null {
  const firing = latestFiring(job.schedule, now);
  return job.lastStartedAt && job.lastStartedAt.getTime() >= firing.getTime() ? null : firing;
}

/**
 * One round of upkeep: each selected job that is due (or every one with `force`) through
 * maint.run_job, the procedure pg_cron calls too. run_job re-checks under the job's lock that nobody
 * started it since the firing this round serves, so concurrent maintain processes and pg_cron run a
 * firing once between them. A failing job is reported and the others still run.
 */
export async function runMaintenance(pool: pg.Pool, options: MaintainOptions = {}): Promise<MaintainJobResult[]> {
  const { now, jobs } = await readJobStatus(pool);
  if (options.jobs?.length) {
    const unknown = options.jobs.filter((name) => !jobs.some((j) => j.jobName === name));
    if (unknown.length) throw new UsageError(`unknown job ${unknown.map((n) => `"${n}"`).join(", ")}: known jobs are ${jobs.map((j) => j.jobName).join(", ")}`);
  }
  const selected = options.jobs?.length ? jobs.filter((j) => options.jobs!.includes(j.jobName)) : jobs.filter((j) => j.enabled);
  const results: MaintainJobResult[] = [];
  for (const job of selected) {
    if (options.signal?.aborted) break;
    const firing = dueFiring(job, now);
    const result = !options.force && firing === null ? { job: job.jobName, status: "not_due" as const, result: null, error: null, ms: 0 } : await runJob(pool, job.jobName, options.force ? null : firing);
    results.push(result);
    options.onJob?.(result);
  }
  return results;
}

/**
 * CALL maint.run_job on a connection of its own. After an error the connection is discarded rather
 * than returned to the pool: should the procedure have failed before releasing its session lock,
 * the lock ends with the session.
 */
export async function runJob(pool: pg.Pool, jobName: string, notStartedSince: Date | null): Promise<MaintainJobResult> {
  const started = performance.now();
  const client = await pool.connect();
  let rows: { outcome: MaintainJobResult["status"]; result: string | null }[];
  try {
    rows = (await client.query<{ outcome: MaintainJobResult["status"]; result: string | null }>("CALL maint.run_job($1, $2::timestamptz)", [jobName, notStartedSince])).rows;
  } catch (error) {
    client.release(true);
    return { job: jobName, status: "failed", result: null, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  }
  client.release();
  const row = rows[0];
  return { job: jobName, status: row?.outcome ?? "failed", result: row?.result ?? null, error: row ? null : "maint.run_job reported nothing", ms: performance.now() - started };
}
