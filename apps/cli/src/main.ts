import { buildProgram } from "./program.ts";
import { createContext } from "./context.ts";
import { mapError } from "./errors.ts";
import { EXIT, type ExitCode } from "./exit-codes.ts";
import { createOutput, type Streams } from "./output.ts";

/**
 * Parses `argv`, runs the command, and turns every outcome into an exit code. Nothing below this
 * calls process.exit: commands return their code or throw. Tests pass their own `streams`.
 */
export async function main(argv: string[], options: { streams?: Streams } = {}): Promise<ExitCode> {
  const out = createOutput(options.streams);
  let exitCode: ExitCode = EXIT.OK;
  const program = buildProgram({
    out,
    run: async (globalOptions, action) => {
      const ctx = createContext({ databaseUrl: globalOptions.databaseUrl, out });
      try {
        exitCode = await action(ctx);
      } finally {
        await ctx.dispose().catch(() => undefined);
      }
    },
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    const mapped = mapError(error);
    if ((error as { code?: string }).code === "commander.helpDisplayed" || (error as { code?: string }).code === "commander.version") return EXIT.OK;
    out.error(mapped.message);
    return mapped.exitCode;
  }
}
