import type pg from "pg";

/** Exact row counts of the public tables, partitioned parents counted once (partitions rolled up). */
export async function tableRowCounts(client: pg.ClientBase | pg.Pool, tables?: string[]): Promise<Record<string, number>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND c.relname <> '_prisma_migrations' AND ($1::text[] IS NULL OR c.relname = ANY($1))
     ORDER BY c.relname`,
    [tables ?? null],
  );
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quoteIdent(name)}`);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
