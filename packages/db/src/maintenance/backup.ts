import { access, rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import pg from "pg";
import { createDatabaseClient } from "../client.ts";
import { DataLayerError, UsageError } from "../errors.ts";
import { tableRowCounts } from "../row-counts.ts";
import { databaseName, describeUrl, validateDatabaseUrl, withDatabase } from "../url.ts";
import { createPrivateFile, describePartial, ensurePrivateDirectory, partialPath, publish, removeStalePartials } from "./backup-files.ts";
import { manifestPath, readManifest, type BackupManifest } from "./backup-manifest.ts";
import { findPgTool, libpqEnvironment, runPgTool } from "./pg-tools.ts";
import { databaseComment, interruptedRestoreAdvice, restoreMarker, restoreMarkerText, setDatabaseComment, tryRestoreLock } from "./restore-marker.ts";
import type { Queryable } from "./sql.ts";

export { manifestPath, type BackupManifest } from "./backup-manifest.ts";

export interface BackupResult {
  file: string;
  manifestFile: string;
  bytes: number;
  tables: number;
  rows: number;
  pgDump: string;
  /** Partial files of killed backups found in the output directory and removed. */
  removedPartials: string[];
}

/**
 * pg_dump in custom format. Row counts are taken in a REPEATABLE READ transaction whose snapshot
 * pg_dump then uses (--snapshot), so the manifest describes exactly what was dumped. Both files are
 * written 0600 under a partial name and get their final names only when complete (manifest first:
 * a dump under its final name always has its manifest); pg_dump dies with the CLI.
 */
export async function backupDatabase(
  pool: pg.Pool,
  url: string,
  options: { out?: string | undefined; onStep?: (text: string) => void; onWarning?: (text: string) => void },
): Promise<BackupResult> {
  const info = (await pool.query<{ db: string; version: string; num: string }>("SELECT current_database() AS db, current_setting('server_version') AS version, current_setting('server_version_num') AS num")).rows[0]!;
  const tool = await findPgTool("pg_dump", Math.floor(Number(info.num) / 10000));
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  const file = resolve(options.out ?? `mmo-${info.db}-${stamp}.dump`);
  const manifestFile = manifestPath(file);
  for (const path of [file, manifestFile]) {
    if (await exists(path)) throw new UsageError(`${path} already exists: choose another --out`);
  }
  await ensurePrivateDirectory(file);
  const stale = await removeStalePartials(file);
  for (const p of stale) options.onWarning?.(describePartial(p));
  const partial = partialPath(file);
  const manifestPartial = partialPath(manifestFile);
  const client = await pool.connect();
  let published = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id;
    options.onStep?.("counting rows");
    const rowCounts = await tableRowCounts(client);
    options.onStep?.(`running ${tool.path} ${tool.version}`);
    const { dbname, env } = libpqEnvironment(url);
    // pg_dump writes to stdout, a file this process created 0600; a regular file stays seekable,
    // so the archive keeps its data offsets (pg_restore -j needs them).
    const out = await createPrivateFile(partial);
    try {
      await runPgTool(tool, ["--format=custom", `--snapshot=${snapshot}`, `--dbname=${dbname}`], env, { stdout: out.fd });
      await out.sync();
    } finally {
      await out.close();
    }
    await client.query("COMMIT");
    const manifest: BackupManifest = { database: info.db, serverVersion: info.version, pgDump: tool.version, createdAt: new Date().toISOString(), format: "custom", rowCounts };
    const handle = await createPrivateFile(manifestPartial);
    try {
      await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await publish(manifestPartial, manifestFile);
    published = true;
    await publish(partial, file);
    return {
      file,
      manifestFile,
      bytes: (await stat(file)).size,
      tables: Object.keys(rowCounts).length,
      rows: Object.values(rowCounts).reduce((a, b) => a + b, 0),
      pgDump: tool.version,
      removedPartials: stale.map((p) => p.path),
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    await rm(partial, { force: true });
    await rm(manifestPartial, { force: true });
    // The manifest this run published has no dump beside it.
    if (published) await rm(manifestFile, { force: true });
    throw error;
  } finally {
    client.release();
  }
}

export interface RestoreResult {
  into: string;
  created: boolean;
  verified: boolean;
  tables: { table: string; expected: number | null; restored: number }[];
}

/**
 * pg_restore into a new or empty database, in one transaction (a failure leaves it empty), then
 * compares every table's row count with the backup's manifest. The target carries a marker
 * (restore-marker.ts) until the counts matched, so what a killed restore leaves is recognised. A
 * failed restore drops the database when this restore created it, and only then.
 */
export async function restoreDatabase(options: { from: string; into: string; onStep?: (text: string) => void; onWarning?: (text: string) => void }): Promise<RestoreResult> {
  const file = resolve(options.from);
  if (!(await exists(file))) throw new UsageError(`backup file ${file} does not exist`);
  const into = validateDatabaseUrl(options.into);
  // Read before anything is changed: a damaged manifest stops the restore with nothing to undo.
  const manifest = await readManifest(manifestPath(file));
  const name = databaseName(into);
  const server = createDatabaseClient({ url: withDatabase(into, "postgres"), poolMax: 1, applicationName: "mmo cli (restore)" });
  // One session for the whole run: it holds the restore's advisory lock until the end.
  const admin = await server.pool.connect().catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  try {
    const info = (await admin.query<{ num: string; present: boolean }>("SELECT current_setting('server_version_num') AS num, EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS present", [name])).rows[0]!;
    const tool = await findPgTool("pg_restore", Math.floor(Number(info.num) / 10000));
    if (!(await tryRestoreLock(admin, name))) throw new UsageError(`another restore into ${name} is running: wait for it to finish`);
    let created = false;
    let previousComment: string | null = null;
    if (info.present) {
      const marker = await restoreMarker(admin, name);
      if (marker) throw new UsageError(interruptedRestoreAdvice(name, marker));
      await requireEmpty(into);
      previousComment = await databaseComment(admin, name);
    } else {
      await createDatabase(admin, name);
      created = true;
    }
    let marked = false;
    const undo = async (error: unknown): Promise<never> => {
      const message = error instanceof Error ? error.message : String(error);
      if (created) {
        await dropDatabase(admin, name, Number(info.num)).catch((dropError: Error) => {
          throw new DataLayerError(`${message}; dropping database ${name}, which this restore had created, failed too: ${dropError.message}`);
        });
        throw new DataLayerError(`${message}; dropped database ${name}, which this restore had created`);
      }
      if (marked) await setDatabaseComment(admin, name, previousComment);
      throw error;
    };
    try {
      marked = await setDatabaseComment(admin, name, restoreMarkerText(file)).then(
        () => true,
        (error: { code?: string; message?: string }) => {
          // Only a database's owner (or a superuser) may comment on it.
          if (error.code !== "42501") throw error;
          options.onWarning?.(`cannot mark ${name} while restoring (${error.message}): a killed restore would not be recognised`);
          return false;
        },
      );
      options.onStep?.(`restoring into ${describeUrl(into)} with ${tool.path} ${tool.version}`);
      const { dbname, env } = libpqEnvironment(into);
      await runPgTool(tool, ["--exit-on-error", "--single-transaction", `--dbname=${dbname}`, file], env);
    } catch (error) {
      return await undo(error);
    }
    options.onStep?.("verifying row counts");
    let tables: RestoreResult["tables"];
    try {
      tables = await verifyRowCounts(into, manifest);
    } catch (error) {
      if (created) return await undo(error);
      // Restored data that does not match stays only in a database the operator gave us, marked.
      const message = error instanceof Error ? error.message : String(error);
      throw new DataLayerError(marked ? `${message}; database ${name} stays marked as an unverified restore (mmo health reports it): inspect it, then drop it` : message);
    }
    if (marked) await setDatabaseComment(admin, name, previousComment);
    return { into: describeUrl(into), created, verified: Boolean(manifest), tables };
  } finally {
    admin.release();
    await server.close();
  }
}

async function verifyRowCounts(into: string, manifest: BackupManifest | undefined): Promise<RestoreResult["tables"]> {
  const target = createDatabaseClient({ url: into, poolMax: 1, applicationName: "mmo cli (restore)" });
  try {
    const restored = await tableRowCounts(target.pool);
    const names = [...new Set([...Object.keys(manifest?.rowCounts ?? {}), ...Object.keys(restored)])].sort();
    const tables = names.map((table) => ({ table, expected: manifest ? (manifest.rowCounts[table] ?? 0) : null, restored: restored[table] ?? 0 }));
    const mismatched = tables.filter((t) => t.expected !== null && t.expected !== t.restored);
    if (mismatched.length) {
      throw new DataLayerError(`restore verification failed: ${mismatched.map((t) => `${t.table} has ${t.restored} row(s), the backup ${t.expected}`).join("; ")}`);
    }
    return tables;
  } finally {
    await target.close();
  }
}

/** CREATE DATABASE that fails when the database exists: a restore must know it created it. */
async function createDatabase(admin: Queryable, name: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
    if (error.code === "42P04") throw new UsageError(`database ${name} was created by someone else while this restore started: run the restore again`);
    throw error;
  });
}

/** Drops a database this restore created; FORCE (PostgreSQL 13+) ends a session pg_restore may leave. */
async function dropDatabase(admin: Queryable, name: string, serverVersionNum: number): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}${serverVersionNum >= 130000 ? " WITH (FORCE)" : ""}`);
}

async function requireEmpty(url: string): Promise<void> {
  const client = createDatabaseClient({ url, poolMax: 1, applicationName: "mmo cli (restore)" });
  try {
    const { rows } = await client.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')",
    );
    if (Number(rows[0]?.n ?? 0) > 0) throw new UsageError(`the target database ${describeUrl(url)} is not empty: restore into a new database (it is created when missing)`);
  } finally {
    await client.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
