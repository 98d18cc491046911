import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { MissingCapabilityError } from "../errors.ts";
import { repoRoot } from "../paths.ts";

export interface SquawkViolation {
  file: string;
  /** 1-based (squawk reports 0-based lines). */
  line: number;
  rule: string;
  message: string;
  help: string | null;
}

const require = createRequire(import.meta.url);

/** The checked-in squawk configuration (`.squawk.toml` at the repository root). */
export const squawkConfigPath = join(repoRoot, ".squawk.toml");

/**
 * Runs squawk (npm `squawk-cli`, its platform binary) over `files` with the repository's
 * configuration. Exit 1 with JSON on stdout means "violations found", not a failure.
 */
export async function runSquawk(files: string[], configPath = squawkConfigPath): Promise<SquawkViolation[]> {
  if (files.length === 0) return [];
  const bin = require.resolve("squawk-cli/js/bin/squawk");
  const config = await access(configPath).then(() => ["--config", configPath], () => []);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [bin, ...config, "--reporter=json", ...files], { cwd: repoRoot, maxBuffer: 32 * 1024 * 1024 }, (error, out, err) => {
      if (error && typeof error.code !== "number") reject(new MissingCapabilityError(`squawk could not run: ${error.message}`));
      else if (error && !out.trim().startsWith("[")) reject(new MissingCapabilityError(`squawk failed: ${(err || out || error.message).trim().split("\n")[0]}`));
      else resolve(out);
    });
  });
  const raw = JSON.parse(stdout.trim() || "[]") as { file: string; line: number; rule_name: string; message: string; help: string | null }[];
  return raw.map((v) => ({ file: v.file, line: v.line + 1, rule: v.rule_name, message: v.message, help: v.help }));
}
