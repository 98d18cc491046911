import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { dropDatabase } from "@mmo/db/testing";
import { createDatabaseClient, restoreMarker, tableRowCounts, withDatabase, type BackupResult, type RestoreResult } from "@mmo/db";
import { createSeededDatabase, lastErrorLine, oneLineError, runCli, runJson } from "./helpers.ts";

let db: TestDatabase;
let dir: string;
let serverMajor = 0;
const restoredName = `mmo_t_restore_${process.pid}_${Date.now() % 100000}`;
const failedName = `${restoredName}_failed`;
const emptyName = `${restoredName}_empty`;
beforeAll(async () => {
  db = await createSeededDatabase();
  dir = await mkdtemp(join(tmpdir(), "mmo-backup-"));
  serverMajor = Math.floor(Number((await db.pool.query("SELECT current_setting('server_version_num') AS v")).rows[0].v) / 10000);
});
afterAll(async () => {
  for (const name of [restoredName, failedName, emptyName]) await dropDatabase(db.server.adminUrl, name);
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

// pg_dump/pg_restore 15 are installed; a server of another major version must be refused clearly.
const toolsMatch = () => serverMajor === 15;

/** On a server the installed tools do not match, what a test can check is the refusal. */
async function refusedForMismatchedTools(): Promise<boolean> {
  if (toolsMatch()) return false;
  expect((await runCli(["backup", "--out", join(dir, `refused-${Date.now()}.dump`)], db.url)).code).toBe(1);
  return true;
}

describe("backup and restore", () => {
  it("backs up with a row-count manifest and restores verified, or refuses mismatched tools", async () => {
    const out = join(dir, "game.dump");
    const into = withDatabase(db.url, restoredName);
    if (!toolsMatch()) {
      const backup = await runCli(["backup", "--out", out], db.url);
      expect(backup.code).toBe(1);
      expect(oneLineError(backup.stderr)).toMatch(/pg_dump must match the server's major version \d+|pg_dump was not found/);
      await expect(stat(out)).rejects.toThrow();
      return;
    }
    const backup = await runJson<BackupResult>(["backup", "--out", out], db.url);
    expect(backup.code).toBe(0);
    expect(backup.json.bytes).toBeGreaterThan(0);
    expect(backup.json.tables).toBeGreaterThan(10);
    expect((await stat(backup.json.manifestFile)).size).toBeGreaterThan(0);

    const restore = await runJson<RestoreResult>(["restore", "--from", out, "--into", into], db.url);
    expect(restore.code).toBe(0);
    expect(restore.json.verified).toBe(true);
    expect(restore.json.created).toBe(true);
    expect(restore.json.tables.every((t) => t.expected === t.restored)).toBe(true);
    expect(restore.json.tables.find((t) => t.table === "characters")!.restored).toBe((await tableRowCounts(db.pool, ["characters"])).characters);
    // Verified: the marker a restore in progress carries is gone.
    expect(await restoreMarker(db.pool, restoredName)).toBeNull();

    // A second restore into the now non-empty database is refused and changes nothing.
    const again = await runCli(["restore", "--from", out, "--into", into], db.url);
    expect(again.code).toBe(2);
    expect(oneLineError(again.stderr)).toContain("not empty");
    // An existing output file is not overwritten.
    const overwrite = await runCli(["backup", "--out", out], db.url);
    expect(overwrite.code).toBe(2);
    oneLineError(overwrite.stderr);
  });

  it("rejects a missing backup file and a malformed target URL with exit 2", async () => {
    const missing = await runCli(["restore", "--from", join(dir, "nope.dump"), "--into", withDatabase(db.url, restoredName)], db.url);
    expect(missing.code).toBe(2);
    expect(oneLineError(missing.stderr)).toContain("does not exist");
    const badUrl = await runCli(["restore", "--from", join(dir, "nope.dump"), "--into", "not a url"]);
    expect(badUrl.code).toBe(2);
    oneLineError(badUrl.stderr);
    const noArgs = await runCli(["restore"]);
    expect(noArgs.code).toBe(2);
    oneLineError(noArgs.stderr);
  });

  it("writes the dump and its manifest 0600, and the directories it creates 0700", async () => {
    if (await refusedForMismatchedTools()) return;
    const out = join(dir, "private", "nested", "game.dump");
    const backup = await runJson<BackupResult>(["backup", "--out", out], db.url);
    expect(backup.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await stat(backup.json.manifestFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "private"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "private", "nested"))).mode & 0o777).toBe(0o700);
  });

  it("drops the database a failed restore created, and never one it did not create", async () => {
    if (await refusedForMismatchedTools()) return;
    const good = join(dir, "for-corruption.dump");
    expect((await runCli(["backup", "--out", good], db.url)).code).toBe(0);
    // Cut in half: pg_restore creates part of the schema, then fails on the truncated archive.
    const corrupt = join(dir, "corrupt.dump");
    const bytes = await readFile(good);
    await writeFile(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const admin = createDatabaseClient({ url: db.server.adminUrl, poolMax: 1 });
    try {
      const exists = async (name: string) => (await admin.pool.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;

      const created = await runCli(["restore", "--from", corrupt, "--into", withDatabase(db.url, failedName)], db.url);
      expect(created.code).toBe(1);
      expect(lastErrorLine(created.stderr)).toMatch(/pg_restore failed: .*; dropped database .*, which this restore had created/);
      expect(await exists(failedName)).toBe(false);

      await admin.pool.query(`CREATE DATABASE "${emptyName}"`);
      await admin.pool.query(`COMMENT ON DATABASE "${emptyName}" IS 'the operator''s'`);
      const given = await runCli(["restore", "--from", corrupt, "--into", withDatabase(db.url, emptyName)], db.url);
      expect(given.code).toBe(1);
      expect(lastErrorLine(given.stderr)).not.toContain("dropped");
      expect(await exists(emptyName)).toBe(true);
      // Left as it was given: empty (one transaction), its own comment back, no restore marker.
      expect(await restoreMarker(admin.pool, emptyName)).toBeNull();
      expect((await admin.pool.query("SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1", [emptyName])).rows[0].c).toBe("the operator's");
      const target = createDatabaseClient({ url: withDatabase(db.url, emptyName), poolMax: 1 });
      try {
        expect(await tableRowCounts(target.pool)).toEqual({});
      } finally {
        await target.close();
      }
    } finally {
      await admin.close();
    }
  });

  it("names the manifest and what is wrong with it when it is malformed, and changes nothing", async () => {
    if (await refusedForMismatchedTools()) return;
    const good = join(dir, "manifest-source.dump");
    expect((await runCli(["backup", "--out", good], db.url)).code).toBe(0);
    const into = withDatabase(db.url, failedName);
    const cases: [string, string, RegExp][] = [
      ["not-json.dump", "{ this is not json", /is malformed: not JSON/],
      ["bad-count.dump", JSON.stringify({ ...JSON.parse(await readFile(`${good}.manifest.json`, "utf8")), rowCounts: { users: "many" } }), /is malformed: rowCounts\.users: /],
    ];
    for (const [name, manifest, fault] of cases) {
      const file = join(dir, name);
      await copyFile(good, file);
      await writeFile(`${file}.manifest.json`, manifest);
      const run = await runCli(["restore", "--from", file, "--into", into], db.url);
      expect(run.code).toBe(2);
      const line = oneLineError(run.stderr);
      expect(line).toContain(`backup manifest ${file}.manifest.json`);
      expect(line).toMatch(fault);
    }
    const admin = createDatabaseClient({ url: db.server.adminUrl, poolMax: 1 });
    try {
      expect((await admin.pool.query("SELECT 1 FROM pg_database WHERE datname = $1", [failedName])).rowCount).toBe(0);
    } finally {
      await admin.close();
    }
  });
});
