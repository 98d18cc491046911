import pg from "pg";
import { DataLayerError } from "../errors.ts";
import { migrationState } from "./history.ts";
import { prismaErrorText, runPrisma } from "./prisma-cli.ts";
import { migrationUrl } from "./session-guard.ts";
import { nodePgUrl } from "../url.ts";

export class MigrationError extends DataLayerError {
  override name = "MigrationError";
}

export interface DeployResult {
  /** Migrations this deploy applied, in order. */
  applied: string[];
  /** Everything applied now. */
  total: number;
}

/** Applies pending migrations with the real `prisma migrate deploy`. */
export async function deployMigrations(url: string): Promise<DeployResult> {
  const before = await stateOf(url).catch(() => undefined);
  const run = await runPrisma(["migrate", "deploy"], await migrationUrl(url));
  if (run.exitCode !== 0) throw new MigrationError(prismaErrorText(run));
  const after = await stateOf(url);
  const already = new Set(before?.applied ?? []);
  return { applied: after.applied.filter((name) => !already.has(name)), total: after.applied.length };
}

async function stateOf(url: string) {
  const client = new pg.Client({ connectionString: nodePgUrl(url) });
  await client.connect();
  try {
    return await migrationState(client);
  } finally {
    await client.end();
  }
}
