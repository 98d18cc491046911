import { parseEngineArgs } from "./args.ts";
import { runCliCommand } from "./cli-mode.ts";
import { logRecord, redact } from "./log.ts";
import { serveRpc } from "./rpc.ts";

async function main(): Promise<number> {
  const invocation = parseEngineArgs(process.argv.slice(2));
  if (invocation.mode === "cli") return runCliCommand(invocation.command, invocation.datasource);
  return serveRpc(invocation.datamodelPaths, invocation.datasource);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    logRecord("ERROR", { message: redact(error instanceof Error ? error.message : String(error)) });
    process.exit(1);
  },
);
