import type pg from "pg";
import { DataLayerError } from "../errors.ts";

/** The session-level advisory lock key `prisma migrate deploy` takes on PostgreSQL. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/**
 * Takes Prisma's migration lock on `client`'s session, waiting at most `timeoutMs` (Prisma itself
 * waits 10 s), so our rollback never runs while a deploy does, and vice versa.
 */
export async function withMigrateLock<T>(client: pg.ClientBase, work: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRISMA_MIGRATE_LOCK_KEY]);
    if (rows[0]?.locked) break;
    if (Date.now() >= deadline) {
      throw new DataLayerError(`another migration is running: could not take the migration lock within ${Math.round(timeoutMs / 1000)} s; try again when it has finished`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
  }
}
