import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { failureOf } from "../schema/helpers/sql.ts";

/**
 * The read-only SQL checks `mmo validate` reports: maint.counter_drift, maint.expiry_backlog and
 * maint.archivable_characters. Each must agree with the function it mirrors.
 */
let db: TestDatabase;
let userId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  userId = (await db.pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('checks@example.test', 'x') RETURNING id")).rows[0]!.id;
});
afterAll(async () => {
  await db?.drop();
});

async function backlog(job: string | null, grace = "1 hour"): Promise<Record<string, number>> {
  const { rows } = await db.pool.query<{ table_name: string; backlog: string; overdue: string }>("SELECT * FROM maint.expiry_backlog($1, $2::interval)", [job, grace]);
  return Object.fromEntries(rows.map((r) => [`${r.table_name}: ${r.backlog}`, Number(r.overdue)]));
}

describe("maint.counter_drift", () => {
  it("counts the rows whose counter differs from the data, and recount fixes exactly those", async () => {
    await db.pool.query("INSERT INTO characters (user_id, name, class, race) VALUES ($1, 'drift_a', 'mage', 'elf'), ($1, 'drift_b', 'mage', 'elf')", [userId]);
    const drift = async () => Object.fromEntries((await db.pool.query<{ counter: string; drifted: string }>("SELECT * FROM maint.counter_drift()")).rows.map((r) => [r.counter, Number(r.drifted)]));
    expect(await drift()).toEqual({ "users.character_count": 0, "guilds.member_count": 0 });
    await db.pool.query("ALTER TABLE users DISABLE TRIGGER USER");
    await db.pool.query("UPDATE users SET character_count = 5 WHERE id = $1", [userId]);
    await db.pool.query("ALTER TABLE users ENABLE TRIGGER USER");
    expect(await drift()).toEqual({ "users.character_count": 1, "guilds.member_count": 0 });
    const fixed = await db.pool.query<{ counter: string; rows_corrected: string }>("SELECT * FROM maint.recount_denormalized_counters()");
    expect(fixed.rows.find((r) => r.counter === "users.character_count")?.rows_corrected).toBe("1");
    expect(await drift()).toEqual({ "users.character_count": 0, "guilds.member_count": 0 });
  });
});

describe("maint.expiry_backlog", () => {
  it("counts rows past their job's limit by more than the grace, per job", async () => {
    await db.pool.query(
      `INSERT INTO world_state (zone_id, instance_id, state_type, state_data, expires_at)
       VALUES (1, 'a', 'boss', '{}', now() - interval '3 hours'), (1, 'b', 'boss', '{}', now() - interval '10 minutes'), (1, 'c', 'boss', '{}', NULL)`,
    );
    await db.pool.query(
      `INSERT INTO sessions (user_id, token_hash, created_at, expires_at)
       VALUES ($1, '\\x01'::bytea, now() - interval '40 days', now() - interval '32 days'), ($1, '\\x02'::bytea, now() - interval '40 days', now() - interval '30 days 10 minutes')`,
      [userId],
    );
    const all = await backlog(null);
    expect(all["world_state: expired world_state rows not deleted"]).toBe(1);
    expect(all["sessions: sessions expired or revoked over 30 days ago not purged"]).toBe(1);
    expect(Object.keys(all)).toHaveLength(8);
    // A longer grace (the daily purge's schedule) no longer reports the session.
    expect((await backlog("mmo-purge-sessions", "3 days"))["sessions: sessions expired or revoked over 30 days ago not purged"]).toBe(0);
    expect(Object.keys(await backlog("mmo-expire-world-state"))).toEqual(["world_state: expired world_state rows not deleted"]);
    expect(await backlog("mmo-ensure-partitions")).toEqual({});

    // What the expiry functions delete is exactly what was overdue at grace 0.
    const due = (await backlog("mmo-expire-world-state", "0 seconds"))["world_state: expired world_state rows not deleted"];
    const deleted = (await db.pool.query<{ n: number }>("SELECT maint.expire_world_state() AS n")).rows[0]!.n;
    expect(deleted).toBe(due);
    expect(await failureOf(db.pool.query("SELECT * FROM maint.expiry_backlog(NULL, interval '-1 hour')"))).toMatchObject({ code: "22023" });
  });
});

describe("maint.archivable_characters", () => {
  it("counts what maint.archive_deleted_characters moves", async () => {
    await db.pool.query(
      `INSERT INTO characters (user_id, name, class, race, is_deleted, deleted_at)
       SELECT $1, 'gone_' || g, 'warrior', 'human', true, now() - (g * interval '40 days') FROM generate_series(1, 4) g`,
      [userId],
    );
    const count = async (age: string) => Number((await db.pool.query<{ n: string }>("SELECT maint.archivable_characters($1::interval) AS n", [age])).rows[0]!.n);
    expect(await count("90 days")).toBe(2);
    expect(await count("30 days")).toBe(4);
    const moved = (await db.pool.query<{ n: number }>("SELECT maint.archive_deleted_characters(interval '90 days', 100) AS n")).rows[0]!.n;
    expect(moved).toBe(2);
    expect(await count("90 days")).toBe(0);
    expect(await failureOf(db.pool.query("SELECT maint.archivable_characters(interval '-1 day')"))).toMatchObject({ code: "22023" });
  });
});
