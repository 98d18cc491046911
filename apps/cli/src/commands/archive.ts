import type { Command } from "commander";
import { archiveCharacters, DataLayerError, parseInterval, type ArchiveResult, type ParsedInterval } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { parsePositiveInt } from "./migrate.ts";
import { formatCount, intervalArg } from "./options.ts";

export async function archiveDeletedCharacters(ctx: CommandContext, options: { olderThan: ParsedInterval; batch: number; dryRun?: boolean; signal?: AbortSignal }): Promise<ArchiveResult> {
  const { pool } = await ctx.client();
  const bar = options.dryRun ? undefined : ctx.out.progress("archiving", 0);
  try {
    return await archiveCharacters(pool, { ...options, onBatch: (p) => bar?.update(p.archived, p.total) });
  } finally {
    bar?.stop();
  }
}

export function registerArchive(program: Command, deps: ProgramDeps): void {
  const archive = program.command("archive").description("archival of soft-deleted data");
  archive
    .command("characters")
    .description("move characters soft-deleted long ago into characters_archive (maint.archive_deleted_characters, batch by batch)")
    .option("--older-than <interval>", "deleted more than this long ago", intervalArg, parseInterval("90d"))
    .option("--batch <n>", "characters per transaction (1-100000)", parsePositiveInt, 1000)
    .option("--dry-run", "only count the characters that would be archived")
    .option("--json", "machine-readable output")
    .action(async (opts: { olderThan: ParsedInterval; batch: number; dryRun?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        // Ctrl-C stops between batches: every committed batch stays archived, a re-run continues.
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once("SIGINT", stop);
        let result: ArchiveResult;
        try {
          result = await archiveDeletedCharacters(ctx, { olderThan: opts.olderThan, batch: opts.batch, dryRun: Boolean(opts.dryRun), signal: controller.signal });
        } finally {
          process.off("SIGINT", stop);
        }
        if (opts.json) ctx.out.json(result);
        else if (result.dryRun) ctx.out.line(`${formatCount(result.eligible)} character(s) deleted more than ${result.olderThan} ago would be archived`);
        else ctx.out.line(`archived ${formatCount(result.archived)} character(s) deleted more than ${result.olderThan} ago in ${result.batches} batch(es)`);
        if (result.interrupted) throw new DataLayerError(`interrupted after ${result.archived} character(s): run the command again to continue`);
        return EXIT.OK;
      });
    });
}
