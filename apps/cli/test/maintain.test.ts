import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { latestFiring, MAINTAIN_LOCK_CLASS, type HealthReport } from "@mmo/db";
import { createSeededDatabase, oneLineError, runCli, runJson, spawnCli, UNREACHABLE_URL } from "./helpers.ts";

interface Round {
  round: number;
  jobs: { job: string; status: string; result: string | null; error: string | null }[];
}

/**
 * Every job here fires once a year (Jan 1, 00:00 UTC), so whether it is due depends only on
 * maint.job_runs, never on a minute boundary passing while a test runs.
 */
const YEARLY = "0 0 1 1 *";

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
  await db.pool.query("UPDATE maint.cron_jobs SET schedule = $1", [YEARLY]);
  // Every execution of the witness job leaves a row: the count is what really ran.
  // Jobs call allow-listed maint functions only: the witness and a failing job are two a superuser adds.
  await db.pool.query(`
    CREATE TABLE public.zz_witness (id serial PRIMARY KEY, by text NOT NULL DEFAULT current_setting('application_name'));
    ALTER TABLE public.zz_witness OWNER TO mmo_migrator;
    CREATE FUNCTION maint.zz_witness() RETURNS bigint LANGUAGE sql
      AS 'WITH i AS (INSERT INTO public.zz_witness DEFAULT VALUES RETURNING 1) SELECT count(*) FROM i CROSS JOIN pg_sleep(0.3)';
    CREATE FUNCTION maint.zz_broken() RETURNS integer LANGUAGE sql AS 'SELECT 1/0';
    INSERT INTO maint.job_functions (function_name) VALUES ('zz_witness'), ('zz_broken');
  `);
  await db.pool.query("INSERT INTO maint.cron_jobs (job_name, schedule, command, description) VALUES ('zz-witness', $1, 'SELECT maint.zz_witness()', 'test')", [YEARLY]);
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query("DELETE FROM maint.job_runs");
  await db.pool.query("TRUNCATE public.zz_witness");
});

