import { Command, InvalidArgumentError, Option } from "commander";
import type { CommandContext } from "./context.ts";
import type { ExitCode } from "./exit-codes.ts";
import type { Output } from "./output.ts";
import { registerCommands } from "./commands/index.ts";

export interface GlobalOptions {
  databaseUrl?: string;
}

export type Action = (ctx: CommandContext) => Promise<ExitCode>;

export interface ProgramDeps {
  out: Output;
  /** Runs an action with a context for the global options; kept apart so parsing is testable. */
  run(globalOptions: GlobalOptions, action: Action): Promise<void>;
}

export function buildProgram(deps: ProgramDeps): Command {
  const program = new Command("mmo")
    .description("Maintenance CLI for the MMO game database")
    .addOption(new Option("--database-url <url>", "database to work on (default: DATABASE_URL, else the embedded PostgreSQL)").argParser(nonEmptyUrl))
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.out.line(s.replace(/\n$/, "")),
      // Commander's own errors are thrown (exitOverride) and printed once by main().
      writeErr: () => undefined,
    });
  registerCommands(program, deps);
  return program;
}

/** The global options of the root program, from inside any sub-command's action. */
export function globalOptionsOf(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** An empty --database-url (an unset variable in a script) must not silently mean "the embedded server". */
function nonEmptyUrl(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("is empty: pass a postgresql:// URL, or leave the option out to use DATABASE_URL");
  return value;
}
