import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAINTAIN_LOCK_CLASS } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { backendPid, failureOf, waitUntil, withClient } from "../schema/helpers/sql.ts";

/**
 * maint.run_job, the one way pg_cron and `mmo maintain` run a job: its outcomes, the advisory lock
 * and the "not started since" re-check under it, what maint.job_runs records, and that a failure is
 * recorded and still raised with its SQLSTATE (what makes pg_cron log the run failed).
 */
let db: TestDatabase;

// Jobs may only call allow-listed maint functions (maint.job_functions), so the test's jobs are maint
// functions a superuser adds to the list. Every execution of the witness leaves a row: the count is
// what really ran, whatever run_job says.
const WITNESS = "SELECT maint.zz_witness()";
const SLOW_WITNESS = "SELECT maint.zz_witness(0.3)";

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`
    CREATE TABLE public.zz_witness (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), run_as text NOT NULL DEFAULT current_user);
    ALTER TABLE public.zz_witness OWNER TO mmo_migrator;
    CREATE FUNCTION maint.zz_witness(p_sleep float8 DEFAULT 0) RETURNS bigint LANGUAGE sql
      AS 'WITH i AS (INSERT INTO public.zz_witness DEFAULT VALUES RETURNING 1) SELECT count(*) FROM i CROSS JOIN pg_sleep(p_sleep)';
    CREATE FUNCTION maint.zz_broken() RETURNS bigint LANGUAGE sql
      AS 'WITH i AS (INSERT INTO public.zz_witness DEFAULT VALUES RETURNING 1) SELECT 1 / (count(*) - 1) FROM i';
    CREATE FUNCTION maint.zz_hang() RETURNS void LANGUAGE sql AS 'SELECT pg_sleep(60)';
    CREATE FUNCTION maint.zz_two_columns() RETURNS TABLE (a integer, b text) LANGUAGE sql AS 'SELECT 1, ''x''';
    INSERT INTO maint.job_functions (function_name) VALUES ('zz_witness'), ('zz_broken'), ('zz_hang'), ('zz_two_columns');
  `);
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query("DELETE FROM maint.cron_jobs WHERE job_name LIKE 'zz-%'");
  await db.pool.query("TRUNCATE public.zz_witness");
});

async function defineJob(name: string, command: string, enabled = true): Promise<void> {
  await db.pool.query("INSERT INTO maint.cron_jobs (job_name, schedule, command, description, enabled) VALUES ($1, '* * * * *', $2, 'test', $3)", [name, command, enabled]);
}

async function call(name: string, since: Date | null = null, client: pg.ClientBase | pg.Pool = db.pool): Promise<{ outcome: string; result: string | null }> {
  return (await client.query<{ outcome: string; result: string | null }>("CALL maint.run_job($1, $2::timestamptz)", [name, since])).rows[0]!;
}

async function witnessed(): Promise<number> {
  return Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM public.zz_witness")).rows[0]!.n);
}

async function runs(name: string) {
  return (await db.pool.query("SELECT * FROM maint.job_runs WHERE job_name = $1", [name])).rows[0] as Record<string, unknown> | undefined;
}

async function status(name: string): Promise<string> {
  return (await db.pool.query<{ status: string }>("SELECT status FROM maint.job_status() WHERE job_name = $1", [name])).rows[0]!.status;
}

async function advisoryLocksOf(pid: number): Promise<number> {
  return Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", [pid])).rows[0]!.n);
}

