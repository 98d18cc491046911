import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { adminQuery, createTestDatabase } from "@mmo/db/testing";
import { withDatabase, type CronInstallResult, type CronJobStatus, type HealthReport } from "@mmo/db";
import { oneLineError, runCli, runJson } from "./helpers.ts";

let db: TestDatabase;
let cronLoaded = false;
let cronDatabase = "";
beforeAll(async () => {
  db = await createTestDatabase();
  const { rows } = await db.pool.query<{ preload: string; cron_db: string | null }>("SELECT current_setting('shared_preload_libraries') AS preload, current_setting('cron.database_name', true) AS cron_db");
  cronLoaded = rows[0]!.preload.split(",").map((s) => s.trim()).includes("pg_cron");
  cronDatabase = rows[0]!.cron_db ?? "postgres";
});
afterAll(async () => {
  if (cronLoaded) await runCli(["cron", "remove"], db.url);
  await db.drop();
});

async function cronJobs(): Promise<{ jobname: string; schedule: string; database: string; command: string }[]> {
  return (await adminQuery(withDatabase(db.url, cronDatabase), "SELECT jobname, schedule, database, command FROM cron.job WHERE database = $1 ORDER BY jobname", [db.name])).rows;
}

describe("cron", () => {
  it("install / list / history / remove on a server with pg_cron; exit 1 with a clear message without it", async () => {
    const defined = (await db.pool.query<{ job_name: string }>("SELECT job_name FROM maint.cron_jobs WHERE enabled ORDER BY job_name")).rows.map((r) => r.job_name);
    if (!cronLoaded) {
      for (const args of [["cron", "install"], ["cron", "list"], ["cron", "history"], ["cron", "remove"]]) {
        const run = await runCli(args, db.url);
        expect(run.code, args.join(" ")).toBe(1);
        expect(oneLineError(run.stderr)).toContain("pg_cron is not loaded on this server");
      }
      return;
    }
    const first = await runJson<CronInstallResult[]>(["cron", "install"], db.url);
    expect(first.code).toBe(0);
    expect(first.json.map((r) => r.job)).toEqual(defined);
    expect(first.json.every((r) => r.action === "created" && r.cronJobName === `${db.name}:${r.job}`)).toBe(true);
    expect((await cronJobs()).map((j) => j.jobname)).toEqual(defined.map((name) => `${db.name}:${name}`).sort());
    // pg_cron runs each job through maint.run_job (lock, due check, run history), never the raw SQL.
    for (const job of await cronJobs()) expect(job.command).toBe(`CALL maint.run_job('${job.jobname.slice(db.name.length + 1)}', date_trunc('minute', now()))`);

    // Idempotent: a second install changes nothing.
    const second = await runJson<CronInstallResult[]>(["cron", "install"], db.url);
    expect(second.json.every((r) => r.action === "unchanged")).toBe(true);

    // The table is the source of truth: a changed schedule is updated, a disabled job removed.
    await db.pool.query("UPDATE maint.cron_jobs SET schedule = '*/30 * * * *' WHERE job_name = 'mmo-expire-mail'");
    await db.pool.query("UPDATE maint.cron_jobs SET enabled = false WHERE job_name = 'mmo-purge-sessions'");
    const third = await runJson<CronInstallResult[]>(["cron", "install"], db.url);
    expect(third.json.find((r) => r.job === "mmo-expire-mail")?.action).toBe("updated");
    expect(third.json.find((r) => r.job === "mmo-purge-sessions")?.action).toBe("removed");
    expect((await cronJobs()).find((j) => j.jobname === `${db.name}:mmo-expire-mail`)?.schedule).toBe("*/30 * * * *");

    const list = await runJson<{ cronDatabase: string; jobs: CronJobStatus[] }>(["cron", "list"], db.url);
    expect(list.code).toBe(0);
    expect(list.json.cronDatabase).toBe(cronDatabase);
    expect(list.json.jobs.find((j) => j.jobName === "mmo-purge-sessions")?.state).toBe("disabled");
    expect(list.json.jobs.filter((j) => j.jobName !== "mmo-purge-sessions").every((j) => j.state === "installed")).toBe(true);
    const human = await runCli(["cron", "list"], db.url);
    expect(human.stdout).toContain("mmo-refresh-rankings");

    const history = await runJson<unknown[]>(["cron", "history", "--since", "1h"], db.url);
    expect([0, 3]).toContain(history.code);
    expect(Array.isArray(history.json)).toBe(true);

    const removedOne = await runJson<{ removed: string[] }>(["cron", "remove", "mmo-expire-mail"], db.url);
    expect(removedOne.json.removed).toEqual([`${db.name}:mmo-expire-mail`]);
    const removed = await runJson<{ removed: string[] }>(["cron", "remove"], db.url);
    expect(removed.json.removed.length).toBe(defined.length - 2);
    expect(await cronJobs()).toEqual([]);
  });

  it("pg_cron's run of a failing job is failed in cron.job_run_details and recorded in maint.job_runs; history and health show it; a job runs as mmo_maint, not as the superuser who scheduled it", async () => {
    if (!cronLoaded) {
      const health = await runJson<HealthReport>(["health"], db.url);
      expect(health.json.cron).toMatchObject({ available: false, note: expect.stringContaining("pg_cron is not loaded") });
      return;
    }
    const enabled = (await db.pool.query<{ job_name: string }>("SELECT job_name FROM maint.cron_jobs WHERE enabled")).rows.map((r) => r.job_name);
    await db.pool.query("UPDATE maint.cron_jobs SET enabled = false");
    // Jobs call allow-listed maint functions only: a superuser adds two to the list. zz_whoami is what
    // code planted in a job would try: switch back to the superuser, read a server file.
    await db.pool.query(`
      CREATE TABLE public.zz_seen (run_as text, session_is text, reset_role text, read_file text);
      GRANT ALL ON public.zz_seen TO PUBLIC;
      CREATE FUNCTION maint.zz_broken() RETURNS integer LANGUAGE sql AS 'SELECT 1/0';
      CREATE FUNCTION maint.zz_whoami() RETURNS void LANGUAGE plpgsql AS $f$
      DECLARE v_reset text := 'ok'; v_read text := 'ok';
      BEGIN
        BEGIN RESET ROLE; EXCEPTION WHEN OTHERS THEN v_reset := SQLERRM; END;
        BEGIN PERFORM pg_read_file('/etc/hostname'); EXCEPTION WHEN OTHERS THEN v_read := SQLERRM; END;
        INSERT INTO public.zz_seen VALUES (current_user, session_user, v_reset, v_read);
      END $f$;
      INSERT INTO maint.job_functions (function_name) VALUES ('zz_broken'), ('zz_whoami');
      INSERT INTO maint.cron_jobs (job_name, schedule, command, description) VALUES
        ('zz-broken', '* * * * *', 'SELECT maint.zz_broken()', 'test'),
        ('zz-whoami', '* * * * *', 'SELECT maint.zz_whoami()', 'test');
    `);
    const cronUrl = withDatabase(db.url, cronDatabase);
    try {
      expect((await runJson<CronInstallResult[]>(["cron", "install"], db.url)).json.filter((r) => r.action === "created").map((r) => r.job)).toEqual(["zz-broken", "zz-whoami"]);
      const jobid = (await adminQuery(cronUrl, "SELECT jobid FROM cron.job WHERE jobname = $1", [`${db.name}:zz-broken`])).rows[0].jobid as string;
      // pg_cron fires at the next minute boundary: wait (bounded) for that run to finish.
      let run: { status: string; return_message: string } | undefined;
      for (let i = 0; i < 180 && !run; i++) {
        run = (await adminQuery(cronUrl, "SELECT status, return_message FROM cron.job_run_details WHERE jobid = $1 AND status IN ('succeeded', 'failed') LIMIT 1", [jobid])).rows[0];
        if (!run) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(run).toMatchObject({ status: "failed", return_message: expect.stringContaining("maintenance job zz-broken failed: division by zero") });
      expect((await db.pool.query("SELECT status, last_sqlstate, last_run_by FROM maint.job_runs WHERE job_name = 'zz-broken'")).rows[0]).toEqual({ status: "failed", last_sqlstate: "22012", last_run_by: "pg_cron" });

      // Scheduled by the superuser, run by pg_cron as that superuser, yet the job ran as mmo_maint.
      await waitUntilRows(db, "SELECT 1 FROM maint.job_runs WHERE job_name = 'zz-whoami' AND status <> 'running'");
      expect((await db.pool.query("SELECT * FROM public.zz_seen")).rows).toEqual([
        { run_as: "mmo_maint", session_is: "postgres", reset_role: expect.stringContaining("security-definer"), read_file: expect.stringContaining("permission denied") },
      ]);

      const history = await runCli(["cron", "history", "--failed"], db.url);
      expect(history.code).toBe(3);
      expect(history.stdout).toContain("FAILED");
      expect(history.stderr).toContain(`${db.name}:zz-broken failed at`);
      const health = await runJson<HealthReport>(["health"], db.url);
      expect(health.code).toBe(3);
      expect(health.json.cron.failuresLastDay).toBeGreaterThanOrEqual(1);
      expect(health.json.jobs.failures.map((f) => f.job)).toEqual(["zz-broken"]);
    } finally {
      await runCli(["cron", "remove"], db.url);
      await db.pool.query("DELETE FROM maint.cron_jobs WHERE job_name IN ('zz-broken', 'zz-whoami')");
      await db.pool.query("DELETE FROM maint.job_functions WHERE function_name IN ('zz_broken', 'zz_whoami'); DROP FUNCTION maint.zz_broken(); DROP FUNCTION maint.zz_whoami(); DROP TABLE public.zz_seen");
      await db.pool.query("UPDATE maint.cron_jobs SET enabled = true WHERE job_name = ANY($1)", [enabled]);
    }
  });

  it("rejects an unknown job name and a malformed --since with exit 2", async () => {
    const unknown = await runCli(["cron", "remove", "no-such-job"], db.url);
    expect(unknown.code).toBe(cronLoaded ? 2 : 1);
    oneLineError(unknown.stderr);
    const since = await runCli(["cron", "history", "--since", "yesterday"], db.url);
    expect(since.code).toBe(2);
    oneLineError(since.stderr);
  });
});

/** Polls (bounded) until the query returns a row. */
async function waitUntilRows(db: TestDatabase, sql: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await db.pool.query(sql)).rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for: ${sql}`);
}
