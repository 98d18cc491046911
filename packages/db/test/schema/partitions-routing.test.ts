import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { addDays, addMonths, GRANULARITY, insertRouted, LOG_TABLES, listPartitions, partitionName, rowsByPartition } from "./helpers/partitions.ts";

/**
 * Partitioned tables: the defects of the reference design stay fixed (primary keys include the
 * partition key, every table has a DEFAULT partition, partitions are made relative to the deploy
 * date), rows route to the partition of their UTC period, and a row beyond every partition waits
 * in DEFAULT until upkeep creates its partition.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("defect fixes of the reference design", () => {
  it("manages exactly the partitioned tables of public, with the documented granularity", async () => {
    const { rows } = await db.pool.query<{ table_name: string; granularity: string }>(
      `SELECT c.relname AS table_name, p.granularity
       FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
       LEFT JOIN maint.partition_policy p ON p.table_name = c.relname
       WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition ORDER BY 1`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.table_name, r.granularity]))).toEqual(GRANULARITY);
  });

  it("every primary key and unique index of a partitioned table includes the partition key", async () => {
    const { rows } = await db.pool.query<{ index: string; has_key: boolean; is_pkey: boolean }>(
      `SELECT i.indexrelid::regclass::text AS index, pt.partattrs[0] = ANY (i.indkey::int2[]) AS has_key, i.indisprimary AS is_pkey
       FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
       JOIN pg_index i ON i.indrelid = pt.partrelid
       WHERE c.relnamespace = 'public'::regnamespace AND NOT c.relispartition AND i.indisunique`,
    );
    expect(rows.filter((r) => r.is_pkey)).toHaveLength(LOG_TABLES.length);
    expect(rows.filter((r) => !r.has_key)).toEqual([]);
  });

  it("every partitioned table has a DEFAULT partition", async () => {
    for (const table of LOG_TABLES) {
      const parts = await listPartitions(db.pool, table);
      expect(parts.filter((p) => p.is_default).map((p) => p.partition_name), table).toEqual([`${table}_default`]);
    }
  });

  it("the deploy created the partitions around its own date (premake window), none hard-coded before it", async () => {
    // The template may have been deployed days ago: the reference is the deploy time, not today.
    const { rows } = await db.pool.query<{ started_at: Date; finished_at: Date }>(
      `SELECT "started_at", "finished_at" FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\\_partitioned\\_logs'`,
    );
    // ensure_partitions ran inside the migration, between these two instants.
    const { started_at: started, finished_at: deployed } = rows[0]!;
    const policy = await db.pool.query<{ table_name: string; premake: number }>(`SELECT "table_name", "premake" FROM maint.partition_policy`);
    for (const { table_name, premake } of policy.rows) {
      const table = table_name as keyof typeof GRANULARITY;
      const step = (n: number) => (GRANULARITY[table] === "day" ? addDays(deployed, n) : addMonths(deployed, n));
      const names = (await listPartitions(db.pool, table)).map((p) => p.partition_name);
      for (let n = 0; n <= premake; n++) expect(names, `${table} +${n}`).toContain(partitionName(table, step(n)));
      // Nothing older than the deploy period (the reference hard-coded January 2025).
      const first = (await listPartitions(db.pool, table)).find((p) => !p.is_default)!;
      expect([partitionName(table, started), partitionName(table, deployed)]).toContain(first.partition_name);
    }
  });
});

describe("rows route to the right partition", () => {
  beforeAll(async () => {
    // What the hourly pg_cron job does; catches the clone up if the template is older than today.
    await db.pool.query("CALL maint.ensure_all_partitions()");
  });

  it.each(LOG_TABLES)("%s: now and a premade period go to their partitions, a far-past row to DEFAULT", async (table) => {
    const now = new Date();
    const ahead = GRANULARITY[table] === "day" ? addDays(now, 5) : addMonths(now, 2);
    expect(await insertRouted(db.pool, table, now)).toBe(partitionName(table, now));
    expect(await insertRouted(db.pool, table, ahead)).toBe(partitionName(table, ahead));
    // The last instant of a UTC period still belongs to it; the first of the next does not.
    const nextStart = GRANULARITY[table] === "day" ? addDays(now, 1) : addMonths(now, 1);
    const boundary = new Date(Date.UTC(nextStart.getUTCFullYear(), nextStart.getUTCMonth(), GRANULARITY[table] === "day" ? nextStart.getUTCDate() : 1));
    expect(await insertRouted(db.pool, table, new Date(boundary.getTime() - 1))).toBe(partitionName(table, now));
    expect(await insertRouted(db.pool, table, boundary)).toBe(partitionName(table, boundary));
    expect(await insertRouted(db.pool, table, "2001-06-15T12:00:00Z")).toBe(`${table}_default`);
  });
});

describe("a row five years ahead lands in the default partition and moves out when upkeep creates its partition", () => {
  const fiveYears = () => addDays(new Date(), 5 * 365 + 1);

  it.each(["combat_log", "character_positions"] as const)("%s: ensure_partitions with p_now five years ahead", async (table) => {
    const ts = fiveYears();
    expect(await insertRouted(db.pool, table, ts)).toBe(`${table}_default`);
    const { rows } = await db.pool.query<{ partition_name: string; action: string; rows_moved: string }>(
      `SELECT "partition_name", "action", "rows_moved" FROM maint.ensure_partitions($1, $2)`,
      [table, ts],
    );
    // The premake window at p_now is created; the row's own period reports the moved row.
    expect(rows).toContainEqual({ partition_name: partitionName(table, ts), action: "created_moved_default_rows", rows_moved: "1" });
    expect(rows.filter((r) => r.action !== "created" && r.action !== "created_moved_default_rows")).toEqual([]);
    // The far-past row of the routing test had its period created too: DEFAULT is empty.
    expect(rows).toContainEqual({ partition_name: partitionName(table, new Date("2001-06-15T12:00:00Z")), action: "created_moved_default_rows", rows_moved: "1" });
    const parts = await rowsByPartition(db.pool, table);
    expect(parts.get(`${table}_default`) ?? 0, "left in DEFAULT").toBe(0);
    expect(parts.get(partitionName(table, ts))).toBe(1);
  });

  it("analytics_events: a plain ensure_partitions() (p_now = now) also rescues the row", async () => {
    const ts = fiveYears();
    expect(await insertRouted(db.pool, "analytics_events", ts)).toBe("analytics_events_default");
    const { rows } = await db.pool.query(`SELECT "partition_name", "action" FROM maint.ensure_partitions('analytics_events')`);
    expect(rows).toEqual([
      { partition_name: "analytics_events_p2001_06", action: "created_moved_default_rows" },
      { partition_name: partitionName("analytics_events", ts), action: "created_moved_default_rows" },
    ]);
    expect((await rowsByPartition(db.pool, "analytics_events")).get(partitionName("analytics_events", ts))).toBe(1);
  });

  it("audit_log: a row at infinity stays in DEFAULT and does not break upkeep", async () => {
    expect(await insertRouted(db.pool, "audit_log", "infinity")).toBe("audit_log_default");
    const { rows } = await db.pool.query(`SELECT "partition_name", "action" FROM maint.ensure_partitions('audit_log')`);
    // Only the far-past row of the routing test gets a partition; infinity has no period.
    expect(rows).toEqual([{ partition_name: "audit_log_p2001_06", action: "created_moved_default_rows" }]);
    expect((await rowsByPartition(db.pool, "audit_log")).get("audit_log_default")).toBe(1);
  });
});
