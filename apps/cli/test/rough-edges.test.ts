import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrationDirectories, nodePgUrl } from "@mmo/db";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { oneLineError, runCli, runJson, spawnCli } from "./helpers.ts";

/** Exit codes and messages at the edges: an unmigrated database, an empty --database-url, sslmode=require. */
let empty: TestDatabase;
beforeAll(async () => {
  empty = await createTestDatabase({ empty: true });
});
afterAll(async () => empty.drop());

describe("an unmigrated database", () => {
  it("health reports the pending migrations as its problem (exit 3)", async () => {
    const all = (await listMigrationDirectories()).map((m) => m.name);
    const json = await runJson<{ migrations: { pending: string[] }; problems: string[] }>(["health"], empty.url);
    expect(json.code, json.stderr).toBe(3);
    expect(json.json.migrations.pending).toEqual(all);
    expect(json.json.problems).toContain(`${all.length} pending migration(s): run \`mmo migrate deploy\``);
    const text = await runCli(["health"], empty.url);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`Migrations   0 applied, ${all.length} pending, 0 failed`);
  });

  it("validate says so in one line (exit 3); partitions list and the other maintenance commands too (exit 1)", async () => {
    for (const args of [["validate"], ["validate", "--json"]]) {
      const run = await runCli(args, empty.url);
      expect(run.code, args.join(" ")).toBe(3);
      expect(oneLineError(run.stderr)).toBe("error: database is not migrated: run `mmo migrate deploy`");
      expect(run.stdout).toBe("");
    }
    for (const args of [["partitions", "list"], ["partitions", "list", "combat_log"], ["partitions", "ensure"], ["views", "refresh"]]) {
      const run = await runCli(args, empty.url);
      expect(run.code, args.join(" ")).toBe(1);
      expect(oneLineError(run.stderr)).toBe("error: database is not migrated: run `mmo migrate deploy`");
    }
  });
});

describe("--database-url", () => {
  it("an empty one is bad usage (exit 2, one line), not the embedded server", async () => {
    const run = await runCli(["--database-url", "", "health"]);
    expect(run.code).toBe(2);
    expect(oneLineError(run.stderr)).toMatch(/--database-url.*is empty/);
    expect(run.stdout).toBe("");
  });

  it("sslmode=require prints no deprecation warning and still requires verified TLS (exit 1, one line, on a test server)", async () => {
    const url = `${empty.url}?sslmode=require`;
    // Without TLS the server refuses it; with TLS (Debian's snakeoil certificate) the certificate fails verification.
    const { rows } = await empty.pool.query<{ ssl: string }>("SHOW ssl");
    const refused = rows[0]?.ssl === "on" ? /self[- ]signed|certificate|unable to verify/i : /does not support SSL/i;
    for (const args of [["health"], ["migrate", "deploy"]]) {
      const run = await spawnCli(["--database-url", url, ...args]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr).not.toMatch(/warning/i);
      // deploy reports its step ("running prisma migrate deploy") on stderr before the error.
      expect(oneLineError(run.stderr.replace(/^running prisma migrate deploy\n/, ""))).toMatch(refused);
    }
    // pg's behaviour for require (certificate and host verified) spelled out; libpq's weaker one stays opt-in.
    expect(nodePgUrl("postgresql://u@h:5432/db?sslmode=require")).toBe("postgresql://u@h:5432/db?sslmode=verify-full");
    expect(nodePgUrl("postgresql://u@h:5432/db?uselibpqcompat=true&sslmode=require")).toBe("postgresql://u@h:5432/db?uselibpqcompat=true&sslmode=require");
    expect(nodePgUrl("postgresql://u@h:5432/db?sslmode=disable")).toBe("postgresql://u@h:5432/db?sslmode=disable");
  });
});
