import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { MAINTAIN_LOCK_CLASS } from "@mmo/db";
import { createSeededDatabase, oneLineError, runCli, runJson, spawnCli, UNREACHABLE_URL } from "./helpers.ts";

interface Round {
  round: number;
  jobs: { job: string; status: string; result: string | null; error: string | null }[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
});
afterAll(async () => {
  await db.drop();
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

describe("maintain", () => {
  it("--once runs every enabled job of maint.cron_jobs", async () => {
    const human = await runCli(["maintain", "--once"], db.url);
    expect(human.code).toBe(0);
    const { rows } = await db.pool.query<{ job_name: string }>("SELECT job_name FROM maint.cron_jobs WHERE enabled");
    for (const { job_name } of rows) expect(human.stdout).toContain(job_name);

    const { code, json } = await runJson<Round>(["maintain", "--once"], db.url);
    expect(code).toBe(0);
    expect(json.jobs.map((j) => j.job).sort()).toEqual(rows.map((r) => r.job_name).sort());
    expect(json.jobs.every((j) => j.status === "ran")).toBe(true);
  });

  it("two maintain runs at once do the work once", async () => {
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
    const [a, b] = runs.map((r) => ({ json: JSON.parse(r.stdout) as Round })) as [{ json: Round }, { json: Round }];
    const archived = [a, b].flatMap((r) => r.json.jobs).filter((j) => j.job === "mmo-archive-characters" && j.status === "ran");
    expect(archived.reduce((n, j) => n + Number(j.result), 0)).toBe(archivable);
    const effects = [a, b].flatMap((r) => r.json.jobs).filter((j) => j.job === "mmo-expire-effects" && j.status === "ran");
    expect(effects.reduce((n, j) => n + Number(j.result), 0)).toBe(expired);
    expect(await count("SELECT count(*) AS n FROM characters_archive WHERE name LIKE 'twice\\_%'")).toBe(7);
    expect(await count("SELECT count(*) AS n FROM characters WHERE name LIKE 'twice\\_%'")).toBe(0);
    // No job ran in both at the same moment: each run either ran it or saw the other's lock.
    for (const r of [a, b]) for (const j of r.json.jobs) expect(["ran", "skipped_locked"]).toContain(j.status);
  });

  it("skips a job another maintain holds the lock of", async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext($2))", [MAINTAIN_LOCK_CLASS, "mmo-archive-characters"]);
      await plantArchivable(2, "locked");
      const run = await runJson<Round>(["maintain", "--once"], db.url);
      expect(run.code).toBe(0);
      expect(run.json.jobs.find((j) => j.job === "mmo-archive-characters")?.status).toBe("skipped_locked");
      expect(await count("SELECT count(*) AS n FROM characters WHERE name LIKE 'locked\\_%'")).toBe(2);
    } finally {
      await holder.query("SELECT pg_advisory_unlock_all()");
      holder.release();
    }
    const run = await runJson<Round>(["maintain", "--once"], db.url);
    expect(run.json.jobs.find((j) => j.job === "mmo-archive-characters")).toMatchObject({ status: "ran", result: "2" });
  });

  it("rejects a malformed --every and conflicting flags with exit 2", async () => {
    for (const args of [["maintain", "--every", "5 parsecs"], ["maintain", "--every", "0s"], ["maintain", "--once", "--every", "5m"], ["maintain", "--every"]]) {
      const run = await runCli(args, db.url);
      expect(run.code, args.join(" ")).toBe(2);
      oneLineError(run.stderr);
    }
  });

  it("exits 1 when a job fails and still runs the others", async () => {
    await db.pool.query("INSERT INTO maint.cron_jobs (job_name, schedule, command, description) VALUES ('zz-broken', '* * * * *', 'SELECT 1/0', 'test')");
    try {
      const run = await runJson<Round>(["maintain", "--once"], db.url);
      expect(run.code).toBe(1);
      expect(run.json.jobs.find((j) => j.job === "zz-broken")).toMatchObject({ status: "failed" });
      expect(run.json.jobs.filter((j) => j.status === "ran").length).toBeGreaterThan(5);
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
