import { Option, type Command } from "commander";
import { CHECKS, validateDatabase, type CheckName, type ValidateReport } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { formatCount } from "./options.ts";

export async function validate(ctx: CommandContext, options: { checks?: CheckName[] } = {}): Promise<ValidateReport> {
  return validateDatabase((await ctx.client()).pool, options);
}

export function registerValidate(program: Command, deps: ProgramDeps): void {
  program
    .command("validate")
    .description("find orphans, NOT VALID constraints, drifted counters, rows in DEFAULT partitions, missing partitions, uncleaned expired rows; exit 3 when any")
    .addOption(new Option("--check <name...>", "only these checks").choices(CHECKS))
    .option("--json", "machine-readable output")
    .action(async (opts: { check?: CheckName[]; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const report = await validate(ctx, { checks: opts.check });
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
