import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { dbEnv } from "../env.ts";
import { deployMigrations } from "../migrate/deploy.ts";
import { migrationsDir } from "../paths.ts";
import { startEmbeddedServer } from "../server/embedded.ts";
import { databaseName, validateDatabaseUrl, withDatabase } from "../url.ts";

export interface TestServer {
  /** A URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Database holding every migration, deployed by the real `prisma migrate deploy`. */
  templateDatabase: string;
  kind: "external" | "embedded";
  serverVersionNum: number;
}

/** The server tests use: TEST_DATABASE_URL, else DATABASE_URL, else the embedded PostgreSQL 18. */
export async function startTestServer(): Promise<{ server: TestServer; stop(): Promise<void> }> {
  const env = dbEnv();
  const explicit = env.TEST_DATABASE_URL ?? env.DATABASE_URL;
  let adminUrl: string;
  let stop = async () => undefined as void;
  let kind: TestServer["kind"] = "external";
  if (explicit) {
    validateDatabaseUrl(explicit);
    adminUrl = withDatabase(explicit, "postgres");
  } else {
    const embedded = await startEmbeddedServer();
    adminUrl = embedded.adminUrl;
    stop = embedded.stop;
    kind = "embedded";
  }
  const templateDatabase = await ensureTemplate(adminUrl);
  const serverVersionNum = await query<{ v: string }>(adminUrl, "SELECT current_setting('server_version_num') AS v").then((r) => Number(r[0]?.v));
  return { server: { adminUrl, templateDatabase, kind, serverVersionNum }, stop };
}

/**
 * The template is named after a hash of the migration files, so it is built once per change to
 * the history and reused by every test file and every later run. It is built under another name
 * and renamed when complete, so a half-built template is never cloned.
 */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `mmo_tpl_${await migrationsHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('mmo test template'))");
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(building)}`);
      await deployMigrations(withDatabase(adminUrl, building));
      await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(building)} RENAME TO ${pg.escapeIdentifier(name)}`);
    }
    // Older templates and databases of crashed runs only take space. Another run (another
    // checkout, another history) may be using them right now: templates are dropped only when no
    // one is connected (no FORCE), test databases only when a day old (their name holds the time).
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'mmo\\_tpl\\_%' AND datname NOT LIKE $1 AND NOT datistemplate",
      [`${name}%`],
    );
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(row.datname)}`).catch(() => undefined);
    const leftovers = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname ~ '^mmo_t_[0-9]+_'");
    const dayAgo = Math.floor(Date.now() / 1000) - 86_400;
    for (const row of leftovers.rows) {
      if (Number(row.datname.split("_")[2]) < dayAgo) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(row.datname)} WITH (FORCE)`).catch(() => undefined);
    }
    await admin.query("SELECT pg_advisory_unlock(hashtext('mmo test template'))");
  } finally {
    await admin.end();
  }
  return name;
}

async function migrationsHash(): Promise<string> {
  const hash = createHash("sha256");
  const dirs = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const dir of dirs) {
    hash.update(dir);
    hash.update(await readFile(join(migrationsDir, dir, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 12);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

export { databaseName };
