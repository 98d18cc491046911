import { availableParallelism } from "node:os";
import { UsageError, type DatabaseClient } from "@mmo/db";
import { z } from "zod";
import { copyLines } from "./copy.ts";
import { seedEnv } from "./env.ts";
import { preparePartitions } from "./partitions.ts";
import { plannedVolumes, PROFILE_NAMES, type ProfileName } from "./profiles.ts";
import { TableProgress, type SeedProgress } from "./progress.ts";
import { hash32 } from "./random.ts";
import { assertMigrationsUpToDate, assertSeedNotLoaded, canBypassTriggers, hasGameData, resetGameData } from "./safety.ts";
import { runJobs } from "./schedule.ts";
import { TABLES } from "./tables/index.ts";
import { World } from "./world.ts";

export interface SeedOptions {
  profile: ProfileName;
  scale?: number;
  seed?: number;
  mode?: "refuse" | "reset" | "append";
  onProgress?: (p: SeedProgress) => void;
  concurrency?: number;
  /** Time anchor of every timestamp; default: the start of the current UTC hour (README "Determinism"). */
  anchor?: Date;
  /** false: let the counter/FK triggers run even as superuser (default: bypass when allowed, README "Speed"). */
  bypassTriggers?: boolean;
  /** false: maintain indexes row by row instead of building them after each table's load (default true). */
  deferIndexes?: boolean;
}

export interface SeedResult {
  totalRows: number;
  tables: Record<string, number>;
  seconds: number;
}

const optionsSchema = z.object({
  profile: z.enum(PROFILE_NAMES),
  scale: z.number().positive().max(1000).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  mode: z.enum(["refuse", "reset", "append"]).optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  anchor: z.date().optional(),
  bypassTriggers: z.boolean().optional(),
  deferIndexes: z.boolean().optional(),
});

/** Unique names of an appended seed get this suffix ('_' never occurs in the base-36 part). */
export function appendSuffix(seed: number): string {
  return `_${(hash32(seed, 0xa99e) % 36 ** 4).toString(36).padStart(4, "0")}`;
}

export function defaultAnchor(now = Date.now()): Date {
  return new Date(Math.floor(now / 3_600_000) * 3_600_000);
}

/**
 * The settings of every loading session. Triggers off (superuser only): no per-row counter UPDATEs
 * and FK lookups; the generator's counters and keys are correct by construction (the integrity tests
 * check that). maintenance_work_mem sizes the sorts of the index builds after each table's load.
 */
export function loadSessionSettings(bypassTriggers: boolean): string[] {
  return [
    "SET synchronous_commit = off",
    `SET maintenance_work_mem = '${seedEnv().SEED_INDEX_MEMORY}'`,
    ...(bypassTriggers ? ["SET session_replication_role = replica"] : []),
  ];
}

export async function seedDatabase(client: DatabaseClient, options: SeedOptions): Promise<SeedResult> {
  const parsed = optionsSchema.safeParse({ ...options, onProgress: undefined });
  if (!parsed.success) throw new UsageError(`invalid seed options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const started = performance.now();
  const { pool } = client;
  const env = seedEnv();
  const mode = options.mode ?? "refuse";
  const seed = options.seed ?? env.SEED_VALUE;

  await assertMigrationsUpToDate(pool);
  const existing = await hasGameData(pool);
  if (existing && mode === "refuse") {
    throw new UsageError("refusing to seed: the database already holds game data; pass --reset to replace it or --append to add to it");
  }
  if (mode === "reset") await resetGameData(pool);

  const bypass = (options.bypassTriggers ?? env.SEED_TRIGGERS === "auto") && (await canBypassTriggers(pool));
  const anchor = options.anchor ?? (env.SEED_ANCHOR ? new Date(env.SEED_ANCHOR) : defaultAnchor());
  const volumes = plannedVolumes(options.profile, options.scale ?? 1);
  const world = new World({ seed, volumes, anchorMs: anchor.getTime(), suffix: mode === "append" ? appendSuffix(seed) : "", computeCounters: bypass });
  if (mode === "append" && existing) await assertSeedNotLoaded(pool, world.id("user", 0), seed);

  await preparePartitions(pool, world.anchorMs);
  const sessionSql = loadSessionSettings(bypass);
  const poolMax = (pool.options.max ?? 10) - 1;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? env.SEED_CONCURRENCY ?? Math.min(4, Math.max(2, availableParallelism())), poolMax));

  const tables: Record<string, number> = {};
  const jobs = TABLES.map((spec) => ({ name: spec.name, deps: spec.deps, rows: volumes[spec.name], spec }));
  await runJobs(jobs, concurrency, async ({ spec }) => {
    const progress = new TableProgress(spec.name, volumes[spec.name], options.onProgress);
    progress.update(0, false);
    const rows = await copyLines(pool, spec.name, spec.columns, spec.rows(world), {
      sessionSql,
      deferIndexes: options.deferIndexes ?? true,
      onRows: (n) => progress.update(n),
      onIndexBuild: (n) => progress.indexing(n),
    });
    progress.update(rows, true);
    tables[spec.name] = rows;
  });

  await finishLoad(client, Object.keys(tables));
  const totalRows = Object.values(tables).reduce((a, b) => a + b, 0);
  return { totalRows, tables, seconds: (performance.now() - started) / 1000 };
}

/**
 * Ready to query: VACUUM sets the visibility map (without it an index-only scan visits the heap for
 * every row until autovacuum gets there) and ANALYZE gives the planner fresh statistics; then
 * leaderboards that reflect the new data.
 */
async function finishLoad(client: DatabaseClient, tables: string[]): Promise<void> {
  await Promise.all(tables.map((t) => client.pool.query(`VACUUM (ANALYZE) public."${t}"`)));
  await client.pool.query("SELECT * FROM maint.refresh_rankings(false)");
}
