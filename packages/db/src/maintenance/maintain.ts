import type pg from "pg";
import { cronFiredBetween } from "./cron-schedule.ts";
import { readCronJobDefinitions, type CronJobDefinition } from "./cron.ts";

/**
 * Every maintain run of every process takes the same per-job session advisory lock before running
 * a job, so two `mmo maintain` processes never run one job at the same time; the one that does not
 * get the lock skips the job. (pg_cron's runs take no such lock: they are safe alongside because
 * each maint function is idempotent and locks what it changes.)
 */
export const MAINTAIN_LOCK_CLASS = "mmo maintain";

export interface MaintainJobResult {
  job: string;
  status: "ran" | "skipped_locked" | "not_due" | "failed";
  /** The first column of the job's first row (what pg_cron would log), when it ran. */
  result: string | null;
  error: string | null;
  ms: number;
}

export interface MaintainOptions {
  /** When each job last ran in this process; a job is due when its schedule fired since. Absent: every job is due. */
  lastRun?: Map<string, Date>;
  now?: Date;
  onJob?: (result: MaintainJobResult) => void;
  signal?: AbortSignal;
}

/**
 * Runs the upkeep that is due: the enabled jobs of maint.cron_jobs, with exactly the command pg_cron
 * runs, one job per connection under its advisory lock. A failing job is reported and the others
 * still run.
 */
export async function runMaintenance(pool: pg.Pool, options: MaintainOptions = {}): Promise<MaintainJobResult[]> {
  const now = options.now ?? new Date();
  const jobs = (await readCronJobDefinitions(pool)).filter((job) => job.enabled);
  const results: MaintainJobResult[] = [];
  for (const job of jobs) {
    if (options.signal?.aborted) break;
    const last = options.lastRun?.get(job.jobName);
    const result: MaintainJobResult = last && !cronFiredBetween(job.schedule, last, now) ? { job: job.jobName, status: "not_due", result: null, error: null, ms: 0 } : await runJob(pool, job);
    if (result.status === "ran" || result.status === "failed") options.lastRun?.set(job.jobName, now);
    results.push(result);
    options.onJob?.(result);
  }
  return results;
}

async function runJob(pool: pg.Pool, job: CronJobDefinition): Promise<MaintainJobResult> {
  const started = performance.now();
  const client = await pool.connect();
  let locked = false;
  try {
    const lock = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok", [MAINTAIN_LOCK_CLASS, job.jobName]);
    locked = Boolean(lock.rows[0]?.ok);
    if (!locked) return { job: job.jobName, status: "skipped_locked", result: null, error: null, ms: performance.now() - started };
    try {
      // The command is the SQL text pg_cron runs for this job, read from maint.cron_jobs.
      const res = await client.query({ text: job.command, rowMode: "array" });
      const first = (res.rows[0] as unknown[] | undefined)?.[0];
      return { job: job.jobName, status: "ran", result: first === undefined || first === null ? null : String(first), error: null, ms: performance.now() - started };
    } catch (error) {
      return { job: job.jobName, status: "failed", result: null, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
    }
  } finally {
    if (locked) await client.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [MAINTAIN_LOCK_CLASS, job.jobName]).catch(() => undefined);
    client.release();
  }
}
