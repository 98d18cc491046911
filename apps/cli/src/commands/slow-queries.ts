import type { Command } from "commander";
import { slowQueries, type SlowQuery } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { parsePositiveInt } from "./migrate.ts";
import { formatCount } from "./options.ts";

export async function topSlowQueries(ctx: CommandContext, options: { limit: number }): Promise<SlowQuery[]> {
  return slowQueries((await ctx.client()).pool, options);
}

export function registerSlowQueries(program: Command, deps: ProgramDeps): void {
  program
    .command("slow-queries")
    .description("the statements with the most total time in this database, from pg_stat_statements")
    .option("--limit <n>", "how many statements", parsePositiveInt, 10)
    .option("--json", "machine-readable output")
    .action(async (opts: { limit: number; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const rows = await topSlowQueries(ctx, { limit: opts.limit });
        if (opts.json) ctx.out.json(rows);
        else if (rows.length === 0) ctx.out.line("no statements recorded yet");
        else ctx.out.table(["total ms", "calls", "mean ms", "rows", "query"], rows.map((q) => [q.totalMs.toFixed(1), formatCount(q.calls), q.meanMs.toFixed(2), formatCount(q.rows), q.query.slice(0, 100)]));
        return EXIT.OK;
      });
    });
}
