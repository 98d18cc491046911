import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { seedArchiveFixture, whereAre, type ArchiveFixture } from "./helpers/archive-fixture.ts";
import { createCharacter, createUsers } from "./helpers/counters.ts";
import { backendPid, failureOf, waitUntil } from "./helpers/sql.ts";

/**
 * "Archival is exactly-once, including an interrupted run." Runs are interrupted three ways (the
 * caller's transaction rolls back; the backend is terminated while its batch is half done; the
 * statement times out), then the archive completes in small batches from four parallel callers:
 * every expired character ends up exactly once in characters_archive and gone from characters,
 * with its dependent rows handled as the migration documents.
 */
let db: TestDatabase;
let fx: ArchiveFixture;
const counters = { characterCount: 0, memberCount: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedArchiveFixture(db.pool);
  const { rows } = await db.pool.query(
    `SELECT (SELECT "character_count" FROM "users" WHERE "id" = $1) AS cc, (SELECT "member_count" FROM "guilds" WHERE "id" = $2) AS mc`,
    [fx.owner, fx.guild],
  );
  Object.assign(counters, { characterCount: rows[0].cc, memberCount: rows[0].mc });
});
afterAll(async () => {
  await db?.drop();
});

const untouched = () => ({ live: fx.expired.length, archived: 0, both: 0 });

