import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePartitions, prunePartitions } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { addDays, addMonths, insertRouted, type LogTable } from "./helpers/partitions.ts";
import { backendPid, failureOf, prng, waitUntil } from "./helpers/sql.ts";

/**
 * "Upkeep while four writers insert continuously loses no row and fails no insert." Four
 * connections insert 5,000 rows each into combat_log and character_positions, with timestamps
 * spread from the past to five years ahead (many land in DEFAULT), while two upkeep loops overlap
 * (pg_cron's job and an operator's `mmo partitions ensure`, both per table through the sandbox) and
 * a third prunes: partitions are created and DEFAULT's rows moved under the writers' feet. Bounded
 * by row count, not by time. Then the deadlock shape of a game transaction that writes two tables
 * while upkeep walks all of them, forced deterministically.
 */
let db: TestDatabase;
const WRITERS = 4;
const ROWS_PER_WRITER = 5000;
const MAX_UPKEEP_RUNS = 2000; // a bound for the loop; it normally stops when the writers do

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Instants from 2 months back to 5 years ahead (combat_log), or 3 days back to 30 ahead (positions, daily). */
function timestampFor(table: LogTable, random: () => number): Date {
  const now = new Date();
  if (table === "character_positions") return new Date(addDays(now, -3 + Math.floor(random() * 34)).getTime() + Math.floor(random() * 86_400_000) - 43_200_000);
  const month = addMonths(now, -2 + Math.floor(random() * 63));
  return new Date(month.getTime() + Math.floor(random() * 27 * 86_400_000));
}

async function countRows(sql: string): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(sql)).rows[0]!.n);
}

