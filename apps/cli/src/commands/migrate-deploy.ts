import type { Command } from "commander";
import { deployWithChecks, type DeployReport } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatBytes } from "./options.ts";

export interface MigrateDeployOptions {
  backup?: boolean | undefined;
  backupOut?: string | undefined;
  validate?: boolean | undefined;
}

export async function migrateDeploy(ctx: CommandContext, options: MigrateDeployOptions = {}): Promise<DeployReport> {
  const { url } = await ctx.database();
  return deployWithChecks(url, {
    backup: Boolean(options.backup),
    backupOut: options.backupOut,
    validate: Boolean(options.validate),
    onStep: (text) => ctx.out.info(text),
  });
}

export function registerMigrateDeploy(migrate: Command, deps: ProgramDeps): void {
  migrate
    .command("deploy")
    .description("optional pg_dump, the real `prisma migrate deploy`, then status and optional validation; exit 3 when validation finds problems")
    .option("--backup", "pg_dump the database first (`mmo backup`); nothing is deployed if it fails")
    .option("--backup-out <file>", "where the backup goes (default: mmo-<database>-<time>.dump)")
    .option("--validate", "run `mmo validate`'s checks after deploying")
    .option("--json", "machine-readable output")
    .action(async (opts: MigrateDeployOptions & { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await migrateDeploy(ctx, opts);
        const problems = report.validation?.findings.length ?? 0;
        if (opts.json) ctx.out.json(report);
        else {
          if (report.backup) ctx.out.line(`backup: ${report.backup.file} (${formatBytes(report.backup.bytes)}, pg_dump ${report.backup.pgDump})`);
          ctx.out.line(report.applied.length ? `applied ${report.applied.length} migration(s):` : "no pending migrations");
          for (const name of report.applied) ctx.out.line(`  ${name}`);
          ctx.out.line(`${report.state.applied.length} applied, ${report.state.pending.length} pending, ${report.state.failed.length} failed`);
          if (report.validation) {
            for (const f of report.validation.findings) ctx.out.line(`  ${f.check}: ${f.message} (fix: ${f.fix})`);
            if (problems) ctx.out.warn(`validation found ${problems} problem(s)`);
            else ctx.out.success("validation found no problems");
          }
        }
        return problems ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}
