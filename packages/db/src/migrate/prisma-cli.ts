import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { offlineSchemaEngineBinary } from "@mmo/schema-engine";
import { prismaConfigPath, repoRoot } from "../paths.ts";
import { redactSecrets } from "../url.ts";

export interface PrismaRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const require = createRequire(import.meta.url);

/**
 * Runs the stock Prisma CLI (the same `prisma` users run in their pipelines) against `url`, with the
 * project's prisma.config.ts, so our offline schema engine is used unless the caller's
 * environment names another one.
 */
export interface PrismaRunOptions {
  /** Another project's prisma.config.ts (tests run fixtures this way). */
  configPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the CLI's stdin (for `db execute --stdin`). */
  input?: string;
}

export function runPrisma(args: string[], url: string, options: PrismaRunOptions = {}): Promise<PrismaRun> {
  const cli = require.resolve("prisma/build/index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, "--config", options.configPath ?? prismaConfigPath], {
      cwd: options.cwd ?? repoRoot,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? offlineSchemaEngineBinary,
        ...options.env,
        DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1",
      },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout: redactSecrets(stdout), stderr: redactSecrets(stderr) }));
  });
}

/** The part of Prisma's output that explains a failure (its "Error: …" block). */
export function prismaErrorText(run: PrismaRun): string {
  const text = `${run.stderr}\n${run.stdout}`;
  const at = text.indexOf("Error:");
  return (at === -1 ? text : text.slice(at)).trim();
}
