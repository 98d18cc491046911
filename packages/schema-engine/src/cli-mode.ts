import pg from "pg";
import type { CliCommand, Datasource } from "./args.ts";
import { clientConfig, describeTarget } from "./connection.ts";
import { connectionError } from "./errors.ts";
import { logRecord, redact } from "./log.ts";

/** Server-level commands run against the maintenance database of the same server. */
const MAINTENANCE_DATABASE = "postgres";

/**
 * The engine's `cli` sub-commands. On failure the CLI skips the first stderr line and then looks
 * for an ERROR record carrying `error_code` and `message`.
 */
export async function runCliCommand(command: CliCommand, datasource: Datasource): Promise<number> {
  try {
    switch (command) {
      case "can-connect-to-database":
        await withClient(datasource.url, undefined, (c) => c.query("SELECT 1"));
        break;
      case "create-database": {
        const { database } = describeTarget(datasource.url);
        await withClient(datasource.url, MAINTENANCE_DATABASE, (c) => c.query(`CREATE DATABASE ${quoteIdent(database)}`));
        break;
      }
      case "drop-database": {
        const { database } = describeTarget(datasource.url);
        await withClient(datasource.url, MAINTENANCE_DATABASE, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
        break;
      }
    }
    return 0;
  } catch (error) {
    const known = connectionError(error, datasource.url);
    process.stderr.write(`schema-engine: ${command} failed\n`);
    const fields: Record<string, unknown> = { message: redact(known.message, datasource.url) };
    if (known.code) fields.error_code = known.code;
    logRecord("ERROR", fields);
    return 1;
  }
}

async function withClient<T>(url: string, database: string | undefined, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...clientConfig(url, database), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
