import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { adminQuery, createTestDatabase } from "@mmo/db/testing";
import { withDatabase, type CronInstallResult, type CronJobStatus } from "@mmo/db";
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

async function cronJobs(): Promise<{ jobname: string; schedule: string; database: string }[]> {
  return (await adminQuery(withDatabase(db.url, cronDatabase), "SELECT jobname, schedule, database FROM cron.job WHERE database = $1 ORDER BY jobname", [db.name])).rows;
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

  it("rejects an unknown job name and a malformed --since with exit 2", async () => {
    const unknown = await runCli(["cron", "remove", "no-such-job"], db.url);
    expect(unknown.code).toBe(cronLoaded ? 2 : 1);
    oneLineError(unknown.stderr);
    const since = await runCli(["cron", "history", "--since", "yesterday"], db.url);
    expect(since.code).toBe(2);
    oneLineError(since.stderr);
  });
});
