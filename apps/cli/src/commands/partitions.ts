import type { Command } from "commander";
import { DEFAULT_READ_LOCK_TIMEOUT_MS, ensurePartitions, listPartitions, prunePartitions, withReadLockTimeout, type EnsuredPartition, type ParsedInterval, type PartitionedTableReport, type PrunedPartition } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatBytes, formatCount, formatTime, lockTimeoutOption } from "./options.ts";

/** maint.list_partitions and friends, in a read-only transaction that waits at most `lockTimeout` for a lock. */
export async function partitionsList(ctx: CommandContext, options: { table?: string | undefined; exact?: boolean; lockTimeout?: ParsedInterval }): Promise<PartitionedTableReport[]> {
  const { pool } = await ctx.client();
  return withReadLockTimeout(pool, options.lockTimeout?.ms ?? DEFAULT_READ_LOCK_TIMEOUT_MS, (client) => listPartitions(client, options));
}

export async function partitionsEnsure(ctx: CommandContext, options: { table?: string | undefined }): Promise<EnsuredPartition[]> {
  return ensurePartitions((await ctx.client()).pool, options);
}

export async function partitionsPrune(ctx: CommandContext, options: { table?: string | undefined; dryRun?: boolean }): Promise<PrunedPartition[]> {
  return prunePartitions((await ctx.client()).pool, options);
}

export function registerPartitions(program: Command, deps: ProgramDeps): void {
  const partitions = program.command("partitions").description("time partitions of the log tables: list, ensure (create ahead), prune (retention)");
  partitions
    .command("list")
    .description("per table: partitions, ranges, rows and size, rows in DEFAULT, gaps, what ensure would create")
    .argument("[table]", "one managed table (default: all in maint.partition_policy)")
    .option("--exact", "exact row counts (count(*)) instead of planner estimates")
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output")
    .action(async (table: string | undefined, opts: { exact?: boolean; lockTimeout: ParsedInterval; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const reports = await partitionsList(ctx, { table, exact: Boolean(opts.exact), lockTimeout: opts.lockTimeout });
        if (opts.json) ctx.out.json(reports);
        else printList(ctx, reports);
        return EXIT.OK;
      });
    });
  partitions
    .command("ensure")
    .description("create missing partitions and move rows out of DEFAULT (maint.ensure_partitions, as pg_cron does)")
    .argument("[table]", "one managed table (default: all)")
    .option("--json", "machine-readable output")
    .action(async (table: string | undefined, opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const done = await partitionsEnsure(ctx, { table });
        if (opts.json) ctx.out.json(done);
        else if (done.length === 0) ctx.out.line("nothing to do: every partition of the premake window exists");
        else ctx.out.table(["table", "partition", "from", "to", "action", "rows moved"], done.map((d) => [d.table, d.partition, formatTime(d.from), formatTime(d.to), d.action, formatCount(d.rowsMoved)]));
        return done.some((d) => d.action === "skipped_lock_timeout") ? EXIT.FAILED : EXIT.OK;
      });
    });
  partitions
    .command("prune")
    .description("drop or detach partitions past their retention (maint.prune_partitions, as pg_cron does)")
    .argument("[table]", "one managed table (default: all)")
    .option("--dry-run", "only report what would be dropped or detached")
    .option("--json", "machine-readable output")
    .action(async (table: string | undefined, opts: { dryRun?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const done = await partitionsPrune(ctx, { table, dryRun: Boolean(opts.dryRun) });
        if (opts.json) ctx.out.json(done);
        else if (done.length === 0) ctx.out.line(`nothing ${opts.dryRun ? "would be" : "was"} pruned: no partition is past its retention`);
        else ctx.out.table(["table", "partition", "from", "to", "action"], done.map((d) => [d.table, d.partition, formatTime(d.from), formatTime(d.to), d.action]));
        return done.some((d) => d.action === "skipped_lock_timeout") ? EXIT.FAILED : EXIT.OK;
      });
    });
}

function printList(ctx: CommandContext, reports: PartitionedTableReport[]): void {
  for (const r of reports) {
    ctx.out.line(`${r.table}  (${r.granularity}ly, ${r.premake} ahead, retention ${r.retention ?? "forever"} then ${r.retentionAction})`);
    ctx.out.table(
      ["partition", "from", "to", "rows", "size"],
      r.partitions.map((p) => [p.partition, p.isDefault ? "DEFAULT" : formatTime(p.from), p.isDefault ? "" : formatTime(p.to), `${p.rowsExact ? "" : "~"}${formatCount(p.rows)}`, formatBytes(p.bytes)]),
    );
    if (r.defaultRows > 0) ctx.out.line(`  ${formatCount(r.defaultRows)} row(s) in DEFAULT: run \`mmo partitions ensure ${r.table}\` to move them into their own partitions`);
    for (const g of r.gaps) ctx.out.line(`  gap: no partition for [${formatTime(g.from)}, ${formatTime(g.to)}) (rows there land in DEFAULT)`);
    const missing = r.planned.filter((p) => p.status === "missing");
    if (missing.length) ctx.out.line(`  ensure would create ${missing.length}: ${missing.map((p) => p.partition).join(", ")}`);
    for (const c of r.planned.filter((p) => p.status === "conflict")) ctx.out.line(`  conflict: ${c.partition} overlaps an existing partition`);
    ctx.out.line();
  }
}
