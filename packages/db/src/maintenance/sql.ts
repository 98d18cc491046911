import pg from "pg";

/** Anything that runs a query: a pool or one checked-out client. */
export type Queryable = pg.Pool | pg.ClientBase;

/** A safely quoted identifier (identifiers here come from the catalogs, never from the user). */
export function ident(name: string): string {
  return pg.escapeIdentifier(name);
}

/** schema.name, both quoted. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/** bigint / numeric columns arrive as strings from pg; counts here always fit a double. */
export function num(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
