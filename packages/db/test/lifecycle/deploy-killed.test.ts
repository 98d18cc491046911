import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineSchemaEngineBinary } from "@mmo/schema-engine";
import { deployWithChecks, migrationStatus, resolveMigration } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { fixtureProject, type FixtureProject } from "./helpers.ts";

/**
 * A deploy SIGKILLed while its migration waits for a lock. The server session it leaves behind
 * may commit the migration once the lock is free, while `_prisma_migrations` says it failed: status
 * must say so (wait while it runs; then `resolve --applied`, not `--rolled-back`). A deploy made by
 * `mmo migrate deploy` cannot do that: its session notices the client is gone and ends (PostgreSQL
 * 14+, `client_connection_check_interval`), so nothing is applied and `--rolled-back` is right.
 * Deterministic: the lock is the test's, released only when the test says so.
 */
const KILLED = "20270102000000_add_character_title";
// No lock_timeout on purpose: it waits for the test's lock as long as the test holds it.
const UP = "-- add a title\nALTER TABLE characters ADD COLUMN title text;\nCREATE TABLE character_titles (id bigint PRIMARY KEY, title text NOT NULL);\n";
const require = createRequire(import.meta.url);
const dbDir = fileURLToPath(new URL("../..", import.meta.url));

let project: FixtureProject;
let dbs: TestDatabase[] = [];
beforeAll(async () => {
  project = await fixtureProject({}, { withHistory: true });
  await project.add(KILLED, { up: UP, down: `-- Rollback of ${KILLED}\n-- Data loss: titles\nDROP TABLE character_titles;\nALTER TABLE characters DROP COLUMN title;\n` });
  dbs = [await createTestDatabase(), await createTestDatabase()];
});
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  await project.remove();
});

/** A transaction of the test's holding ACCESS SHARE on characters: the migration's ALTER waits for it. */
async function holdLock(db: TestDatabase): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: db.url });
  holder.on("error", () => undefined);
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("LOCK TABLE characters IN ACCESS SHARE MODE");
  return holder;
}

/** The server sessions running the migration script (other than the test's own). */
async function migrationSessions(db: TestDatabase): Promise<{ pid: number; wait: string | null }[]> {
  const { rows } = await db.pool.query(
    "SELECT pid, wait_event_type AS wait FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '-- add a title%'",
  );
  return rows;
}

async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts a deploy in its own process group, waits until its migration waits for the lock, then SIGKILLs the group. */
async function killWhileWaiting(db: TestDatabase, child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await until("the migration to wait for the lock", async () => (await migrationSessions(db)).some((s) => s.wait === "Lock"));
  process.kill(-(child.pid as number), "SIGKILL");
  await exited;
}

describe("a deploy killed while its migration waits for a lock", () => {
  it("plain `prisma migrate deploy`: status says it is still running, then that it committed; resolve --applied works", async () => {
    const db = dbs[0] as TestDatabase;
    const holder = await holdLock(db);
    // What the README's `pnpm prisma migrate deploy` runs, with nothing of ours around it.
    const prisma = spawn(process.execPath, [require.resolve("prisma/build/index.js"), "migrate", "deploy", "--config", project.configPath], {
      cwd: project.dir,
      detached: true,
      stdio: "ignore",
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: offlineSchemaEngineBinary, DATABASE_URL: db.url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    });
    await killWhileWaiting(db, prisma);

    const [orphan] = await migrationSessions(db);
    const running = await migrationStatus(db.pool, project.migrationsDir);
    expect(running.failed).toEqual([KILLED]);
    expect(running.failedDetails[0]?.outcome).toMatchObject({ kind: "running", pid: orphan?.pid });
    expect(running.failedDetails[0]?.recovery.join("\n")).toMatch(/still running: server session pid \d+ is applying it \(waiting for a lock/);
    expect(running.failedDetails[0]?.recovery).toContain(`# or end it now, so that nothing of it is applied: SELECT pg_terminate_backend(${orphan?.pid});`);

    // Resolving now would be wrong whichever way: it refuses, changing nothing.
    await expect(resolveMigration(db.url, { rolledBack: KILLED }, project)).rejects.toThrow(`${KILLED} is still being applied by server session pid ${orphan?.pid}`);

    await holder.query("COMMIT");
    await holder.end();
    await until("the orphaned session to end", async () => (await migrationSessions(db)).length === 0);

    const committed = await migrationStatus(db.pool, project.migrationsDir);
    expect(committed.failed).toEqual([KILLED]);
    expect(committed.failedDetails[0]?.outcome).toEqual({ kind: "applied", found: ["column characters.title", "table character_titles"] });
    expect(committed.failedDetails[0]?.recovery).toContain(`mmo migrate resolve --applied ${KILLED}`);
    expect(committed.failedDetails[0]?.recovery.join("\n")).not.toMatch(/resolve --rolled-back/);

    await resolveMigration(db.url, { applied: KILLED }, project);
    expect(await migrationStatus(db.pool, project.migrationsDir)).toMatchObject({ failed: [], pending: [] });
    expect((await deployWithChecks(db.url, { project })).applied).toEqual([]);
  });

  it("`mmo migrate deploy`: its session ends with it, nothing is applied; resolve --rolled-back and deploy work", async () => {
    const db = dbs[1] as TestDatabase;
    const holder = await holdLock(db);
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("fixtures/deploy-child.ts", import.meta.url)), db.url, project.configPath, project.migrationsDir], {
      cwd: dbDir,
      detached: true,
      stdio: "ignore",
    });
    await killWhileWaiting(db, child);
    // The lock is still held: the session can only be gone because it noticed its client was.
    await until("the killed deploy's session to notice and end", async () => (await migrationSessions(db)).length === 0);
    await holder.query("COMMIT");
    await holder.end();

    const status = await migrationStatus(db.pool, project.migrationsDir);
    expect(status.failed).toEqual([KILLED]);
    expect(status.failedDetails[0]?.outcome).toEqual({ kind: "not-applied", reason: "none of what it creates exists (column characters.title, table character_titles)" });
    expect(status.failedDetails[0]?.recovery).toContain(`mmo migrate resolve --rolled-back ${KILLED}   # nothing of it was applied: it ran in one transaction`);

    await resolveMigration(db.url, { rolledBack: KILLED }, project);
    const report = await deployWithChecks(db.url, { project });
    expect(report.applied).toEqual([KILLED]);
    expect(report.state).toMatchObject({ failed: [], pending: [] });
  });
});
