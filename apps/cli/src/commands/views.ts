import type { Command } from "commander";
import { refreshViews, type RefreshedView } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export async function viewsRefresh(ctx: CommandContext, options: { name?: string | undefined; concurrently: boolean }): Promise<{ views: RefreshedView[]; onlyRequested: boolean }> {
  return refreshViews((await ctx.client()).pool, options);
}

export function registerViews(program: Command, deps: ProgramDeps): void {
  const views = program.command("views").description("materialized views (leaderboards)");
  views
    .command("refresh")
    .description("refresh the ranking views with maint.refresh_rankings (as pg_cron does)")
    .argument("[name]", "one view (guild_rankings, character_leaderboard)")
    .option("--concurrently", "REFRESH … CONCURRENTLY: readers are never blocked (plain refresh without it)")
    .option("--json", "machine-readable output")
    .action(async (name: string | undefined, opts: { concurrently?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const result = await viewsRefresh(ctx, { name, concurrently: Boolean(opts.concurrently) });
        if (opts.json) ctx.out.json(result.views);
        else {
          ctx.out.table(["view", "mode", "ms"], result.views.map((v) => [v.view, v.mode, Math.round(v.ms)]));
          if (!result.onlyRequested) ctx.out.info(`maint.refresh_rankings refreshes every ranking view; ${name} was refreshed with the others`);
        }
        return EXIT.OK;
      });
    });
}
