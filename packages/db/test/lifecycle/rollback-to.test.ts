import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationState, rollback, stepsToReach } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { fixtureProject, type FixtureProject } from "./helpers.ts";

let db: TestDatabase;
let project: FixtureProject;
beforeAll(async () => {
  db = await createTestDatabase();
  project = await fixtureProject({}, { withHistory: true });
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

describe("rollback --to / --steps", () => {
  it("counts the steps to reach a migration, and refuses one that is not applied", async () => {
    const { applied } = await migrationState(db.pool);
    expect(await stepsToReach(db.url, applied.at(-1) as string)).toBe(0);
    expect(await stepsToReach(db.url, applied.at(-3) as string)).toBe(2);
    await expect(stepsToReach(db.url, "20990101000000_nope")).rejects.toThrow(/not an applied migration/);
    await expect(rollback(db.url, { steps: 1, to: applied[0] as string })).rejects.toThrow(/either --steps or --to/);
  });

  it("refuses without a down.sql, changing nothing", async () => {
    const before = await migrationState(db.pool, project.migrationsDir);
    await rm(join(project.migrationsDir, before.applied.at(-1) as string, "down.sql"));
    await expect(rollback(db.url, { to: before.applied.at(-3) as string }, { migrationsDir: project.migrationsDir })).rejects.toThrow(/has no down.sql: refusing/);
    expect(await migrationState(db.pool, project.migrationsDir)).toEqual(before);
  });

  it("rolls back everything after --to, newest first", async () => {
    const before = await migrationState(db.pool);
    const done = await rollback(db.url, { to: before.applied.at(-3) as string });
    expect(done.map((m) => m.name)).toEqual(before.applied.slice(-2).reverse());
    expect((await migrationState(db.pool)).applied).toEqual(before.applied.slice(0, -2));
    expect(await rollback(db.url, { to: before.applied.at(-3) as string })).toEqual([]);
  });
});
