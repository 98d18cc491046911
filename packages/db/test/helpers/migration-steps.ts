import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listMigrationDirectories, migrationsDir, repoRoot, runPrisma, type PrismaRun } from "../../src/index.ts";

/**
 * Deploys the project's history one migration at a time: a private project whose migrations
 * directory holds the first `count` migrations, deployed with the real `prisma migrate deploy`.
 */
export interface SteppedProject {
  names: string[];
  deployFirst(count: number, url: string): Promise<PrismaRun>;
  remove(): Promise<void>;
}

export async function steppedProject(): Promise<SteppedProject> {
  const names = (await listMigrationDirectories()).map((m) => m.name);
  const dir = await mkdtemp(join(tmpdir(), "mmo-steps-"));
  const schema = join(repoRoot, "prisma/schema.prisma");
  await writeFile(
    join(dir, "prisma.config.ts"),
    `export default { schema: ${JSON.stringify(schema)}, migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL ?? "" } };\n`,
  );
  await mkdir(join(dir, "migrations"));
  await cp(join(migrationsDir, "migration_lock.toml"), join(dir, "migrations/migration_lock.toml"));
  return {
    names,
    async deployFirst(count, url) {
      // The directory holds exactly the first `count` migrations, whatever it held before.
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
