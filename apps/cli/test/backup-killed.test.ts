import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { dropDatabase } from "@mmo/db/testing";
import { createDatabaseClient, partialPath, restoreMarker, withDatabase, type BackupResult, type DatabaseClient } from "@mmo/db";
import { createSeededDatabase, lastErrorLine, oneLineError, runCli, runJson, spawnCli, waitUntil } from "./helpers.ts";

// SIGKILL leaves the CLI no chance to clean up: what it started must die anyway, and the next run
// must recognise what it left. The tool is held on a lock so the kill lands mid-dump/mid-restore.

let db: TestDatabase;
let admin: DatabaseClient;
let dir: string;
let serverMajor = 0;
const targetName = `mmo_t_killed_restore_${process.pid}_${Date.now() % 100000}`;
const stoppedName = `${targetName}_stopped`;
beforeAll(async () => {
  db = await createSeededDatabase();
  admin = createDatabaseClient({ url: db.server.adminUrl, poolMax: 2 });
  dir = await mkdtemp(join(tmpdir(), "mmo-backup-killed-"));
  serverMajor = Math.floor(Number((await db.pool.query("SELECT current_setting('server_version_num') AS v")).rows[0].v) / 10000);
});
afterAll(async () => {
  await admin.close();
  for (const name of [targetName, stoppedName]) await dropDatabase(db.server.adminUrl, name);
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const toolsMatch = () => serverMajor === 15;

/** Sessions of a tool (application_name) on a database, and how many of them wait for a lock. */
async function toolSessions(tool: string, database: string): Promise<{ all: number; waiting: number }> {
  const { rows } = await admin.pool.query<{ all: string; waiting: string }>(
    "SELECT count(*) AS all, count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
    [database, tool],
  );
  return { all: Number(rows[0]!.all), waiting: Number(rows[0]!.waiting) };
}

/** A session holding `lockSql` in an open transaction until released. */
async function holdLock(url: string, lockSql: string): Promise<{ release(): Promise<void> }> {
  const holder = createDatabaseClient({ url, poolMax: 1 });
  const client = await holder.pool.connect();
  await client.query("BEGIN");
  await client.query(lockSql);
  return {
    async release() {
      await client.query("ROLLBACK");
      client.release();
      await holder.close();
    },
  };
}

describe("a killed backup or restore", () => {
  it("kills pg_dump with the CLI; the next backup removes the partial file and says so", async () => {
    const out = join(dir, "killed.dump");
    if (!toolsMatch()) {
      expect((await runCli(["backup", "--out", out], db.url)).code).toBe(1);
      return;
    }
    const dbName = new URL(db.url).pathname.slice(1);
    // pg_dump locks every table it dumps; the row counts before it read only public tables.
    const lock = await holdLock(db.url, "LOCK TABLE maint.partition_policy IN ACCESS EXCLUSIVE MODE");
    let cli: ChildProcess | undefined;
    let partial = "";
    try {
      const run = spawnCli(["--database-url", db.url, "backup", "--out", out], { onSpawn: (child) => (cli = child) });
      await waitUntil(async () => (await toolSessions("pg_dump", dbName)).waiting === 1, "pg_dump waiting for the lock");
      partial = partialPath(out, cli!.pid);
      // Private from its creation, not chmod-ed at the end.
      expect((await stat(partial)).mode & 0o777).toBe(0o600);
      cli!.kill("SIGKILL");
      expect((await run).code).toBe(-1);
      // The lock is still held: pg_dump can only be gone because it was stopped.
      await waitUntil(async () => (await toolSessions("pg_dump", dbName)).all === 0, "pg_dump to die with the CLI");
    } finally {
      await lock.release();
    }
    await expect(stat(out)).rejects.toThrow();
    await stat(partial);

    const next = await runJson<BackupResult>(["backup", "--out", out], db.url);
    expect(next.code).toBe(0);
    expect(next.json.removedPartials).toEqual([partial]);
    expect(next.stderr).toContain(`warning: removed ${basename(partial)}`);
    expect(next.stderr).toContain("killed before it finished");
    await expect(stat(partial)).rejects.toThrow();
    expect((await stat(out)).size).toBe(next.json.bytes);
  });

  it("kills pg_restore with the CLI; the next restore and health report the unverified database", async () => {
    const dump = join(dir, "source.dump");
    if (!toolsMatch()) {
      expect((await runCli(["backup", "--out", dump], db.url)).code).toBe(1);
      return;
    }
    expect((await runCli(["backup", "--out", dump], db.url)).code).toBe(0);
    const into = withDatabase(db.url, targetName);
    await admin.pool.query(`CREATE DATABASE "${targetName}"`);
    // An uncommitted DROP SCHEMA holds the schema exclusively: pg_restore's first CREATE TABLE waits.
    const lock = await holdLock(into, "DROP SCHEMA public CASCADE");
    let cli: ChildProcess | undefined;
    try {
      const run = spawnCli(["--database-url", db.url, "restore", "--from", dump, "--into", into], { onSpawn: (child) => (cli = child) });
      await waitUntil(async () => (await toolSessions("pg_restore", targetName)).waiting === 1, "pg_restore waiting for the lock");
      expect(await restoreMarker(admin.pool, targetName)).toMatch(/^mmo restore incomplete: restoring .*source\.dump/);
      // While it runs, the marker is not taken for an interrupted restore.
      const concurrent = await runCli(["restore", "--from", dump, "--into", into], db.url);
      expect(concurrent.code).toBe(2);
      expect(oneLineError(concurrent.stderr)).toContain(`another restore into ${targetName} is running`);
      const during = await runJson<{ interruptedRestore: string | null; problems: string[] }>(["health"], into);
      expect(during.json.interruptedRestore).toBeNull();
      expect(during.json.problems.join("\n")).not.toContain("interrupted restore");
      cli!.kill("SIGKILL");
      expect((await run).code).toBe(-1);
      await waitUntil(async () => (await toolSessions("pg_restore", targetName)).all === 0, "pg_restore to die with the CLI");
    } finally {
      await lock.release();
    }

    const again = await runCli(["restore", "--from", dump, "--into", into], db.url);
    expect(again.code).toBe(2);
    const line = oneLineError(again.stderr);
    expect(line).toContain(`database ${targetName} was left by an interrupted restore`);
    expect(line).toContain(`DROP DATABASE "${targetName}"`);

    const health = await runJson<{ interruptedRestore: string | null; problems: string[] }>(["health"], into);
    expect(health.code).toBe(3);
    expect(health.json.interruptedRestore).toMatch(/^mmo restore incomplete:/);
    expect(health.json.problems.some((p) => p.includes("was left by an interrupted restore"))).toBe(true);
  });

  it("stops pg_dump on SIGINT and pg_restore on SIGTERM: exit 1, and the run cleans up after itself", async () => {
    const dump = join(dir, "stopped-source.dump");
    if (!toolsMatch()) {
      expect((await runCli(["backup", "--out", dump], db.url)).code).toBe(1);
      return;
    }
    const dbName = new URL(db.url).pathname.slice(1);
    const stoppedDir = join(dir, "stopped");
    const dumpLock = await holdLock(db.url, "LOCK TABLE maint.partition_policy IN ACCESS EXCLUSIVE MODE");
    try {
      let cli: ChildProcess | undefined;
      const run = spawnCli(["--database-url", db.url, "backup", "--out", join(stoppedDir, "game.dump")], { onSpawn: (child) => (cli = child) });
      await waitUntil(async () => (await toolSessions("pg_dump", dbName)).waiting === 1, "pg_dump waiting for the lock");
      cli!.kill("SIGINT");
      const stopped = await run;
      expect(stopped.code).toBe(1);
      expect(lastErrorLine(stopped.stderr)).toContain("pg_dump failed");
      await waitUntil(async () => (await toolSessions("pg_dump", dbName)).all === 0, "pg_dump to stop");
      expect(await readdir(stoppedDir)).toEqual([]);
    } finally {
      await dumpLock.release();
    }

    expect((await runCli(["backup", "--out", dump], db.url)).code).toBe(0);
    const into = withDatabase(db.url, stoppedName);
    await admin.pool.query(`CREATE DATABASE "${stoppedName}"`);
    await admin.pool.query(`COMMENT ON DATABASE "${stoppedName}" IS 'given'`);
    const restoreLock = await holdLock(into, "DROP SCHEMA public CASCADE");
    try {
      let cli: ChildProcess | undefined;
      const run = spawnCli(["--database-url", db.url, "restore", "--from", dump, "--into", into], { onSpawn: (child) => (cli = child) });
      await waitUntil(async () => (await toolSessions("pg_restore", stoppedName)).waiting === 1, "pg_restore waiting for the lock");
      cli!.kill("SIGTERM");
      const stopped = await run;
      expect(stopped.code).toBe(1);
      expect(lastErrorLine(stopped.stderr)).toContain("pg_restore failed");
      await waitUntil(async () => (await toolSessions("pg_restore", stoppedName)).all === 0, "pg_restore to stop");
    } finally {
      await restoreLock.release();
    }
    // The database it was given, as it was given: its own comment, no marker.
    expect((await admin.pool.query("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [stoppedName])).rows[0].c).toBe("given");
  });
});
