import { InvalidArgumentError } from "commander";
import { errorMessage, parseInterval, type ParsedInterval } from "@mmo/db";

/** Commander argument parser for durations (`30s`, `5m`, `2h`, `90d`, `1w`, `90 days`): bad input exits 2. */
export function intervalArg(value: string): ParsedInterval {
  try {
    return parseInterval(value);
  } catch (error) {
    throw new InvalidArgumentError(errorMessage(error).replace(/^invalid interval "[^"]*": /, ""));
  }
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
