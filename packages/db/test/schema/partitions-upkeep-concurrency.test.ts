import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { addDays, addMonths, insertRouted, type LogTable } from "./helpers/partitions.ts";
import { failureOf, prng } from "./helpers/sql.ts";

/**
 * "Upkeep while four writers insert continuously loses no row and fails no insert." Four
 * connections insert a fixed number of rows into combat_log and character_positions, with
 * timestamps spread from the past to five years ahead (many land in DEFAULT), while
 * ensure_partitions runs over and over on a fifth connection, creating partitions and moving
 * DEFAULT's rows into them under the writers' feet. Bounded by row count, not by time.
 */
let db: TestDatabase;
const WRITERS = 4;
const ROWS_PER_WRITER = 250;
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
      const { rows } = await db.pool.query<{ action: string; rows_moved: string }>(`SELECT "action", "rows_moved" FROM maint.ensure_partitions()`);
      rowsMoved += rows.reduce((sum, r) => sum + Number(r.rows_moved), 0);
      return rows;
    };
    for (let run = 0; run < MAX_UPKEEP_RUNS && !writersDone; run++) {
      const failure = await failureOf(upkeep());
      if (failure) upkeepErrors.push(`${failure.code} ${failure.message}`);
      runsDuringWrites++;
    }
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
});
