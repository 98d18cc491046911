import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_READ_LOCK_TIMEOUT_MS, errorMessage, parseInterval, type ParsedInterval } from "@mmo/db";

/** Commander argument parser for durations (`30s`, `5m`, `2h`, `90d`, `1w`, `90 days`): bad input exits 2. */
export function intervalArg(value: string): ParsedInterval {
  try {
    return parseInterval(value);
  } catch (error) {
    throw new InvalidArgumentError(errorMessage(error).replace(/^invalid interval "[^"]*": /, ""));
  }
}

/**
 * `--lock-timeout` of the read-only commands (partitions list, validate, health): how long they wait
 * for a lock another session holds before failing with exit 1.
 */
export function lockTimeoutOption(): Option {
  return new Option("--lock-timeout <interval>", "fail (exit 1) instead of waiting longer than this for a lock another session holds")
    .argParser(intervalArg)
    .default(parseInterval(`${DEFAULT_READ_LOCK_TIMEOUT_MS / 1000}s`), `${DEFAULT_READ_LOCK_TIMEOUT_MS / 1000}s`);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatTime(value: Date | null | undefined): string {
  if (!value) return "";
  if (!Number.isFinite(value.getTime())) return String(value);
  return value.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
