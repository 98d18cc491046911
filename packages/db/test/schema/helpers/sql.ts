import pg from "pg";

/** What a failed statement reported: SQLSTATE and, for integrity errors, the constraint name. */
export interface SqlFailure {
  code: string;
  constraint: string | undefined;
  message: string;
}

/** Runs the promise and returns its failure, or null when it succeeded. Non-SQL errors rethrow. */
export async function failureOf(promise: Promise<unknown>): Promise<SqlFailure | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code) return { code: error.code, constraint: error.constraint, message: error.message };
    throw error;
  }
}

/** `"schema"."table"` from `table` (schema public) or `schema.table`. */
export function qualified(table: string): string {
  const [schema, name] = table.includes(".") ? table.split(".", 2) : ["public", table];
  return `${pg.escapeIdentifier(schema as string)}.${pg.escapeIdentifier(name as string)}`;
}

/** A parameterised INSERT of one row: column names quoted, every value a bind parameter. */
export function insertRow(table: string, row: Record<string, unknown>): { text: string; values: unknown[] } {
  const columns = Object.keys(row);
  const text = `INSERT INTO ${qualified(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
  return { text, values: Object.values(row) };
}

/** Runs fn on one dedicated connection of the pool, which is destroyed if fn fails. */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    return await fn(client);
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Backend pid of a connection, for pg_stat_activity / pg_locks / pg_terminate_backend. */
export async function backendPid(client: pg.ClientBase): Promise<number> {
  return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
}

/**
 * Polls (bounded: at most `attempts` tries, 50 ms apart) until `sql` returns a row with ok = true.
 * Used to wait for another session to reach a lock wait; it asserts a state, never a duration.
 */
export async function waitUntil(pool: pg.Pool, sql: string, values: unknown[], attempts = 400): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const { rows } = await pool.query<{ ok: boolean }>(sql, values);
    if (rows[0]?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition never became true: ${sql}`);
}

/** SQL (params: $1 = pid, $2 = relation) true when that backend waits for a lock on that relation. */
export const WAITS_ON_RELATION =
  "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted AND relation = $2::regclass) AS ok";

/** A deterministic pseudo-random generator (mulberry32), so a failing workload can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
