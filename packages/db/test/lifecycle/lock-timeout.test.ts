import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployWithChecks, migrationStatus } from "../../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { down, fixtureProject, type FixtureProject } from "./helpers.ts";

/**
 * With a long transaction holding a table, a migration that needs an ACCESS EXCLUSIVE lock on it
 * gives up after its lock_timeout (SQLSTATE 55P03) instead of holding the queue: the writers that
 * queued behind its lock request then go through. No timing is asserted; the writer's blocked
 * time is printed for the record.
 */
const NAME = "20270101000000_add_user_nickname";
let db: TestDatabase;
let project: FixtureProject;

beforeAll(async () => {
  db = await createTestDatabase();
  project = await fixtureProject({}, { withHistory: true });
  await project.add(NAME, {
    up: "SET LOCAL lock_timeout = '1s';\nSET LOCAL statement_timeout = '60s';\nALTER TABLE users ADD COLUMN nickname text;\n",
    down: down(NAME, "the nickname column", "ALTER TABLE users DROP COLUMN nickname;"),
  });
});
afterAll(async () => {
  await db.drop();
  await project.remove();
});

async function waitForLockWait(client: pg.Client, applicationName: string | null): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await client.query(
      "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND l.relation = 'users'::regclass AND ($1::text IS NULL OR a.application_name = $1)",
      [applicationName],
    );
    if (rows.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("nobody ever waited for the lock on users");
}

describe("lock_timeout in a migration", () => {
  it("fails fast with 55P03 instead of queueing writers behind it; the writer completes", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    const watcher = new pg.Client({ connectionString: db.url });
    const writer = new pg.Client({ connectionString: db.url, application_name: "game writer" });
    await Promise.all([holder.connect(), watcher.connect(), writer.connect()]);
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT count(*) FROM users"); // ACCESS SHARE until COMMIT: a long report query
      const deploy = deployWithChecks(db.url, { project }).then(() => null, (e: Error) => e);
      await waitForLockWait(watcher, null); // the migration now waits for ACCESS EXCLUSIVE
      const started = performance.now();
      const write = writer.query("INSERT INTO users (email, password_hash) VALUES ('queued@example.com', 'x') RETURNING id");
      const error = await deploy;
      const inserted = await write;
      const blockedMs = performance.now() - started;
      console.info(`[lock-timeout] server ${db.server.serverVersionNum}: the writer queued behind the migration was blocked ${blockedMs.toFixed(0)} ms`);
      expect(error?.message).toMatch(/55P03/);
      expect(error?.message).toMatch(/lock timeout/);
      expect(inserted.rowCount).toBe(1);
      const status = await migrationStatus(db.pool, project.migrationsDir);
      expect(status.failed).toEqual([NAME]);
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'");
      expect(rows[0].n).toBe(0);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await Promise.all([holder.end(), watcher.end(), writer.end()]);
    }
  });
});
