import { InvalidArgumentError, Option, type Command } from "commander";
import { createProgressReporter, PROFILE_NAMES, seedDatabase, type ProfileName, type SeedResult } from "@mmo/seed";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export interface SeedCommandOptions {
  profile: ProfileName;
  scale?: number;
  seed?: number;
  mode: "refuse" | "reset" | "append";
  concurrency?: number;
}

/** Seeds the database with a profile, with per-table progress on stderr (bars on a terminal). */
export async function seed(ctx: CommandContext, options: SeedCommandOptions): Promise<SeedResult> {
  const client = await ctx.client();
  const reporter = createProgressReporter({ tty: Boolean(process.stderr.isTTY), write: (text) => process.stderr.write(text) });
  try {
    return await seedDatabase(client, { ...options, onProgress: (p) => reporter.onProgress(p) });
  } finally {
    reporter.stop();
  }
}

export function registerSeed(program: Command, deps: ProgramDeps): void {
  program
    .command("seed")
    .description("fill the database with production-like data (deterministic for a given --seed)")
    .addOption(new Option("--profile <name>", "volume profile").choices(PROFILE_NAMES).default("dev"))
    .option("--scale <factor>", "multiply every volume (like pgbench -s)", parsePositiveNumber)
    .option("--seed <n>", "random seed: the same value gives identical data", parseSeed)
    .option("--concurrency <n>", "tables loaded in parallel", parseSeed)
    .addOption(new Option("--reset", "truncate game data first (foreign-key safe)").conflicts("append"))
    .option("--append", "add to existing data")
    .option("--json", "print the result as JSON")
    .action(async (opts: { profile: ProfileName; scale?: number; seed?: number; concurrency?: number; reset?: boolean; append?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const mode = opts.reset ? "reset" : opts.append ? "append" : "refuse";
        const result = await seed(ctx, { profile: opts.profile, scale: opts.scale, seed: opts.seed, concurrency: opts.concurrency, mode });
        if (opts.json) ctx.out.json(result);
        else {
          ctx.out.table(["table", "rows"], Object.entries(result.tables).map(([t, n]) => [t, n.toLocaleString("en-US")]));
          ctx.out.line(`${result.totalRows.toLocaleString("en-US")} rows in ${result.seconds.toFixed(1)} s`);
        }
        return EXIT.OK;
      });
    });
}

function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}
