import type { Command } from "commander";
import { createMigration, type NewMigration } from "@mmo/db";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode } from "../exit-codes.ts";
import { globalOptionsOf, type ProgramDeps } from "../program.ts";

export async function migrateNew(_ctx: CommandContext, name: string, options: { migrationsDir?: string | undefined } = {}): Promise<NewMigration> {
  return createMigration(name, options.migrationsDir ? { migrationsDir: options.migrationsDir } : {});
}

export function registerMigrateNew(migrate: Command, deps: ProgramDeps): void {
  migrate
    .command("new")
    .description("create <timestamp>_<name>/ with migration.sql (lock and statement timeouts set) and down.sql (rollback and data-loss header)")
    .argument("<name>", "what the migration does, e.g. add_character_title")
    .option("--migrations-dir <path>", "another migrations directory (default: prisma/migrations)")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: { migrationsDir?: string; json?: boolean }, command: Command) => {
      await deps.run(globalOptionsOf(command), async (ctx): Promise<ExitCode> => {
        const created = await migrateNew(ctx, name, opts);
        if (opts.json) ctx.out.json(created);
        else {
          ctx.out.success(`created ${created.name}`);
          for (const file of created.files) ctx.out.line(`  ${file}`);
          ctx.out.info("next: write both files, then `mmo migrate lint " + created.name + "` and `mmo migrate verify`");
        }
        return EXIT.OK;
      });
    });
}
