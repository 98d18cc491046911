import type pg from "pg";
import { splitStatements } from "./sql-split.ts";

/**
 * Whether a migration recorded as failed is in fact in the database. Prisma applies a migration as
 * one transaction, so normally nothing of a failed one exists; but a deploy killed while its
 * migration waited for a lock leaves a server session that may still commit it (or already did),
 * with `_prisma_migrations` saying it failed. Advising `resolve --rolled-back` then leads to 42P07
 * on the next deploy. So status looks: first for a session still running the script, then for the
 * objects the script creates.
 */
export type MigrationOutcome =
  /** A server session is still running the migration script: wait, or terminate it. */
  | { kind: "running"; pid: number; state: string; waitingOn: string | null }
  /** Every object it creates exists: its transaction committed. */
  | { kind: "applied"; found: string[] }
  /** Its error was recorded (so its transaction rolled back), or none of the objects it creates exists. */
  | { kind: "not-applied"; reason: string }
  /** Some exist and some do not (something else made them), or it creates nothing we can look for. */
  | { kind: "unknown"; found: string[]; missing: string[] };

/** An object a statement creates, and the query (one boolean column `ok`) that tells whether it exists. */
export interface CreatedObject {
  what: string;
  sql: string;
  params: string[];
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const NAME = String.raw`(${IDENT}(?:\.${IDENT})?)`;
const NOT_IF_EXISTS = String.raw`(?!IF\s+NOT\s+EXISTS\b)`;

/**
 * The objects a migration script creates outright (`CREATE TABLE/INDEX/VIEW/SCHEMA/SEQUENCE/TYPE/
 * FUNCTION/PROCEDURE`, `ALTER TABLE … ADD COLUMN`). `IF NOT EXISTS` and `OR REPLACE` are left out:
 * such an object may have existed before, so it proves nothing.
 */
export function createdObjects(script: string): CreatedObject[] {
  const out: CreatedObject[] = [];
  const rel = (kind: string, name: string) => out.push({ what: `${kind} ${name}`, sql: "SELECT to_regclass($1) IS NOT NULL AS ok", params: [name] });
  for (const { code } of splitStatements(script)) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(String.raw`^CREATE (?:(?:GLOBAL |LOCAL )?(?:TEMP|TEMPORARY|UNLOGGED) )?TABLE ${NOT_IF_EXISTS}${NAME}`, "i").exec(code))) rel("table", m[1]!);
    else if ((m = new RegExp(String.raw`^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?${NOT_IF_EXISTS}(${IDENT}) ON (?:ONLY )?${NAME}`, "i").exec(code))) {
      // An index lives in its table's schema; one a failed CREATE INDEX CONCURRENTLY left INVALID does not count.
      const schema = m[2]!.includes(".") ? `${m[2]!.slice(0, m[2]!.lastIndexOf("."))}.` : "";
      out.push({ what: `index ${schema}${m[1]!}`, sql: "SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass($1) AND indisvalid) AS ok", params: [`${schema}${m[1]!}`] });
    } else if ((m = new RegExp(String.raw`^CREATE (?:MATERIALIZED )?VIEW ${NOT_IF_EXISTS}${NAME}`, "i").exec(code))) rel("view", m[1]!);
    else if ((m = new RegExp(String.raw`^CREATE SEQUENCE ${NOT_IF_EXISTS}${NAME}`, "i").exec(code))) rel("sequence", m[1]!);
    else if ((m = new RegExp(String.raw`^CREATE SCHEMA ${NOT_IF_EXISTS}(${IDENT})`, "i").exec(code))) {
      out.push({ what: `schema ${m[1]!}`, sql: "SELECT to_regnamespace($1) IS NOT NULL AS ok", params: [m[1]!] });
    } else if ((m = new RegExp(String.raw`^CREATE TYPE ${NAME}`, "i").exec(code))) {
      out.push({ what: `type ${m[1]!}`, sql: "SELECT to_regtype($1) IS NOT NULL AS ok", params: [m[1]!] });
    } else if ((m = new RegExp(String.raw`^CREATE (FUNCTION|PROCEDURE) ${NAME}\s*\(`, "i").exec(code))) {
      // Overloads make to_regproc ambiguous: any function of that name in that schema will do.
      const [schema, name] = splitName(m[2]!);
      out.push({
        what: `${m[1]!.toLowerCase()} ${m[2]!}`,
        sql: "SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = $2 AND pronamespace = CASE WHEN $1 = '' THEN current_schema()::regnamespace ELSE to_regnamespace($1) END) AS ok",
        params: [schema, name],
      });
    } else if ((m = new RegExp(String.raw`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?${NAME} ADD (?:COLUMN )?${NOT_IF_EXISTS}(?!(?:CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE)\b)(${IDENT})`, "i").exec(code))) {
      out.push({
        what: `column ${m[1]!}.${m[2]!}`,
        sql: "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped) AS ok",
        params: [m[1]!, unquote(m[2]!)],
      });
    }
  }
  return out;
}

/**
 * What became of a migration recorded as failed without an error (see MigrationOutcome). One whose
 * error Prisma recorded has rolled back: the script returned that error, so do not call this for it
 * (the objects of a failure like 42P07 existed before).
 */
export async function migrationOutcome(db: pg.ClientBase | pg.Pool, script: string): Promise<MigrationOutcome> {
  const running = await runningScript(db, script);
  if (running) return running;
  const found: string[] = [];
  const missing: string[] = [];
  for (const object of createdObjects(script)) {
    const { rows } = await db.query<{ ok: boolean }>(object.sql, object.params);
    (rows[0]?.ok ? found : missing).push(object.what);
  }
  if (found.length && !missing.length) return { kind: "applied", found };
  if (missing.length && !found.length) return { kind: "not-applied", reason: `none of what it creates exists (${missing.join(", ")})` };
  return { kind: "unknown", found, missing };
}

/**
 * Another session of this database running the script. Prisma sends a migration file as one query,
 * and pg_stat_activity keeps its first `track_activity_query_size` bytes: compare that much.
 */
export async function runningScript(db: pg.ClientBase | pg.Pool, script: string): Promise<MigrationOutcome | null> {
  const { rows } = await db.query<{ pid: number; state: string; wait: string | null; query: string }>(
    `SELECT pid, state, CASE WHEN wait_event_type = 'Lock' THEN 'a lock (' || wait_event || ')' END AS wait, query
     FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND backend_type = 'client backend'`,
  );
  // The kept text is cut at a character boundary, so a prefix of the script (at least 64 characters,
  // or all of a shorter script) is the same query.
  const body = script.trim();
  const hit = rows.find((r) => {
    const query = r.query.trim();
    return query.length >= Math.min(64, body.length) && body.startsWith(query);
  });
  return hit ? { kind: "running", pid: hit.pid, state: hit.state, waitingOn: hit.wait } : null;
}

function splitName(name: string): [string, string] {
  const parts = name.match(new RegExp(IDENT, "g")) ?? [name];
  return parts.length > 1 ? [parts[0]!, unquote(parts[1]!)] : ["", unquote(parts[0]!)];
}

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}
