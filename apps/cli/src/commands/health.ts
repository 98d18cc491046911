import type { Command } from "commander";
import { databaseHealth, DEFAULT_READ_LOCK_TIMEOUT_MS, parseInterval, withReadLockTimeout, type HealthReport, type ParsedInterval } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { parsePositiveInt } from "./migrate.ts";
import { formatBytes, formatCount, formatTime, intervalArg, lockTimeoutOption } from "./options.ts";

/** One read-only transaction that waits at most `lockTimeout` for a lock (sizes need one on each partition). */
export async function health(ctx: CommandContext, options: { longTransaction: ParsedInterval; top: number; lockTimeout?: ParsedInterval }): Promise<HealthReport> {
  const [{ url }, client] = await Promise.all([ctx.database(), ctx.client()]);
  return withReadLockTimeout(client.pool, options.lockTimeout?.ms ?? DEFAULT_READ_LOCK_TIMEOUT_MS, (db) => databaseHealth(db, { url, longTransaction: options.longTransaction, top: options.top }));
}

export function registerHealth(program: Command, deps: ProgramDeps): void {
  program
    .command("health")
    .description("migrations, sizes, dead tuples and bloat, long transactions, lock waits, cron failures, cache hit ratio; exit 3 on problems")
    .option("--long-transaction <interval>", "report transactions open longer than this", intervalArg, parseInterval("5m"))
    .option("--top <n>", "largest tables and partitions to show", parsePositiveInt, 15)
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output")
    .action(async (opts: { longTransaction: ParsedInterval; top: number; lockTimeout: ParsedInterval; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await health(ctx, opts);
        if (opts.json) ctx.out.json(report);
        else print(ctx, report);
        return report.problems.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}

function print(ctx: CommandContext, r: HealthReport): void {
  const m = r.migrations;
  ctx.out.line(`Database     ${r.database.name} (PostgreSQL ${r.database.serverVersion}), ${formatBytes(r.database.bytes)}`);
  ctx.out.line(`Migrations   ${m.applied.length} applied, ${m.pending.length} pending, ${m.failed.length} failed`);
  ctx.out.line(`Cache hits   ${r.cacheHitRatio === null ? "n/a" : `${(r.cacheHitRatio * 100).toFixed(2)}%`} of ${formatCount(r.cacheBlocks)} block reads`);
  ctx.out.line(`pg_cron      ${r.cron.available ? `${r.cron.failuresLastDay} failed run(s) in the last day` : (r.cron.note ?? "n/a")}`);
  ctx.out.line(`Jobs         ${r.jobs.available ? `${r.jobs.failures.length} job(s) failed in the last day or on their last run (maint.job_runs)` : "n/a (maint.job_runs is missing: apply the migrations)"}`);
  ctx.out.line(`Long txns    ${r.longTransactions.length}`);
  ctx.out.line(`Lock waits   ${r.lockWaits.length}`);
  ctx.out.table(
    ["table", "size", "live rows", "dead rows", "dead %", "bloat (est.)"],
    r.tables.map((t) => [`${t.table}${t.partitioned ? " (partitioned)" : ""}`, formatBytes(t.bytes), formatCount(t.liveRows), formatCount(t.deadRows), (t.deadRatio * 100).toFixed(1), formatBytes(t.bloatBytes)]),
  );
  if (r.partitions.length) ctx.out.table(["partition", "table", "size", "rows (est.)"], r.partitions.map((p) => [p.partition, p.table, formatBytes(p.bytes), formatCount(p.rows)]));
  for (const t of r.longTransactions) ctx.out.line(`long transaction: pid ${t.pid} (${t.user ?? "?"}, ${t.state ?? "?"}) open ${Math.round(t.seconds)} s: ${t.query}`);
  for (const w of r.lockWaits) ctx.out.line(`lock wait: pid ${w.pid} blocked by ${w.blockedBy.join(", ")} for ${Math.round(w.seconds)} s: ${w.query}`);
  for (const j of r.jobs.failures) ctx.out.line(`job failure: ${j.job} at ${formatTime(j.failedAt)} (last run ${j.lastStatus}): ${(j.error ?? "").replace(/\s+/g, " ")}`);
  for (const f of r.cron.failures) ctx.out.line(`cron failure: ${f.job ?? "?"} at ${f.at?.toISOString() ?? "?"}: ${(f.message ?? "").replace(/\s+/g, " ")}`);
  for (const p of r.problems) ctx.out.warn(p);
  if (r.problems.length === 0) ctx.out.success("healthy");
}
