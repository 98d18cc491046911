import type { Command } from "commander";
import { cronHistory, installCronJobs, listCronJobs, parseInterval, removeCronJobs, type CronInstallResult, type CronJobStatus, type CronRun, type CronTarget, type ParsedInterval } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { parsePositiveInt } from "./migrate.ts";
import { formatTime, intervalArg } from "./options.ts";

async function appDatabase(ctx: CommandContext) {
  const [{ url }, client] = await Promise.all([ctx.database(), ctx.client()]);
  return { url, pool: client.pool };
}

export async function cronInstall(ctx: CommandContext): Promise<CronInstallResult[]> {
  const { url, pool } = await appDatabase(ctx);
  return installCronJobs(pool, url);
}

export async function cronList(ctx: CommandContext): Promise<{ target: CronTarget; jobs: CronJobStatus[] }> {
  const { url, pool } = await appDatabase(ctx);
  return listCronJobs(pool, url);
}

export async function cronRemove(ctx: CommandContext, names: string[]): Promise<string[]> {
  const { url, pool } = await appDatabase(ctx);
  return removeCronJobs(pool, url, names);
}

export async function cronRuns(ctx: CommandContext, options: { since: ParsedInterval; limit: number; failedOnly?: boolean }): Promise<{ target: CronTarget; runs: CronRun[] }> {
  const { url, pool } = await appDatabase(ctx);
  return cronHistory(pool, url, options);
}

export function registerCron(program: Command, deps: ProgramDeps): void {
  const cron = program.command("cron").description("pg_cron schedules of the maintenance jobs (from maint.cron_jobs)");
  cron
    .command("install")
    .description("schedule every job of maint.cron_jobs from the cron database (idempotent, by job name)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const results = await cronInstall(ctx);
        if (opts.json) ctx.out.json(results);
        else {
          ctx.out.table(["job", "pg_cron name", "schedule", "action"], results.map((r) => [r.job, r.cronJobName, r.schedule, r.action]));
          const changed = results.filter((r) => r.action !== "unchanged").length;
          ctx.out.success(changed ? `${changed} job(s) changed` : "already installed: nothing changed");
        }
        return EXIT.OK;
      });
    });
  cron
    .command("list")
    .description("the jobs of maint.cron_jobs, whether pg_cron has them, and their last run")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const { target, jobs } = await cronList(ctx);
        if (opts.json) ctx.out.json({ cronDatabase: target.cronDatabase, database: target.appDatabase, jobs });
        else {
          ctx.out.info(`pg_cron database: ${target.cronDatabase}; jobs for database ${target.appDatabase}`);
          ctx.out.table(
            ["job", "schedule", "state", "last run", "status"],
            jobs.map((j) => [j.jobName, j.schedule, j.state, formatTime(j.lastRun?.startedAt), j.lastRun ? (j.lastRun.status === "failed" ? "FAILED" : j.lastRun.status) : ""]),
          );
          const missing = jobs.filter((j) => j.state === "missing" || j.state === "differs").length;
          if (missing) ctx.out.warn(`${missing} job(s) not scheduled as defined: run \`mmo cron install\``);
          if (jobs.some((j) => j.state === "unverified")) {
            ctx.out.warn("pg_cron's schedule is readable by superusers only: last runs come from maint.job_runs; run `mmo cron list` as a superuser to compare schedules");
          }
        }
        return EXIT.OK;
      });
    });
  cron
    .command("remove")
    .description("unschedule this database's jobs (all, or the named ones)")
    .argument("[jobs...]", "job names from maint.cron_jobs")
    .option("--json", "machine-readable output")
    .action(async (names: string[], opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const removed = await cronRemove(ctx, names);
        if (opts.json) ctx.out.json({ removed });
        else ctx.out.success(removed.length ? `unscheduled ${removed.length} job(s): ${removed.join(", ")}` : "nothing was scheduled");
        return EXIT.OK;
      });
    });
  cron
    .command("history")
    .description("recent runs from cron.job_run_details, failures highlighted; exit 3 when a run failed")
    .option("--since <interval>", "how far back (30m, 1d, '7 days')", intervalArg, parseInterval("1d"))
    .option("--limit <n>", "at most this many runs", parsePositiveInt, 50)
    .option("--failed", "only failed runs")
    .option("--json", "machine-readable output")
    .action(async (opts: { since: ParsedInterval; limit: number; failed?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const { runs } = await cronRuns(ctx, { since: opts.since, limit: opts.limit, failedOnly: Boolean(opts.failed) });
        const failed = runs.filter((r) => r.failed);
        if (opts.json) ctx.out.json(runs);
        else {
          if (runs.length === 0) ctx.out.line(`no runs in the last ${opts.since.text}`);
          else ctx.out.table(["started", "job", "status", "ms", "message"], runs.map((r) => [formatTime(r.startedAt), r.job ?? "(removed)", r.failed ? "FAILED" : r.status, r.startedAt && r.endedAt ? r.endedAt.getTime() - r.startedAt.getTime() : "", oneLine(r.message)]));
          for (const r of failed.slice(0, 5)) ctx.out.warn(`${r.job ?? "(removed job)"} failed at ${formatTime(r.startedAt)}: ${oneLine(r.message)}`);
        }
        return failed.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}

function oneLine(text: string | null): string {
  return (text ?? "").replace(/\s+/g, " ").slice(0, 120);
}
