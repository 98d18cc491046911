import { readFile } from "node:fs/promises";
import { z } from "zod";
import { UsageError } from "../errors.ts";

/** Written next to every backup: what the dump holds, so a restore can be verified. */
export interface BackupManifest {
  database: string;
  serverVersion: string;
  pgDump: string;
  createdAt: string;
  format: "custom";
  /** Exact row counts taken in the very snapshot pg_dump dumped. */
  rowCounts: Record<string, number>;
}

const manifestSchema = z.object({
  database: z.string(),
  serverVersion: z.string(),
  pgDump: z.string(),
  createdAt: z.string(),
  format: z.literal("custom"),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
});

export function manifestPath(file: string): string {
  return `${file}.manifest.json`;
}

/**
 * The manifest of a backup, or undefined when it has none. A manifest that cannot be read or is
 * not what `mmo backup` writes is an error naming the file and the fault: restoring unverified
 * because a manifest is damaged would hide exactly the corruption it exists to catch.
 */
export async function readManifest(path: string): Promise<BackupManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw new UsageError(`backup manifest ${path} cannot be read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`backup manifest ${path} is malformed: not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "the top level";
    throw new UsageError(`backup manifest ${path} is malformed: ${where}: ${issue.message}`);
  }
  return parsed.data;
}
