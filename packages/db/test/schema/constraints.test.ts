import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../src/testing/index.ts";
import { baseRows, constraintCases } from "./helpers/constraint-cases.ts";
import { archiveRow, seedFixture, type Fixture } from "./helpers/constraint-fixture.ts";
import { failureOf, insertRow, withClient } from "./helpers/sql.ts";

/**
 * "Every CHECK, uniqueness and foreign key rejects a bad row." The constraints are read from the
 * catalog and must match the case list exactly, so a constraint added by a later migration without
 * a case here fails the suite. Each case inserts a row that breaks that one constraint and expects
 * its SQLSTATE and its name.
 */
let db: TestDatabase;
let f: Fixture;
let catalog: Map<string, string>;
const expectedCode: Record<string, string> = { c: "23514", u: "23505", p: "23505", i: "23505", f: "23503" };

beforeAll(async () => {
  db = await createTestDatabase();
  f = await withClient(db.pool, seedFixture);
  catalog = await catalogConstraints();
});
afterAll(async () => {
  await db?.drop();
});

/**
 * Constraints of the tables in public and maint (not partitions: they inherit their parent's, and
 * their number grows with time; not Prisma's _prisma_migrations), plus unique indexes that back no
 * constraint (contype 'i' here), like the case-insensitive e-mail index. Unique indexes of the
 * materialized views are left out: a view takes no inserts.
 */
async function catalogConstraints(): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ key: string; kind: string }>(`
    SELECT n.nspname || '.' || c.relname || '.' || k.conname AS key, k.contype::text AS kind
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('public', 'maint') AND k.contype IN ('c', 'u', 'f', 'p')
      AND NOT c.relispartition AND c.relname <> '_prisma_migrations'
    UNION ALL
    SELECT n.nspname || '.' || c.relname || '.' || ic.relname, 'i'
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('public', 'maint') AND i.indisunique AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('u', 'p', 'x'))`);
  return new Map(rows.map((r) => [r.key, r.kind]));
}

/** The name of the table-level constraint behind a reported name (partitions report their own copy). */
async function topLevelName(table: string, reported: string): Promise<string> {
  const { rows } = await db.pool.query<{ conname: string }>(
    `WITH RECURSIVE chain AS (
       SELECT k.oid, k.conname, k.conparentid, k.conrelid FROM pg_constraint k
       WHERE k.conname = $1 AND k.conrelid IN (SELECT relid FROM pg_partition_tree($2::regclass))
       UNION ALL
       SELECT p.oid, p.conname, p.conparentid, p.conrelid FROM pg_constraint p JOIN chain ch ON p.oid = ch.conparentid)
     SELECT conname FROM chain WHERE conrelid = $2::regclass`,
    [reported, table],
  );
  return rows[0]?.conname ?? reported;
}

/** Inserts the row inside a transaction that is always rolled back, so cases cannot interfere. */
async function tryInsert(table: string, row: Record<string, unknown>) {
  return withClient(db.pool, async (client) => {
    await client.query("BEGIN");
    try {
      const { text, values } = insertRow(table, row);
      return await failureOf(client.query(text, values));
    } finally {
      await client.query("ROLLBACK");
    }
  });
}

describe("every CHECK, uniqueness and foreign key rejects a bad row", () => {
  it("has a case for exactly the constraints in the catalog", async () => {
    const covered = constraintCases.map((c) => c.key);
    expect(new Set(covered).size, "duplicate case").toBe(covered.length);
    expect([...covered].sort()).toEqual([...catalog.keys()].sort());
    expect(covered.length).toBe(catalog.size);
  });

  it("base rows violate nothing (so each case's failure is its own constraint)", async () => {
    for (const [table, make] of Object.entries(baseRows)) {
      expect(await tryInsert(table, make(f)), table).toBeNull();
    }
  });

  it.each(constraintCases.map((c) => [c.key, c] as const))("%s", async (key, c) => {
    const kind = catalog.get(key);
    expect(kind, `${key} is not in the catalog`).toBeDefined();
    const make = baseRows[c.table];
    expect(make, `no base row for ${c.table}`).toBeDefined();
    const failure = await tryInsert(c.table, { ...make!(f), ...c.change(f) });
    expect(failure, `${key} accepted a violating row`).not.toBeNull();
    expect(failure!.code, failure!.message).toBe(expectedCode[kind!]);
    const name = key.slice(key.lastIndexOf(".") + 1);
    expect(await topLevelName(c.table, failure!.constraint ?? "(none)")).toBe(name);
  });
});

describe("characters_archive (defect fix: no uniqueness on name)", () => {
  it("accepts a reused name, in any letter case, also while a live character holds it", async () => {
    await withClient(db.pool, async (client) => {
      for (const name of [f.charName, f.charName, f.charName.toUpperCase()]) {
        const { text, values } = insertRow("characters_archive", archiveRow(f, { name }));
        await client.query(text, values);
      }
    });
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "characters_archive" WHERE lower("name") = lower($1)`,
      [f.charName],
    );
    // Three inserted here plus the fixture's archived row of that name.
    expect(Number(rows[0]?.n)).toBe(4);
  });
});
