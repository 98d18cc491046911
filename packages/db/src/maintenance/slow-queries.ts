import { detectCapabilities } from "../capabilities.ts";
import { MissingCapabilityError } from "../errors.ts";
import type { Queryable } from "./sql.ts";
import { num, qualified } from "./sql.ts";

export interface SlowQuery {
  queryId: string | null;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  query: string;
}

/** The statements of this database with the most total execution time, from pg_stat_statements. */
export async function slowQueries(db: Queryable, options: { limit: number }): Promise<SlowQuery[]> {
  const caps = await detectCapabilities(db);
  if (!caps.pgStatStatementsLoaded) {
    throw new MissingCapabilityError("pg_stat_statements is not loaded on this server: add it to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements");
  }
  const ext = await db.query<{ schema: string }>("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
  const schema = ext.rows[0]?.schema;
  if (!schema) throw new MissingCapabilityError("the pg_stat_statements extension is not created in this database: run CREATE EXTENSION pg_stat_statements (as a superuser or the database owner)");
  const { rows } = await db.query<{ queryid: string | null; calls: string; total_ms: number; mean_ms: number; rows: string; query: string }>(
    `SELECT queryid::text AS queryid, calls, total_exec_time AS total_ms, mean_exec_time AS mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 500) AS query
     FROM ${qualified(schema, "pg_stat_statements")}
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total_exec_time DESC LIMIT $1`,
    [options.limit],
  );
  return rows.map((r) => ({ queryId: r.queryid, calls: num(r.calls), totalMs: Number(r.total_ms), meanMs: Number(r.mean_ms), rows: num(r.rows), query: r.query }));
}
