import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPrisma } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";
import { populate } from "./helpers/populate.ts";

/**
 * The project's own drift checks, through the stock CLI and the offline engine. The classic
 * failure with hand-made partitions (prisma/orm#13407) is Prisma proposing to drop partitions,
 * views or functions it does not know: none of that may appear, ever.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const FORBIDDEN = /DROP (TABLE|VIEW|MATERIALIZED VIEW|FUNCTION|INDEX|TRIGGER)|DETACH PARTITION/i;

describe("schema.prisma and prisma/migrations agree", () => {
  it("diff --from-migrations (shadow database, where pg_cron cannot be created) is empty", async () => {
    const run = await runPrisma(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code", "--script"], db.url);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).not.toMatch(FORBIDDEN);
  });

  it("a deployed, populated database with partitions made by upkeep diffs empty against schema.prisma", async () => {
    await populate(db.pool);
    // Upkeep a year ahead: more partitions than the migration made, and rows moved out of DEFAULT.
    await db.pool.query("CALL maint.ensure_all_partitions(now() + interval '1 year')");
    const partitions = await db.pool.query("SELECT count(*)::int AS n FROM pg_inherits");
    expect(partitions.rows[0].n).toBeGreaterThan(20);
    const run = await runPrisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code", "--script"], db.url);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).not.toMatch(FORBIDDEN);
  });

  it("migrate status reports the template's history up to date", async () => {
    const run = await runPrisma(["migrate", "status"], db.url);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Database schema is up to date!");
  });
});
