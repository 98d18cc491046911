import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../schema/helpers/sql.ts";
import { createTestDatabase, loginAs, type LoginRole, type TestDatabase } from "../../src/testing/index.ts";

/**
 * No path from mmo_migrator to superuser through maintenance. A deployer (a LOGIN member of
 * mmo_migrator) tries what an attacker would: plant SQL in a job's command, replace a maint
 * function, widen the allow-list, and plant a trigger on a game table that a job writes, then waits
 * for a superuser's `mmo maintain` / pg_cron (both are CALL maint.run_job as the superuser).
 */
let db: TestDatabase;
let deployer: LoginRole;

beforeAll(async () => {
  db = await createTestDatabase();
  deployer = await loginAs(db, "mmo_migrator");
});
afterAll(async () => {
  await deployer?.drop();
  await db?.drop();
});

describe("job commands and maint code are out of the migrator's reach", () => {
  it("a job command that is not a call of an allow-listed maint function is refused", async () => {
    const planted = ["SELECT pg_read_file('/etc/passwd')", "SELECT maint.expire_mail(E'\\'', (SELECT 1))", "SELECT maint.expire_mail(); SELECT pg_read_file('x')", "SELECT maint.expire_mail('1 day'::interval) -- "];
    for (const command of planted) {
      const failure = await failureOf(deployer.client.query("UPDATE maint.cron_jobs SET command = $1 WHERE job_name = 'mmo-expire-mail'", [command]));
      expect(failure, command).toMatchObject({ code: "42501", message: expect.stringContaining("not a call of an allow-listed maint function") });
    }
    // A legitimate change (other arguments, a schedule) still works for the deployer.
    await deployer.client.query("UPDATE maint.cron_jobs SET command = $1, schedule = '*/5 * * * *' WHERE job_name = 'mmo-expire-mail'", ["SELECT * FROM maint.expire_mail('14 days'::interval, 500)"]);
    await db.pool.query("UPDATE maint.cron_jobs SET command = 'SELECT * FROM maint.expire_mail()', schedule = '*/15 * * * *' WHERE job_name = 'mmo-expire-mail'");
  });

  it("the migrator can neither change maint's code nor its allow-list nor the sandbox", async () => {
    const attempts = [
      "CREATE OR REPLACE FUNCTION maint.expire_world_state(p_batch_size integer DEFAULT 10000) RETURNS integer LANGUAGE sql AS 'SELECT 1'",
      "CREATE FUNCTION maint.zz_new() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
      "ALTER PROCEDURE maint.run_job(text, timestamptz, text, text) RENAME TO run_job_old",
      "ALTER FUNCTION maint.job_exec(text) SECURITY INVOKER",
      "INSERT INTO maint.job_functions (function_name) VALUES ('pg_read_file')",
      "ALTER TABLE maint.cron_jobs DISABLE TRIGGER cron_jobs_check_command",
      "DROP TRIGGER cron_jobs_check_command ON maint.cron_jobs",
    ];
    for (const sql of attempts) {
      expect(await failureOf(deployer.client.query(sql)), sql).toMatchObject({ code: "42501" });
    }
  });

  it("a trigger the migrator plants on a game table runs as mmo_maint inside a superuser's job, and cannot switch role", async () => {
    await deployer.client.query(`
      CREATE TABLE public.zz_seen (run_as text, session_is text, reset_role text, read_file text);
      GRANT ALL ON public.zz_seen TO PUBLIC;
      CREATE FUNCTION public.zz_planted() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE v_reset text := 'ok'; v_read text := 'ok';
      BEGIN
        BEGIN RESET ROLE; EXCEPTION WHEN OTHERS THEN v_reset := SQLERRM; END;
        BEGIN PERFORM pg_read_file('/etc/hostname'); EXCEPTION WHEN OTHERS THEN v_read := SQLERRM; END;
        INSERT INTO public.zz_seen VALUES (current_user, session_user, v_reset, v_read);
        RETURN OLD;
      END $f$;
      CREATE TRIGGER zz_planted AFTER DELETE ON public.world_state FOR EACH ROW EXECUTE FUNCTION public.zz_planted();
    `);
    await db.pool.query("INSERT INTO public.world_state (zone_id, instance_id, state_type, state_data, expires_at) VALUES (1, 'i1', 'weather', '{}', now() - interval '1 minute')");
    // What pg_cron and `mmo maintain` run, here as the superuser the test connects as.
    const { rows } = await db.pool.query("CALL maint.run_job('mmo-expire-world-state')");
    expect(rows[0]).toEqual({ outcome: "ran", result: "1" });
    const seen = (await db.pool.query("SELECT * FROM public.zz_seen")).rows;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ run_as: "mmo_maint", reset_role: expect.stringContaining("security-definer"), read_file: expect.stringContaining("permission denied") });
    await deployer.client.query("DROP TRIGGER zz_planted ON public.world_state; DROP FUNCTION public.zz_planted(); DROP TABLE public.zz_seen");
  });

  it("a tampered sandbox stops every job instead of running it as the caller", async () => {
    await db.pool.query("ALTER FUNCTION maint.job_exec(text) SECURITY INVOKER");
    try {
      const failure = await failureOf(db.pool.query("CALL maint.run_job('mmo-expire-effects')"));
      expect(failure).toMatchObject({ code: "42501", message: expect.stringContaining("job sandbox maint.job_exec is not intact (it is no longer SECURITY DEFINER)") });
      expect(await failureOf(db.pool.query("SELECT * FROM maint.run_sandboxed('SELECT maint.expire_character_effects()')"))).toMatchObject({ code: "42501" });
    } finally {
      await db.pool.query("ALTER FUNCTION maint.job_exec(text) SECURITY DEFINER");
    }
    expect((await db.pool.query("CALL maint.run_job('mmo-expire-effects')")).rows[0]).toMatchObject({ outcome: "ran" });
  });

  it("every maint function pins search_path (the period helpers included)", async () => {
    const { rows } = await db.pool.query(`
      SELECT p.oid::regprocedure::text AS fn FROM pg_proc p
      WHERE p.pronamespace = 'maint'::regnamespace AND p.prokind = 'f'
        AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp']`);
    expect(rows).toEqual([]);
  });
});
