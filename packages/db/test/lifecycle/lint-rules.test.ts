import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintMigrations, type LintFinding } from "../../src/index.ts";
import { down, fixtureProject, TIMEOUTS, type FixtureMigration, type FixtureProject } from "./helpers.ts";

/** Each rule of `mmo migrate lint`, squawk's and ours, with a failing and a passing fixture. */
const A = "20270101000000_create_widgets";
const base: FixtureMigration = { up: `${TIMEOUTS}CREATE TABLE widgets (id bigint PRIMARY KEY, name text);\n`, down: down(A, "all widgets", "DROP TABLE widgets;") };

const cases: { rule: string; failing: FixtureMigration; passing: FixtureMigration; name?: [string, string] }[] = [
  { rule: "down-sql-required", failing: { up: base.up }, passing: base },
  { rule: "down-sql-header", failing: { up: base.up, down: "DROP TABLE widgets;\n" }, passing: base },
  { rule: "destructive-down-declared", failing: { up: base.up, down: down(A, "none", "DROP TABLE widgets;") }, passing: base },
  {
    rule: "non-transactional-alone",
    failing: { up: `${TIMEOUTS}CREATE INDEX CONCURRENTLY IF NOT EXISTS widgets_name ON widgets (name);\n`, down: down(A, "none", "DROP INDEX widgets_name;") },
    passing: { up: "-- alone: Prisma runs it outside a transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS widgets_name ON widgets (name);\n", down: down(A, "none", "DROP INDEX widgets_name;") },
  },
  { rule: "migration-name", failing: base, passing: base, name: ["20270101000000_Create-Widgets", A] },
  { rule: "require-lock-timeout", failing: { up: "ALTER TABLE widgets ADD COLUMN colour text;\n", down: down(A, "the colour column", "ALTER TABLE widgets DROP COLUMN colour;") }, passing: { up: `${TIMEOUTS}ALTER TABLE widgets ADD COLUMN colour text;\n`, down: down(A, "the colour column", "ALTER TABLE widgets DROP COLUMN colour;") } },
  {
    rule: "require-concurrent-index-creation",
    failing: { up: `${TIMEOUTS}CREATE INDEX widgets_name ON widgets (name);\n`, down: down(A, "none", "DROP INDEX widgets_name;") },
    passing: { up: `${TIMEOUTS}-- Waiver: widgets is empty until the next release.\n-- squawk-ignore require-concurrent-index-creation\nCREATE INDEX widgets_name ON widgets (name);\n`, down: down(A, "none", "DROP INDEX widgets_name;") },
  },
  {
    rule: "adding-not-nullable-field",
    failing: { up: `${TIMEOUTS}ALTER TABLE widgets ALTER COLUMN name SET NOT NULL;\n`, down: down(A, "none", "ALTER TABLE widgets ALTER COLUMN name DROP NOT NULL;") },
    passing: { up: `${TIMEOUTS}ALTER TABLE widgets ADD CONSTRAINT widgets_name_not_null CHECK (name IS NOT NULL) NOT VALID;\n`, down: down(A, "none", "ALTER TABLE widgets DROP CONSTRAINT widgets_name_not_null;") },
  },
];

const projects: FixtureProject[] = [];
async function lintOne(name: string, m: FixtureMigration): Promise<LintFinding[]> {
  const project = await fixtureProject({ [name]: m });
  projects.push(project);
  return (await lintMigrations({ migrationsDir: project.migrationsDir })).findings;
}
afterAll(async () => Promise.all(projects.map((p) => p.remove())));

describe("lint rules", () => {
  for (const c of cases) {
    it(`${c.rule}: flags the failing fixture, passes the fixed one`, async () => {
      const [failName, passName] = c.name ?? [A, A];
      const failing = await lintOne(failName, c.failing);
      expect(failing.map((f) => f.rule), JSON.stringify(failing)).toContain(c.rule);
      const passing = await lintOne(passName, c.passing);
      expect(passing, JSON.stringify(passing)).toEqual([]);
    });
  }

  it("reports 1-based lines, the file and the source of each finding", async () => {
    const [finding] = await lintOne(A, { up: `${TIMEOUTS}\nCREATE INDEX widgets_name ON widgets (name);\n`, down: base.down as string });
    expect(finding).toMatchObject({ migration: A, file: "migration.sql", line: 4, rule: "require-concurrent-index-creation", source: "squawk" });
  });

  it("lints only the directories asked for, and refuses an unknown one", async () => {
    const project = await fixtureProject({ [A]: base, "20270102000000_no_down": { up: base.up } });
    projects.push(project);
    expect((await lintMigrations({ migrationsDir: project.migrationsDir, only: [A] })).findings).toEqual([]);
    expect((await lintMigrations({ migrationsDir: project.migrationsDir })).findings.map((f) => f.rule)).toEqual(["down-sql-required"]);
    await expect(lintMigrations({ migrationsDir: project.migrationsDir, only: ["20990101000000_nope"] })).rejects.toThrow(/no migration directory/);
  });
});

describe("the project's own history", () => {
  let report: Awaited<ReturnType<typeof lintMigrations>>;
  beforeAll(async () => {
    report = await lintMigrations();
  });
  it("lints clean (waivers are explained beside them)", () => {
    expect(report.migrations.length).toBeGreaterThan(5);
    expect(report.findings).toEqual([]);
  });
});
