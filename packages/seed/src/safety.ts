import { migrationState, UsageError } from "@mmo/db";
import type pg from "pg";
import { quoteIdent } from "./copy.ts";
import { TABLES } from "./tables/index.ts";

const SEEDED = TABLES.map((t) => t.name);

/** True when any table the seeder fills holds a row (tables not created yet count as empty). */
export async function hasGameData(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(format('public.%I', name)) IS NOT NULL",
    [SEEDED],
  );
  if (!rows.length) return false;
  const probe = rows.map((r) => `EXISTS (SELECT 1 FROM public.${quoteIdent(r.name)})`).join(" OR ");
  const result = await pool.query<{ any: boolean }>(`SELECT ${probe} AS any`);
  return result.rows[0]?.any === true;
}

/** Seeding a schema that is behind (or half-migrated) would load rows of the wrong shape. */
export async function assertMigrationsUpToDate(pool: pg.Pool): Promise<void> {
  const state = await migrationState(pool);
  if (state.failed.length) {
    throw new UsageError(`refusing to seed: migration(s) failed and not resolved: ${state.failed.join(", ")}`);
  }
  if (state.pending.length) {
    throw new UsageError(`refusing to seed: ${state.pending.length} migration(s) not applied (${state.pending.join(", ")}); run \`mmo migrate deploy\` first`);
  }
}

/**
 * Empties the seeded tables and every table that references them (found through pg_constraint, so
 * tables added by later migrations are included) in one TRUNCATE, which PostgreSQL orders safely
 * across foreign keys. No CASCADE: nothing outside that closure is touched.
 */
export async function resetGameData(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `WITH RECURSIVE closure(oid) AS (
       SELECT to_regclass(format('public.%I', n)) FROM unnest($1::text[]) AS n
       WHERE to_regclass(format('public.%I', n)) IS NOT NULL
       UNION
       SELECT con.conrelid FROM pg_constraint con JOIN closure ON con.confrelid = closure.oid
       WHERE con.contype = 'f'
     )
     SELECT DISTINCT c.relname AS name FROM closure JOIN pg_class c ON c.oid = closure.oid
     WHERE NOT c.relispartition AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
    [SEEDED],
  );
  if (!rows.length) return [];
  await pool.query(`TRUNCATE TABLE ${rows.map((r) => `public.${quoteIdent(r.name)}`).join(", ")}`);
  return rows.map((r) => r.name);
}

/** --append with a seed that is already loaded would collide on every key: say so up front. */
export async function assertSeedNotLoaded(pool: pg.Pool, firstUserId: string, seed: number): Promise<void> {
  const { rowCount } = await pool.query("SELECT 1 FROM users WHERE id = $1", [firstUserId]);
  if (rowCount) {
    throw new UsageError(`refusing to append: data of seed ${seed} is already in this database (possibly from an interrupted run); use another --seed, or --reset`);
  }
}

/**
 * Whether this session may switch triggers off (session_replication_role needs superuser). When it
 * can, the load skips the per-row counter and foreign-key triggers and writes counters already
 * computed; when not, triggers run and maintain the counters (slower, same result).
 */
export async function canBypassTriggers(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>("SELECT rolsuper AS ok FROM pg_roles WHERE rolname = current_user");
  return rows[0]?.ok === true;
}
