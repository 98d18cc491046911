import type { Command } from "commander";
import { lintMigrations, UsageError, type LintReport } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export async function migrateLint(_ctx: CommandContext, options: { dirs?: string[]; all?: boolean; migrationsDir?: string | undefined }): Promise<LintReport> {
  if (options.all && options.dirs?.length) throw new UsageError("use either --all or migration directories, not both");
  return lintMigrations({ ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}), ...(options.dirs?.length ? { only: options.dirs } : {}) });
}

export function registerMigrateLint(migrate: Command, deps: ProgramDeps): void {
  migrate
    .command("lint")
    .description("squawk (with .squawk.toml) plus mmo's rules: down.sql present and declared, non-transactional statements alone; exit 3 on findings")
    .argument("[dirs...]", "migration directories (names or paths) to lint")
    .option("--all", "every migration (the default when no directory is given)")
    .option("--migrations-dir <path>", "another migrations directory (default: prisma/migrations)")
    .option("--json", "machine-readable output")
    .action(async (dirs: string[], opts: { all?: boolean; migrationsDir?: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await migrateLint(ctx, { dirs, all: opts.all, migrationsDir: opts.migrationsDir });
        if (opts.json) ctx.out.json({ ok: report.findings.length === 0, ...report });
        else if (report.findings.length === 0) ctx.out.success(`${report.migrations.length} migration(s) lint clean`);
        else {
          for (const f of report.findings) ctx.out.line(`${f.migration}/${f.file}${f.line ? `:${f.line}` : ""}: ${f.rule} (${f.source}): ${f.message}`);
          ctx.out.warn(`${report.findings.length} problem(s) in ${new Set(report.findings.map((f) => f.migration)).size} migration(s); waive a squawk rule with an explained \`-- squawk-ignore <rule>\` line`);
        }
        return report.findings.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}
