import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployWithChecks, listMigrationDirectories, MigrationLockBusyError, PRISMA_MIGRATE_LOCK_KEY, type DeployReport } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";

/** Prisma's advisory lock makes concurrent deploys safe: each migration is applied exactly once. */
let dbs: TestDatabase[] = [];
const names = (await listMigrationDirectories()).map((m) => m.name);

beforeAll(async () => {
  dbs = [await createTestDatabase({ empty: true }), await createTestDatabase({ empty: true })];
});
afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

async function historyRows(db: TestDatabase) {
  const { rows } = await db.pool.query<{ migration_name: string; n: number; finished: boolean }>(
    "SELECT migration_name, count(*)::int AS n, bool_and(finished_at IS NOT NULL AND rolled_back_at IS NULL) AS finished FROM _prisma_migrations GROUP BY 1 ORDER BY 1",
  );
  return rows;
}

describe("migrate deploy under concurrency", () => {
  it("four concurrent deploys apply each migration exactly once; a loser fails cleanly and succeeds when re-run", async () => {
    const db = dbs[0] as TestDatabase;
    const runs = await Promise.allSettled([0, 1, 2, 3].map(() => deployWithChecks(db.url)));
    const won = runs.filter((r): r is PromiseFulfilledResult<DeployReport> => r.status === "fulfilled").map((r) => r.value);
    const lost = runs.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as Error);
    for (const error of lost) {
      expect(error).toBeInstanceOf(MigrationLockBusyError);
      expect(error.message).toMatch(/migration lock.*applied nothing.*run it again/);
    }
    for (const _ of lost) won.push(await deployWithChecks(db.url));
    // Every migration was applied by exactly one run, and recorded exactly once.
    const appliedBy = won.flatMap((r) => r.applied);
    expect([...appliedBy].sort()).toEqual(names);
    expect(await historyRows(db)).toEqual(names.map((migration_name) => ({ migration_name, n: 1, finished: true })));
    for (const r of won) expect(r.state).toMatchObject({ pending: [], failed: [], applied: names });
  });

  it("a deploy that cannot get Prisma's advisory lock in time fails with a clear message, changes nothing, and succeeds when re-run", async () => {
    const db = dbs[1] as TestDatabase;
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      const error = await deployWithChecks(db.url).then(() => null, (e: Error) => e);
      expect(error).toBeInstanceOf(MigrationLockBusyError);
      expect(error?.message).toBe(
        "another deploy (or rollback) holds Prisma's migration lock and did not finish within 10 s: this run applied nothing; run it again when the other one has finished",
      );
      const { rows } = await holder.query("SELECT to_regclass('public.users') AS users");
      expect(rows[0].users).toBeNull();
    } finally {
      await holder.end();
    }
    const again = await deployWithChecks(db.url);
    expect(again.applied).toEqual(names);
  });
});
