import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { spawnCli, UNREACHABLE_URL } from "./helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("the mmo binary", () => {
  it("exits 0 with help, 2 on bad usage, 1 when the database is unreachable, 3 when validate finds problems", async () => {
    expect((await spawnCli(["--help"])).code).toBe(0);
    const usage = await spawnCli(["partitions", "frobnicate"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split("\n")).toHaveLength(1);
    const down = await spawnCli(["--database-url", UNREACHABLE_URL, "health"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: cannot reach the database server/);
    await db.pool.query("ALTER TABLE guilds ADD CONSTRAINT check_e2e CHECK (level >= 1) NOT VALID");
    const problems = await spawnCli(["--database-url", db.url, "validate", "--check", "not_valid_constraints"]);
    expect(problems.code).toBe(3);
  });

  it("maintain --every stops cleanly on SIGTERM", async () => {
    let signalled = false;
    const run = await spawnCli(["--database-url", db.url, "maintain", "--every", "1h"], {
      onStdout: (text, child) => {
        if (!signalled && text.includes("mmo-refresh-rankings")) {
          signalled = true;
          child.kill("SIGTERM");
        }
      },
    });
    expect(signalled).toBe(true);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("stopped");
  });
});
