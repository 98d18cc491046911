import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { migrationsDir as defaultMigrationsDir } from "../paths.ts";

export interface MigrationDirectory {
  name: string;
  path: string;
  hasDown: boolean;
}

/** The migration directories in apply order (their names start with a timestamp). */
export async function listMigrationDirectories(dir = defaultMigrationsDir): Promise<MigrationDirectory[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name)).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      path: join(dir, name),
      hasDown: await stat(join(dir, name, "down.sql")).then(
        () => true,
        () => false,
      ),
    })),
  );
}

export interface AppliedMigration {
  id: string;
  name: string;
  startedAt: Date;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
  logs: string | null;
}

/** Rows of Prisma's `_prisma_migrations`, oldest first; empty when Migrate never ran here. */
export async function readAppliedMigrations(client: pg.ClientBase | pg.Pool): Promise<AppliedMigration[]> {
  const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS exists");
  if (!rows[0]?.exists) return [];
  const result = await client.query<{ id: string; migration_name: string; started_at: Date; finished_at: Date | null; rolled_back_at: Date | null; logs: string | null }>(
    "SELECT id, migration_name, started_at, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at, migration_name",
  );
  return result.rows.map((r) => ({ id: r.id, name: r.migration_name, startedAt: r.started_at, finishedAt: r.finished_at, rolledBackAt: r.rolled_back_at, logs: r.logs }));
}

export interface MigrationState {
  applied: string[];
  pending: string[];
  failed: string[];
  /** Applied in the database but absent from the migrations directory. */
  unknown: string[];
}

/** Compares the directory with the database the way `prisma migrate status` does. */
export async function migrationState(client: pg.ClientBase | pg.Pool, dir = defaultMigrationsDir): Promise<MigrationState> {
  const [dirs, rows] = await Promise.all([listMigrationDirectories(dir), readAppliedMigrations(client)]);
  const live = rows.filter((r) => r.rolledBackAt === null);
  const applied = new Set(live.filter((r) => r.finishedAt !== null).map((r) => r.name));
  const failed = live.filter((r) => r.finishedAt === null).map((r) => r.name);
  const known = new Set(dirs.map((d) => d.name));
  return {
    applied: dirs.filter((d) => applied.has(d.name)).map((d) => d.name),
    pending: dirs.filter((d) => !applied.has(d.name) && !failed.includes(d.name)).map((d) => d.name),
    failed,
    unknown: [...applied].filter((name) => !known.has(name)),
  };
}
