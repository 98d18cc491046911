import type { Command } from "commander";
import type { ProgramDeps } from "../program.ts";
import { registerArchive } from "./archive.ts";
import { registerBackup } from "./backup.ts";
import { registerCron } from "./cron.ts";
import { registerHealth } from "./health.ts";
import { registerMaintain } from "./maintain.ts";
import { registerMigrate } from "./migrate.ts";
import { registerPartitions } from "./partitions.ts";
import { registerSeed } from "./seed.ts";
import { registerSlowQueries } from "./slow-queries.ts";
import { registerUp } from "./up.ts";
import { registerValidate } from "./validate.ts";
import { registerViews } from "./views.ts";

/** Every command of the CLI; each file exports its library function and its registration. */
export function registerCommands(program: Command, deps: ProgramDeps): void {
  registerUp(program, deps);
  registerMigrate(program, deps);
  registerSeed(program, deps);
  registerPartitions(program, deps);
  registerCron(program, deps);
  registerMaintain(program, deps);
  registerViews(program, deps);
  registerArchive(program, deps);
  registerValidate(program, deps);
  registerHealth(program, deps);
  registerSlowQueries(program, deps);
  registerBackup(program, deps);
}
