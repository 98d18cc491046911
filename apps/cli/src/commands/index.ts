import type { Command } from "commander";
import type { ProgramDeps } from "../program.ts";
import { registerMigrate } from "./migrate.ts";
import { registerUp } from "./up.ts";

/** Every command of the CLI; each file exports its library function and its registration. */
export function registerCommands(program: Command, deps: ProgramDeps): void {
  registerUp(program, deps);
  registerMigrate(program, deps);
}
