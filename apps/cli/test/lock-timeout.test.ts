import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { createSeededDatabase, oneLineError, runCli, runJson } from "./helpers.ts";

/**
 * partitions list, validate and health read every partition (sizes, DEFAULT row counts), which needs
 * a lock an ALTER / DETACH / LOCK of another session blocks. They wait at most --lock-timeout, then
 * fail with exit 1 and one line naming what is held, instead of hanging behind it.
 */
let db: TestDatabase;
let partition: string;
beforeAll(async () => {
  db = await createSeededDatabase();
  partition = (await db.pool.query<{ p: string }>("SELECT partition_name AS p FROM maint.list_partitions('combat_log') WHERE NOT is_default ORDER BY range_from DESC LIMIT 1")).rows[0]!.p;
});
afterAll(async () => {
  await db.drop();
});

describe("read-only commands under a partition held exclusively by another session", () => {
  it("fail fast with exit 1 and a one-line error naming the locked partition, and work again once it is released", async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE public."${partition}" IN ACCESS EXCLUSIVE MODE`);
      const holderPid = (await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      for (const args of [["partitions", "list", "--lock-timeout", "1s"], ["partitions", "list", "combat_log", "--json", "--lock-timeout", "1s"], ["validate", "--lock-timeout", "1s"], ["health", "--lock-timeout", "1s", "--json"]]) {
        const run = await runCli(args, db.url);
        expect(run.code, args.join(" ")).toBe(1);
        const line = oneLineError(run.stderr);
        expect(line, args.join(" ")).toContain("a lock was not granted within 1s (lock_timeout)");
        expect(line, args.join(" ")).toContain(`${partition} (pid ${holderPid}`);
        expect(run.stdout, args.join(" ")).toBe("");
      }
      // A check that does not read the locked partition still runs.
      const counters = await runJson(["validate", "--check", "counter_drift", "--lock-timeout", "1s"], db.url);
      expect(counters.code).toBe(0);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
    expect((await runCli(["partitions", "list", "--lock-timeout", "1s"], db.url)).code).toBe(0);
    expect((await runCli(["validate", "--lock-timeout", "1s"], db.url)).code).not.toBe(1);
    expect((await runCli(["health", "--lock-timeout", "1s"], db.url)).code).not.toBe(1);
  });

  it("rejects a malformed --lock-timeout with exit 2", async () => {
    for (const command of [["partitions", "list"], ["validate"], ["health"]]) {
      const run = await runCli([...command, "--lock-timeout", "soon"], db.url);
      expect(run.code, command.join(" ")).toBe(2);
      oneLineError(run.stderr);
    }
  });
});
