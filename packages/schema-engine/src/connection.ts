import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

/**
 * PostgreSQL-internal text-like types the adapter cannot map: `"char"` (18), `name` (19) and
 * their arrays. The engine reads them from the catalogs when it describes a schema.
 */
const INTERNAL_TEXT_OIDS = new Map<number, number>([
  [18, 25],
  [19, 25],
  [1002, 1009],
  [1003, 1009],
]);

interface FieldLike { dataTypeID: number }
interface ResultLike { fields?: FieldLike[] }

function retypeFields(result: unknown): void {
  const results = Array.isArray(result) ? (result as ResultLike[]) : [result as ResultLike];
  for (const r of results) {
    for (const field of r?.fields ?? []) {
      const mapped = INTERNAL_TEXT_OIDS.get(field.dataTypeID);
      if (mapped !== undefined) field.dataTypeID = mapped;
    }
  }
}

/**
 * A pg.Client that reports internal text-like column types as `text`, so `@prisma/adapter-pg`
 * can deserialize catalog queries. pg-pool calls `query` in callback style, the adapter in promise
 * style: both are handled.
 */
export class CatalogFriendlyClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => {
        if (!err) retypeFields(res);
        callback(err, res);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    if (pending && typeof (pending as Promise<unknown>).then === "function") {
      return (pending as Promise<unknown>).then((res) => {
        retypeFields(res);
        return res;
      }) as never;
    }
    return pending as never;
  }
}

/** Explicit connection fields, so that a database override is not beaten by a connectionString. */
export function clientConfig(url: string, database?: string): pg.ClientConfig {
  const config = parseIntoClientConfig(url);
  return database === undefined ? config : { ...config, database };
}

/**
 * One connection, like the native engine: Prisma's advisory lock is session-level, so taking it,
 * applying migrations and releasing it must all happen on the same connection.
 */
export function enginePool(url: string, database?: string): pg.Pool {
  return new pg.Pool({ ...clientConfig(url, database), max: 1, Client: CatalogFriendlyClient });
}

export function describeTarget(url: string): { host: string; port: string; database: string; user: string } {
  const c = clientConfig(url);
  return {
    host: String(c.host ?? "localhost"),
    port: String(c.port ?? 5432),
    database: String(c.database ?? c.user ?? ""),
    user: String(c.user ?? ""),
  };
}
