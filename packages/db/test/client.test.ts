import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, createDatabaseClient, dbEnv, describeUrl, redactSecrets, validateDatabaseUrl, withTransaction } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe("the shared client", () => {
  it("serves Prisma Client and raw SQL from one pool", async () => {
    const user = await db.prisma.user.create({ data: { email: "Alice@Example.com", password_hash: "x" } });
    const raw = await db.pool.query("SELECT email FROM users WHERE id = $1", [user.id]);
    expect(raw.rows[0].email).toBe("Alice@Example.com");
    expect(await db.prisma.user.count()).toBe(1);
  });

  it("applies statement_timeout to every connection", async () => {
    const client = createDatabaseClient({ url: db.url, poolMax: 1, statementTimeoutMs: 50 });
    try {
      await expect(client.pool.query("SELECT pg_sleep(1)")).rejects.toMatchObject({ code: "57014" });
    } finally {
      await client.close();
    }
  });

  it("close() is idempotent", async () => {
    const client = createDatabaseClient({ url: db.url });
    await client.pool.query("SELECT 1");
    await Promise.all([client.close(), client.close()]);
    expect(client.pool.ended).toBe(true);
  });
});

describe("withTransaction", () => {
  it("commits on success and rolls back on error", async () => {
    await withTransaction(db.pool, (tx) => tx.query("INSERT INTO users (email, password_hash) VALUES ('bob@example.com', 'x')"));
    await expect(
      withTransaction(db.pool, async (tx) => {
        await tx.query("INSERT INTO users (email, password_hash) VALUES ('carol@example.com', 'x')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const { rows } = await db.pool.query("SELECT email FROM users WHERE email IN ('bob@example.com', 'carol@example.com')");
    expect(rows.map((r) => r.email)).toEqual(["bob@example.com"]);
  });

  it("retries a serialization failure and succeeds", async () => {
    let attempts = 0;
    const result = await withTransaction(
      db.pool,
      async () => {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
        return "done";
      },
      { isolation: "SERIALIZABLE", retries: 2 },
    );
    expect(result).toBe("done");
    expect(attempts).toBe(2);
  });
});

describe("settings and URLs", () => {
  it("rejects a malformed URL without echoing it", () => {
    expect(() => validateDatabaseUrl("not a url with p4ssword")).toThrow(ConfigError);
    expect(() => validateDatabaseUrl("not a url with p4ssword")).not.toThrow(/p4ssword/);
    expect(() => validateDatabaseUrl("mysql://u:p@h/db")).toThrow(/postgresql:\/\//);
    expect(() => validateDatabaseUrl("postgresql://u@h:5432/")).toThrow(/names no database/);
  });

  it("describes and redacts without the password", () => {
    expect(describeUrl("postgresql://app:hunter2@db:6432/game")).toBe("app@db:6432/game");
    expect(redactSecrets("failed for postgresql://app:hunter2@db/game")).toBe("failed for postgresql://app:***@db/game");
  });

  it("validates numeric settings once, with a clear error", () => {
    expect(dbEnv({ DB_POOL_MAX: "25" } as NodeJS.ProcessEnv).DB_POOL_MAX).toBe(25);
    expect(() => dbEnv({ DB_POOL_MAX: "lots" } as NodeJS.ProcessEnv)).toThrow(/DB_POOL_MAX/);
  });
});
