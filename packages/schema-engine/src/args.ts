import { parseArgs } from "node:util";

export interface Datasource {
  url: string;
  shadowDatabaseUrl?: string;
}

export type EngineInvocation =
  | { mode: "rpc"; datamodelPaths: string[]; datasource: Datasource | undefined }
  | { mode: "cli"; command: CliCommand; datasource: Datasource };

export const CLI_COMMANDS = ["can-connect-to-database", "create-database", "drop-database"] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

/**
 * Parses the arguments the Prisma CLI passes to its native schema engine:
 * `[--datamodels <path>]... [--datasource <json>] [--enabled-preview-features a,b]
 *  [--extension-types <json>] [cli <command>]`.
 */
export function parseEngineArgs(argv: string[]): EngineInvocation {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      datamodels: { type: "string", multiple: true },
      datasource: { type: "string" },
      "enabled-preview-features": { type: "string" },
      "extension-types": { type: "string" },
      version: { type: "boolean", short: "V" },
    },
  });
  const datasource = values.datasource === undefined ? undefined : parseDatasource(values.datasource);
  if (positionals[0] === "cli") {
    const command = positionals[1];
    if (!isCliCommand(command)) throw new Error(`unknown engine CLI command: ${String(command)}`);
    if (!datasource) throw new Error("the engine's CLI mode needs --datasource");
    return { mode: "cli", command, datasource };
  }
  if (positionals.length > 0) throw new Error(`unexpected arguments: ${positionals.join(" ")}`);
  return { mode: "rpc", datamodelPaths: values.datamodels ?? [], datasource };
}

function isCliCommand(value: string | undefined): value is CliCommand {
  return (CLI_COMMANDS as readonly string[]).includes(value ?? "");
}

function parseDatasource(json: string): Datasource {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as Datasource).url !== "string") {
    throw new Error("--datasource must be a JSON object with a string `url`");
  }
  const { url, shadowDatabaseUrl } = parsed as Datasource;
  return shadowDatabaseUrl ? { url, shadowDatabaseUrl } : { url };
}
