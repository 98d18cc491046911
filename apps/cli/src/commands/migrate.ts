import { InvalidArgumentError, type Command } from "commander";
import { migrationState, rollbackMigrations, UsageError, type MigrationState, type RolledBackMigration } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export async function migrateStatus(ctx: CommandContext): Promise<MigrationState> {
  const client = await ctx.client();
  return migrationState(client.pool);
}

export async function migrateDown(ctx: CommandContext, steps: number, confirmed: boolean): Promise<RolledBackMigration[]> {
  if (!confirmed) {
    if (!process.stdin.isTTY) throw new UsageError("rolling back destroys data: pass --yes to confirm (no terminal to ask on)");
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Roll back the last ${steps} migration(s)? Type "yes" to continue: `);
    rl.close();
    if (answer.trim() !== "yes") throw new UsageError("rollback cancelled");
  }
  const { url } = await ctx.database();
  return rollbackMigrations(url, { steps });
}

export function registerMigrate(program: Command, deps: ProgramDeps): void {
  const migrate = program.command("migrate").description("migration history: status and rollback");
  migrate
    .command("status")
    .description("applied, pending and failed migrations; exit 3 when not up to date")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const state = await migrateStatus(ctx);
        if (opts.json) ctx.out.json(state);
        else {
          ctx.out.line(`${state.applied.length} applied, ${state.pending.length} pending, ${state.failed.length} failed`);
          for (const name of state.pending) ctx.out.line(`  pending  ${name}`);
          for (const name of state.failed) ctx.out.line(`  FAILED   ${name}  (fix it, then \`prisma migrate resolve --rolled-back ${name}\` or \`--applied\`)`);
          for (const name of state.unknown) ctx.out.line(`  unknown  ${name}  (applied here, missing from prisma/migrations)`);
        }
        return state.pending.length || state.failed.length || state.unknown.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
  migrate
    .command("down")
    .description("roll back the last N migrations with their down.sql")
    .option("--steps <n>", "how many migrations", parsePositiveInt, 1)
    .option("--yes", "do not ask for confirmation")
    .option("--json", "machine-readable output")
    .action(async (opts: { steps: number; yes?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const done = await migrateDown(ctx, opts.steps, Boolean(opts.yes));
        if (opts.json) ctx.out.json(done);
        else for (const m of done) ctx.out.line(`rolled back ${m.name} (data loss: ${m.dataLoss})`);
        return EXIT.OK;
      });
    });
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}
