import { verifyFullSpelledOut } from "@mmo/schema-engine";
import { parse } from "pg-connection-string";
import { ConfigError } from "./env.ts";

/**
 * Checks a PostgreSQL connection string and returns it unchanged (node-postgres gets `nodePgUrl` of it). Errors never echo the string:
 * it may hold a password.
 */
export function validateDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("the database URL is not a valid URL (expected postgresql://user@host:port/database)");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new ConfigError(`the database URL must start with postgresql:// (got ${parsed.protocol}//)`);
  }
  if (!databaseName(url)) throw new ConfigError("the database URL names no database");
  return url;
}

export function databaseName(url: string): string {
  return parse(nodePgUrl(url)).database ?? "";
}

/**
 * The URL to give node-postgres: `sslmode=prefer|require|verify-ca` spelled `verify-full`, which is
 * what pg 8 does with them anyway (certificate and host name verified), minus the 10-line
 * deprecation warning it prints for the alias. TLS is never weakened: libpq's weaker `require`
 * (`uselibpqcompat=true`) stays opt-in. Tools that use libpq (pg_dump) keep the URL as given, where
 * `require` means what libpq says. The rule itself is the schema engine's, shared by both.
 */
export function nodePgUrl(url: string): string {
  return verifyFullSpelledOut(url);
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** host:port/database with user, never the password: safe for logs and errors. */
export function describeUrl(url: string): string {
  try {
    const c = parse(nodePgUrl(url));
    const user = c.user ? `${c.user}@` : "";
    return `${user}${c.host ?? "localhost"}:${c.port ?? 5432}/${c.database ?? ""}`;
  } catch {
    return "<unparseable database URL>";
  }
}

/** Removes credentials from any postgres URL inside a text (error messages from drivers and tools). */
export function redactSecrets(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]+@/g, "$1:***@");
}
