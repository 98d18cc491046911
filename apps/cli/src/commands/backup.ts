import { type Command } from "commander";
import { backupDatabase, restoreDatabase, type BackupResult, type RestoreResult } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatBytes, formatCount } from "./options.ts";

export async function backup(ctx: CommandContext, options: { out?: string | undefined }): Promise<BackupResult> {
  const [{ url }, client] = await Promise.all([ctx.database(), ctx.client()]);
  return backupDatabase(client.pool, url, { out: options.out, onStep: (text) => ctx.out.info(text), onWarning: (text) => ctx.out.warn(text) });
}

/** Needs no application database: it only talks to the target. */
export async function restore(ctx: CommandContext, options: { from: string; into: string }): Promise<RestoreResult> {
  return restoreDatabase({ ...options, onStep: (text) => ctx.out.info(text), onWarning: (text) => ctx.out.warn(text) });
}

export function registerBackup(program: Command, deps: ProgramDeps): void {
  program
    .command("backup")
    .description("pg_dump in custom format, with a manifest of row counts for verifying restores")
    .option("--out <file>", "where to write (default: mmo-<database>-<time>.dump)")
    .option("--json", "machine-readable output")
    .action(async (opts: { out?: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const result = await backup(ctx, { out: opts.out });
        if (opts.json) ctx.out.json(result);
        else ctx.out.success(`${result.file}: ${formatBytes(result.bytes)}, ${result.tables} tables, ${formatCount(result.rows)} rows (pg_dump ${result.pgDump}); manifest ${result.manifestFile}`);
        return EXIT.OK;
      });
    });
  program
    .command("restore")
    .description("pg_restore a backup into a new or empty database, then verify row counts against its manifest")
    .requiredOption("--from <file>", "a file written by `mmo backup`")
    .requiredOption("--into <url>", "target database (created when missing; must be empty)")
    .option("--json", "machine-readable output")
    .action(async (opts: { from: string; into: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const result = await restore(ctx, { from: opts.from, into: opts.into });
        if (opts.json) ctx.out.json(result);
        else {
          ctx.out.table(["table", "backup", "restored"], result.tables.map((t) => [t.table, t.expected === null ? "?" : formatCount(t.expected), formatCount(t.restored)]));
          if (result.verified) ctx.out.success(`restored into ${result.into}; every table's row count matches the backup`);
          else ctx.out.warn(`restored into ${result.into}, but the backup has no manifest: row counts were not verified`);
        }
        return EXIT.OK;
      });
    });
}
