import { hostname } from "node:os";
import pg from "pg";
import type { Queryable } from "./sql.ts";

/**
 * A restore marks its target database with a comment for as long as the database holds nothing
 * verified: set before pg_restore starts, cleared only after the row counts matched. A database
 * still carrying it was left by a restore that was killed (or whose verification failed), and
 * `mmo restore` and `mmo health` say so instead of taking it for a good copy.
 */
export const RESTORE_MARKER_PREFIX = "mmo restore incomplete:";

export function restoreMarkerText(file: string, now = new Date()): string {
  return `${RESTORE_MARKER_PREFIX} restoring ${file} (pid ${process.pid} on ${hostname()}, started ${now.toISOString()}) did not finish and was not verified`;
}

/** The database's comment (pg_database is shared: any database of the server can read it). */
export async function databaseComment(db: Queryable, name: string): Promise<string | null> {
  const { rows } = await db.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
  return rows[0]?.comment ?? null;
}

export async function setDatabaseComment(db: Queryable, name: string, comment: string | null): Promise<void> {
  await db.query(`COMMENT ON DATABASE ${pg.escapeIdentifier(name)} IS ${comment === null ? "NULL" : pg.escapeLiteral(comment)}`);
}

/**
 * The advisory lock a restore holds for its whole run, on its connection to the server's `postgres`
 * database: pg_try_advisory_lock(hashtext('mmo restore'), hashtext(<target>)). It keeps two
 * restores out of one database and tells a marker of a running restore from one a killed restore
 * left (pg_locks is visible from every database of the server).
 */
export const RESTORE_LOCK_CLASS = "mmo restore";

/** False when another restore into `name` holds the lock. */
export async function tryRestoreLock(db: Queryable, name: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok", [RESTORE_LOCK_CLASS, name]);
  return rows[0]?.ok === true;
}

export async function restoreRunning(db: Queryable, name: string): Promise<boolean> {
  const { rows } = await db.query<{ running: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = hashtext($1)::oid AND objid = hashtext($2)::oid AND objsubid = 2) AS running",
    [RESTORE_LOCK_CLASS, name],
  );
  return rows[0]?.running === true;
}

/** The marker when the database carries one. */
export async function restoreMarker(db: Queryable, name: string): Promise<string | null> {
  const comment = await databaseComment(db, name);
  return comment?.startsWith(RESTORE_MARKER_PREFIX) ? comment : null;
}

/** The marker of a database a killed (or failed) restore left, or null; not while one is running. */
export async function interruptedRestoreMarker(db: Queryable, name: string): Promise<string | null> {
  const marker = await restoreMarker(db, name);
  return marker && !(await restoreRunning(db, name)) ? marker : null;
}

/** What to tell the operator about a database a restore left unverified. */
export function interruptedRestoreAdvice(name: string, marker: string): string {
  return `database ${name} was left by an interrupted restore (${marker.slice(RESTORE_MARKER_PREFIX.length).trim()}): its contents are not a verified copy; drop it (DROP DATABASE ${pg.escapeIdentifier(name)}) and restore again`;
}
