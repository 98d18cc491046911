import type pg from "pg";
import { DataLayerError } from "../errors.ts";

/** How long a read-only command waits for a lock by default (`--lock-timeout`). */
export const DEFAULT_READ_LOCK_TIMEOUT_MS = 5000;

/** A lock was not granted within lock_timeout (SQLSTATE 55P03); the message names who holds what. */
export class LockTimeoutError extends DataLayerError {
  override name = "LockTimeoutError";
}

/**
 * Runs read-only work in one READ ONLY transaction with SET LOCAL lock_timeout, so a table or
 * partition another session holds exclusively (ALTER, DROP, DETACH, a long LOCK) makes it fail fast
 * with a LockTimeoutError instead of hanging behind it, and queueing others behind its own request.
 */
export async function withReadLockTimeout<T>(pool: pg.Pool, timeoutMs: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SELECT set_config('lock_timeout', $1, true)", [`${Math.max(1, Math.round(timeoutMs))}ms`]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((error as { code?: string }).code === "55P03") throw new LockTimeoutError(await describeLockTimeout(pool, timeoutMs));
    throw error;
  } finally {
    client.release();
  }
}

/** One line: which relations other sessions hold ACCESS EXCLUSIVE (the only mode that blocks readers). */
async function describeLockTimeout(pool: pg.Pool, timeoutMs: number): Promise<string> {
  const base = `a lock was not granted within ${formatMs(timeoutMs)} (lock_timeout)`;
  try {
    const { rows } = await pool.query<{ pid: number; rel: string; app: string | null; state: string | null }>(
      `SELECT l.pid, l.relation::regclass::text AS rel, nullif(a.application_name, '') AS app, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'relation' AND l.granted AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY l.pid, 2 LIMIT 4`,
    );
    if (rows.length === 0) return `${base}; the session holding it has finished: run the command again`;
    const held = rows.slice(0, 3).map((r) => `${r.rel} (pid ${r.pid}${r.app ? `, ${r.app}` : ""}${r.state ? `, ${r.state}` : ""})`).join(", ");
    return `${base}: held ACCESS EXCLUSIVE by another session: ${held}${rows.length > 3 ? ", …" : ""}; run it again once that is done, or give a longer --lock-timeout`;
  } catch {
    return `${base}: another session holds a table or partition exclusively; run it again later, or give a longer --lock-timeout`;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
