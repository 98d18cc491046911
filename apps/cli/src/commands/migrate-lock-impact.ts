import { InvalidArgumentError, Option, type Command } from "commander";
import { createDatabaseClient, DEFAULT_LOCK_BUDGET_MS, measureLockImpact, type LockImpact } from "@mmo/db";
import { PROFILE_NAMES, seedDatabase, type ProfileName } from "@mmo/seed";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export interface LockImpactCommandOptions {
  dirs?: string[];
  profile?: ProfileName | "none";
  budgetMs?: number;
  migrationsDir?: string | undefined;
}

/** Seeds the scratch database with a profile of @mmo/seed, then measures (packages/db measureLockImpact). */
export async function migrateLockImpact(ctx: CommandContext, options: LockImpactCommandOptions = {}): Promise<LockImpact[]> {
  const { url } = await ctx.database();
  const profile = options.profile ?? "tiny";
  return measureLockImpact(url, {
    ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
    ...(options.dirs?.length ? { only: options.dirs } : {}),
    budgetMs: options.budgetMs ?? DEFAULT_LOCK_BUDGET_MS,
    onStep: (text) => ctx.out.info(text),
    ...(profile === "none"
      ? {}
      : {
          populate: async (scratchUrl: string) => {
            const client = createDatabaseClient({ url: scratchUrl, poolMax: 6, applicationName: "mmo lock-impact seed" });
            try {
              await seedDatabase(client, { profile, mode: "refuse" });
            } finally {
              await client.close();
            }
          },
        }),
  });
}

export function lockImpactProblems(results: LockImpact[]): LockImpact[] {
  return results.filter((r) => r.error || (r.overBudget && !r.waiver));
}

export function registerMigrateLockImpact(migrate: Command, deps: ProgramDeps): void {
  migrate
    .command("lock-impact")
    .description("apply migrations to a populated scratch database while writers insert and update the tables they touch; report the longest a writer was blocked; exit 3 over budget without a waiver")
    .argument("[dirs...]", "migration directory names to measure (default: all)")
    .addOption(new Option("--profile <name>", "seed profile of the scratch database").choices([...PROFILE_NAMES, "none"]).default("tiny"))
    .option("--budget <ms>", "longest acceptable writer block", parseMs, DEFAULT_LOCK_BUDGET_MS)
    .option("--migrations-dir <path>", "another migrations directory (default: prisma/migrations)")
    .option("--json", "machine-readable output")
    .action(async (dirs: string[], opts: { profile: ProfileName | "none"; budget: number; migrationsDir?: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const results = await migrateLockImpact(ctx, { dirs, profile: opts.profile, budgetMs: opts.budget, migrationsDir: opts.migrationsDir });
        const problems = lockImpactProblems(results);
        if (opts.json) ctx.out.json({ ok: problems.length === 0, profile: opts.profile, budgetMs: opts.budget, results });
        else {
          ctx.out.table(
            ["migration", "tables written", "max blocked ms", "worst writer", "writes", "verdict"],
            results.map((r) => [r.migration, r.tables.join(", ") || "-", r.maxBlockedMs, r.worst ?? "-", r.writes, r.error ? `FAILED: ${r.error}` : !r.overBudget ? "ok" : r.waiver ? `waived: ${r.waiver}` : "OVER BUDGET"]),
          );
          if (problems.length) ctx.out.warn(`${problems.length} migration(s) over the ${opts.budget} ms budget without a \`-- lock-impact-waiver: <reason>\` line, or failed`);
        }
        return problems.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError("expected milliseconds, a whole number of at least 1");
  return n;
}
