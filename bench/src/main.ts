import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabaseClient, deployMigrations, resolveDatabase, withDatabase } from "@mmo/db";
import { copyLines, loadSessionSettings, plannedVolumes, tableSpec, World } from "@mmo/seed";
import pg from "pg";
import { benchEnv } from "./env.ts";
import { generatorCopy, prismaCreateMany, rawCopy, writeCopyFile, type Measured } from "./loaders.ts";
import { printReport, type ShapeResult } from "./report.ts";

const SHAPES = ["characters", "character_inventory", "combat_log"] as const;

/**
 * One command, one server, one scratch database: for each shape the three loaders load identical
 * rows into the same, freshly truncated table, one after another, and the ratios are printed.
 */
async function main(): Promise<void> {
  const env = benchEnv();
  const resolved = await resolveDatabase();
  const adminUrl = withDatabase(resolved.url, "postgres");
  const name = `mmo_bench_${randomBytes(4).toString("hex")}`;
  const url = withDatabase(resolved.url, name);
  await admin(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const client = createDatabaseClient({ url, applicationName: "mmo bench" });
  const file = join(tmpdir(), `${name}.copy`);
  try {
    console.log(`bench: ${resolved.description}, scratch database ${name}, N = ${env.BENCH_ROWS.toLocaleString("en-US")} rows per shape, median of ${env.BENCH_ROUNDS} rounds`);
    await deployMigrations(url);
    const superuser = (await client.pool.query<{ s: boolean }>("SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user")).rows[0]?.s === true;
    // The same session settings the seeder uses, for the generator and the raw COPY alike.
    const sessionSql = loadSessionSettings(superuser);
    const volumes = { ...plannedVolumes("tiny"), characters: Math.ceil(env.BENCH_ROWS / 10) * 10, character_inventory: env.BENCH_ROWS, combat_log: env.BENCH_ROWS };
    volumes.users = (volumes.characters / 10) * 4;
    const world = new World({ seed: 42, volumes, anchorMs: Date.UTC(2026, 0, 1), suffix: "", computeCounters: superuser });
    const users = tableSpec("users");
    await copyLines(client.pool, users.name, users.columns, users.rows(world), { sessionSql });

    const results: ShapeResult[] = [];
    for (const shape of SHAPES) {
      const spec = tableSpec(shape);
      const truncate = () => client.pool.query(`TRUNCATE ${shape} CASCADE`);
      await writeCopyFile(spec, world, file);
      await truncate();
      const prisma: Measured | undefined = await prismaCreateMany(client, spec, world, Math.min(env.BENCH_PRISMA_ROWS, env.BENCH_ROWS), env.BENCH_PRISMA_BATCH);
      // The COPY loaders run in rounds, interleaved, and each keeps its median: a burst of other
      // work on the machine then skews one round of all three, not one loader.
      const rounds: { copy: Measured; copyRowByRow: Measured; generator: Measured }[] = [];
      for (let round = 0; round < env.BENCH_ROUNDS; round++) {
        await truncate();
        const copy = await rawCopy(client, spec, file, { serverSide: superuser, sessionSql, deferIndexes: true });
        await truncate();
        const copyRowByRow = await rawCopy(client, spec, file, { serverSide: superuser, sessionSql, deferIndexes: false });
        await truncate();
        // Last, so its rows stay as the parents of the next shape.
        const generator = await generatorCopy(client, spec, world, sessionSql);
        rounds.push({ copy, copyRowByRow, generator });
      }
      const copy = median(rounds.map((r) => r.copy));
      const copyRowByRow = median(rounds.map((r) => r.copyRowByRow));
      const generator = median(rounds.map((r) => r.generator));
      results.push({ shape, copy, copyRowByRow, generator, prisma });
      console.log(`  ${shape}: done`);
      await rm(file, { force: true });
    }
    printReport(results, { rawCopyMode: superuser ? "server-side COPY FROM file" : "file streamed through COPY FROM STDIN", peakRssMb: process.resourceUsage().maxRSS / 1024 });
  } finally {
    await rm(file, { force: true });
    await client.close();
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await resolved.release();
  }
}

function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
