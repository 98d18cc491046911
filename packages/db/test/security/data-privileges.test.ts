import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failureOf } from "../schema/helpers/sql.ts";
import { createTestDatabase, loginAs, type LoginRole, type TestDatabase } from "../../src/testing/index.ts";

/**
 * Least privilege for data, tried as LOGIN members of the documented roles: the game's role cannot
 * write the trigger-kept counters (not by UPDATE, not by choosing them at INSERT), yet its writes
 * keep them true; the read-only role cannot read password hashes or session tokens.
 */
let db: TestDatabase;
let app: LoginRole;
let readonly: LoginRole;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await loginAs(db, "mmo_app");
  readonly = await loginAs(db, "mmo_readonly");
});
afterAll(async () => {
  await app?.drop();
  await readonly?.drop();
  await db?.drop();
});

async function count(userId: string): Promise<number> {
  return (await db.pool.query<{ n: number }>("SELECT character_count AS n FROM users WHERE id = $1", [userId])).rows[0]!.n;
}

describe("mmo_app and the trigger-kept counters", () => {
  it("cannot UPDATE users.character_count or guilds.member_count, and a counter it sends at INSERT starts at 0", async () => {
    // As Prisma does: every column, the counter's default included (here a lie).
    const user = (await app.client.query<{ id: string; character_count: number }>(
      "INSERT INTO users (email, password_hash, character_count) VALUES ('a@example.com', 'h', 7) RETURNING id, character_count",
    )).rows[0]!;
    expect(user.character_count).toBe(0);
    expect(await failureOf(app.client.query("UPDATE users SET character_count = 99 WHERE id = $1", [user.id]))).toMatchObject({ code: "42501" });
    expect(await failureOf(app.client.query("UPDATE guilds SET member_count = 99"))).toMatchObject({ code: "42501" });
    // Its ordinary writes still work, and the trigger (running as mmo_maint) keeps the counter true.
    await app.client.query("UPDATE users SET last_login_at = now() WHERE id = $1", [user.id]);
    await app.client.query("INSERT INTO characters (user_id, name, class, race) VALUES ($1, 'Hero', 'warrior', 'human')", [user.id]);
    expect(await count(user.id)).toBe(1);
    await app.client.query("UPDATE characters SET is_deleted = true, deleted_at = now() WHERE user_id = $1", [user.id]);
    expect(await count(user.id)).toBe(0);
  });

  it("a role that may update the counter (a restore, the seeder) keeps the value it inserts", async () => {
    const { rows } = await db.pool.query<{ character_count: number }>("INSERT INTO users (email, password_hash, character_count) VALUES ('b@example.com', 'h', 3) RETURNING character_count");
    expect(rows[0]!.character_count).toBe(3);
  });
});

describe("mmo_readonly and secrets", () => {
  it("cannot read users.password_hash or sessions.token_hash, and reads every other column", async () => {
    expect(await failureOf(readonly.client.query("SELECT password_hash FROM users"))).toMatchObject({ code: "42501" });
    expect(await failureOf(readonly.client.query("SELECT * FROM users"))).toMatchObject({ code: "42501" });
    expect(await failureOf(readonly.client.query("SELECT token_hash FROM sessions"))).toMatchObject({ code: "42501" });
    await readonly.client.query("SELECT id, email, status, character_count FROM users");
    await readonly.client.query("SELECT id, user_id, expires_at, revoked_at FROM sessions");
    await readonly.client.query("SELECT * FROM characters LIMIT 1");
  });
});
