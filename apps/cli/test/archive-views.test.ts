import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { archiveCharacters, parseInterval } from "@mmo/db";
import { createSeededDatabase, oneLineError, runCli, runJson } from "./helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
  // The seed's own long-deleted characters are archived first, so counts below are the planted ones.
  await runCli(["archive", "characters"], db.url);
});
afterAll(async () => {
  await db.drop();
});

async function plant(n: number, prefix: string, deletedAgo = "120 days"): Promise<void> {
  await db.pool.query(
    `WITH u AS (INSERT INTO users (email, password_hash) VALUES ($2 || '@example.test', 'x') RETURNING id)
     INSERT INTO characters (user_id, name, class, race, is_deleted, deleted_at)
     SELECT u.id, $2 || '_' || g, 'mage', 'elf', true, now() - $3::interval FROM u, generate_series(1, $1) g`,
    [n, prefix, deletedAgo],
  );
}

async function counts(prefix: string): Promise<{ live: number; archived: number; distinct: number }> {
  const { rows } = await db.pool.query<{ live: string; archived: string; distinct: string }>(
    `SELECT (SELECT count(*) FROM characters WHERE name LIKE $1) AS live,
            (SELECT count(*) FROM characters_archive WHERE name LIKE $1) AS archived,
            (SELECT count(DISTINCT id) FROM characters_archive WHERE name LIKE $1) AS distinct`,
    [`${prefix}\\_%`],
  );
  return { live: Number(rows[0]!.live), archived: Number(rows[0]!.archived), distinct: Number(rows[0]!.distinct) };
}

describe("archive characters", () => {
  it("--dry-run counts and moves nothing", async () => {
    await plant(4, "dry");
    const human = await runCli(["archive", "characters", "--dry-run"], db.url);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("4 character(s)");
    const { json } = await runJson<{ eligible: number; archived: number; dryRun: boolean }>(["archive", "characters", "--dry-run", "--older-than", "90 days"], db.url);
    expect(json).toMatchObject({ eligible: 4, archived: 0, dryRun: true });
    expect(await counts("dry")).toEqual({ live: 4, archived: 0, distinct: 0 });
    const run = await runJson<{ archived: number; batches: number }>(["archive", "characters", "--batch", "3"], db.url);
    expect(run.json).toMatchObject({ archived: 4, batches: 2 });
    expect(await counts("dry")).toEqual({ live: 0, archived: 4, distinct: 4 });
  });

  it("respects --older-than", async () => {
    await plant(3, "recent", "10 days");
    const kept = await runCli(["archive", "characters", "--older-than", "30d"], db.url);
    expect(kept.code).toBe(0);
    expect(await counts("recent")).toEqual({ live: 3, archived: 0, distinct: 0 });
    const moved = await runCli(["archive", "characters", "--older-than", "1w"], db.url);
    expect(moved.code).toBe(0);
    expect(await counts("recent")).toEqual({ live: 0, archived: 3, distinct: 3 });
  });

  it("an archive interrupted mid-way and re-run moves each row exactly once", async () => {
    await plant(10, "interrupted");
    const controller = new AbortController();
    const first = await archiveCharacters(db.pool, { olderThan: parseInterval("90d"), batch: 3, signal: controller.signal, onBatch: () => controller.abort() });
    expect(first).toMatchObject({ archived: 3, interrupted: true });
    expect(await counts("interrupted")).toEqual({ live: 7, archived: 3, distinct: 3 });

    // A batch killed inside its statement rolls back whole: nothing half-moved.
    const victim = await db.pool.connect();
    // The server's FATAL for the killed session arrives as an 'error' event on this client.
    victim.on("error", () => undefined);
    const pid = (await victim.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    await victim.query("BEGIN");
    await victim.query("SELECT maint.archive_deleted_characters('90 days', 2)");
    await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
    await victim.query("COMMIT").catch(() => undefined);
    victim.release(true);
    expect(await counts("interrupted")).toEqual({ live: 7, archived: 3, distinct: 3 });

    const rerun = await runJson<{ archived: number; interrupted: boolean }>(["archive", "characters", "--batch", "4"], db.url);
    expect(rerun.json).toMatchObject({ archived: 7, interrupted: false });
    expect(await counts("interrupted")).toEqual({ live: 0, archived: 10, distinct: 10 });
  });

  it("rejects malformed options with exit 2 and changes nothing", async () => {
    await plant(2, "badargs");
    for (const args of [["--older-than", "ninety days"], ["--older-than", "90d; DELETE FROM characters"], ["--batch", "0"], ["--batch", "abc"], ["--batch", "200000"]]) {
      const run = await runCli(["archive", "characters", ...args], db.url);
      expect(run.code, args.join(" ")).toBe(2);
      oneLineError(run.stderr);
    }
    expect(await counts("badargs")).toEqual({ live: 2, archived: 0, distinct: 0 });
  });
});

describe("views refresh", () => {
  it("refreshes the ranking views, plain or concurrently", async () => {
    const human = await runCli(["views", "refresh"], db.url);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("guild_rankings");
    expect(human.stdout).toContain("character_leaderboard");
    const { code, json } = await runJson<{ view: string; mode: string }[]>(["views", "refresh", "--concurrently"], db.url);
    expect(code).toBe(0);
    expect(json.map((v) => v.mode)).toEqual(["concurrently", "concurrently"]);
    const one = await runJson<{ view: string }[]>(["views", "refresh", "character_leaderboard"], db.url);
    expect(one.code).toBe(0);
    expect(one.json.map((v) => v.view)).toContain("character_leaderboard");
  });

  it("makes the leaderboard reflect new data", async () => {
    await db.pool.query(
      `WITH u AS (INSERT INTO users (email, password_hash) VALUES ('champ@example.test', 'x') RETURNING id)
       INSERT INTO characters (user_id, name, class, race, level, experience) SELECT id, 'champion_x', 'warrior', 'orc', 100, 999999999 FROM u`,
    );
    await runCli(["views", "refresh", "--concurrently"], db.url);
    const { rows } = await db.pool.query("SELECT rank FROM character_leaderboard WHERE name = 'champion_x'");
    expect(Number(rows[0].rank)).toBe(1);
  });

  it("rejects an unknown view name with exit 2", async () => {
    for (const name of ["nope", 'guild_rankings"; DROP TABLE guilds; --']) {
      const run = await runCli(["views", "refresh", name], db.url);
      expect(run.code).toBe(2);
      expect(oneLineError(run.stderr)).toContain("unknown materialized view");
    }
  });
});
