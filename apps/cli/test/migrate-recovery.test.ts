import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrationDirectories } from "@mmo/db";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { oneLineError, runCli, runJson } from "./helpers.ts";

/**
 * Recovery after `mmo migrate down`: the rolled-back migration's re-deploy fails, and both ways out
 * that status prints must then work (Prisma used to answer P3008 "already recorded as applied" to
 * `resolve --applied`, because the rolled-back row kept its finished_at).
 */
let db: TestDatabase;
let last: { name: string; path: string };
beforeAll(async () => {
  db = await createTestDatabase();
  last = (await listMigrationDirectories()).at(-1)!;
});
afterAll(async () => db.drop());

/** A table the newest migration creates (its first object). */
const SQUATTED = "job_functions";

/** Re-deploying the newest migration fails: a table it creates is already there (42P07). */
async function failRedeploy(): Promise<void> {
  await db.pool.query(`CREATE TABLE maint.${SQUATTED} (squatter int)`);
  const deploy = await runCli(["migrate", "deploy"], db.url);
  expect(deploy.code, deploy.stderr).toBe(1);
  expect(deploy.stderr).toContain(`${SQUATTED}" already exists`);
  const status = await runJson<{ failed: string[]; failedDetails: { outcome: { kind: string } }[] }>(["migrate", "status"], db.url);
  expect(status.code).toBe(3);
  expect(status.json.failed).toEqual([last.name]);
  // Its error was recorded, so it rolled back: the squatting table it found is not taken for its own.
  expect(status.json.failedDetails[0]?.outcome.kind).toBe("not-applied");
}

describe("down, then a failed re-deploy", () => {
  it("resolve --applied works after the change is applied by hand; status and deploy agree", async () => {
    expect((await runCli(["migrate", "down", "--steps", "1", "--yes"], db.url)).code).toBe(0);
    // Recorded as Prisma records a failure resolved --rolled-back.
    const { rows } = await db.pool.query("SELECT finished_at, rolled_back_at, logs FROM _prisma_migrations WHERE migration_name = $1", [last.name]);
    expect(rows).toEqual([{ finished_at: null, rolled_back_at: expect.any(Date), logs: expect.stringMatching(/^rolled back with down\.sql \(mmo migrate down\); it had finished at /) }]);
    await failRedeploy();
    // The hotfix: what the migration does, by hand.
    await db.pool.query(`DROP TABLE maint.${SQUATTED}`);
    await db.pool.query(await readFile(join(last.path, "migration.sql"), "utf8"));
    const resolve = await runCli(["migrate", "resolve", "--applied", last.name], db.url);
    expect(resolve.code, resolve.stderr).toBe(0);
    const status = await runJson<{ applied: string[]; failed: string[]; pending: string[] }>(["migrate", "status"], db.url);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ failed: [], pending: [] });
    expect(status.json.applied.at(-1)).toBe(last.name);
    const deploy = await runJson<{ applied: string[] }>(["migrate", "deploy"], db.url);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.json.applied).toEqual([]);
  });

  it("resolve --rolled-back, remove the cause, deploy: applied again", async () => {
    expect((await runCli(["migrate", "down", "--steps", "1", "--yes"], db.url)).code).toBe(0);
    await failRedeploy();
    expect((await runCli(["migrate", "resolve", "--rolled-back", last.name], db.url)).code).toBe(0);
    await db.pool.query(`DROP TABLE maint.${SQUATTED}`);
    const deploy = await runJson<{ applied: string[] }>(["migrate", "deploy"], db.url);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.json.applied).toEqual([last.name]);
    expect((await runCli(["migrate", "status"], db.url)).code).toBe(0);
    // Prisma's own view agrees with ours: nothing failed, nothing pending.
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL", [last.name]);
    expect(rows[0].n).toBe(1);
  });

  it("a row an older `mmo migrate down` left (finished_at kept) does not block resolve --applied", async () => {
    const down = await readFile(join(last.path, "down.sql"), "utf8");
    await db.pool.query(`BEGIN;\n${down}\nUPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${last.name}' AND rolled_back_at IS NULL;\nCOMMIT;`);
    // Prisma refuses --applied for the name whether or not a re-deploy failed since (P3008); the hotfix by hand:
    await db.pool.query(await readFile(join(last.path, "migration.sql"), "utf8"));
    const resolve = await runCli(["migrate", "resolve", "--applied", last.name], db.url);
    expect(resolve.code, resolve.stderr).toBe(0);
    expect((await runCli(["migrate", "status"], db.url)).code).toBe(0);
  });

  it("a failed row whose change committed anyway (a killed deploy's session): status says resolve --applied, which works", async () => {
    expect((await runCli(["migrate", "down", "--steps", "1", "--yes"], db.url)).code).toBe(0);
    // What a deploy killed mid-migration leaves once its orphaned session commits: the change, and
    // Prisma's row started but never finished.
    const script = await readFile(join(last.path, "migration.sql"), "utf8");
    await db.pool.query(script);
    await db.pool.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)", [
      randomUUID(),
      createHash("sha256").update(script).digest("hex"),
      last.name,
    ]);
    const status = await runCli(["migrate", "status"], db.url);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`FAILED   ${last.name}: no error recorded`);
    expect(status.stdout).toMatch(new RegExp(`# it IS applied: table "maint"\\."${SQUATTED}", .* exist\\(s\\), so its transaction committed`));
    expect(status.stdout).toContain(`    mmo migrate resolve --applied ${last.name}\n`);
    expect(status.stdout).not.toContain("resolve --rolled-back");
    const json = await runJson<{ failedDetails: { outcome: { kind: string } }[] }>(["migrate", "status"], db.url);
    expect(json.json.failedDetails.map((f) => f.outcome.kind)).toEqual(["applied"]);
    expect((await runCli(["migrate", "resolve", "--applied", last.name], db.url)).code).toBe(0);
    expect((await runCli(["migrate", "status"], db.url)).code).toBe(0);
  });

  it("an unknown migration name is bad usage (exit 2) for resolve as for down", async () => {
    for (const args of [["migrate", "resolve", "--rolled-back", "nope"], ["migrate", "resolve", "--applied", "nope"], ["migrate", "down", "--to", "nope", "--yes"]]) {
      const run = await runCli(args, db.url);
      expect(run.code, args.join(" ")).toBe(2);
      expect(oneLineError(run.stderr)).toMatch(/nope/);
    }
  });
});
