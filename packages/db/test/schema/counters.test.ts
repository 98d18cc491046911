import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { createCharacter, createGuilds, createUsers, wrongCharacterCounts, wrongMemberCounts } from "./helpers/counters.ts";
import { failureOf, prng } from "./helpers/sql.ts";

/**
 * "The counters stay right under concurrent inserts and deletes": 8 connections change characters
 * and guild memberships at once (every path the triggers handle), then users.character_count and
 * guilds.member_count must equal a recount. And the backfill corrects a corrupted counter.
 */
let db: TestDatabase;
const WORKERS = 8; // = the pool size, so all of them really run at once
const OPS_PER_WORKER = 150;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

type Op = "insert" | "softDelete" | "undelete" | "hardDelete" | "moveUser" | "join" | "leave" | "switchGuild";
const OPS: Op[] = ["insert", "softDelete", "undelete", "hardDelete", "moveUser", "join", "leave", "switchGuild"];

describe("the counters stay right under concurrent inserts and deletes", () => {
  it("matches a recount after 8 clients insert, soft-delete, undelete, hard-delete, move and join/leave", async () => {
    const users = await createUsers(db.pool, 5, "cc");
    const guilds = await createGuilds(db.pool, 4, "ccguild", 100_000, randomUUID());
    // Characters every worker may touch, so workers collide on the same rows and counters.
    const chars: string[] = [];
    for (let i = 0; i < 40; i++) chars.push(await createCharacter(db.pool, users[i % users.length]!, `cc_seed_${i}`));

    const affected = new Map<Op, number>(OPS.map((o) => [o, 0]));
    const unexpected: string[] = [];
    let deadlocks = 0; // counted for debugging; a retried deadlock loses nothing, so it is not a failure

    async function run(op: Op, w: number, j: number, pick: () => number): Promise<void> {
      const ch = chars[Math.floor(pick() * chars.length)]!;
      const user = users[Math.floor(pick() * users.length)]!;
      const guild = guilds[Math.floor(pick() * guilds.length)]!;
      const sql: Record<Op, [string, unknown[]]> = {
        insert: [`INSERT INTO "characters" ("user_id", "name", "class", "race") VALUES ($1, $2, 'mage', 'elf') RETURNING "id"`, [user, `cc_w${w}_${j}`]],
        softDelete: [`UPDATE "characters" SET "is_deleted" = true, "deleted_at" = now() WHERE "id" = $1 AND NOT "is_deleted"`, [ch]],
        undelete: [`UPDATE "characters" SET "is_deleted" = false, "deleted_at" = NULL WHERE "id" = $1 AND "is_deleted"`, [ch]],
        hardDelete: [`DELETE FROM "characters" WHERE "id" = $1`, [ch]],
        moveUser: [`UPDATE "characters" SET "user_id" = $2 WHERE "id" = $1 AND "user_id" <> $2`, [ch, user]],
        join: [`INSERT INTO "guild_members" ("guild_id", "character_id") VALUES ($1, $2) ON CONFLICT DO NOTHING`, [guild, ch]],
        leave: [`DELETE FROM "guild_members" WHERE "character_id" = $1`, [ch]],
        switchGuild: [`UPDATE "guild_members" SET "guild_id" = $2 WHERE "character_id" = $1 AND "guild_id" <> $2`, [ch, guild]],
      };
      const [text, values] = sql[op];
      // A deadlock rolls the statement back (counters included); like an application, retry it.
      for (let attempt = 0; attempt < 5; attempt++) {
        let rowCount = 0;
        const failure = await failureOf(db.pool.query(text, values).then((r) => {
          rowCount = r.rowCount ?? 0;
          if (op === "insert") chars.push(r.rows[0].id);
        }));
        if (!failure) return void affected.set(op, affected.get(op)! + rowCount);
        if (failure.code === "40P01") { deadlocks++; continue; }
        // Expected races: joining with a character another worker just deleted (FK), or
        // switching into a guild the character is already in (primary key).
        if ((op === "join" && failure.code === "23503") || (op === "switchGuild" && failure.code === "23505")) return;
        unexpected.push(`${op}: ${failure.code} ${failure.message}`);
        return;
      }
      unexpected.push(`${op}: deadlocked 5 times in a row (${deadlocks} deadlocks so far)`);
    }

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const pick = prng(1000 + w);
        for (let j = 0; j < OPS_PER_WORKER; j++) await run(OPS[Math.floor(pick() * OPS.length)]!, w, j, pick);
      }),
    );

    expect(unexpected).toEqual([]);
    // The workload really exercised every trigger path.
    for (const op of OPS) expect(affected.get(op), op).toBeGreaterThan(0);
    expect(await wrongCharacterCounts(db.pool)).toEqual([]);
    expect(await wrongMemberCounts(db.pool)).toEqual([]);
    // Nothing to correct: the backfill agrees with the triggers.
    const { rows } = await db.pool.query(`SELECT "counter", "rows_corrected"::int AS n FROM maint.recount_denormalized_counters() ORDER BY 1`);
    expect(rows).toEqual([{ counter: "guilds.member_count", n: 0 }, { counter: "users.character_count", n: 0 }]);
  });

  it("maint.recount_denormalized_counters() corrects deliberately corrupted counters", async () => {
    const [user] = await createUsers(db.pool, 1, "rc");
    const [full, small] = await createGuilds(db.pool, 2, "rcguild", 2, randomUUID());
    const chars = [];
    for (let i = 0; i < 3; i++) chars.push(await createCharacter(db.pool, user!, `rc_${i}`));
    await db.pool.query(`INSERT INTO "guild_members" ("guild_id", "character_id") VALUES ($1, $2)`, [full, chars[0]]);

    // Corrupt: a wrong character_count, a wrong member_count, and a bulk load that bypassed the
    // trigger and left a guild with more members than its cap.
    await db.pool.query(`UPDATE "users" SET "character_count" = 42 WHERE "id" = $1`, [user]);
    await db.pool.query(`UPDATE "guilds" SET "member_count" = 0 WHERE "id" = $1`, [full]);
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`ALTER TABLE "guild_members" DISABLE TRIGGER "trg_guild_members_member_count"`);
      for (const ch of chars) await client.query(`INSERT INTO "guild_members" ("guild_id", "character_id") VALUES ($1, $2)`, [small, ch]);
      await client.query(`ALTER TABLE "guild_members" ENABLE TRIGGER "trg_guild_members_member_count"`);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    expect((await wrongCharacterCounts(db.pool)).map((r) => r.id)).toEqual([user]);
    expect((await wrongMemberCounts(db.pool)).map((r) => r.id).sort()).toEqual([full, small].sort());

    const { rows } = await db.pool.query(`SELECT "counter", "rows_corrected"::int AS n FROM maint.recount_denormalized_counters() ORDER BY 1`);
    expect(rows).toEqual([{ counter: "guilds.member_count", n: 2 }, { counter: "users.character_count", n: 1 }]);
    expect(await wrongCharacterCounts(db.pool)).toEqual([]);
    expect(await wrongMemberCounts(db.pool)).toEqual([]);
    const capped = await db.pool.query(`SELECT "member_count", "max_members" FROM "guilds" WHERE "id" = $1`, [small]);
    expect(capped.rows[0]).toEqual({ member_count: 3, max_members: 3 });
  });
});
