import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { listMigrationDirectories } from "../migrate/history.ts";
import { runPrisma, type PrismaRun } from "../migrate/prisma-cli.ts";
import { migrationsDir as defaultMigrationsDir, repoRoot } from "../paths.ts";
import { nodePgUrl, withDatabase } from "../url.ts";

/** A throwaway database on the same server as `url`, for verify and lock-impact runs. */
export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(url: string, prefix: string): Promise<ScratchDatabase> {
  const adminUrl = withDatabase(url, "postgres");
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return { name, url: withDatabase(url, name), drop: () => admin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`) };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: nodePgUrl(url) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A private Prisma project whose migrations directory holds only the first `count` migrations of
 * `migrationsDir`, so the real `prisma migrate deploy` can apply a history one step at a time.
 */
export interface SteppedHistory {
  names: string[];
  migrationsDir: string;
  deployFirst(count: number, url: string): Promise<PrismaRun>;
  remove(): Promise<void>;
}

export async function steppedHistory(migrationsDir = defaultMigrationsDir): Promise<SteppedHistory> {
  const names = (await listMigrationDirectories(migrationsDir)).map((m) => m.name);
  const dir = await mkdtemp(join(tmpdir(), "mmo-history-"));
  const schema = join(repoRoot, "prisma/schema.prisma");
  await writeFile(join(dir, "prisma.config.ts"), `export default { schema: ${JSON.stringify(schema)}, migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL ?? "" } };\n`);
  await mkdir(join(dir, "migrations"));
  await cp(join(repoRoot, "prisma/migrations/migration_lock.toml"), join(dir, "migrations/migration_lock.toml"));
  return {
    names,
    migrationsDir,
    async deployFirst(count, url) {
      for (const [i, name] of names.entries()) {
        const target = join(dir, "migrations", name);
        if (i < count) await cp(join(migrationsDir, name), target, { recursive: true });
        else await rm(target, { recursive: true, force: true });
      }
      return runPrisma(["migrate", "deploy"], url, { configPath: join(dir, "prisma.config.ts"), cwd: dir });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
