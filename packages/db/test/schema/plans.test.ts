import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { explain, HOT_QUERIES, loadPlanData, planNodes, rootIndexes } from "./helpers/plans.ts";

/**
 * "Plans: for the hot queries, EXPLAIN on a database with enough rows for the planner to care
 * shows the intended index and partition pruning." No planner setting is changed: the data is
 * sized so that the intended plan is the cheapest one. To see the plans themselves:
 * `pnpm exec tsx test/schema/print-plans.ts` (packages/db).
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await loadPlanData(db.pool);
});
afterAll(async () => {
  await db?.drop();
});

describe("hot queries use their index", () => {
  it.each(HOT_QUERIES.map((q) => [q.name, q] as const))("%s", async (_name, q) => {
    const nodes = planNodes(await explain(db.pool, q.sql, await q.params(db.pool)));
    const scans = nodes.filter((n) => /Scan/.test(n.type));
    // Every scan goes through the intended index (a partition's copy of it counts): no Seq Scan.
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((n) => n.type).filter((t) => !/Index|Bitmap/.test(t))).toEqual([]);
    const indexes = [...new Set(scans.map((n) => n.index).filter((i): i is string => Boolean(i)))];
    expect(await rootIndexes(db.pool, indexes)).toEqual([q.index]);
    if (q.scan) expect(scans.map((n) => n.type)).toContain(q.scan);
  });
});

describe("the combat log of the last hour is pruned to the current partition(s)", () => {
  it("scans only the partitions overlapping the hour, never DEFAULT or other months", async () => {
    const q = HOT_QUERIES.find((h) => h.index === "idx_combat_log_source")!;
    const params = await q.params(db.pool);
    const [, from, to] = params as [string, Date, Date];
    const nodes = planNodes(await explain(db.pool, q.sql, params));
    const scanned = [...new Set(nodes.map((n) => n.relation).filter(Boolean))].sort();
    const { rows } = await db.pool.query<{ partition_name: string }>(
      `SELECT "partition_name" FROM maint.list_partitions('combat_log')
       WHERE NOT "is_default" AND "range_from" < $2 AND "range_to" > $1 ORDER BY 1`,
      [from, to],
    );
    const expected = rows.map((r) => r.partition_name);
    expect(expected.length).toBeGreaterThan(0); // one, or two when the hour straddles a month start
    expect(scanned).toEqual(expected);
    // The data has three months of rows and premade future months: those must all be pruned.
    const all = await db.pool.query(`SELECT count(*)::int AS n FROM maint.list_partitions('combat_log')`);
    expect(all.rows[0].n).toBeGreaterThan(expected.length + 3);
  });
});
