import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plannedVolumes, seedDatabase, TABLE_NAMES, type SeedResult } from "../src/index.ts";
import { count, foreignKeyOrphans } from "./helpers/integrity.ts";

const anchor = new Date("2026-11-20T12:00:00Z");
let db: TestDatabase;
let result: SeedResult;

beforeAll(async () => {
  db = await createTestDatabase();
  result = await seedDatabase(db, { profile: "tiny", seed: 7, anchor });
});
afterAll(() => db?.drop());

describe("tiny profile, loaded", () => {
  // First: later tests write to characters, which clears pages' all-visible bits.
  it("is ready to query: every seeded table's pages are all-visible, so index-only scans skip the heap", async () => {
    // What VACUUM records and ANALYZE alone does not (it counts a visibility map COPY left empty).
    // The plan itself (index-only or plain index scan) is the planner's choice on tables this small.
    const { rows } = await db.pool.query<{ relname: string; relpages: number; relallvisible: number }>(
      `SELECT c.relname, c.relpages, c.relallvisible FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relpages > 0
         AND c.relname IN ('users', 'characters', 'character_inventory', 'guilds', 'guild_members')`,
    );
    expect(rows.length).toBe(5);
    expect(rows.filter((r) => r.relallvisible < r.relpages)).toEqual([]);
  });

  it("loads the planned volume of every table (within 1%, here exactly)", async () => {
    const planned = plannedVolumes("tiny");
    for (const table of TABLE_NAMES) {
      const actual = await count(db.pool, `SELECT count(*) AS n FROM public."${table}"`);
      expect(actual, table).toBe(result.tables[table]);
      expect(Math.abs(actual - planned[table]) / planned[table], table).toBeLessThanOrEqual(0.01);
    }
    expect(result.totalRows).toBe(Object.values(planned).reduce((a, b) => a + b, 0));
  });

  it("leaves no orphan behind any foreign key", async () => {
    const orphans = await foreignKeyOrphans(db.pool);
    expect(Object.keys(orphans).length).toBeGreaterThan(10);
    expect(Object.entries(orphans).filter(([, n]) => n > 0)).toEqual([]);
  });

  it("has denormalised counters that match the data", async () => {
    const { rows } = await db.pool.query<{ counter: string; rows_corrected: string }>("SELECT * FROM maint.recount_denormalized_counters()");
    expect(rows.map((r) => [r.counter, Number(r.rows_corrected)])).toEqual([["users.character_count", 0], ["guilds.member_count", 0]]);
    expect(await count(db.pool, "SELECT sum(character_count) AS n FROM users")).toBe(await count(db.pool, "SELECT count(*) AS n FROM characters WHERE NOT is_deleted"));
  });

  it("marks exactly the characters with a presence row online (about 5%)", async () => {
    const online = await count(db.pool, "SELECT count(*) AS n FROM characters WHERE is_online");
    expect(online).toBe(await count(db.pool, "SELECT count(*) AS n FROM player_presence"));
    expect(await count(db.pool, "SELECT count(*) AS n FROM characters c WHERE c.is_online <> EXISTS (SELECT 1 FROM player_presence p WHERE p.character_id = c.id)")).toBe(0);
    expect(online / (await count(db.pool, "SELECT count(*) AS n FROM characters"))).toBeCloseTo(0.05, 2);
    expect(await count(db.pool, "SELECT count(*) AS n FROM player_presence p JOIN characters c ON c.id = p.character_id WHERE c.is_deleted")).toBe(0);
  });

  it("keeps guilds within max_members, one guild per character, with a leader each", async () => {
    expect(await count(db.pool, "SELECT count(*) AS n FROM guilds WHERE member_count > max_members OR member_count < 1")).toBe(0);
    expect(await count(db.pool, "SELECT count(*) AS n FROM (SELECT character_id FROM guild_members GROUP BY 1 HAVING count(*) > 1) x")).toBe(0);
    expect(await count(db.pool, "SELECT count(*) AS n FROM guild_members WHERE rank = 'leader'")).toBe(await count(db.pool, "SELECT count(*) AS n FROM guilds"));
    expect(await count(db.pool, "SELECT count(*) AS n FROM guilds g WHERE NOT EXISTS (SELECT 1 FROM guild_members m WHERE m.guild_id = g.id AND m.character_id = g.created_by)")).toBe(0);
  });

  it("spreads levels up to the cap, skewed low, and fills inventories within slot ranges", async () => {
    const { rows } = await db.pool.query<{ lo: number; hi: number; capped: string; low: string }>("SELECT min(level) AS lo, max(level) AS hi, count(*) FILTER (WHERE level = 100) AS capped, count(*) FILTER (WHERE level <= 30) AS low FROM characters");
    expect(rows[0]!.lo).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.hi).toBe(100);
    expect(Number(rows[0]!.low)).toBeGreaterThan(Number(rows[0]!.capped));
    expect(await count(db.pool, "SELECT count(*) AS n FROM character_inventory WHERE (slot_type = 'equipment' AND slot_number >= 19) OR (slot_type = 'bag' AND slot_number >= 64) OR (slot_type = 'bank' AND slot_number >= 48)")).toBe(0);
    expect(await count(db.pool, "SELECT count(DISTINCT class) AS n FROM characters")).toBeGreaterThanOrEqual(8);
  });

  it("has read, unread and expired mail, some with attachments", async () => {
    const { rows } = await db.pool.query<Record<string, string>>(
      "SELECT count(*) FILTER (WHERE is_read) AS read, count(*) FILTER (WHERE NOT is_read) AS unread, count(*) FILTER (WHERE expires_at < $1) AS expired, count(*) FILTER (WHERE jsonb_array_length(attachments) > 0) AS attached FROM character_mail",
      [anchor],
    );
    for (const [key, n] of Object.entries(rows[0]!)) expect(Number(n), key).toBeGreaterThan(0);
  });

  it("puts time series into their own partitions, some older than retention", async () => {
    for (const table of ["character_positions", "combat_log", "analytics_events", "audit_log", "performance_metrics"]) {
      expect(await count(db.pool, `SELECT count(*) AS n FROM ONLY public."${table}_default"`), table).toBe(0);
      expect(await count(db.pool, `SELECT count(DISTINCT tableoid) AS n FROM public."${table}"`), table).toBeGreaterThan(3);
    }
    const prunable = await db.pool.query<{ table_name: string }>("SELECT DISTINCT table_name FROM maint.prune_partitions_dry_run(NULL, $1)", [anchor]);
    expect(prunable.rows.map((r) => r.table_name).sort()).toEqual(["analytics_events", "audit_log", "character_positions", "combat_log", "performance_metrics"]);
  });

  it("stores JSON, text with tabs/newlines/backslashes and bytea intact", async () => {
    const tricky = await count(db.pool, "SELECT count(*) AS n FROM character_mail WHERE body LIKE E'%\\n%' OR body LIKE E'%\\t%' OR body LIKE E'%\\\\%'");
    expect(tricky).toBeGreaterThan(0);
    expect(await count(db.pool, "SELECT count(*) AS n FROM sessions WHERE octet_length(token_hash) <> 32")).toBe(0);
    expect(await count(db.pool, "SELECT count(*) AS n FROM analytics_events WHERE jsonb_typeof(event_data) <> 'object'")).toBe(0);
  });
});
