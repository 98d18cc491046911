import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { seedDatabase } from "@mmo/seed";
import { main } from "../src/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process against a database, capturing what it prints. */
export async function runCli(args: string[], databaseUrl?: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const streams = {
    stdout: { write: (chunk: string) => ((stdout += chunk), true), isTTY: false },
    stderr: { write: (chunk: string) => ((stderr += chunk), true), isTTY: false },
  };
  const code = await main(databaseUrl ? ["--database-url", databaseUrl, ...args] : args, { streams });
  return { code, stdout, stderr };
}

/** Runs with --json and parses stdout. */
export async function runJson<T = unknown>(args: string[], databaseUrl: string): Promise<CliRun & { json: T }> {
  const run = await runCli([...args, "--json"], databaseUrl);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
  }
  return { ...run, json };
}

/** A fresh migrated database holding the "tiny" seed profile. */
export async function createSeededDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await seedDatabase(db, { profile: "tiny" });
  return db;
}

/** A database URL where nothing listens (port 1). */
export const UNREACHABLE_URL = "postgresql://postgres@127.0.0.1:1/nowhere";

export const binPath = fileURLToPath(new URL("../bin/mmo.mjs", import.meta.url));

/** Spawns the real binary; `onStdout` may act on output (e.g. send a signal), `onSpawn` on the process. */
export function spawnCli(
  args: string[],
  options: { onStdout?: (text: string, child: ReturnType<typeof spawn>) => void; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    options.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** stderr holds exactly one line, starting with "error:". */
export function oneLineError(stderr: string): string {
  const lines = stderr.split("\n").filter(Boolean);
  if (lines.length !== 1 || !lines[0]!.startsWith("error: ")) throw new Error(`expected one error line, got: ${JSON.stringify(stderr)}`);
  return lines[0]!;
}

/**
 * Polls `check` until it holds. The deadline only bounds a test that would otherwise hang: what is
 * asserted is the state reached, never how long it took.
 */
export async function waitUntil(check: () => Promise<boolean>, what: string, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Progress lines may come first; exactly one error line, the last, for a command that failed. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split("\n").filter(Boolean);
  const errors = lines.filter((line) => line.startsWith("error: "));
  if (errors.length !== 1 || lines.at(-1) !== errors[0]) throw new Error(`expected one error line, last, got: ${JSON.stringify(stderr)}`);
  return errors[0]!;
}
