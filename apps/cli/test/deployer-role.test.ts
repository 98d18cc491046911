import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loginAs, type LoginRole, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeededDatabase, runCli } from "./helpers.ts";

/**
 * The documented deployer, a LOGIN member of mmo_migrator on a database a superuser installed, runs
 * every operator command the way a superuser does: same exit code, no "permission denied".
 */
let db: TestDatabase;
let deployer: LoginRole;
let deployerUrl: string;
let outDir: string;

beforeAll(async () => {
  db = await createSeededDatabase();
  deployer = await loginAs(db, "mmo_migrator");
  deployerUrl = deployer.url;
  outDir = await mkdtemp(join(tmpdir(), "mmo-deployer-"));
  // Where the server preloads it (PostgreSQL 15 in CI), slow-queries has something to read.
  await db.pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").catch(() => undefined);
});
afterAll(async () => {
  await deployer?.drop();
  await db?.drop();
  await rm(outDir, { recursive: true, force: true });
});

const COMMANDS: string[][] = [
  ["health"],
  ["slow-queries", "--limit", "5"],
  ["cron", "list"],
  ["migrate", "status"],
  ["migrate", "deploy"],
  ["validate"],
  ["partitions", "list"],
  ["partitions", "ensure"],
  ["partitions", "prune", "--dry-run"],
  ["partitions", "prune"],
  ["maintain", "--force", "--job", "mmo-expire-mail"],
  ["maintain", "--status"],
  ["views", "refresh"],
  ["archive", "characters", "--dry-run"],
  ["archive", "characters"],
];

describe("the deployer role (member of mmo_migrator)", () => {
  it.each(COMMANDS.map((args) => [args.join(" "), args] as const))("mmo %s: as the superuser does", async (_name, args) => {
    const asSuperuser = await runCli(args, db.url);
    const asDeployer = await runCli(args, deployerUrl);
    expect(asDeployer.stderr).not.toMatch(/permission denied|must be owner/i);
    expect(asDeployer.code).toBe(asSuperuser.code);
    // slow-queries and cron exit 1 where pg_stat_statements / pg_cron are missing (the embedded server).
    if (args[0] !== "slow-queries" && args[0] !== "cron") expect([0, 3], asDeployer.stderr).toContain(asDeployer.code);
  });

  it("mmo backup", async () => {
    // Where no pg_dump matches the server (the embedded PostgreSQL 18 here) both fail alike, exit 1.
    const asSuperuser = await runCli(["backup", "--out", join(outDir, "superuser.dump")], db.url);
    const asDeployer = await runCli(["backup", "--out", join(outDir, "deployer.dump")], deployerUrl);
    expect(asDeployer.stderr).not.toMatch(/permission denied|must be owner/i);
    expect(asDeployer.code, asDeployer.stderr).toBe(asSuperuser.code);
  });
});
