import { UsageError } from "@mmo/db";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasGameData, plannedVolumes, seedDatabase } from "../src/index.ts";
import { count, foreignKeyOrphans } from "./helpers/integrity.ts";

const anchor = new Date("2026-11-20T12:00:00Z");
let db: TestDatabase;
let empty: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  empty = await createTestDatabase({ empty: true });
});
afterAll(() => Promise.all([db?.drop(), empty?.drop()]));

describe("safety", () => {
  it("refuses a database whose migrations are not applied", async () => {
    await expect(seedDatabase(empty, { profile: "tiny", anchor })).rejects.toThrow(UsageError);
    await expect(seedDatabase(empty, { profile: "tiny", anchor })).rejects.toThrow(/not applied/);
  });

  it("seeds an empty database, then refuses to seed it again without a mode", async () => {
    expect(await hasGameData(db.pool)).toBe(false);
    await seedDatabase(db, { profile: "tiny", seed: 1, anchor });
    expect(await hasGameData(db.pool)).toBe(true);
    await expect(seedDatabase(db, { profile: "tiny", seed: 1, anchor })).rejects.toThrow(/already holds game data/);
  });

  it("appends another seed next to the first, and refuses to append the same seed twice", async () => {
    await seedDatabase(db, { profile: "tiny", seed: 2, anchor, mode: "append" });
    expect(await count(db.pool, "SELECT count(*) AS n FROM characters")).toBe(2 * plannedVolumes("tiny").characters);
    expect(Object.values(await foreignKeyOrphans(db.pool)).every((n) => n === 0)).toBe(true);
    await expect(seedDatabase(db, { profile: "tiny", seed: 2, anchor, mode: "append" })).rejects.toThrow(/already in this database/);
  });

  it("--reset truncates everything and loads the profile again", async () => {
    const result = await seedDatabase(db, { profile: "tiny", seed: 3, anchor, mode: "reset" });
    expect(await count(db.pool, "SELECT count(*) AS n FROM characters")).toBe(plannedVolumes("tiny").characters);
    expect(result.tables.users).toBe(plannedVolumes("tiny").users);
  });

  it("rejects invalid options as a usage error", async () => {
    await expect(seedDatabase(db, { profile: "tiny", scale: -1, mode: "reset" })).rejects.toThrow(UsageError);
  });
});
