import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listMigrationDirectories, migrationsDir as projectMigrationsDir, repoRoot, type PrismaProject } from "../../src/index.ts";

export interface FixtureMigration {
  up: string;
  /** Omit for a migration without down.sql. */
  down?: string;
}

export interface FixtureProject extends PrismaProject {
  dir: string;
  add(name: string, migration: FixtureMigration): Promise<void>;
  remove(): Promise<void>;
}

/** A private Prisma project (repo schema, own migrations directory), optionally starting with the project's own history. */
export async function fixtureProject(migrations: Record<string, FixtureMigration> = {}, options: { withHistory?: boolean } = {}): Promise<FixtureProject> {
  const dir = await mkdtemp(join(tmpdir(), "mmo-lifecycle-"));
  const migrationsDir = join(dir, "migrations");
  const configPath = join(dir, "prisma.config.ts");
  await writeFile(configPath, `export default { schema: ${JSON.stringify(join(repoRoot, "prisma/schema.prisma"))}, migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL ?? "" } };\n`);
  await mkdir(migrationsDir);
  await cp(join(projectMigrationsDir, "migration_lock.toml"), join(migrationsDir, "migration_lock.toml"));
  if (options.withHistory) {
    for (const m of await listMigrationDirectories()) await cp(m.path, join(migrationsDir, m.name), { recursive: true });
  }
  const add = async (name: string, m: FixtureMigration) => {
    await mkdir(join(migrationsDir, name), { recursive: true });
    await writeFile(join(migrationsDir, name, "migration.sql"), m.up);
    if (m.down !== undefined) await writeFile(join(migrationsDir, name, "down.sql"), m.down);
  };
  for (const [name, m] of Object.entries(migrations)) await add(name, m);
  return { dir, migrationsDir, configPath, add, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const TIMEOUTS = "SET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\n";

export function down(name: string, loss: string, body: string): string {
  return `-- Rollback of ${name}\n-- Data loss: ${loss}\n${body}\n`;
}
