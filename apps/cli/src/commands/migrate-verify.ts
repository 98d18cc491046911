import type { Command } from "commander";
import { verifyMigrations, type VerifyReport } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

/** Runs on a scratch database of the same server (created and dropped); the database itself is not touched. */
export async function migrateVerify(ctx: CommandContext, options: { migrationsDir?: string | undefined } = {}): Promise<VerifyReport> {
  const { url } = await ctx.database();
  return verifyMigrations(url, { ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}), onStep: (text) => ctx.out.info(text) });
}

export function registerMigrateVerify(migrate: Command, deps: ProgramDeps): void {
  migrate
    .command("verify")
    .description("on a scratch database: apply each migration, roll it back, apply it again, comparing schema fingerprints; exit 3 on a mismatch")
    .option("--migrations-dir <path>", "another migrations directory (default: prisma/migrations)")
    .option("--json", "machine-readable output")
    .action(async (opts: { migrationsDir?: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await migrateVerify(ctx, opts);
        if (opts.json) ctx.out.json(report);
        else {
          for (const s of report.steps) {
            ctx.out.line(`${s.ok ? "ok  " : "FAIL"} ${s.name}${s.ok ? "" : ` (${s.stage}): ${s.message}`}`);
            for (const line of s.diff.slice(0, 40)) ctx.out.line(`       ${line}`);
          }
          if (report.ok) ctx.out.success(`${report.steps.length} migration(s) round-trip: apply, roll back, apply again`);
          else ctx.out.warn("round trip failed: fix the down.sql (or migration.sql) named above");
        }
        return report.ok ? EXIT.OK : EXIT.PROBLEMS;
      });
    });
}
