import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import type { UpSummary } from "../src/commands/up.ts";
import { runCli, runJson } from "./helpers.ts";

/** The main job on an empty database, then again: the second run changes nothing. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(() => db.drop());

describe("mmo up (the main job)", () => {
  it("deploys every migration, seeds the profile and summarises", async () => {
    const run = await runJson<UpSummary>(["up", "--profile", "tiny"], db.url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.migrationsApplied.length).toBe(run.json.migrationsTotal);
    expect(run.json.migrationsTotal).toBeGreaterThanOrEqual(13);
    expect("rows" in run.json.seeded && run.json.seeded.rows).toBeGreaterThan(0);
    expect(run.json.rowCounts.characters).toBeGreaterThan(0);
    expect(run.json.database).toContain(db.name);
    expect(run.json.database).not.toMatch(/:[^@/]+@/);
  });

  it("is safe to run again: nothing applied, seeding skipped, data unchanged", async () => {
    const before = (await db.pool.query("SELECT count(*)::int AS n FROM characters")).rows[0].n;
    const run = await runJson<UpSummary>(["up", "--profile", "tiny"], db.url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.migrationsApplied).toEqual([]);
    expect(run.json.seeded).toMatchObject({ skipped: expect.stringContaining("already holds game data") });
    expect((await db.pool.query("SELECT count(*)::int AS n FROM characters")).rows[0].n).toBe(before);
  });

  it("prints a human summary with the database and migration count", async () => {
    const run = await runCli(["up", "--no-seed"], db.url);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Migrations\s+\d+ applied \(0 new this run\)/);
    expect(run.stdout).toContain("Seed         skipped: --no-seed");
  });

  it("rejects an unknown profile as bad usage, changing nothing", async () => {
    const run = await runCli(["up", "--profile", "huge"], db.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*huge.*\n$/);
  });
});
