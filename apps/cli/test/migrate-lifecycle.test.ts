import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { oneLineError, runCli, runJson } from "./helpers.ts";

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "mmo-cli-migrate-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("mmo migrate new / lint", () => {
  it("creates the templates; lint insists the data-loss line is filled in", async () => {
    const created = await runJson<{ name: string; files: string[] }>(["migrate", "new", "Add character title", "--migrations-dir", dir], db.url);
    expect(created.code).toBe(0);
    expect(created.json.name).toMatch(/^\d{14}_add_character_title$/);
    expect(await readdir(join(dir, created.json.name))).toEqual(["down.sql", "migration.sql"]);
    const up = await readFile(join(dir, created.json.name, "migration.sql"), "utf8");
    expect(up).toContain("SET LOCAL lock_timeout = '2s';");
    expect(up).toContain("SET LOCAL statement_timeout = '5min';");
    expect(await readFile(join(dir, created.json.name, "down.sql"), "utf8")).toMatch(new RegExp(`^-- Rollback of ${created.json.name}\n-- Data loss: <`));
    const lint = await runJson<{ ok: boolean; findings: { rule: string }[] }>(["migrate", "lint", created.json.name, "--migrations-dir", dir], db.url);
    expect(lint.code).toBe(3);
    expect(lint.json.findings.map((f) => f.rule)).toEqual(["down-sql-header"]);
  });

  it("lints the project's own history clean (exit 0), and rejects --all with a directory (exit 2)", async () => {
    const all = await runCli(["migrate", "lint", "--all"]);
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stderr).toMatch(/migration\(s\) lint clean/);
    const both = await runCli(["migrate", "lint", "--all", "20261125000100_auth_users_sessions"]);
    expect(both.code).toBe(2);
    expect(oneLineError(both.stderr)).toMatch(/either --all or migration directories/);
  });
});

describe("mmo migrate status / down", () => {
  it("status is 0 when up to date", async () => {
    const status = await runJson<{ pending: string[]; failed: string[] }>(["migrate", "status"], db.url);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ pending: [], failed: [] });
  });

  it("down refuses without --yes when there is no terminal, and with both --steps and --to", async () => {
    const noYes = await runCli(["migrate", "down", "--steps", "1"], db.url);
    expect(noYes.code).toBe(2);
    expect(oneLineError(noYes.stderr)).toMatch(/pass --yes to confirm \(no terminal to ask on\)/);
    const both = await runCli(["migrate", "down", "--steps", "1", "--to", "20261125000100_auth_users_sessions", "--yes"], db.url);
    expect(both.code).toBe(2);
    expect((await runJson<{ pending: string[] }>(["migrate", "status"], db.url)).json.pending).toEqual([]);
  });

  it("down --to rolls back what came after; status then exits 3 listing it pending", async () => {
    const { json: before } = await runJson<{ applied: string[] }>(["migrate", "status"], db.url);
    const down = await runJson<{ name: string; dataLoss: string }[]>(["migrate", "down", "--to", before.applied.at(-2) as string, "--yes"], db.url);
    expect(down.code).toBe(0);
    expect(down.json.map((m) => m.name)).toEqual([before.applied.at(-1)]);
    const status = await runCli(["migrate", "status"], db.url);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`pending  ${before.applied.at(-1)}`);
    const unknown = await runCli(["migrate", "down", "--to", "20990101000000_nope", "--yes"], db.url);
    expect(unknown.code).toBe(2);
  });
});
