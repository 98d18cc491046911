import type pg from "pg";

/** Users whose character_count differs from a recount of their non-deleted characters. */
export async function wrongCharacterCounts(pool: pg.Pool): Promise<{ id: string; stored: number; actual: number }[]> {
  const { rows } = await pool.query(`
    SELECT u."id", u."character_count" AS stored, x.n AS actual
    FROM "users" u
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "characters" c WHERE c."user_id" = u."id" AND NOT c."is_deleted") x
    WHERE u."character_count" <> x.n`);
  return rows;
}

/** Guilds whose member_count differs from a recount of their guild_members rows. */
export async function wrongMemberCounts(pool: pg.Pool): Promise<{ id: string; stored: number; actual: number }[]> {
  const { rows } = await pool.query(`
    SELECT g."id", g."member_count" AS stored, x.n AS actual
    FROM "guilds" g
    CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "guild_members" m WHERE m."guild_id" = g."id") x
    WHERE g."member_count" <> x.n`);
  return rows;
}

export async function createUsers(pool: pg.Pool, count: number, prefix: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "users" ("email", "password_hash")
     SELECT $1 || g || '@example.test', 'h' FROM generate_series(1, $2::int) g RETURNING "id"`,
    [prefix, count],
  );
  return rows.map((r) => r.id);
}

export async function createGuilds(pool: pg.Pool, count: number, prefix: string, maxMembers: number, founder: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "guilds" ("name", "tag", "max_members", "created_by")
     SELECT $1 || g, left($1, 4) || g, $3::int, $4::uuid FROM generate_series(1, $2::int) g RETURNING "id"`,
    [prefix, count, maxMembers, founder],
  );
  return rows.map((r) => r.id);
}

export async function createCharacter(pool: pg.Pool | pg.ClientBase, userId: string, name: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "characters" ("user_id", "name", "class", "race") VALUES ($1, $2, 'warrior', 'human') RETURNING "id"`,
    [userId, name],
  );
  return rows[0]!.id;
}
