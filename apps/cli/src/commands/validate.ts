import { Option, type Command } from "commander";
import { CHECKS, DEFAULT_READ_LOCK_TIMEOUT_MS, NotMigratedError, validateDatabase, withReadLockTimeout, type CheckName, type ParsedInterval, type ValidateReport } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatCount, lockTimeoutOption } from "./options.ts";

/** The checks, in one READ ONLY transaction (so they change nothing) that waits at most `lockTimeout` for a lock. */
export async function validate(ctx: CommandContext, options: { checks?: CheckName[] | undefined; lockTimeout?: ParsedInterval } = {}): Promise<ValidateReport> {
  const { pool } = await ctx.client();
  return withReadLockTimeout(pool, options.lockTimeout?.ms ?? DEFAULT_READ_LOCK_TIMEOUT_MS, (client) => validateDatabase(client, { checks: options.checks }));
}

export function registerValidate(program: Command, deps: ProgramDeps): void {
  program
    .command("validate")
    .description("find orphans, NOT VALID constraints, drifted counters, rows in DEFAULT partitions, missing partitions, uncleaned expired rows; exit 3 when any")
    .addOption(new Option("--check <name...>", "only these checks").choices(CHECKS))
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output")
    .action(async (opts: { check?: CheckName[]; lockTimeout: ParsedInterval; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await validate(ctx, { checks: opts.check, lockTimeout: opts.lockTimeout }).catch((error: unknown) => {
          if (!(error instanceof NotMigratedError)) throw error;
          return null;
        });
        // Not migrated: the one problem there is to report (exit 3, as for any finding).
        if (report === null) {
          ctx.out.error(new NotMigratedError().message);
          return EXIT.PROBLEMS;
        }
        if (opts.json) ctx.out.json({ ok: report.findings.length === 0, ...report });
        else if (report.findings.length === 0) ctx.out.success(`no problems found (${report.checks.map((c) => c.check).join(", ")})`);
        else {
          ctx.out.table(["check", "object", "count", "problem", "suggested fix"], report.findings.map((f) => [f.check, f.object, formatCount(f.count), f.message, f.fix]));
          ctx.out.warn(`${report.findings.length} problem(s) found`);
        }
        return report.findings.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}
