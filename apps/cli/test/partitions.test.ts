import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { createSeededDatabase, oneLineError, runCli, runJson, UNREACHABLE_URL } from "./helpers.ts";

interface ListJson {
  table: string;
  partitions: { partition: string; isDefault: boolean; rows: number; bytes: number }[];
  defaultRows: number;
  gaps: unknown[];
  planned: { partition: string; status: string }[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function partitionNames(): Promise<string[]> {
  const { rows } = await db.pool.query<{ n: string }>("SELECT partition_name AS n FROM maint.list_partitions() ORDER BY 1");
  return rows.map((r) => r.n);
}

describe("partitions", () => {
  it("lists every managed table as a table and as JSON", async () => {
    const human = await runCli(["partitions", "list"], db.url);
    expect(human.code).toBe(0);
    for (const t of ["analytics_events", "audit_log", "character_positions", "combat_log", "performance_metrics"]) expect(human.stdout).toContain(t);
    expect(human.stdout).toContain("DEFAULT");

    const { code, json } = await runJson<ListJson[]>(["partitions", "list", "combat_log", "--exact"], db.url);
    expect(code).toBe(0);
    expect(json.map((r) => r.table)).toEqual(["combat_log"]);
    expect(json[0]!.partitions.some((p) => p.isDefault)).toBe(true);
    const total = json[0]!.partitions.reduce((n, p) => n + p.rows, 0);
    const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM combat_log");
    expect(total).toBe(Number(rows[0]!.n));
  });

  it("ensure is idempotent and moves rows out of DEFAULT", async () => {
    await runCli(["partitions", "ensure"], db.url);
    // A row two years ahead has no partition: it lands in DEFAULT, and list reports it.
    await db.pool.query("INSERT INTO combat_log (timestamp, action_type, zone_id, instance_id) VALUES (now() + interval '2 years', 'hit', 1, 'i-1')");
    const listed = await runJson<ListJson[]>(["partitions", "list", "combat_log"], db.url);
    expect(listed.json[0]!.defaultRows).toBe(1);
    expect(listed.json[0]!.planned.some((p) => p.status === "missing")).toBe(true);

    const ensured = await runJson<{ table: string; action: string; rowsMoved: number }[]>(["partitions", "ensure", "combat_log"], db.url);
    expect(ensured.code).toBe(0);
    expect(ensured.json.find((r) => r.action === "created_moved_default_rows")?.rowsMoved).toBe(1);
    const after = await runJson<ListJson[]>(["partitions", "list", "combat_log"], db.url);
    expect(after.json[0]!.defaultRows).toBe(0);

    const again = await runCli(["partitions", "ensure"], db.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to do");
  });

  it("prune --dry-run reports and changes nothing; prune retires what it reported", async () => {
    // A partition wholly past combat_log's 6-month retention.
    // Owned like every partition upkeep makes: upkeep runs as mmo_maint and retires only what mmo_migrator owns.
    await db.pool.query("CREATE TABLE public.combat_log_p2001_01 PARTITION OF combat_log FOR VALUES FROM ('2001-01-01 00:00+00') TO ('2001-02-01 00:00+00')");
    await db.pool.query("ALTER TABLE public.combat_log_p2001_01 OWNER TO mmo_migrator");
    const before = await partitionNames();
    const dry = await runJson<{ partition: string; action: string }[]>(["partitions", "prune", "combat_log", "--dry-run"], db.url);
    expect(dry.code).toBe(0);
    expect(dry.json).toContainEqual(expect.objectContaining({ partition: "combat_log_p2001_01", action: "would_drop" }));
    expect(await partitionNames()).toEqual(before);

    const human = await runCli(["partitions", "prune", "combat_log"], db.url);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("combat_log_p2001_01");
    expect(await partitionNames()).not.toContain("combat_log_p2001_01");
  });

  it("rejects an unknown table, and one with quotes or semicolons, with exit 2 and changes nothing", async () => {
    const before = await partitionNames();
    for (const table of ["no_such_table", 'x"; DROP TABLE users; --', "combat_log'; --", "users"]) {
      for (const verb of ["list", "ensure", "prune"]) {
        const run = await runCli(["partitions", verb, table], db.url);
        expect(run.code, `${verb} ${table}`).toBe(2);
        expect(oneLineError(run.stderr)).toContain("unknown partitioned table");
      }
    }
    expect(await partitionNames()).toEqual(before);
    const { rows } = await db.pool.query("SELECT to_regclass('public.users') AS t");
    expect(rows[0].t).toBe("users");
  });

  it("exits 1 with one line when the database is unreachable", async () => {
    const run = await runCli(["partitions", "list"], UNREACHABLE_URL);
    expect(run.code).toBe(1);
    expect(oneLineError(run.stderr)).toContain("cannot reach the database server");
  });
});
