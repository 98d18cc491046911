import type { Queryable } from "./sql.ts";

/**
 * Runs an allow-listed maint call in the job sandbox (maint.run_sandboxed). The command is built by
 * the server's format(%L) from bound parameters, so no value is ever spliced into SQL here.
 */
export async function sandboxed<Row>(db: Queryable, commandSql: string, params: unknown[]): Promise<Row[]> {
  const { rows } = await db.query<{ row: Row }>(`SELECT r AS row FROM maint.run_sandboxed((${commandSql})) r`, params);
  return rows.map((r) => r.row);
}
