import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";

export interface NewMigration {
  name: string;
  path: string;
  files: string[];
}

/** The lock and statement timeouts every new migration starts with (docs/migrations.md). */
export const DEFAULT_LOCK_TIMEOUT = "2s";
export const DEFAULT_STATEMENT_TIMEOUT = "5min";

export function migrationTemplate(name: string): string {
  return `-- ${name}: <what this migration does and why>
--
-- Prisma applies this file as ONE transaction: if any statement fails, nothing of it stays.
-- Zero-downtime rules (checked by \`mmo migrate lint\`): add columns nullable or with a constant
-- default; add constraints NOT VALID, then VALIDATE in a later migration; create indexes on
-- existing tables with CREATE INDEX CONCURRENTLY, alone in a migration of their own (delete the
-- SET lines below then: they would put it in a transaction, which CONCURRENTLY refuses).

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only.
SET LOCAL lock_timeout = '${DEFAULT_LOCK_TIMEOUT}';
SET LOCAL statement_timeout = '${DEFAULT_STATEMENT_TIMEOUT}';

`;
}

export function downTemplate(name: string): string {
  return `-- Rollback of ${name}
-- Data loss: <what this rollback destroys (tables, columns, rows), or "none">
-- Undo migration.sql in reverse order; \`mmo migrate verify\` checks that it restores the schema exactly.

`;
}

/** UTC yyyymmddhhmmss, the prefix Prisma orders migrations by. */
export function migrationTimestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Creates `<timestamp>_<name>/` with migration.sql and down.sql templates. The timestamp is bumped
 * past the newest existing migration so the new one always sorts last.
 */
export async function createMigration(rawName: string, options: { migrationsDir?: string; now?: Date } = {}): Promise<NewMigration> {
  const slug = rawName.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!slug) throw new UsageError(`"${rawName}" is not a usable migration name: use letters, digits and underscores`);
  if (slug.length > 60) throw new UsageError("the migration name is longer than 60 characters");
  const dir = options.migrationsDir ?? defaultMigrationsDir;
  const existing = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name)).map((e) => e.name.slice(0, 14)).sort();
  let stamp = migrationTimestamp(options.now);
  const newest = existing.at(-1);
  if (newest && stamp <= newest) stamp = String(BigInt(newest) + 1n);
  const name = `${stamp}_${slug}`;
  const path = join(dir, name);
  await mkdir(path, { recursive: false }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new UsageError(`${path} already exists`);
    throw error;
  });
  await writeFile(join(path, "migration.sql"), migrationTemplate(name));
  await writeFile(join(path, "down.sql"), downTemplate(name));
  return { name, path, files: [join(path, "migration.sql"), join(path, "down.sql")] };
}
