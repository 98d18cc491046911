import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { withDatabase } from "../src/url.ts";
import { copyFixture, output, type FixtureProject } from "./helpers/prisma-fixture.ts";

/**
 * The stock Prisma CLI with our offline schema engine (PRISMA_SCHEMA_ENGINE_BINARY), on a small
 * fixture project. Tests in this file run one after another, so the shadow-database check at the
 * end sees only what these diffs left behind.
 */
let project: FixtureProject;
let db: TestDatabase;

async function shadowDatabases(): Promise<string[]> {
  const { rows } = await adminQuery(db.server.adminUrl, "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'");
  return rows.map((r: { datname: string }) => r.datname);
}

beforeAll(async () => {
  project = await copyFixture();
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

describe("prisma migrate with the offline engine", () => {
  it("deploy applies the whole history to an empty database, function bodies intact", async () => {
    const run = await project.prisma(["migrate", "deploy"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
    expect(output(run)).toContain("All migrations have been successfully applied");
    const { rows } = await db.pool.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1");
    expect(rows.map((r) => r.migration_name)).toEqual(["20250101000000_init", "20250102000000_add_function"]);
    await db.pool.query("INSERT INTO players (name) VALUES ('a'), ('b')");
    expect((await db.pool.query("SELECT player_count() AS n")).rows[0].n).toBe("2");
  });

  it("status reports the database up to date", async () => {
    const run = await project.prisma(["migrate", "status"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
    expect(output(run)).toContain("Database schema is up to date!");
  });

  it("diff --from-migrations (shadow database) finds no drift, ignoring what Prisma cannot express", async () => {
    const run = await project.prisma(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
    expect(output(run)).toContain("No difference detected");
  });

  it("diff --exit-code reports drift after a deliberate schema edit, and prints the script", async () => {
    const schemaPath = join(project.dir, "prisma/schema.prisma");
    const original = await readFile(schemaPath, "utf8");
    await writeFile(schemaPath, original.replace("@db.VarChar(50)", "@db.VarChar(80)"));
    try {
      const run = await project.prisma(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code", "--script"], db.url);
      expect(run.exitCode, output(run)).toBe(2);
      expect(run.stdout).toContain('ALTER TABLE "players" ALTER COLUMN "name" SET DATA TYPE VARCHAR(80)');
    } finally {
      await writeFile(schemaPath, original);
    }
  });

  it("diff from the live database to the schema is empty", async () => {
    const run = await project.prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
  });

  it("a broken migration fails as P3006 in the shadow database", async () => {
    const bad = join(project.dir, "prisma/migrations/20250103000000_broken");
    await mkdir(bad);
    await writeFile(join(bad, "migration.sql"), "CREATE TABLE fine (id int);\nSELEC 1;\n");
    try {
      const run = await project.prisma(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"], db.url);
      expect(run.exitCode).toBe(1);
      expect(output(run)).toContain("P3006");
      expect(output(run)).toContain("20250103000000_broken");
    } finally {
      await import("node:fs/promises").then((fs) => fs.rm(bad, { recursive: true }));
    }
  });

  it("leaves no shadow database behind", async () => {
    // Another test file may be diffing right now; its shadow database goes away within seconds,
    // a leaked one never does.
    let left = await shadowDatabases();
    for (let i = 0; i < 60 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = new Set(await shadowDatabases());
      left = left.filter((name) => now.has(name));
    }
    expect(left).toEqual([]);
  });

  it("a migration failing halfway applies nothing, reports P3018 with the line, and recovers with resolve", async () => {
    const dir = join(project.dir, "prisma/migrations/20250104000000_half");
    await mkdir(dir);
    await writeFile(join(dir, "migration.sql"), "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELEC broken;\n");
    const failed = await project.prisma(["migrate", "deploy"], db.url);
    expect(failed.exitCode).toBe(1);
    const text = output(failed);
    expect(text).toContain("P3018");
    expect(text).toContain("Migration name: 20250104000000_half");
    expect(text).toContain("Database error code: 42601");
    expect(text).toContain("at line 3, column 1");
    expect((await db.pool.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();

    const status = await project.prisma(["migrate", "status"], db.url);
    expect(status.exitCode).toBe(1);
    expect(output(status)).toContain("prisma migrate resolve --rolled-back");

    const resolve = await project.prisma(["migrate", "resolve", "--rolled-back", "20250104000000_half"], db.url);
    expect(resolve.exitCode, output(resolve)).toBe(0);
    await writeFile(join(dir, "migration.sql"), "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\n");
    const fixed = await project.prisma(["migrate", "deploy"], db.url);
    expect(fixed.exitCode, output(fixed)).toBe(0);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM half_done")).rows[0].n).toBe(1);
  });

  it("db execute runs a multi-statement script", async () => {
    const run = await project.prisma(["db", "execute", "--stdin"], db.url, "CREATE TABLE via_execute (id int); INSERT INTO via_execute VALUES (7);");
    expect(run.exitCode, output(run)).toBe(0);
    expect((await db.pool.query("SELECT id FROM via_execute")).rows).toEqual([{ id: 7 }]);
  });

  it("reset drops everything and re-applies the history", async () => {
    const run = await project.prisma(["migrate", "reset", "--force"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
    expect((await db.pool.query("SELECT to_regclass('via_execute') AS t")).rows[0].t).toBeNull();
    expect((await db.pool.query("SELECT count(*)::int AS n FROM _prisma_migrations")).rows[0].n).toBe(3);
  });

  it("an unreachable server gives Prisma's P1001 message, not a stack trace, and no password", async () => {
    const url = "postgresql://postgres:s3cret-pw@127.0.0.1:1/nowhere";
    const run = await project.prisma(["migrate", "deploy"], url);
    expect(run.exitCode).toBe(1);
    const text = output(run);
    expect(text).toContain("P1001");
    expect(text).toContain("Can't reach database server at `127.0.0.1:1`");
    expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(text).not.toContain("s3cret-pw");
  });

  it("create-database: deploy creates a missing database", async () => {
    const name = `${db.name}_created`;
    const url = withDatabase(db.server.adminUrl, name);
    try {
      const run = await project.prisma(["migrate", "deploy"], url);
      expect(run.exitCode, output(run)).toBe(0);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      expect((await client.query("SELECT count(*)::int AS n FROM players")).rows[0].n).toBe(0);
      await client.end();
    } finally {
      await adminQuery(db.server.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  it("generate works with no network", async () => {
    const schemaPath = join(project.dir, "prisma/schema.prisma");
    await appendFile(schemaPath, '\ngenerator client {\n  provider = "prisma-client"\n  output   = "../generated"\n}\n');
    const run = await project.prisma(["generate"], db.url);
    expect(run.exitCode, output(run)).toBe(0);
    expect(await readFile(join(project.dir, "generated/client.ts"), "utf8")).toContain("PrismaClient");
  });
});
