import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPrisma, type PrismaRun } from "../../src/index.ts";

const fixture = fileURLToPath(new URL("../fixtures/offline-project/", import.meta.url));

/** A private copy of the fixture project, so a test can edit its schema or migrations. */
export interface FixtureProject {
  dir: string;
  prisma(args: string[], url: string, input?: string): Promise<PrismaRun>;
  remove(): Promise<void>;
}

export async function copyFixture(): Promise<FixtureProject> {
  const dir = await mkdtemp(join(tmpdir(), "mmo-prisma-"));
  await cp(fixture, dir, { recursive: true });
  return {
    dir,
    prisma: (args, url, input) => runPrisma(args, url, { configPath: join(dir, "prisma.config.ts"), cwd: dir, ...(input === undefined ? {} : { input }) }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export function output(run: PrismaRun): string {
  return `${run.stdout}\n${run.stderr}`;
}
