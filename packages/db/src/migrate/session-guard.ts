import pg from "pg";
import { nodePgUrl } from "../url.ts";

/** How often the migration session checks that its client is still there (PostgreSQL 14+). */
export const CLIENT_CHECK_INTERVAL = "1s";

/**
 * The URL to hand `prisma migrate deploy`, set up so that a deploy killed mid-migration cannot
 * commit it afterwards. Killing the client does not stop its server session: a migration waiting
 * for a lock goes on waiting, and commits when it gets the lock, while `_prisma_migrations` says it
 * failed. With `client_connection_check_interval` the session polls its socket while it runs a
 * statement (lock waits included), sees the client gone, and ends, rolling the migration back.
 * The setting goes in the startup `options`, so it holds on every connection Prisma opens. Servers
 * before 14, and platforms where the check is unsupported, get the URL unchanged.
 */
export async function guardedMigrationUrl(url: string, probe: pg.ClientBase): Promise<string> {
  const { rows } = await probe.query<{ n: number }>("SELECT current_setting('server_version_num')::int AS n");
  if ((rows[0]?.n ?? 0) < 140000) return url;
  try {
    // Only Linux (and a few others) support it; elsewhere setting it raises an error.
    await probe.query(`SET client_connection_check_interval = '${CLIENT_CHECK_INTERVAL}'`);
    await probe.query("RESET client_connection_check_interval");
  } catch {
    return url;
  }
  const parsed = new URL(url);
  const option = `-c client_connection_check_interval=${CLIENT_CHECK_INTERVAL}`;
  const existing = parsed.searchParams.get("options");
  parsed.searchParams.set("options", existing ? `${existing} ${option}` : option);
  return parsed.toString();
}

/**
 * `guardedMigrationUrl` for `url`, probing on a connection of its own. When the probe cannot
 * connect, the URL is returned unchanged and Prisma reports the connection error in its own words.
 */
export async function migrationUrl(url: string): Promise<string> {
  const probe = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo migrate deploy" });
  try {
    await probe.connect();
    return await guardedMigrationUrl(url, probe);
  } catch {
    return url;
  } finally {
    await probe.end().catch(() => undefined);
  }
}
