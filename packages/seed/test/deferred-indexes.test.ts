import { diffFingerprints, schemaFingerprint } from "@mmo/db";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLines, seedDatabase } from "../src/index.ts";
import { dropIndexesForLoad } from "../src/deferred-indexes.ts";
import { count } from "./helpers/integrity.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** What dropIndexesForLoad would drop from `table`, rolled back so nothing changes. */
async function deferrable(table: string): Promise<string[]> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    return (await dropIndexesForLoad(client, table)).map((i) => `${i.kind}:${i.name}`).sort();
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

describe("indexes built after the load", () => {
  it("defers every index of an empty table except those a foreign key needs", async () => {
    expect(await deferrable("character_inventory")).toEqual([
      "constraint:character_inventory_character_id_slot_type_slot_number_key",
      "constraint:character_inventory_pkey",
      "index:idx_inventory_character_id",
      "index:idx_inventory_item_id",
    ]);
    const characters = await deferrable("characters");
    // Every child table's foreign key checks rely on characters_pkey: it stays.
    expect(characters).not.toContain("constraint:characters_pkey");
    expect(characters).toContain("index:idx_characters_user_lookup");
    // A partitioned table: the parent's indexes, rebuilt on every partition.
    expect(await deferrable("combat_log")).toContain("constraint:combat_log_pkey");
  });

  it("leaves the schema exactly as a row-by-row load does, with every index valid", async () => {
    const anchor = new Date("2026-11-20T12:00:00Z");
    const rowByRow = await createTestDatabase();
    try {
      await seedDatabase(rowByRow, { profile: "tiny", seed: 11, anchor, deferIndexes: false });
      await seedDatabase(db, { profile: "tiny", seed: 11, anchor });
      const expected = await schemaFingerprint(rowByRow.pool);
      expect(expected.lines.filter((l) => l.startsWith("index: ")).length).toBeGreaterThan(100);
      expect(diffFingerprints(expected, await schemaFingerprint(db.pool))).toEqual([]);
    } finally {
      await rowByRow.drop();
    }
    expect(await count(db.pool, "SELECT count(*) AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisvalid")).toBe(0);
  });

  it("drops nothing on a table that already holds rows (an --append)", async () => {
    expect(await deferrable("character_inventory")).toEqual([]);
  });

  it("rolls back the rows and the drops together when a rebuilt unique index finds a duplicate", async () => {
    await db.pool.query("TRUNCATE world_state");
    const before = await schemaFingerprint(db.pool);
    const line = (n: number) => `00000000-0000-4000-8000-00000000000${n}\t1\tmain\tweather\t{}\n`;
    const load = copyLines(db.pool, "world_state", ["id", "zone_id", "instance_id", "state_type", "state_data"], [line(1), line(2), line(1)], { deferIndexes: true });
    await expect(load).rejects.toMatchObject({ code: "23505" });
    expect(await count(db.pool, "SELECT count(*) AS n FROM world_state")).toBe(0);
    expect(diffFingerprints(before, await schemaFingerprint(db.pool))).toEqual([]);
  });
});
