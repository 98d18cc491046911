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

/** The marker when the database carries one. */
export async function restoreMarker(db: Queryable, name: string): Promise<string | null> {
  const comment = await databaseComment(db, name);
  return comment?.startsWith(RESTORE_MARKER_PREFIX) ? comment : null;
}

/** What to tell the operator about a database a restore left unverified. */
export function interruptedRestoreAdvice(name: string, marker: string): string {
  return `database ${name} was left by an interrupted restore (${marker.slice(RESTORE_MARKER_PREFIX.length).trim()}): its contents are not a verified copy; drop it (DROP DATABASE ${pg.escapeIdentifier(name)}) and restore again`;
}
