import type pg from "pg";

/** Rows violating each foreign key of the public schema (the load may bypass FK triggers). */
export async function foreignKeyOrphans(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>(`
    SELECT con.conname AS name, con.conrelid::regclass::text AS child, con.confrelid::regclass::text AS parent,
           array(SELECT quote_ident(attname) FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY o) AS child_cols,
           array(SELECT quote_ident(attname) FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY o) AS parent_cols
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    WHERE con.contype = 'f' AND c.relnamespace = 'public'::regnamespace AND NOT c.relispartition`);
  const out: Record<string, number> = {};
  for (const fk of rows) {
    const match = fk.child_cols.map((col, i) => `p.${fk.parent_cols[i]} = c.${col}`).join(" AND ");
    const notNull = fk.child_cols.map((col) => `c.${col} IS NOT NULL`).join(" AND ");
    const { rows: r } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${fk.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${match})`);
    out[fk.name] = Number(r[0]?.n);
  }
  return out;
}

/** An order-independent checksum of a table's contents. */
export async function tableChecksum(pool: pg.Pool, table: string): Promise<string> {
  const { rows } = await pool.query<{ sum: string | null }>(`SELECT md5(string_agg(h, '' ORDER BY h)) AS sum FROM (SELECT md5(t::text) AS h FROM public."${table}" t) x`);
  return rows[0]?.sum ?? "empty";
}

export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n);
}
