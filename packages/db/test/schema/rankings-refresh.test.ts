import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { createCharacter, createGuilds, createUsers } from "./helpers/counters.ts";
import { backendPid, failureOf, waitUntil, WAITS_ON_RELATION } from "./helpers/sql.ts";

/**
 * "The view refreshes concurrently while another session reads it." To know the reads happen
 * *during* the refresh (not before or after it), a third session holds a lock on guilds, so the
 * refresh stops half-way: it already holds its lock on guild_rankings and waits to read guilds.
 * Readers have lock_timeout = 2s: if the refresh blocked them they would fail with 55P03. The
 * same set-up with a plain refresh shows that the readers do fail then, so the check has teeth.
 */
let db: TestDatabase;
let user: string;

beforeAll(async () => {
  db = await createTestDatabase();
  [user] = (await createUsers(db.pool, 1, "rank")) as [string];
  await addRankedGuilds(20, "before");
  await db.pool.query("SELECT count(*) FROM maint.refresh_rankings()");
});
afterAll(async () => {
  await db?.drop();
});

/** Guilds with one real member each (the view lists guilds with member_count > 0). */
async function addRankedGuilds(count: number, prefix: string): Promise<void> {
  const founder = await createCharacter(db.pool, user, `${prefix}_founder`);
  const guilds = await createGuilds(db.pool, count, `${prefix}g`, 50, founder);
  for (const [i, guild] of guilds.entries()) {
    const member = await createCharacter(db.pool, user, `${prefix}_m${i}`);
    await db.pool.query(`INSERT INTO "guild_members" ("guild_id", "character_id") VALUES ($1, $2)`, [guild, member]);
  }
}

/** A reader connection with lock_timeout = 2s. Release it with release(true): the setting must not leak into the pool. */
async function openReader(): Promise<pg.PoolClient> {
  const reader = await db.pool.connect();
  await reader.query("SET lock_timeout = '2s'");
  return reader;
}
const countRanked = async (c: pg.ClientBase) => Number((await c.query(`SELECT count(*) AS n FROM "guild_rankings"`)).rows[0].n);

/**
 * Starts refresh_rankings on its own connection, with guilds locked by another, and returns once
 * the refresh is stuck half-way. release() lets it finish and resolves to its result rows.
 */
async function stalledRefresh(concurrently: boolean): Promise<{ release: () => Promise<{ refresh_mode: string }[]> }> {
  const blocker = await db.pool.connect();
  const refresher = await db.pool.connect();
  await blocker.query("BEGIN");
  await blocker.query(`LOCK TABLE "guilds" IN ACCESS EXCLUSIVE MODE`);
  // The refresh must wait as long as it takes (a pooled connection could carry another lock_timeout).
  await refresher.query("SET lock_timeout = 0");
  const pid = await backendPid(refresher);
  const result = refresher.query(`SELECT "refresh_mode" FROM maint.refresh_rankings($1, 'guild_rankings')`, [concurrently]);
  result.catch(() => undefined);
  const release = async () => {
    await blocker.query("COMMIT");
    blocker.release();
    try {
      return (await result).rows;
    } finally {
      refresher.release();
    }
  };
  try {
    await waitUntil(db.pool, WAITS_ON_RELATION, [pid, "guilds"]);
    // Half-way: the refresh holds its lock on the view. Only a plain refresh takes ACCESS EXCLUSIVE,
    // the one lock mode that conflicts with a reader's ACCESS SHARE.
    const held = await db.pool.query<{ mode: string }>(
      `SELECT mode FROM pg_locks WHERE pid = $1 AND granted AND relation = 'guild_rankings'::regclass`,
      [pid],
    );
    const modes = held.rows.map((r) => r.mode);
    expect(modes).toContain("ExclusiveLock");
    expect(modes.includes("AccessExclusiveLock")).toBe(!concurrently);
  } catch (error) {
    await release().catch(() => undefined); // never leave the lock held: the pool could not close
    throw error;
  }
  return { release };
}

describe("the view refreshes concurrently while another session reads it", () => {
  it("readers (an open REPEATABLE READ transaction and fresh queries) are never blocked; new data shows afterwards", async () => {
    const reader = await openReader();
    try {
      await reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      expect(await countRanked(reader)).toBe(20);
      await addRankedGuilds(5, "during");

      const refresh = await stalledRefresh(true);
      for (let i = 0; i < 5; i++) expect(await countRanked(reader)).toBe(20); // same snapshot, not blocked
      const fresh = await openReader();
      try {
        expect(await countRanked(fresh)).toBe(20); // a new session reads the old contents, not blocked
        expect(await refresh.release()).toEqual([{ refresh_mode: "concurrently" }]);
        expect(await countRanked(fresh)).toBe(25);
      } finally {
        fresh.release(true);
      }
      // The repeatable-read reader keeps its snapshot until it ends, then sees the refresh.
      expect(await countRanked(reader)).toBe(20);
      await reader.query("COMMIT");
      expect(await countRanked(reader)).toBe(25);
      const ranks = await reader.query(`SELECT min("rank")::int AS lo, max("rank")::int AS hi FROM "guild_rankings"`);
      expect(ranks.rows[0]).toEqual({ lo: 1, hi: 1 }); // all at level 1, experience 0: tied
    } finally {
      reader.release(true);
    }
  });

  it("a reader keeps reading while refreshes run back to back (looping SELECTs, bounded)", async () => {
    const reader = await openReader();
    try {
      let refreshes = 0;
      let done = false;
      const refreshing = (async () => {
        for (; refreshes < 10; refreshes++) await db.pool.query("SELECT count(*) FROM maint.refresh_rankings()");
      })().finally(() => {
        done = true;
      });
      const errors: string[] = [];
      for (let i = 0; i < 5000 && !done; i++) {
        const failure = await failureOf(countRanked(reader));
        if (failure) errors.push(`${failure.code} ${failure.message}`);
      }
      await refreshing;
      expect(errors).toEqual([]);
      expect(refreshes).toBe(10);
    } finally {
      reader.release(true);
    }
  });

  it("control: a plain refresh does block a reader, which then fails on lock_timeout", async () => {
    const refresh = await stalledRefresh(false);
    const reader = await openReader();
    let failure;
    try {
      failure = await failureOf(countRanked(reader));
    } finally {
      reader.release(true);
      expect(await refresh.release()).toEqual([{ refresh_mode: "plain" }]);
    }
    expect(failure?.code).toBe("55P03");
  });
});
