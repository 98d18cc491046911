import type pg from "pg";
import { quoteIdent } from "./copy.ts";

/** An index dropped before a bulk load, with the statement that rebuilds it exactly. */
export interface DeferredIndex {
  name: string;
  /** "constraint" for PRIMARY KEY / UNIQUE / EXCLUDE (rebuilt with ALTER TABLE … ADD CONSTRAINT). */
  kind: "constraint" | "index";
  drop: string;
  create: string;
}

/**
 * What pg_restore does, for a table that is empty: drop its indexes, load, then build each index
 * once by sorting. Maintaining a B-tree row by row (random UUID keys above all) costs more than the
 * COPY itself; one sort per index after the load is several times cheaper.
 *
 * Kept in place (never deferred): indexes a foreign key depends on (children's FK checks need
 * them), invalid ones, and any carrying state a rebuild would lose (a comment, CLUSTER, REPLICA
 * IDENTITY). On a partitioned table the parent's index is rebuilt and PostgreSQL rebuilds it on
 * every partition under the same names. The fingerprint test in test/deferred-indexes.test.ts checks
 * that the schema after a seed is the schema the migrations made.
 */
const DEFERRABLE = `
  SELECT ic.relname AS name, quote_ident(ic.relname) AS quoted_name, ic.relkind = 'I' AS partitioned, i.indisunique AS is_unique,
         con.conname AS constraint_name,
         CASE WHEN con.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
              ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', i.indrelid::regclass, con.conname, pg_get_constraintdef(con.oid)) END AS create_sql,
         CASE WHEN con.oid IS NULL THEN format('DROP INDEX %s', i.indexrelid::regclass)
              ELSE format('ALTER TABLE %s DROP CONSTRAINT %I', i.indrelid::regclass, con.conname) END AS drop_sql
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
  WHERE i.indrelid = $1::regclass
    AND i.indisvalid AND NOT i.indisclustered AND NOT i.indisreplident
    AND obj_description(i.indexrelid, 'pg_class') IS NULL
    AND (con.oid IS NULL OR obj_description(con.oid, 'pg_constraint') IS NULL)
    AND NOT EXISTS (SELECT 1 FROM pg_constraint fk WHERE fk.contype = 'f' AND fk.conindid = i.indexrelid)
  ORDER BY con.oid IS NULL, ic.relname`;

interface Row {
  name: string;
  quoted_name: string;
  partitioned: boolean;
  is_unique: boolean;
  constraint_name: string | null;
  create_sql: string;
  drop_sql: string;
}

/**
 * pg_get_indexdef renders a partitioned table's index as `CREATE INDEX n ON ONLY t …`, which would
 * build the parent's index alone (invalid, no partitions). We want the cascading form. The prefix is
 * matched exactly, so a name that merely contains the words is never rewritten; an index whose
 * definition does not start with it is simply not deferred.
 */
function cascadingIndexDef(row: Row): string | null {
  if (!row.partitioned || row.constraint_name) return row.create_sql;
  const head = `CREATE ${row.is_unique ? "UNIQUE " : ""}INDEX ${row.quoted_name} ON `;
  return row.create_sql.startsWith(`${head}ONLY `) ? head + row.create_sql.slice(head.length + "ONLY ".length) : null;
}

/**
 * Inside the caller's transaction: locks the table, and when it is empty and ours to alter, drops
 * its deferrable indexes and returns them for `rebuildIndexes`. Returns [] (nothing dropped) for a
 * table that holds rows (an --append: rebuilding would cost more than it saves) or that this role
 * does not own. Everything happens in the one transaction, so an interrupted load rolls the drops
 * back with the rows.
 */
export async function dropIndexesForLoad(client: pg.ClientBase, table: string): Promise<DeferredIndex[]> {
  const qualified = `public.${quoteIdent(table)}`;
  const owner = await client.query<{ ok: boolean }>(
    "SELECT pg_has_role(current_user, c.relowner, 'USAGE') AS ok FROM pg_class c WHERE c.oid = $1::regclass",
    [qualified],
  );
  if (owner.rows[0]?.ok !== true) return [];
  await client.query(`LOCK TABLE ${qualified} IN ACCESS EXCLUSIVE MODE`);
  const rows = await client.query(`SELECT 1 FROM ${qualified} LIMIT 1`);
  if (rows.rowCount) return [];
  const { rows: candidates } = await client.query<Row>(DEFERRABLE, [qualified]);
  const deferred: DeferredIndex[] = [];
  for (const row of candidates) {
    const create = cascadingIndexDef(row);
    if (create === null) continue;
    deferred.push({ name: row.constraint_name ?? row.name, kind: row.constraint_name ? "constraint" : "index", drop: row.drop_sql, create });
  }
  for (const index of deferred) await client.query(index.drop);
  return deferred;
}

/** Rebuilds what dropIndexesForLoad dropped: constraints first (as they were), then plain indexes. */
export async function rebuildIndexes(client: pg.ClientBase, deferred: readonly DeferredIndex[]): Promise<void> {
  for (const index of deferred) await client.query(index.create);
}
