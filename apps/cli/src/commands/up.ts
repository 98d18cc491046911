import { Option, type Command } from "commander";
import { cronNotice, deployMigrations, detectCapabilities, tableRowCounts } from "@mmo/db";
import { hasGameData, PROFILE_NAMES, type ProfileName } from "@mmo/seed";
import type { CommandContext } from "../context.ts";
import { seed } from "./seed.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export interface UpOptions {
  profile: ProfileName;
  seed: boolean;
}

export interface UpSummary {
  database: string;
  kind: "external" | "embedded";
  serverVersion: string;
  migrationsApplied: string[];
  migrationsTotal: number;
  seeded: { profile: ProfileName; rows: number; seconds: number } | { skipped: string };
  rowCounts: Record<string, number>;
  notices: string[];
}

const SUMMARY_TABLES = ["users", "characters", "character_inventory", "guilds", "guild_members", "character_mail", "character_positions", "combat_log", "analytics_events", "audit_log"];

/**
 * The main job: resolve the database, deploy every migration with `prisma migrate deploy`, seed a
 * small profile when the database holds no game data yet, and summarise. Safe to run again: the
 * deploy applies nothing new and the seed step sees the data and leaves it alone.
 */
export async function up(ctx: CommandContext, options: UpOptions): Promise<UpSummary> {
  const database = await ctx.database();
  ctx.out.info(`database: ${database.description}`);
  const deploy = await deployMigrations(database.url);
  ctx.out.info(deploy.applied.length ? `applied ${deploy.applied.length} migration(s)` : "migrations: up to date");
  const client = await ctx.client();
  const capabilities = await detectCapabilities(client.pool);
  const notices = [cronNotice(capabilities)].filter((n): n is string => Boolean(n));
  let seeded: UpSummary["seeded"];
  if (!options.seed) seeded = { skipped: "--no-seed" };
  else if (await hasGameData(client.pool)) seeded = { skipped: "the database already holds game data (reseed with `mmo seed --reset`)" };
  else {
    const started = performance.now();
    const result = await seed(ctx, { profile: options.profile, mode: "refuse" });
    seeded = { profile: options.profile, rows: result.totalRows, seconds: (performance.now() - started) / 1000 };
  }
  return {
    database: database.description,
    kind: database.kind,
    serverVersion: capabilities.serverVersion,
    migrationsApplied: deploy.applied,
    migrationsTotal: deploy.total,
    seeded,
    rowCounts: await tableRowCounts(client.pool, SUMMARY_TABLES),
    notices,
  };
}

export function registerUp(program: Command, deps: ProgramDeps): void {
  program
    .command("up")
    .description("deploy migrations, seed a small profile if empty, print a summary (the main job)")
    .addOption(new Option("--profile <name>", "seed profile for an empty database").choices(PROFILE_NAMES).default("dev"))
    .option("--no-seed", "deploy only")
    .option("--json", "print the summary as JSON")
    .action(async (opts: { profile: ProfileName; seed: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const summary = await up(ctx, { profile: opts.profile, seed: opts.seed });
        if (opts.json) ctx.out.json(summary);
        else printSummary(ctx, summary);
        return EXIT.OK;
      });
    });
}

function printSummary(ctx: CommandContext, s: UpSummary): void {
  ctx.out.line(`Database     ${s.database}`);
  ctx.out.line(`Server       PostgreSQL ${s.serverVersion}`);
  ctx.out.line(`Migrations   ${s.migrationsTotal} applied (${s.migrationsApplied.length} new this run)`);
  ctx.out.line(`Seed         ${"skipped" in s.seeded ? `skipped: ${s.seeded.skipped}` : `${s.seeded.profile} profile, ${s.seeded.rows.toLocaleString("en-US")} rows in ${s.seeded.seconds.toFixed(1)} s`}`);
  ctx.out.table(["table", "rows"], Object.entries(s.rowCounts).map(([t, n]) => [t, n.toLocaleString("en-US")]));
  for (const notice of s.notices) ctx.out.warn(notice);
}
