import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations, detectCapabilities, ensureDatabase, migrationState, rollbackMigrations, withDatabase, type ServerCapabilities } from "../src/index.ts";
import { createTestDatabase, testServer, type TestDatabase } from "../src/testing/index.ts";

/**
 * The pg_cron migration has two honest outcomes: in the cron database it schedules every job of
 * maint.cron_jobs; anywhere else (another database, a server without pg_cron, Prisma's shadow
 * database) it only raises a NOTICE and succeeds. Which one this server shows depends on it.
 */
let db: TestDatabase;
let caps: ServerCapabilities;

beforeAll(async () => {
  db = await createTestDatabase();
  caps = await detectCapabilities(db.pool);
});
afterAll(() => db.drop());

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("pg_cron migration", () => {
  it("outside the cron database: applied, job list present, nothing scheduled, no extension created", async () => {
    expect(caps.isCronDatabase).toBe(false);
    const jobs = await db.pool.query("SELECT job_name FROM maint.cron_jobs ORDER BY 1");
    expect(jobs.rowCount).toBeGreaterThanOrEqual(9);
    const ext = await db.pool.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_cron'");
    expect(ext.rows[0].n).toBe(0);
  });

  it("in the cron database (when the server preloads pg_cron): schedules every job as a maint.run_job call; the rollbacks restore the raw commands, then unschedule them", async () => {
    if (!caps.pgCronLoaded) {
      // A server without pg_cron has no cron database: the migration must not need one.
      expect(caps.cronDatabase).toBeNull();
      return;
    }
    const { adminUrl } = testServer();
    const cronUrl = withDatabase(adminUrl, caps.cronDatabase as string);
    await ensureDatabase(adminUrl, caps.cronDatabase as string);
    await deployMigrations(cronUrl);
    try {
      const scheduled = (c: pg.Client, names: string[]) =>
        c.query("SELECT jobname AS job_name, schedule, command FROM cron.job WHERE database = current_database() AND jobname = ANY($1) ORDER BY jobname", [names]);
      const raw = await withClient(cronUrl, async (c) => {
        // 20261201000100_maintenance_job_runs switched the jobs 1200 scheduled to the run_job call.
        const defined = await c.query("SELECT job_name, schedule, maint.cron_command(job_name) AS command FROM maint.cron_jobs WHERE enabled ORDER BY job_name");
        expect(defined.rows.length).toBeGreaterThanOrEqual(9);
        expect(defined.rows.every((r) => /^CALL maint\.run_job\('[a-z0-9-]+', date_trunc\('minute', now\(\)\)\)$/.test(r.command))).toBe(true);
        expect((await scheduled(c, defined.rows.map((r) => r.job_name))).rows).toEqual(defined.rows);
        return (await c.query("SELECT job_name, schedule, command FROM maint.cron_jobs WHERE enabled ORDER BY job_name")).rows;
      });
      // Its rollback (after the one of the job sandbox, which leaves schedules alone) gives pg_cron the raw commands back.
      expect((await rollbackMigrations(cronUrl, { steps: 2 })).map((m) => m.name)).toEqual(["20261207000100_job_sandbox_upkeep_locks", "20261201000100_maintenance_job_runs"]);
      await withClient(cronUrl, async (c) => {
        expect((await scheduled(c, raw.map((r) => r.job_name))).rows).toEqual(raw);
      });
    } finally {
      const applied = await withClient(cronUrl, (c) => migrationState(c));
      await rollbackMigrations(cronUrl, { steps: applied.applied.length });
    }
    await withClient(cronUrl, async (c) => {
      const left = await c.query("SELECT jobname FROM cron.job WHERE database = current_database() AND jobname LIKE 'mmo-%'");
      expect(left.rows).toEqual([]);
      expect((await c.query("SELECT to_regnamespace('maint') AS s")).rows[0].s).toBeNull();
    });
  });
});