describe("maint.run_job", () => {
  it("runs the job's command, records the run and reports ran with the command's result", async () => {
    await defineJob("zz-witness", WITNESS);
    expect(await status("zz-witness")).toBe("never");
    expect(await call("zz-witness")).toEqual({ outcome: "ran", result: "1" });
    expect(await witnessed()).toBe(1);
    const row = await runs("zz-witness");
    expect(row).toMatchObject({ status: "succeeded", run_count: "1", failure_count: "0", last_result: "1", last_error: null, last_run_by: "mmo test" });
    expect((row!.last_finished_at as Date).getTime()).toBeGreaterThanOrEqual((row!.last_started_at as Date).getTime());
    expect(await status("zz-witness")).toBe("succeeded");
  });

  it("reports not_due, running nothing, when the job was started since p_not_started_since", async () => {
    await defineJob("zz-witness", WITNESS);
    const before = (await db.pool.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now;
    expect((await call("zz-witness", before)).outcome).toBe("ran");
    // The same firing again (a second maintain, or pg_cron after maintain): nothing runs.
    expect(await call("zz-witness", before)).toEqual({ outcome: "not_due", result: null });
    expect(await witnessed()).toBe(1);
    expect((await runs("zz-witness"))!.run_count).toBe("1");
    // A later firing runs it again.
    const later = (await runs("zz-witness"))!.last_finished_at as Date;
    expect((await call("zz-witness", new Date(later.getTime() + 1))).outcome).toBe("ran");
    expect(await witnessed()).toBe(2);
  });

  it("skips a job whose advisory lock another session holds (the key mmo maintain uses)", async () => {
    await defineJob("zz-witness", WITNESS);
    await withClient(db.pool, async (holder) => {
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", [MAINTAIN_LOCK_CLASS, "zz-witness"]);
      try {
        expect(await call("zz-witness")).toEqual({ outcome: "skipped_locked", result: null });
      } finally {
        await holder.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [MAINTAIN_LOCK_CLASS, "zz-witness"]);
      }
    });
    expect(await witnessed()).toBe(0);
    expect(await runs("zz-witness")).toBeUndefined();
  });

  it("two callers serving the same firing at once run it once between them", async () => {
    await defineJob("zz-witness", SLOW_WITNESS);
    const firing = (await db.pool.query<{ now: Date }>("SELECT now() - interval '1 minute' AS now")).rows[0]!.now;
    const outcomes = await Promise.all([1, 2].map(() => withClient(db.pool, (c) => call("zz-witness", firing, c))));
    expect(outcomes.filter((o) => o.outcome === "ran")).toHaveLength(1);
    expect(["not_due", "skipped_locked"]).toContain(outcomes.find((o) => o.outcome !== "ran")!.outcome);
    expect(await witnessed()).toBe(1);
    expect((await runs("zz-witness"))!.run_count).toBe("1");
  });

  it("records a failure, rolls back the job's own work, releases the lock and raises the original SQLSTATE", async () => {
    await defineJob("zz-broken", "SELECT maint.zz_broken()");
    await withClient(db.pool, async (c) => {
      const failure = await failureOf(call("zz-broken", null, c));
      expect(failure).toMatchObject({ code: "22012" });
      expect(failure!.message).toContain("maintenance job zz-broken failed: division by zero");
      expect(await advisoryLocksOf(await backendPid(c))).toBe(0);
    });
    expect(await witnessed()).toBe(0);
    const row = await runs("zz-broken");
    expect(row).toMatchObject({ status: "failed", last_error: "division by zero", last_sqlstate: "22012", run_count: "1", failure_count: "1", last_result: null });
    expect(row!.last_failed_at).toEqual(row!.last_started_at);
    expect(await status("zz-broken")).toBe("failed");

    // Fixed: the next run succeeds; the last failure stays on record.
    await db.pool.query("UPDATE maint.cron_jobs SET command = $1 WHERE job_name = 'zz-broken'", [WITNESS]);
    expect((await call("zz-broken")).outcome).toBe("ran");
    expect(await runs("zz-broken")).toMatchObject({ status: "succeeded", last_error: "division by zero", last_sqlstate: "22012", run_count: "2", failure_count: "1" });
  });

  it("reports a disabled job as disabled and an unknown one as 22023, running nothing", async () => {
    await defineJob("zz-off", WITNESS, false);
    expect(await call("zz-off")).toEqual({ outcome: "disabled", result: null });
    expect(await failureOf(call("zz-no-such-job"))).toMatchObject({ code: "22023", message: expect.stringContaining("unknown maintenance job 'zz-no-such-job'") });
    expect(await witnessed()).toBe(0);
  });

  it("refuses to run inside a transaction block before taking its lock", async () => {
    await defineJob("zz-witness", WITNESS);
    await withClient(db.pool, async (c) => {
      await c.query("BEGIN");
      expect(await failureOf(call("zz-witness", null, c))).toMatchObject({ code: "2D000" });
      await c.query("ROLLBACK");
      expect(await advisoryLocksOf(await backendPid(c))).toBe(0);
    });
    expect(await runs("zz-witness")).toBeUndefined();
  });

  it("reports a row of several columns as JSON", async () => {
    await defineJob("zz-two-columns", "SELECT * FROM maint.zz_two_columns()");
    expect(await call("zz-two-columns")).toEqual({ outcome: "ran", result: '{"a":1,"b":"x"}' });
  });

  it("runs the job as mmo_maint whoever calls it (here a superuser)", async () => {
    await defineJob("zz-witness", WITNESS);
    expect((await call("zz-witness")).outcome).toBe("ran");
    expect((await db.pool.query("SELECT run_as FROM public.zz_witness")).rows).toEqual([{ run_as: "mmo_maint" }]);
  });

  it("shows a run whose session died as interrupted, and counts it as a failure at the next run", async () => {
    await defineJob("zz-hang", "SELECT maint.zz_hang()");
    const victim = new pg.Client({ connectionString: db.url });
    victim.on("error", () => undefined); // the terminated backend reports on the client as well
    await victim.connect();
    const pid = await backendPid(victim);
    const running = victim.query("CALL maint.run_job('zz-hang')").catch((error: Error) => error);
    await waitUntil(db.pool, "SELECT EXISTS (SELECT 1 FROM maint.job_status() WHERE job_name = $1 AND status = 'running') AS ok", ["zz-hang"]);
    await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
    expect(await running).toBeInstanceOf(Error);
    await victim.end().catch(() => undefined);
    await waitUntil(db.pool, "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1) AS ok", [pid]);
    expect(await status("zz-hang")).toBe("interrupted");

    await db.pool.query("UPDATE maint.cron_jobs SET command = $1 WHERE job_name = 'zz-hang'", [WITNESS]);
    expect((await call("zz-hang")).outcome).toBe("ran");
    expect(await runs("zz-hang")).toMatchObject({ status: "succeeded", failure_count: "1", run_count: "2", last_error: expect.stringContaining("interrupted") });
  });

  it("maint.cron_command is the run_job call pg_cron schedules", async () => {
    const { rows } = await db.pool.query<{ cmd: string }>("SELECT maint.cron_command('mmo-expire-mail') AS cmd");
    expect(rows[0]!.cmd).toBe("CALL maint.run_job('mmo-expire-mail', date_trunc('minute', now()))");
    const quoted = await db.pool.query<{ cmd: string }>("SELECT maint.cron_command($1) AS cmd", ["it's; DROP TABLE x"]);
    expect(quoted.rows[0]!.cmd).toBe("CALL maint.run_job('it''s; DROP TABLE x', date_trunc('minute', now()))");
  });
});