/** Holds a row lock on the rich character's guild membership: its cascade delete must wait on it. */
async function blockCascade<T>(run: (archiver: pg.PoolClient, holderPid: number) => Promise<T>): Promise<T> {
  const holder = await db.pool.connect();
  const archiver = await db.pool.connect();
  archiver.on("error", () => undefined); // a terminated backend reports on the client as well
  try {
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "guild_members" WHERE "character_id" = $1 FOR UPDATE`, [fx.rich]);
    return await run(archiver, await backendPid(holder));
  } finally {
    await holder.query("ROLLBACK");
    holder.release();
    archiver.release(true); // terminated or timed out: never hand it back to the pool
  }
}

describe("archival is exactly-once, including an interrupted run", () => {
  it("a batch whose transaction rolls back archives nothing", async () => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query(`SELECT maint.archive_deleted_characters('90 days', 10) AS n`);
      expect(rows[0].n).toBe(10);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await whereAre(db.pool, fx.expired)).toEqual(untouched());
  });

  it("a backend terminated in the middle of a batch (rows locked, archive written, cascade waiting) archives nothing", async () => {
    const failure = await blockCascade(async (archiver, holderPid) => {
      const pid = await backendPid(archiver);
      const call = failureOf(archiver.query(`SELECT maint.archive_deleted_characters('90 days', 10)`));
      // The batch is inside its one statement, blocked on the membership row the holder locked.
      await waitUntil(db.pool, "SELECT $2::int = ANY (pg_blocking_pids($1)) AS ok", [pid, holderPid]);
      await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
      return call;
    }).catch((error: unknown) => ({ code: "client", constraint: undefined, message: String(error) }));
    expect(failure?.code).toMatch(/^(57P01|client)$/); // admin shutdown, or the client saw the socket close
    expect(await whereAre(db.pool, fx.expired)).toEqual(untouched());
  });

  it("a batch cut by statement_timeout archives nothing", async () => {
    const failure = await blockCascade(async (archiver) => {
      await archiver.query("SET statement_timeout = '300ms'");
      return failureOf(archiver.query(`SELECT maint.archive_deleted_characters('90 days', 10)`));
    });
    expect(failure?.code).toBe("57014");
    expect(await whereAre(db.pool, fx.expired)).toEqual(untouched());
  });

  it("re-run in batches by four parallel callers: each expired character archived exactly once", async () => {
    const perCaller = await Promise.all(
      Array.from({ length: 4 }, async () => {
        let total = 0;
        for (let i = 0; i < 50; i++) {
          const n = (await db.pool.query(`SELECT maint.archive_deleted_characters('90 days', 7) AS n`)).rows[0].n as number;
          if (n === 0) break;
          total += n;
        }
        return total;
      }),
    );
    // Callers may stop while another still holds rows (SKIP LOCKED); a last call finds nothing.
    expect((await db.pool.query(`SELECT maint.archive_deleted_characters('90 days', 7) AS n`)).rows[0].n).toBe(0);
    expect(perCaller.reduce((a, b) => a + b, 0)).toBe(fx.expired.length);
    expect(await whereAre(db.pool, fx.expired)).toEqual({ live: 0, archived: fx.expired.length, both: 0 });
    // Deleted 80 days ago, or not deleted: untouched.
    expect(await whereAre(db.pool, [...fx.recent, fx.live])).toEqual({ live: fx.recent.length + 1, archived: 0, both: 0 });
  });

  it("dependent rows: snapshotted and cascaded, sent mail and logs kept, counters right", async () => {
    const { rows } = await db.pool.query(`SELECT "snapshot", "name", "is_deleted" FROM "characters_archive" WHERE "id" = $1`, [fx.rich]);
    const snap = rows[0].snapshot;
    expect(snap.stats.strength).toBe(17);
    expect(snap.inventory.map((i: { item_id: number }) => i.item_id)).toEqual([501, 502]);
    expect(snap.abilities.map((a: { ability_id: number }) => a.ability_id)).toEqual([7]);
    expect(snap.quests.map((q: { quest_id: number }) => q.quest_id)).toEqual([9]);
    expect(snap.achievements.map((a: { achievement_id: number }) => a.achievement_id)).toEqual([11]);
    expect(snap.guild_memberships.map((m: { guild_id: string }) => m.guild_id)).toEqual([fx.guild]);

    const left = await db.pool.query(
      `SELECT (SELECT count(*) FROM "character_stats" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_inventory" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_abilities" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_quests" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_achievements" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "guild_members" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_effects" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "player_presence" WHERE "character_id" = $1)
            + (SELECT count(*) FROM "character_relationships" WHERE $1 IN ("character_id", "related_character_id"))
            + (SELECT count(*) FROM "character_mail" WHERE "recipient_id" = $1) AS n`,
      [fx.rich],
    );
    expect(Number(left.rows[0].n)).toBe(0);
    const sent = await db.pool.query(`SELECT "sender_id", "sender_name" FROM "character_mail" WHERE "subject" = 'from rich'`);
    expect(sent.rows).toEqual([{ sender_id: null, sender_name: fx.richName }]);
    const logs = await db.pool.query(`SELECT count(*)::int AS n FROM "combat_log" WHERE "source_id" = $1`, [fx.rich]);
    expect(logs.rows[0].n).toBe(1);
    const c = await db.pool.query(
      `SELECT (SELECT "character_count" FROM "users" WHERE "id" = $1) AS cc, (SELECT "member_count" FROM "guilds" WHERE "id" = $2) AS mc`,
      [fx.owner, fx.guild],
    );
    expect(c.rows[0]).toEqual({ cc: counters.characterCount, mc: counters.memberCount - 1 });
  });

  it("a reused name is archived again; a re-deleted id is overwritten, still once", async () => {
    // The name is free again once archived; its new owner deletes it too (defect fix: no unique name).
    const again = await createCharacter(db.pool, fx.other, fx.richName);
    const restored = fx.expired[1]!;
    await db.pool.query(
      `INSERT INTO "characters" ("id", "user_id", "name", "class", "race", "level")
       SELECT "id", "user_id", "name", "class", "race", 42 FROM "characters_archive" WHERE "id" = $1`,
      [restored],
    );
    await db.pool.query(`UPDATE "characters" SET "is_deleted" = true, "deleted_at" = now() - interval '91 days' WHERE "id" = ANY ($1::uuid[])`, [[again, restored]]);
    expect((await db.pool.query(`SELECT maint.archive_deleted_characters('90 days', 10) AS n`)).rows[0].n).toBe(2);

    const named = await db.pool.query(`SELECT "id" FROM "characters_archive" WHERE "name" = $1 ORDER BY "archived_at"`, [fx.richName]);
    expect(named.rows.map((r) => r.id).sort()).toEqual([fx.rich, again].sort());
    const latest = await db.pool.query(`SELECT count(*)::int AS n, max("level") AS level FROM "characters_archive" WHERE "id" = $1`, [restored]);
    expect(latest.rows[0]).toEqual({ n: 1, level: 42 });
    expect(await whereAre(db.pool, [again, restored])).toEqual({ live: 0, archived: 2, both: 0 });
  });

  it("two batches at once serialise on the job's lock: characters related both ways cannot deadlock in the cascade", async () => {
    // The fixture's expired characters are archived above: only these two are eligible. Each is related to the
    // other in both directions, so their cascades delete the same two rows in opposite orders.
    const [user] = await createUsers(db.pool, 1, "cascade");
    const a = await createCharacter(db.pool, user!, "CascadeA");
    const b = await createCharacter(db.pool, user!, "CascadeB");
    await db.pool.query(
      `INSERT INTO "character_relationships" ("character_id", "related_character_id", "relationship_type") VALUES ($1, $2, 'friend'), ($2, $1, 'friend')`,
      [a, b],
    );
    await db.pool.query(`UPDATE "characters" SET "is_deleted" = true, "deleted_at" = now() - interval '200 days' WHERE "id" IN ($1, $2)`, [a, b]);
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      await first.query("BEGIN");
      expect((await first.query(`SELECT maint.archive_deleted_characters('90 days', 1) AS n`)).rows[0].n).toBe(1);
      const secondPid = await backendPid(second);
      const running = second.query(`SELECT maint.archive_deleted_characters('90 days', 1) AS n`);
      // The second batch waits for the job's advisory lock, before it touches any row.
      await waitUntil(db.pool, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted) AS ok", [secondPid]);
      await first.query("COMMIT");
      expect((await running).rows[0].n).toBe(1);
    } finally {
      first.release();
      second.release();
    }
    expect(await whereAre(db.pool, [a, b])).toEqual({ live: 0, archived: 2, both: 0 });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM "character_relationships" WHERE $1 IN ("character_id", "related_character_id")`, [a])).rows[0].n).toBe(0);
  });
});
