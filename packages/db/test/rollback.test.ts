import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir, migrationState, PRISMA_MIGRATE_LOCK_KEY, rollbackMigrations, UsageError, withMigrateLock } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "mmo-rollback-"));
  await cp(migrationsDir, dir, { recursive: true });
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("rollbackMigrations", () => {
  it("refuses when a down.sql is missing, changing nothing", async () => {
    const state = await migrationState(db.pool);
    const last = state.applied.at(-1) as string;
    await rm(join(dir, last, "down.sql"));
    await expect(rollbackMigrations(db.url, { steps: 2, migrationsDir: dir })).rejects.toThrow(UsageError);
    await expect(rollbackMigrations(db.url, { steps: 2, migrationsDir: dir })).rejects.toThrow(/has no down.sql/);
    expect(await migrationState(db.pool)).toEqual(state);
    await cp(join(migrationsDir, last, "down.sql"), join(dir, last, "down.sql"));
  });

  it("waits for Prisma's migration lock and gives up with a clear message", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await expect(withMigrateLock(client, async () => "ran", 500)).rejects.toThrow(/another migration is running/);
      await client.end();
    } finally {
      await holder.end();
    }
  });

  it("rolls back N steps newest first, marking Prisma's history rolled back", async () => {
    const before = await migrationState(db.pool);
    const done = await rollbackMigrations(db.url, { steps: 2, migrationsDir: dir });
    expect(done.map((m) => m.name)).toEqual(before.applied.slice(-2).reverse());
    expect(done.every((m) => m.dataLoss !== "not declared")).toBe(true);
    const after = await migrationState(db.pool);
    expect(after.applied).toEqual(before.applied.slice(0, -2));
    expect(after.pending).toEqual(before.applied.slice(-2));
  });

  it("rejects a step count that is not a positive whole number, or more than applied", async () => {
    await expect(rollbackMigrations(db.url, { steps: 0 })).rejects.toThrow(/at least 1/);
    await expect(rollbackMigrations(db.url, { steps: 500 })).rejects.toThrow(/only \d+ applied/);
  });
});
