import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { insertRouted, listPartitions, rowsByPartition, type LogTable } from "./helpers/partitions.ts";

/**
 * "Retention drops only whole expired partitions." Partitions are made in the past with
 * ensure_partitions(p_now = a past date); prune then runs with a p_now chosen so that the cutoff
 * (p_now - retention) falls inside the second partition: the first is wholly expired and goes, the
 * second straddles the cutoff and stays with all its rows, even the ones older than the cutoff.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Creates the past partitions and puts rows in the first two: one per listed instant. */
async function pastPartitions(table: LogTable, ensureAt: string, rows: string[]): Promise<void> {
  await db.pool.query("SELECT count(*) FROM maint.ensure_partitions($1, $2)", [table, ensureAt]);
  for (const ts of rows) expect(await insertRouted(db.pool, table, ts)).not.toBe(`${table}_default`);
}

async function prune(table: string, now: string, dryRun: boolean) {
  const { rows } = await db.pool.query<{ partition_name: string; action: string }>(
    `SELECT "partition_name", "action" FROM maint.prune_partitions($1, $2, $3)`,
    [table, now, dryRun],
  );
  return rows;
}

describe("retention drops only whole expired partitions", () => {
  it("combat_log (monthly, 6 months, drop): the wholly expired month goes, the straddling one stays", async () => {
    await pastPartitions("combat_log", "2020-01-15T00:00:00Z", ["2020-01-10T00:00:00Z", "2020-01-31T23:59:59Z", "2020-02-01T00:00:00Z", "2020-02-20T00:00:00Z"]);
    // Cutoff 2020-08-15 - 6 months = 2020-02-15: January ends before it; February straddles it.
    const now = "2020-08-15T00:00:00Z";
    const before = await listPartitions(db.pool, "combat_log");
    const beforeRows = await rowsByPartition(db.pool, "combat_log");

    const planned = await prune("combat_log", now, true);
    expect(planned).toEqual([{ partition_name: "combat_log_p2020_01", action: "would_drop" }]);
    const viaWrapper = await db.pool.query(`SELECT "partition_name", "action" FROM maint.prune_partitions_dry_run('combat_log', $1)`, [now]);
    expect(viaWrapper.rows).toEqual(planned);
    // The dry run changed nothing.
    expect(await listPartitions(db.pool, "combat_log")).toEqual(before);
    expect(await rowsByPartition(db.pool, "combat_log")).toEqual(beforeRows);

    expect(await prune("combat_log", now, false)).toEqual([{ partition_name: "combat_log_p2020_01", action: "dropped" }]);
    const after = await rowsByPartition(db.pool, "combat_log");
    expect(after.has("combat_log_p2020_01")).toBe(false);
    expect(after.get("combat_log_p2020_02")).toBe(2); // including 2020-02-01, older than the cutoff
    expect(await db.pool.query(`SELECT to_regclass('public.combat_log_p2020_01') AS r`).then((r) => r.rows[0].r)).toBeNull();
    // Everything else is untouched: only the one partition is gone.
    expect((await listPartitions(db.pool, "combat_log")).map((p) => p.partition_name)).toEqual(
      before.map((p) => p.partition_name).filter((n) => n !== "combat_log_p2020_01"),
    );
    // Idempotent: nothing more to do at the same p_now.
    expect(await prune("combat_log", now, false)).toEqual([]);
  });

  it("character_positions (daily, 14 days, drop): cutoff inside the second day", async () => {
    await pastPartitions("character_positions", "2021-03-10T00:00:00Z", ["2021-03-10T06:00:00Z", "2021-03-11T01:00:00Z", "2021-03-11T20:00:00Z"]);
    // Cutoff 2021-03-25T12:00 - 14 days = 2021-03-11T12:00.
    expect(await prune("character_positions", "2021-03-25T12:00:00Z", false)).toEqual([
      { partition_name: "character_positions_p2021_03_10", action: "dropped" },
    ]);
    const after = await rowsByPartition(db.pool, "character_positions");
    expect(after.get("character_positions_p2021_03_11")).toBe(2);
  });

  it("audit_log (7 years, detach): the expired partition is moved to partition_archive with its rows, not dropped", async () => {
    await pastPartitions("audit_log", "2015-01-15T00:00:00Z", ["2015-01-05T00:00:00Z", "2015-01-06T00:00:00Z", "2015-02-03T00:00:00Z"]);
    const now = "2022-02-15T00:00:00Z"; // cutoff 2015-02-15
    expect(await prune("audit_log", now, true)).toEqual([{ partition_name: "audit_log_p2015_01", action: "would_detach" }]);
    expect(await prune("audit_log", now, false)).toEqual([{ partition_name: "partition_archive.audit_log_p2015_01", action: "detached" }]);

    const archived = await db.pool.query<{ n: string; attached: boolean }>(
      `SELECT (SELECT count(*) FROM "partition_archive"."audit_log_p2015_01") AS n,
              (SELECT relispartition FROM pg_class WHERE oid = 'partition_archive.audit_log_p2015_01'::regclass) AS attached`,
    );
    expect(archived.rows[0]).toEqual({ n: "2", attached: false });
    const live = await rowsByPartition(db.pool, "audit_log");
    expect(live.has("audit_log_p2015_01")).toBe(false);
    expect(live.get("audit_log_p2015_02")).toBe(1);
    expect(await prune("audit_log", now, false)).toEqual([]);
  });

  it("never touches DEFAULT, even when it holds only expired rows", async () => {
    expect(await insertRouted(db.pool, "performance_metrics", "1999-01-01T00:00:00Z")).toBe("performance_metrics_default");
    const pruned = await prune("performance_metrics", new Date().toISOString(), false);
    expect(pruned.map((p) => p.partition_name)).not.toContain("performance_metrics_default");
    expect((await rowsByPartition(db.pool, "performance_metrics")).get("performance_metrics_default")).toBe(1);
  });
});
