import pg from "pg";
import { NotMigratedError } from "../errors.ts";

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

/** Whether the migrations made schema `maint` here (every maintenance function lives in it). */
export async function hasMaintSchema(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>("SELECT to_regnamespace('maint') IS NOT NULL AS ok");
  return Boolean(rows[0]?.ok);
}

/** Throws NotMigratedError (one line: run `mmo migrate deploy`) when schema `maint` is missing. */
export async function assertMigrated(db: Queryable): Promise<void> {
  if (!(await hasMaintSchema(db))) throw new NotMigratedError();
}

/** bigint / numeric columns arrive as strings from pg; counts here always fit a double. */
export function num(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
