import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaFingerprint } from "../src/index.ts";
import { listMigrationDirectories, rollbackMigrations } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { expectSameSchema, gameFingerprint } from "./helpers/fingerprints.ts";
import { steppedHistory, type SteppedHistory } from "../src/index.ts";

/**
 * For each migration in order, on an empty database: apply it, roll it back, apply it again.
 * The rollback must give back exactly the schema before it, and the re-apply exactly the schema
 * after it (fingerprint: tables, columns, types, defaults, constraints, indexes, partitions,
 * functions, views, triggers, grants — packages/db/src/migrate/fingerprint.ts).
 */
let db: TestDatabase;
let project: SteppedHistory;
const before: SchemaFingerprint[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
  project = await steppedHistory();
  before.push(await gameFingerprint(db.pool));
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

const names = (await listMigrationDirectories()).map((m) => m.name);

describe("every migration round-trips on an empty database", () => {
  it("has a history to test", () => expect(names.length).toBeGreaterThan(5));
  names.forEach((name, i) => {
    it(`${name}: apply, roll back, apply again`, async () => {
      const apply = await project.deployFirst(i + 1, db.url);
      expect(apply.exitCode, apply.stderr).toBe(0);
      const after = await gameFingerprint(db.pool);
      expect(after.lines, "the migration changed nothing").not.toEqual(before[i]?.lines);

      const rolledBack = await rollbackMigrations(db.url, { steps: 1 });
      expect(rolledBack.map((m) => m.name)).toEqual([name]);
      expectSameSchema(await gameFingerprint(db.pool), before[i] as SchemaFingerprint, `after rolling back ${name}`);

      const again = await project.deployFirst(i + 1, db.url);
      expect(again.exitCode, again.stderr).toBe(0);
      expectSameSchema(await gameFingerprint(db.pool), after, `after re-applying ${name}`);
      before.push(after);
    });
  });
});
