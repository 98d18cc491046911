import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { oneLineError, runCli, runJson } from "./helpers.ts";

/** `mmo migrate deploy --backup --validate`; pg_dump exists here for PostgreSQL 15 only. */
let empty: TestDatabase;
let dir: string;
beforeAll(async () => {
  empty = await createTestDatabase({ empty: true });
  dir = await mkdtemp(join(tmpdir(), "mmo-cli-deploy-"));
});
afterAll(async () => {
  await empty.drop();
  await rm(dir, { recursive: true, force: true });
});

const hasMatchingPgDump = (versionNum: number) => existsSync(`/usr/lib/postgresql/${Math.floor(versionNum / 10000)}/bin/pg_dump`);

describe("mmo migrate deploy --backup --validate", () => {
  it("backs up first, deploys, validates; or, without a matching pg_dump, fails before deploying anything", async () => {
    const out = join(dir, "before-deploy.dump");
    const run = await runCli(["migrate", "deploy", "--backup", "--backup-out", out, "--validate", "--json"], empty.url);
    if (hasMatchingPgDump(empty.server.serverVersionNum)) {
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { backup: { file: string }; applied: string[]; state: { pending: string[] }; validation: { findings: unknown[] } };
      expect(report.backup.file).toBe(out);
      expect(existsSync(out)).toBe(true);
      expect(report.applied.length).toBeGreaterThan(5);
      expect(report.state.pending).toEqual([]);
      expect(report.validation.findings).toEqual([]);
    } else {
      expect(run.code).toBe(1);
      // Progress lines ("backing up before deploying") go to stderr too; the error is its one last line.
      expect(oneLineError(run.stderr.split("\n").filter((l) => l.startsWith("error: ")).join("\n"))).toMatch(/backup failed, nothing was deployed: pg_dump must match the server's major version/);
      expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^error: /);
      const { rows } = await empty.pool.query("SELECT to_regclass('public._prisma_migrations') AS t");
      expect(rows[0].t).toBeNull();
      const deploy = await runJson<{ applied: string[] }>(["migrate", "deploy"], empty.url);
      expect(deploy.code).toBe(0);
      expect(deploy.json.applied.length).toBeGreaterThan(5);
    }
    const again = await runJson<{ applied: string[]; state: { failed: string[] } }>(["migrate", "deploy"], empty.url);
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ applied: [], state: { failed: [] } });
  });
});
