import type pg from "pg";

export interface ServerCapabilities {
  serverVersion: string;
  serverVersionNum: number;
  /** pg_cron is in shared_preload_libraries. */
  pgCronLoaded: boolean;
  /** The database pg_cron runs its jobs from (cron.database_name), when loaded. */
  cronDatabase: string | null;
  /** This database is the cron database, so migrations here can schedule jobs directly. */
  isCronDatabase: boolean;
  /** pg_stat_statements is preloaded (the extension can then be created). */
  pgStatStatementsLoaded: boolean;
}

/** What the server we are connected to can do; nothing here fails when an extension is missing. */
export async function detectCapabilities(client: pg.ClientBase | pg.Pool): Promise<ServerCapabilities> {
  const { rows } = await client.query<{ version: string; num: string; preload: string; cron_db: string | null; db: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
            current_setting('shared_preload_libraries') AS preload, current_setting('cron.database_name', true) AS cron_db,
            current_database() AS db`,
  );
  const row = rows[0];
  if (!row) throw new Error("capability query returned nothing");
  const preload = row.preload.split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
  const pgCronLoaded = preload.includes("pg_cron");
  const cronDatabase = pgCronLoaded ? (row.cron_db ?? "postgres") : null;
  return {
    serverVersion: row.version,
    serverVersionNum: Number(row.num),
    pgCronLoaded,
    cronDatabase,
    isCronDatabase: pgCronLoaded && cronDatabase === row.db,
    pgStatStatementsLoaded: preload.includes("pg_stat_statements"),
  };
}

/** One sentence for operators when scheduled upkeep is not available on this server. */
export function cronNotice(c: ServerCapabilities): string | undefined {
  if (!c.pgCronLoaded) return "pg_cron is not loaded on this server: upkeep is not scheduled; run `mmo maintain --every 5m` or add pg_cron to shared_preload_libraries.";
  if (!c.isCronDatabase) return `pg_cron runs from database "${c.cronDatabase}": install the schedules with \`mmo cron install\`.`;
  return undefined;
}
