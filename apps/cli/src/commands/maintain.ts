import { type Command } from "commander";
import { dueFiring, readJobStatus, runMaintenance, UsageError, type JobStatus, type MaintainJobResult, type ParsedInterval } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatTime, intervalArg } from "./options.ts";

export interface MaintainRun {
  round: number;
  jobs: MaintainJobResult[];
}

/**
 * Runs the due upkeep once (every selected job with `force`), or a round every `every` until the
 * signal aborts (SIGINT/SIGTERM in the CLI). Due-ness comes from maint.job_runs, which pg_cron and
 * every other maintain process share. A round that is under way finishes its current job; the wait
 * between rounds ends at once.
 */
export async function maintain(
  ctx: CommandContext,
  options: { every?: ParsedInterval; force?: boolean; jobs?: string[]; signal?: AbortSignal; onJob?: (result: MaintainJobResult) => void; onRound?: (run: MaintainRun) => void },
): Promise<MaintainRun[]> {
  const { pool } = await ctx.client();
  const rounds: MaintainRun[] = [];
  for (let round = 1; ; round++) {
    const jobs = await runMaintenance(pool, { force: options.force, jobs: options.jobs, onJob: options.onJob, signal: options.signal });
    const run = { round, jobs };
    rounds.push(run);
    options.onRound?.(run);
    if (!options.every || options.signal?.aborted) break;
    await sleep(options.every.ms, options.signal);
    if (options.signal?.aborted) break;
  }
  return rounds;
}

/** Each job's last run (maint.job_status(), shared by pg_cron and every maintain) and whether it is due now. */
export async function maintainStatus(ctx: CommandContext): Promise<(JobStatus & { due: boolean })[]> {
  const { now, jobs } = await readJobStatus((await ctx.client()).pool);
  return jobs.map((job) => ({ ...job, due: job.enabled && dueFiring(job, now) !== null }));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

const SKIPPED: Partial<Record<MaintainJobResult["status"], string>> = {
  skipped_locked: "skipped: another run (maintain or pg_cron) is running it",
  disabled: "skipped: disabled in maint.cron_jobs",
};

export function registerMaintain(program: Command, deps: ProgramDeps): void {
  program
    .command("maintain")
    .description("run the upkeep that is due (the jobs of maint.cron_jobs, through maint.run_job), for servers without pg_cron")
    .option("--once", "one round of the jobs that are due, then exit (the default)")
    .option("--every <interval>", "a round every interval (e.g. 1m, 5m) until SIGINT/SIGTERM", intervalArg)
    .option("--force", "run the jobs now whether due or not (one round)")
    .option("--job <names...>", "only these jobs of maint.cron_jobs")
    .option("--status", "show each job's last run and whether it is due; runs nothing")
    .option("--json", "machine-readable output (one JSON document per round)")
    .action(async (opts: { once?: boolean; every?: ParsedInterval; force?: boolean; job?: string[]; status?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        if (opts.status) {
          if (opts.once || opts.every || opts.force || opts.job) throw new UsageError("--status runs nothing: it excludes --once, --every, --force and --job");
          const jobs = await maintainStatus(ctx);
          if (opts.json) ctx.out.json(jobs);
          else {
            ctx.out.table(
              ["job", "schedule", "last status", "last started", "by", "runs", "failures", "due"],
              jobs.map((j) => [j.jobName, j.enabled ? j.schedule : `${j.schedule} (disabled)`, j.status, formatTime(j.lastStartedAt), j.lastRunBy ?? "", j.runCount, j.failureCount, j.due ? "yes" : ""]),
            );
            for (const j of jobs.filter((x) => x.lastError)) ctx.out.line(`${j.jobName}: last failure at ${formatTime(j.lastFailedAt)}: ${j.lastError!.replace(/\s+/g, " ")}`);
          }
          return EXIT.OK;
        }
        if (opts.once && opts.every) throw new UsageError("--once and --every exclude each other");
        if (opts.force && opts.every) throw new UsageError("--force runs one round: it excludes --every");
        if (opts.every && opts.every.ms < 1000) throw new UsageError("--every must be at least 1s");
        const controller = new AbortController();
        const stop = () => {
          if (!controller.signal.aborted) ctx.out.info("stopping after the current job…");
          controller.abort();
        };
        if (opts.every) {
          process.on("SIGINT", stop);
          process.on("SIGTERM", stop);
        }
        let failed = false;
        try {
          await maintain(ctx, {
            every: opts.every,
            force: Boolean(opts.force),
            jobs: opts.job,
            signal: controller.signal,
            onJob: (r) => {
              if (r.status === "failed") failed = true;
              if (opts.json || r.status === "not_due") return;
              if (r.status === "failed") ctx.out.warn(`${r.job}: failed: ${r.error}`);
              else ctx.out.line(`${r.job.padEnd(26)} ${SKIPPED[r.status] ?? `ran (${r.result ?? "-"}) in ${Math.round(r.ms)} ms`}`);
            },
            onRound: (run) => {
              if (opts.json) ctx.out.json(run);
              else {
                const notDue = run.jobs.filter((j) => j.status === "not_due").length;
                if (notDue) ctx.out.info(`${notDue} job(s) not due${opts.every ? "" : " (--force runs them now)"}`);
                if (opts.every) ctx.out.info(`round ${run.round} done; next in ${opts.every.text}`);
              }
            },
          });
        } finally {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
        }
        if (controller.signal.aborted) ctx.out.info("stopped");
        return failed && !opts.every ? EXIT.FAILED : EXIT.OK;
      });
    });
}
