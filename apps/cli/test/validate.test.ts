import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@mmo/db/testing";
import { createSeededDatabase, oneLineError, runCli, runJson } from "./helpers.ts";

interface Report {
  ok: boolean;
  checks: { check: string; findings: number }[];
  findings: { check: string; object: string; count: number; message: string; fix: string }[];
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createSeededDatabase();
  // The template may be days old and the seed holds expired rows: bring the database up to date.
  await runCli(["maintain", "--once"], db.url);
});
afterAll(async () => {
  await db.drop();
});

async function validate(): Promise<Report & { code: number }> {
  const run = await runJson<Report>(["validate"], db.url);
  return { ...run.json, code: run.code };
}

describe("validate", () => {
  it("finds nothing on a maintained database (exit 0)", async () => {
    const report = await validate();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, code: 0 });
    expect(report.checks.map((c) => c.check)).toEqual(["orphans", "not_valid_constraints", "counter_drift", "default_partition_rows", "missing_partitions", "expired_rows"]);
    const human = await runCli(["validate"], db.url);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain("no problems found");
  });

  it("finds each planted problem with a count and a fix (exit 3), and changes nothing", async () => {
    const client = await db.pool.connect();
    try {
      // Orphan: a row loaded with FK triggers off.
      await client.query("SET session_replication_role = replica");
      await client.query("INSERT INTO character_effects (character_id, effect_id, expires_at) VALUES (gen_random_uuid(), 1, now() + interval '1 day'), (gen_random_uuid(), 1, now() + interval '1 day')");
      await client.query("SET session_replication_role = origin");
    } finally {
      client.release();
    }
    await db.pool.query("ALTER TABLE guilds ADD CONSTRAINT check_test_bank CHECK (bank_gold >= 0) NOT VALID");
    await db.pool.query("ALTER TABLE users DISABLE TRIGGER USER");
    await db.pool.query("UPDATE users SET character_count = character_count + 3 WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 2)");
    await db.pool.query("ALTER TABLE users ENABLE TRIGGER USER");
    await db.pool.query("INSERT INTO audit_log (timestamp, action, resource_type) VALUES (now() + interval '3 years', 'x', 'y')");
    const tomorrow = (await db.pool.query<{ n: string }>("SELECT maint.partition_name('character_positions', 'day', maint.period_start('day', now() + interval '1 day')) AS n")).rows[0]!.n;
    await db.pool.query(`DROP TABLE public.${tomorrow}`);
    await db.pool.query("INSERT INTO world_state (zone_id, instance_id, state_type, state_data, expires_at) VALUES (1, 'i', 'boss', '{}', now() - interval '3 hours')");
    // Sessions are purged daily, 30 days after expiry: 30 days and 3 hours is the next purge's work,
    // 32 days is overdue.
    await db.pool.query(
      `INSERT INTO sessions (user_id, token_hash, created_at, expires_at)
       SELECT id, '\\xdead01'::bytea, now() - interval '40 days', now() - interval '30 days 3 hours' FROM users ORDER BY id LIMIT 1`,
    );
    await db.pool.query(
      `INSERT INTO sessions (user_id, token_hash, created_at, expires_at)
       SELECT id, '\\xdead02'::bytea, now() - interval '40 days', now() - interval '32 days' FROM users ORDER BY id LIMIT 1`,
    );

    const report = await validate();
    expect(report.code).toBe(3);
    expect(report.ok).toBe(false);
    const find = (check: string, object: string) => report.findings.find((f) => f.check === check && f.object.startsWith(object));
    expect(find("orphans", "character_effects")).toMatchObject({ count: 2 });
    expect(find("not_valid_constraints", "guilds.check_test_bank")?.fix).toContain("VALIDATE CONSTRAINT");
    expect(find("counter_drift", "users.character_count")).toMatchObject({ count: 2, fix: "SELECT * FROM maint.recount_denormalized_counters();" });
    expect(find("default_partition_rows", "audit_log")).toMatchObject({ count: 1 });
    expect(find("missing_partitions", "character_positions")).toMatchObject({ count: 1 });
    expect(find("expired_rows", "world_state")).toMatchObject({ count: 1, fix: expect.stringContaining("mmo maintain --force --job mmo-expire-world-state") });
    expect(find("expired_rows", "sessions")).toMatchObject({ count: 1 });
    for (const f of report.findings) expect(f.fix.length).toBeGreaterThan(0);

    const human = await runCli(["validate"], db.url);
    expect(human.code).toBe(3);
    expect(human.stdout).toContain("suggested fix");
    // Read-only: the planted problems are all still there.
    expect((await validate()).findings.length).toBe(report.findings.length);

    // Apply the suggested fixes; validate is clean again.
    for (const f of report.findings.filter((x) => x.fix.startsWith("DELETE") || x.fix.startsWith("ALTER") || x.fix.startsWith("SELECT"))) await db.pool.query(f.fix);
    await runCli(["partitions", "ensure"], db.url);
    for (const f of report.findings.filter((x) => x.fix.startsWith("mmo maintain"))) expect((await runCli(f.fix.split(/\s+\(/)[0]!.split(/\s+/).slice(1), db.url)).code).toBe(0);
    expect((await validate()).findings).toEqual([]);
  });

  it("--check limits the checks; an unknown check exits 2", async () => {
    const only = await runJson<Report>(["validate", "--check", "orphans", "counter_drift"], db.url);
    expect(only.json.checks.map((c) => c.check)).toEqual(["orphans", "counter_drift"]);
    const bad = await runCli(["validate", "--check", "everything"], db.url);
    expect(bad.code).toBe(2);
    oneLineError(bad.stderr);
  });
});
