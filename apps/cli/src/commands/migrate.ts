import { InvalidArgumentError, type Command } from "commander";
import { migrationStatus, resolveMigration, rollback, UsageError, type MigrationStatus, type RollbackTarget, type RolledBackMigration } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";
import { registerMigrateDeploy } from "./migrate-deploy.ts";
import { registerMigrateLint } from "./migrate-lint.ts";
import { registerMigrateLockImpact } from "./migrate-lock-impact.ts";
import { registerMigrateNew } from "./migrate-new.ts";
import { registerMigrateVerify } from "./migrate-verify.ts";

export async function migrateStatus(ctx: CommandContext): Promise<MigrationStatus> {
  const client = await ctx.client();
  return migrationStatus(client.pool);
}

/** Rolls back `--steps N` or `--to <name>`; asks on a terminal, refuses without one unless confirmed. */
export async function migrateDown(ctx: CommandContext, target: number | RollbackTarget, confirmed: boolean, isTTY = Boolean(process.stdin.isTTY)): Promise<RolledBackMigration[]> {
  const wanted = typeof target === "number" ? { steps: target } : target;
  if (!confirmed) {
    if (!isTTY) throw new UsageError("rolling back destroys data: pass --yes to confirm (no terminal to ask on)");
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const what = wanted.to ? `every migration applied after ${wanted.to}` : `the last ${wanted.steps ?? 1} migration(s)`;
    const answer = await rl.question(`Roll back ${what}? Type "yes" to continue: `);
    rl.close();
    if (answer.trim() !== "yes") throw new UsageError("rollback cancelled");
  }
  const { url } = await ctx.database();
  return rollback(url, wanted);
}

/** Records a failed migration as rolled back (then fix it and deploy) or as applied (done by hand). */
export async function migrateResolve(ctx: CommandContext, options: { rolledBack?: string | undefined; applied?: string | undefined }): Promise<string> {
  const { url } = await ctx.database();
  await resolveMigration(url, options);
  return options.rolledBack ? `${options.rolledBack} marked rolled back: fix it, then \`mmo migrate deploy\`` : `${options.applied} marked applied`;
}

export function registerMigrate(program: Command, deps: ProgramDeps): void {
  const migrate = program.command("migrate").description("the migration lifecycle: new, lint, deploy, status, resolve, down, verify, lock-impact (docs/migrations.md)");
  registerMigrateNew(migrate, deps);
  registerMigrateLint(migrate, deps);
  registerMigrateDeploy(migrate, deps);
  migrate
    .command("status")
    .description("applied, pending and failed migrations, and how to recover a failed one; exit 3 when not up to date")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const state = await migrateStatus(ctx);
        if (opts.json) ctx.out.json(state);
        else {
          ctx.out.line(`${state.applied.length} applied, ${state.pending.length} pending, ${state.failed.length} failed`);
          for (const name of state.pending) ctx.out.line(`  pending  ${name}`);
          for (const f of state.failedDetails) {
            ctx.out.line(`  FAILED   ${f.name}: ${f.error || "no error recorded"}`);
            ctx.out.line("  recovery (Prisma refuses further deploys until it is resolved):");
            for (const step of f.recovery) ctx.out.line(`    ${step}`);
          }
          for (const name of state.unknown) ctx.out.line(`  unknown  ${name}  (applied here, missing from prisma/migrations)`);
          for (const name of state.invalidIndexes) ctx.out.line(`  INVALID index ${name}  (DROP INDEX CONCURRENTLY it, then create it again)`);
        }
        return state.pending.length || state.failed.length || state.unknown.length ? EXIT.PROBLEMS : EXIT.OK;
      });
    });
  migrate
    .command("resolve")
    .description("after a failed migration: mark it --rolled-back (then fix and deploy) or --applied (done by hand)")
    .option("--rolled-back <migration>", "the failed migration left nothing behind; deploy may apply it again")
    .option("--applied <migration>", "its change was made by hand; record it as applied")
    .action(async (opts: { rolledBack?: string; applied?: string }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        ctx.out.success(await migrateResolve(ctx, opts));
        return EXIT.OK;
      });
    });
  migrate
    .command("down")
    .description("roll back with down.sql: the last N migrations, or everything after --to <migration>")
    .option("--steps <n>", "how many migrations (default 1)", parsePositiveInt)
    .option("--to <migration>", "roll back every migration applied after this one")
    .option("--yes", "do not ask for confirmation (required without a terminal)")
    .option("--json", "machine-readable output")
    .action(async (opts: { steps?: number; to?: string; yes?: boolean; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        if (opts.steps !== undefined && opts.to !== undefined) throw new UsageError("use either --steps or --to, not both");
        const target: RollbackTarget = opts.to !== undefined ? { to: opts.to } : { steps: opts.steps ?? 1 };
        const done = await migrateDown(ctx, target, Boolean(opts.yes));
        if (opts.json) ctx.out.json(done);
        else if (done.length === 0) ctx.out.info("nothing to roll back");
        else for (const m of done) ctx.out.line(`rolled back ${m.name} (data loss: ${m.dataLoss})`);
        return EXIT.OK;
      });
    });
  registerMigrateVerify(migrate, deps);
  registerMigrateLockImpact(migrate, deps);
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}