describe("partition upkeep under concurrent writers", () => {
  it("upkeep while four writers insert continuously loses no row and fails no insert", async () => {
    const insertErrors: string[] = [];
    const upkeepErrors: string[] = [];
    const written = { combat_log: 0, character_positions: 0 };
    let writersDone = false;
    let runsDuringWrites = 0;
    let rowsMoved = 0;

    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const random = prng(7 + w);
      for (let i = 0; i < ROWS_PER_WRITER; i++) {
        const table: LogTable = i % 2 === 0 ? "combat_log" : "character_positions";
        const failure = await failureOf(insertRouted(db.pool, table, timestampFor(table, random)));
        if (failure) insertErrors.push(`${table}: ${failure.code} ${failure.message}`);
        else written[table]++;
      }
    });
    const allWritten = Promise.all(writers).finally(() => {
      writersDone = true;
    });

    const upkeep = async () => {
      const rows = await ensurePartitions(db.pool);
      rowsMoved += rows.reduce((sum, r) => sum + r.rowsMoved, 0);
      return rows;
    };
    const loop = async (step: () => Promise<unknown>) => {
      for (let run = 0; run < MAX_UPKEEP_RUNS && !writersDone; run++) {
        const failure = await failureOf(step());
        if (failure) upkeepErrors.push(`${failure.code} ${failure.message}`);
        runsDuringWrites++;
      }
    };
    // pg_cron's job and an operator's ensure overlap; prune (nothing to retire here) takes the same lock.
    await Promise.all([loop(upkeep), loop(upkeep), loop(() => prunePartitions(db.pool))]);
    await allWritten;
    // A last run after the writers, like the next hourly job: it must finish the job cleanly.
    const last = await upkeep();
    expect(last.filter((r) => r.action === "skipped_lock_timeout" || r.action === "conflict")).toEqual([]);

    expect(insertErrors).toEqual([]);
    expect(upkeepErrors).toEqual([]);
    expect(written).toEqual({ combat_log: WRITERS * ROWS_PER_WRITER / 2, character_positions: WRITERS * ROWS_PER_WRITER / 2 });
    expect(runsDuringWrites).toBeGreaterThan(0);
    // No row lost or duplicated while being moved out of DEFAULT...
    expect(await countRows(`SELECT count(*) AS n FROM "combat_log"`)).toBe(written.combat_log);
    expect(await countRows(`SELECT count(*) AS n FROM "character_positions"`)).toBe(written.character_positions);
    expect(await countRows(`SELECT count(DISTINCT ("id", "timestamp")) AS n FROM "combat_log"`)).toBe(written.combat_log);
    // ...and after the last run every row sits in a real partition.
    expect(await countRows(`SELECT count(*) AS n FROM ONLY "combat_log_default"`)).toBe(0);
    expect(await countRows(`SELECT count(*) AS n FROM ONLY "character_positions_default"`)).toBe(0);
    // Upkeep really had rows to move (timestamps five years ahead have no premade partition).
    expect(rowsMoved).toBeGreaterThan(0);
  });

  it("a game transaction writing two tables while upkeep walks every table is never the deadlock victim", async () => {
    const game = new pg.Client({ connectionString: db.url });
    const upkeepClient = new pg.Client({ connectionString: db.url });
    await game.connect();
    await upkeepClient.connect();
    try {
      // The game session detects a lock cycle after 10 ms, long before upkeep's 200 ms waits end:
      // if a cycle formed, the game's insert would be the one to fail.
      await game.query("SET deadlock_timeout = '10ms'");
      await game.query("BEGIN");
      await insertRouted(game, "character_positions", new Date());
      const upkeepPid = await backendPid(upkeepClient);
      // Two years ahead: every table has partitions to create, so upkeep locks each in turn.
      const upkeep = failureOf(upkeepClient.query("CALL maint.ensure_all_partitions(now() + interval '2 years')"));
      // Upkeep has reached character_positions (after analytics_events and audit_log) and waits for the game.
      await waitUntil(db.pool, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted AND relation = 'public.character_positions'::regclass) AS ok", [upkeepPid]);
      // The game now writes a table upkeep has already been through.
      expect(await failureOf(insertRouted(game, "audit_log", new Date()))).toBeNull();
      await game.query("COMMIT");
      expect(await upkeep).toBeNull();
      const left = await db.pool.query("SELECT table_name FROM maint.partition_policy p WHERE EXISTS (SELECT 1 FROM maint.plan_partitions(p.table_name, now() + interval '2 years') x WHERE x.status = 'missing')");
      expect(left.rows).toEqual([]);
    } finally {
      await game.end();
      await upkeepClient.end();
    }
  });

  it("a second ensure run waits for the job lock holding no lock on the table, so a queued insert cannot be caught between two runs", async () => {
    // The shape that killed inserts: run 1 had read DEFAULT (a lock to the end of its transaction)
    // while run 2 held the parent and needed DEFAULT; an insert queued on the parent was the victim.
    const first = new pg.Client({ connectionString: db.url });
    const second = new pg.Client({ connectionString: db.url });
    const game = new pg.Client({ connectionString: db.url });
    for (const c of [first, second, game]) await c.connect();
    try {
      await game.query("SET deadlock_timeout = '10ms'");
      await first.query("BEGIN");
      // Three years ahead: there is work, so run 1 holds the parent until it commits.
      await first.query("SELECT * FROM maint.ensure_partitions('character_positions', now() + interval '3 years')");
      const secondPid = await backendPid(second);
      const secondRun = failureOf(second.query("SELECT * FROM maint.ensure_partitions('character_positions', now() + interval '3 years')"));
      await waitUntil(db.pool, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted) AS ok", [secondPid]);
      const held = await db.pool.query(
        `SELECT l.relation::regclass::text AS rel FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE l.pid = $1 AND l.locktype = 'relation' AND c.relname LIKE 'character\\_positions%'`,
        [secondPid],
      );
      expect(held.rows).toEqual([]);
      const gamePid = await backendPid(game);
      const insert = failureOf(insertRouted(game, "character_positions", new Date()));
      await waitUntil(db.pool, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted AND locktype = 'relation') AS ok", [gamePid]);
      await first.query("COMMIT");
      expect(await insert).toBeNull();
      expect(await secondRun).toBeNull();
    } finally {
      for (const c of [first, second, game]) await c.end();
    }
  });
});
