import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import type { HealthReport, SlowQuery } from "@mmo/db";
import { createSeededDatabase, oneLineError, runCli, runJson, UNREACHABLE_URL } from "./helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("health", () => {
  it("reports migrations, sizes, dead tuples, sessions, cron and cache as JSON and as text", async () => {
    const { code, json } = await runJson<HealthReport>(["health"], db.url);
    expect([0, 3]).toContain(code);
    expect(json.migrations.pending).toEqual([]);
    expect(json.migrations.applied.length).toBeGreaterThan(10);
    expect(json.database.bytes).toBeGreaterThan(0);
    expect(json.tables.find((t) => t.table === "combat_log")?.partitioned).toBe(true);
    expect(json.tables.some((t) => t.table === "characters")).toBe(true);
    expect(json.partitions.length).toBeGreaterThan(0);
    expect(json.lockWaits).toEqual([]);
    expect(json.longTransactions).toEqual([]);
    const caps = await db.pool.query<{ preload: string }>("SELECT current_setting('shared_preload_libraries') AS preload");
    if (caps.rows[0]!.preload.includes("pg_cron")) expect(json.cron.note ?? "").not.toContain("not loaded");
    else expect(json.cron).toMatchObject({ available: false, note: expect.stringContaining("pg_cron is not loaded") });
    expect(code === 3).toBe(json.problems.length > 0);

    const human = await runCli(["health", "--top", "3"], db.url);
    expect(human.stdout).toContain("Migrations");
    expect(human.stdout).toContain("bloat");
  });

  it("exits 3 and names the sessions when one waits for another's lock", async () => {
    const holder = await db.pool.connect();
    const waiter = await db.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE guilds IN ACCESS EXCLUSIVE MODE");
      const waiterPid = (await waiter.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const blocked = waiter.query("SELECT count(*) FROM guilds");
      for (;;) {
        const { rows } = await db.pool.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [waiterPid]);
        if (rows.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const { code, json } = await runJson<HealthReport>(["health", "--long-transaction", "1h"], db.url);
      expect(code).toBe(3);
      expect(json.lockWaits.map((w) => w.pid)).toContain(waiterPid);
      expect(json.problems.join(" ")).toContain("waiting for a lock");
      await holder.query("ROLLBACK");
      await blocked;
    } finally {
      holder.release();
      waiter.release();
    }
  });

  it("rejects a malformed threshold with exit 2 and an unreachable server with exit 1", async () => {
    const bad = await runCli(["health", "--long-transaction", "soon"], db.url);
    expect(bad.code).toBe(2);
    oneLineError(bad.stderr);
    const down = await runCli(["health"], UNREACHABLE_URL);
    expect(down.code).toBe(1);
    oneLineError(down.stderr);
  });
});

describe("slow-queries", () => {
  it("exits 1 with a clear message while the extension is missing, then lists statements", async () => {
    const missing = await runCli(["slow-queries"], db.url);
    expect(missing.code).toBe(1);
    expect(oneLineError(missing.stderr)).toContain("CREATE EXTENSION pg_stat_statements");

    await db.pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await db.pool.query("SELECT count(*) FROM characters c JOIN users u ON u.id = c.user_id");
    const { code, json } = await runJson<SlowQuery[]>(["slow-queries", "--limit", "5"], db.url);
    expect(code).toBe(0);
    expect(json.length).toBeGreaterThan(0);
    expect(json.length).toBeLessThanOrEqual(5);
    expect(json[0]).toMatchObject({ calls: expect.any(Number), totalMs: expect.any(Number), query: expect.any(String) });
    const human = await runCli(["slow-queries"], db.url);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("total ms");
  });

  it("rejects a bad --limit with exit 2", async () => {
    for (const limit of ["0", "-1", "ten"]) {
      const run = await runCli(["slow-queries", "--limit", limit], db.url);
      expect(run.code).toBe(2);
      oneLineError(run.stderr);
    }
  });
});
