import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plannedVolumes, seedDatabase, TABLE_NAMES, World } from "../src/index.ts";
import { count } from "./helpers/integrity.ts";

const anchor = new Date("2026-11-20T12:00:00Z");
const seed = 5;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** Index and constraint definitions of the tables themselves (partitions come and go with the seed's history). */
async function indexDefinitions(): Promise<string[]> {
  const { rows } = await db.pool.query<{ def: string }>(`
    SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS def
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
    WHERE t.relnamespace = 'public'::regnamespace AND NOT t.relispartition
    UNION ALL
    SELECT format('%s %s %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
    FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
    WHERE t.relnamespace = 'public'::regnamespace AND NOT t.relispartition
    ORDER BY 1`);
  return rows.map((r) => r.def);
}

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return client;
}

describe("a seed interrupted mid-way", () => {
  it("leaves each table whole or empty with all its indexes; the next run refuses until --reset", async () => {
    const indexesBefore = await indexDefinitions();
    const planned = plannedVolumes("dev");
    // The inventory is generated character by character; its COPY will block (with foreign-key
    // checks on, each row takes a KEY SHARE lock on its character) when it reaches the last ones,
    // which another session holds FOR UPDATE. That is where the seeder's sessions get killed:
    // mid-COPY, after thousands of rows went in, as a crash or kill -9 of the seeder would leave it.
    const world = new World({ seed, volumes: planned, anchorMs: anchor.getTime(), suffix: "", computeCounters: false });
    const lastCharacters = Array.from({ length: 50 }, (_, k) => world.id("character", planned.characters - 1 - k));
    const locker = await connect();
    const killer = await connect();
    try {
      let locking: Promise<unknown> | undefined;
      const run = seedDatabase(db, {
        profile: "dev",
        seed,
        anchor,
        bypassTriggers: false,
        onProgress: (p) => {
          if (p.table !== "characters" || p.rows !== p.total || p.buildingIndexes || locking) return;
          locking = locker.query("BEGIN").then(() => locker.query("SELECT 1 FROM characters WHERE id = ANY($1::uuid[]) FOR UPDATE", [lastCharacters]));
        },
      });
      run.catch(() => undefined);
      let blocked = false;
      for (let attempt = 0; attempt < 600 && !blocked; attempt++) {
        const { rowCount } = await killer.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'COPY \"character_inventory\"%'");
        blocked = Boolean(rowCount);
        if (!blocked) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(blocked).toBe(true);
      const inventoryRowsSent = await killer.query<{ n: string }>("SELECT tuples_processed AS n FROM pg_stat_progress_copy p JOIN pg_class c ON c.oid = p.relid WHERE c.relname = 'character_inventory'");
      expect(Number(inventoryRowsSent.rows[0]?.n)).toBeGreaterThan(1000);
      await killer.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1)", [(locker as unknown as { processID: number }).processID]);
      await expect(run).rejects.toThrow();
      await locking;
      await locker.query("ROLLBACK");
    } finally {
      await Promise.all([locker.end(), killer.end()]);
    }

    const counts = Object.fromEntries(await Promise.all(TABLE_NAMES.map(async (t) => [t, await count(db.pool, `SELECT count(*) AS n FROM public."${t}"`)] as const)));
    for (const table of TABLE_NAMES) expect([0, planned[table]], table).toContain(counts[table]);
    expect(counts.characters).toBe(planned.characters);
    expect(counts.character_inventory).toBe(0);
    expect(await indexDefinitions()).toEqual(indexesBefore);

    await expect(seedDatabase(db, { profile: "dev", seed, anchor })).rejects.toThrow(/already holds game data/);
    const result = await seedDatabase(db, { profile: "dev", seed, anchor, mode: "reset" });
    expect(result.tables).toEqual(Object.fromEntries(TABLE_NAMES.map((t) => [t, planned[t]])));
    expect(await indexDefinitions()).toEqual(indexesBefore);
  });
});
