import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrationDirectories, rollbackMigrations } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { expectSameSchema, gameFingerprint, rowCounts } from "./helpers/fingerprints.ts";
import { steppedHistory, type SteppedHistory } from "../src/index.ts";
import { populate } from "./helpers/populate.ts";

/**
 * The same round trip on a populated database, newest migration first: roll back, apply again,
 * roll back again. Schemas must match at each level, and every table that survives a rollback
 * keeps all its rows (the data loss a down.sql declares is the tables it drops).
 */
let db: TestDatabase;
let project: SteppedHistory;
const names = (await listMigrationDirectories()).map((m) => m.name);

beforeAll(async () => {
  db = await createTestDatabase();
  project = await steppedHistory();
  await populate(db.pool);
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

function expectSurvivorsKeepRows(before: Map<string, number>, after: Map<string, number>, label: string): void {
  // Game tables only: maint's configuration rows (partition policy, cron jobs) are the
  // migrations' own data and go with them.
  const lost = [...after.entries()].filter(([table, n]) => table.startsWith("public.") && before.has(table) && before.get(table) !== n).map(([table, n]) => `${table}: ${before.get(table)} -> ${n}`);
  expect(lost, label).toEqual([]);
}

describe("every migration round-trips on a populated database", () => {
  [...names].reverse().forEach((name, k) => {
    const position = names.length - k;
    it(`${name}: roll back, apply again, roll back`, async () => {
      const applied = await gameFingerprint(db.pool);
      const rowsApplied = await rowCounts(db.pool);

      expect((await rollbackMigrations(db.url, { steps: 1 })).map((m) => m.name)).toEqual([name]);
      const rolledBack = await gameFingerprint(db.pool);
      const rowsRolledBack = await rowCounts(db.pool);
      expectSurvivorsKeepRows(rowsApplied, rowsRolledBack, `rows lost rolling back ${name}`);

      const again = await project.deployFirst(position, db.url);
      expect(again.exitCode, again.stderr).toBe(0);
      expectSameSchema(await gameFingerprint(db.pool), applied, `after re-applying ${name}`);
      expectSurvivorsKeepRows(rowsRolledBack, await rowCounts(db.pool), `rows lost re-applying ${name}`);

      await rollbackMigrations(db.url, { steps: 1 });
      expectSameSchema(await gameFingerprint(db.pool), rolledBack, `after rolling back ${name} again`);
    });
  });
});
