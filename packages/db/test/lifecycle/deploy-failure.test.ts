import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployWithChecks, MigrationError, migrationStatus, resolveMigration } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { gameFingerprint, expectSameSchema } from "../helpers/fingerprints.ts";
import { down, fixtureProject, TIMEOUTS, type FixtureProject } from "./helpers.ts";

/**
 * A migration that fails half-way (bad SQL after good statements) leaves no partial schema, is
 * reported by status with its error and recovery, and the documented recovery works:
 * fix the file, `migrate resolve --rolled-back <name>`, `migrate deploy`.
 */
const BAD = "20270101000000_add_character_title";
const good = `${TIMEOUTS}ALTER TABLE characters ADD COLUMN title text;\nCREATE TABLE character_titles (id bigint PRIMARY KEY, title text NOT NULL);\n`;
let db: TestDatabase;
let project: FixtureProject;

beforeAll(async () => {
  db = await createTestDatabase();
  project = await fixtureProject({}, { withHistory: true });
  await project.add(BAD, { up: `${good}INSERT INTO character_titles VALUES (1, 'Hero');\nSELECT no_such_function();\n`, down: down(BAD, "the title column and character_titles", "DROP TABLE character_titles;\nALTER TABLE characters DROP COLUMN title;") });
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

describe("a migration that fails half-way", () => {
  it("fails the deploy and leaves nothing of itself behind", async () => {
    const before = await gameFingerprint(db.pool);
    const error = await deployWithChecks(db.url, { project }).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error?.message).toMatch(/P3018/);
    expect(error?.message).toMatch(/no_such_function/);
    expect(error?.message).toMatch(/mmo migrate status/);
    expectSameSchema(await gameFingerprint(db.pool), before, "after the failed migration");
  });

  it("is reported by status with its error and the recovery steps", async () => {
    const status = await migrationStatus(db.pool, project.migrationsDir);
    expect(status.failed).toEqual([BAD]);
    const [failed] = status.failedDetails;
    expect(failed?.error).toMatch(/no_such_function/);
    expect(failed?.recovery).toContain(`mmo migrate resolve --rolled-back ${BAD}   # nothing of it was applied: it ran in one transaction`);
    expect(failed?.recovery).toContain("mmo migrate deploy");
  });

  it("blocks further deploys until resolved (P3009)", async () => {
    await expect(deployWithChecks(db.url, { project })).rejects.toThrow(/P3009/);
  });

  it("recovers: fix the file, resolve --rolled-back, deploy again", async () => {
    await project.add(BAD, { up: good, down: down(BAD, "the title column and character_titles", "DROP TABLE character_titles;\nALTER TABLE characters DROP COLUMN title;") });
    await resolveMigration(db.url, { rolledBack: BAD }, project);
    const report = await deployWithChecks(db.url, { project });
    expect(report.applied).toEqual([BAD]);
    expect(report.state).toMatchObject({ pending: [], failed: [] });
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'characters' AND column_name = 'title'");
    expect(rows[0].n).toBe(1);
  });
});
