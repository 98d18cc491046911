import { expect } from "vitest";
import type pg from "pg";
import { diffFingerprints, schemaFingerprint, type SchemaFingerprint } from "../../src/index.ts";

/** The schema fingerprint without Prisma's own bookkeeping table, which rollbacks keep. */
export async function gameFingerprint(pool: pg.Pool): Promise<SchemaFingerprint> {
  const full = await schemaFingerprint(pool);
  const lines = full.lines.filter((l) => !l.includes("_prisma_migrations"));
  return { hash: lines.join("\n"), lines };
}

/** Asserts two fingerprints are identical, showing only the differing lines on failure. */
export function expectSameSchema(actual: SchemaFingerprint, expected: SchemaFingerprint, label: string): void {
  expect(diffFingerprints(expected, actual), label).toEqual([]);
}

/** Exact row counts of every table (partitions rolled into their parents). */
export async function rowCounts(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname IN ('public', 'maint') AND c.relname <> '_prisma_migrations'`,
  );
  const counts = new Map<string, number>();
  for (const { name } of rows) counts.set(name, Number((await pool.query(`SELECT count(*) AS n FROM ${name}`)).rows[0].n));
  return counts;
}
