import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "@mmo/db";
import { testServer } from "@mmo/db/testing";
import { runCli, runJson } from "./helpers.ts";

/** `mmo migrate verify` and `mmo migrate lock-impact` on a small migrations directory of one's own. */
const T = "20270101000000_create_widgets";
const I = "20270102000000_index_widget_names";
let dir: string;
const url = () => testServer().adminUrl;

async function write(name: string, up: string, down: string, into = dir) {
  await mkdir(join(into, name), { recursive: true });
  await writeFile(join(into, name, "migration.sql"), `SET LOCAL lock_timeout = '2s';\n${up}\n`);
  await writeFile(join(into, name, "down.sql"), `-- Rollback of ${name}\n-- Data loss: none\n${down}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mmo-cli-verify-"));
  await cp(join(migrationsDir, "migration_lock.toml"), join(dir, "migration_lock.toml"));
  await write(T, "CREATE TABLE widgets (id bigint PRIMARY KEY, name text);", "DROP TABLE widgets;");
  await write(I, "CREATE INDEX widgets_name ON widgets (name);", "SELECT 1; -- forgot DROP INDEX widgets_name");
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("mmo migrate verify", () => {
  it("exits 3 and shows the index a down.sql forgot", async () => {
    const run = await runCli(["migrate", "verify", "--migrations-dir", dir], url());
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain(`FAIL ${I} (restore)`);
    expect(run.stdout).toContain("+ index: CREATE INDEX widgets_name ON public.widgets USING btree (name)");
  });
});

describe("mmo migrate lock-impact", () => {
  it("reports each measured migration with the tables written to", async () => {
    const good = join(dir, "good");
    await cp(join(migrationsDir, "migration_lock.toml"), join(good, "migration_lock.toml"), { recursive: true });
    await write(T, "CREATE TABLE widgets (id bigint PRIMARY KEY, name text);", "DROP TABLE widgets;", good);
    await write(I, "CREATE INDEX widgets_name ON widgets (name);", "DROP INDEX widgets_name;", good);
    const run = await runJson<{ profile: string; results: { migration: string; tables: string[]; error: string | null }[] }>(
      ["migrate", "lock-impact", I, "--profile", "none", "--migrations-dir", good],
      url(),
    );
    expect([0, 3]).toContain(run.code);
    expect(run.json.results).toMatchObject([{ migration: I, tables: ["public.widgets"], error: null }]);
  });
});
