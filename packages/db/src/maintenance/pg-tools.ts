import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { MissingCapabilityError } from "../errors.ts";
import { runTiedChild } from "./tied-child.ts";

const run = promisify(execFile);

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/**
 * Finds pg_dump / pg_restore of the server's major version: first in the Debian layout
 * /usr/lib/postgresql/<major>/bin, then on PATH. A tool of another major version is an error that
 * says which version is needed (an older pg_dump refuses a newer server; a newer one writes
 * archives an older pg_restore cannot read).
 */
export async function findPgTool(name: "pg_dump" | "pg_restore", serverMajor: number, searchPath = process.env.PATH ?? ""): Promise<PgTool> {
  const candidates = [join("/usr/lib/postgresql", String(serverMajor), "bin", name), ...searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, name))];
  const found: PgTool[] = [];
  for (const path of candidates) {
    if (!(await access(path, constants.X_OK).then(() => true, () => false))) continue;
    const tool = await toolVersion(path);
    if (!tool) continue;
    if (tool.major === serverMajor) return tool;
    found.push(tool);
  }
  if (found.length === 0) {
    throw new MissingCapabilityError(`${name} was not found (looked in /usr/lib/postgresql/${serverMajor}/bin and PATH): install the PostgreSQL ${serverMajor} client tools`);
  }
  const versions = [...new Set(found.map((t) => `${t.version} at ${t.path}`))].join(", ");
  throw new MissingCapabilityError(`${name} must match the server's major version ${serverMajor}, but only ${versions} is installed: install the PostgreSQL ${serverMajor} client tools`);
}

async function toolVersion(path: string): Promise<PgTool | undefined> {
  try {
    const { stdout } = await run(path, ["--version"], { timeout: 10_000 });
    const match = /(\d+)(?:\.(\d+))?/.exec(stdout);
    if (!match) return undefined;
    return { path, major: Number(match[1]), version: match[0] };
  } catch {
    return undefined;
  }
}

/** Connection settings for a libpq tool without putting the password on its command line. */
export function libpqEnvironment(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

/**
 * Runs a PostgreSQL tool tied to this process (it dies with the CLI, see tied-child.ts); its stderr
 * becomes the error message. `stdout` is a file descriptor for the tool's output.
 */
export async function runPgTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv, options: { stdout?: number } = {}): Promise<void> {
  const name = tool.path.split("/").pop();
  const result = await runTiedChild(tool.path, args, { env, ...options }).catch((error: Error) => {
    throw new Error(`${name} failed: ${error.message}`);
  });
  if (result.code === 0) return;
  const text = result.stderr.trim().split("\n").filter(Boolean);
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  throw new Error(`${name} failed: ${text.length ? text.slice(0, 3).join(" ") : how}`);
}