async function plantArchivable(n: number, prefix: string): Promise<void> {
  await db.pool.query(
    `WITH u AS (INSERT INTO users (email, password_hash) VALUES ($2 || '@example.test', 'x') RETURNING id)
     INSERT INTO characters (user_id, name, class, race, is_deleted, deleted_at)
     SELECT u.id, $2 || '_' || g, 'warrior', 'human', true, now() - interval '120 days' FROM u, generate_series(1, $1) g`,
    [n, prefix],
  );
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

const enabledJobs = async () => (await db.pool.query<{ job_name: string }>("SELECT job_name FROM maint.cron_jobs WHERE enabled ORDER BY job_name")).rows.map((r) => r.job_name);

describe("maintain", () => {
  it("--once runs the jobs that are due; due-ness is kept in maint.job_runs; --force runs every enabled job", async () => {
    const jobs = await enabledJobs();
    const human = await runCli(["maintain", "--once"], db.url);
    expect(human.code).toBe(0);
    for (const name of jobs) expect(human.stdout).toContain(name);
    const recorded = await db.pool.query<{ job_name: string; status: string; last_run_by: string }>("SELECT job_name, status, last_run_by FROM maint.job_runs ORDER BY job_name");
    expect(recorded.rows.map((r) => r.job_name)).toEqual(jobs);
    expect(recorded.rows.every((r) => r.status === "succeeded" && r.last_run_by === "mmo cli")).toBe(true);

    const status = await runJson<{ jobName: string; status: string; due: boolean; runCount: number; lastRunBy: string }[]>(["maintain", "--status"], db.url);
    expect(status.code).toBe(0);
    expect(status.json.map((j) => j.jobName)).toEqual(jobs);
    expect(status.json.every((j) => j.status === "succeeded" && !j.due && j.runCount === 1 && j.lastRunBy === "mmo cli")).toBe(true);
    expect((await runCli(["maintain", "--status"], db.url)).stdout).toContain("mmo-refresh-rankings");

    // Another process (a restart, a second host) sees the same history: nothing is due.
    const again = await runJson<Round>(["maintain", "--once"], db.url);
    expect(again.code).toBe(0);
    expect(again.json.jobs.map((j) => j.status)).toEqual(jobs.map(() => "not_due"));
    expect((await runCli(["maintain"], db.url)).stderr).toContain(`${jobs.length} job(s) not due (--force runs them now)`);

    const forced = await runJson<Round>(["maintain", "--force"], db.url);
    expect(forced.code).toBe(0);
    expect(forced.json.jobs.map((j) => j.job)).toEqual(jobs);
    expect(forced.json.jobs.every((j) => j.status === "ran")).toBe(true);
    expect(await count("SELECT count(*) AS n FROM public.zz_witness")).toBe(2);

    const one = await runJson<Round>(["maintain", "--force", "--job", "mmo-expire-mail"], db.url);
    expect(one.json.jobs).toMatchObject([{ job: "mmo-expire-mail", status: "ran", result: '{"soft_deleted":0,"purged":0}' }]);
    expect(await count("SELECT run_count AS n FROM maint.job_runs WHERE job_name = 'mmo-expire-mail'")).toBe(3);
  });

  it("two maintain processes at once run each job once: the other sees it locked or no longer due", async () => {
    await plantArchivable(7, "twice");
    await db.pool.query(
      `INSERT INTO character_effects (character_id, effect_id, expires_at)
       SELECT id, 1, now() - interval '1 minute' FROM characters WHERE NOT is_deleted LIMIT 5`,
    );
    const archivable = await count("SELECT count(*) AS n FROM characters WHERE is_deleted AND deleted_at < now() - interval '90 days'");
    const expired = await count("SELECT count(*) AS n FROM character_effects WHERE expires_at <= now()");
    // Two processes, as two operators (or a cron-less deployment's two hosts) would run them.
    const runs = await Promise.all([1, 2].map(() => spawnCli(["--database-url", db.url, "maintain", "--once", "--json"])));
    expect(runs.map((r) => `${r.code} ${r.stderr}`)).toEqual(["0 ", "0 "]);
    const all = runs.flatMap((r) => (JSON.parse(r.stdout) as Round).jobs);
    for (const name of await enabledJobs()) {
      const mine = all.filter((j) => j.job === name);
      expect(mine.map((j) => j.status).sort(), name).toHaveLength(2);
      expect(mine.filter((j) => j.status === "ran"), name).toHaveLength(1);
      expect(["not_due", "skipped_locked"], name).toContain(mine.find((j) => j.status !== "ran")!.status);
    }
    expect(await count("SELECT count(*) AS n FROM public.zz_witness")).toBe(1);
    expect(all.filter((j) => j.job === "mmo-archive-characters" && j.status === "ran").reduce((n, j) => n + Number(j.result), 0)).toBe(archivable);
    expect(all.filter((j) => j.job === "mmo-expire-effects" && j.status === "ran").reduce((n, j) => n + Number(j.result), 0)).toBe(expired);
    expect(await count("SELECT count(*) AS n FROM characters_archive WHERE name LIKE 'twice\\_%'")).toBe(7);
    expect(await count("SELECT count(*) AS n FROM characters WHERE name LIKE 'twice\\_%'")).toBe(0);
  });

  it("maintain beside a pg_cron-style CALL of the same firing runs the job once", async () => {
    // pg_cron calls maint.run_job(job, <its firing>); maintain serves the latest firing of the schedule.
    const now = (await db.pool.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now;
    const firing = latestFiring(YEARLY, now);
    const cronStyle = async () => {
      const client = await db.pool.connect();
      try {
        await client.query("SET application_name = 'pg_cron'");
        return (await client.query<{ outcome: string }>("CALL maint.run_job('zz-witness', $1::timestamptz)", [firing])).rows[0]!.outcome;
      } finally {
        await client.query("RESET application_name");
        client.release();
      }
    };
    const [cron, maintain] = await Promise.all([cronStyle(), runJson<Round>(["maintain", "--once", "--job", "zz-witness"], db.url)]);
    const outcomes = [cron, maintain.json.jobs[0]!.status];
    expect(outcomes.filter((o) => o === "ran")).toHaveLength(1);
    expect(await count("SELECT count(*) AS n FROM public.zz_witness")).toBe(1);
    // Whichever ran, the other one afterwards finds the firing served.
    expect(await cronStyle()).toBe("not_due");
    expect((await runJson<Round>(["maintain", "--once", "--job", "zz-witness"], db.url)).json.jobs[0]!.status).toBe("not_due");
    expect(await count("SELECT count(*) AS n FROM public.zz_witness")).toBe(1);
  });

  it("skips a job whose lock another run holds", async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", [MAINTAIN_LOCK_CLASS, "mmo-archive-characters"]);
      await plantArchivable(2, "locked");
      const run = await runJson<Round>(["maintain", "--once"], db.url);
      expect(run.code).toBe(0);
      expect(run.json.jobs.find((j) => j.job === "mmo-archive-characters")?.status).toBe("skipped_locked");
      expect(await count("SELECT count(*) AS n FROM characters WHERE name LIKE 'locked\\_%'")).toBe(2);
      const human = await runCli(["maintain", "--force", "--job", "mmo-archive-characters"], db.url);
      expect(human.stdout).toContain("skipped: another run (maintain or pg_cron) is running it");
    } finally {
      await holder.query("SELECT pg_advisory_unlock_all()");
      holder.release();
    }
    // Skipped is not run: the job is still due.
    const run = await runJson<Round>(["maintain", "--once", "--job", "mmo-archive-characters"], db.url);
    expect(run.json.jobs).toMatchObject([{ job: "mmo-archive-characters", status: "ran", result: "2" }]);
  });

  it("rejects malformed or conflicting options and an unknown job with exit 2", async () => {
    for (const args of [["maintain", "--every", "5 parsecs"], ["maintain", "--every", "0s"], ["maintain", "--once", "--every", "5m"], ["maintain", "--every"], ["maintain", "--force", "--every", "5m"], ["maintain", "--job", "no-such-job"], ["maintain", "--job", "x'; DROP TABLE users; --"], ["maintain", "--status", "--force"]]) {
      const run = await runCli(args, db.url);
      expect(run.code, args.join(" ")).toBe(2);
      oneLineError(run.stderr);
    }
    expect(await count("SELECT count(*) AS n FROM maint.job_runs")).toBe(0);
  });

  it("a failing job: exit 1, the others still run, the failure is recorded in maint.job_runs and raised to direct callers", async () => {
    await db.pool.query("INSERT INTO maint.cron_jobs (job_name, schedule, command, description) VALUES ('zz-broken', $1, 'SELECT maint.zz_broken()', 'test')", [YEARLY]);
    try {
      const run = await runJson<Round>(["maintain", "--once"], db.url);
      expect(run.code).toBe(1);
      expect(run.json.jobs.find((j) => j.job === "zz-broken")).toMatchObject({ status: "failed", error: "maintenance job zz-broken failed: division by zero" });
      expect(run.json.jobs.filter((j) => j.status === "ran").length).toBe((await enabledJobs()).length - 1);
      expect((await db.pool.query("SELECT status, last_error, last_sqlstate, failure_count FROM maint.job_runs WHERE job_name = 'zz-broken'")).rows[0]).toEqual({
        status: "failed",
        last_error: "division by zero",
        last_sqlstate: "22012",
        failure_count: "1",
      });
      const human = await runCli(["maintain", "--force", "--job", "zz-broken"], db.url);
      expect(human.code).toBe(1);
      expect(human.stderr).toContain("zz-broken: failed: maintenance job zz-broken failed: division by zero");
      // What pg_cron runs: the CALL itself fails with the job's SQLSTATE, so cron.job_run_details says failed.
      await expect(db.pool.query("CALL maint.run_job('zz-broken')")).rejects.toMatchObject({ code: "22012" });
      expect(await count("SELECT failure_count AS n FROM maint.job_runs WHERE job_name = 'zz-broken'")).toBe(3);

      const health = await runJson<HealthReport>(["health"], db.url);
      expect(health.code).toBe(3);
      expect(health.json.jobs.failures).toMatchObject([{ job: "zz-broken", lastStatus: "failed", error: "division by zero", failureCount: 3 }]);
      expect(health.json.problems.join("\n")).toContain("job zz-broken failed");
      expect((await runCli(["health"], db.url)).stdout).toContain("job failure: zz-broken");
    } finally {
      await db.pool.query("DELETE FROM maint.cron_jobs WHERE job_name = 'zz-broken'");
    }
  });

  it("exits 1 when the database is unreachable", async () => {
    const run = await runCli(["maintain", "--once"], UNREACHABLE_URL);
    expect(run.code).toBe(1);
    oneLineError(run.stderr);
  });
});
