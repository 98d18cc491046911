import pg from "pg";
import { nodePgUrl } from "../url.ts";

export interface TableRef {
  schema: string;
  name: string;
}

export interface WriterStats {
  table: string;
  kind: "insert" | "update";
  operations: number;
  errors: number;
  /** The longest any one statement took that was seen waiting for a lock held or requested by the migration (0: never blocked). */
  maxBlockedMs: number;
  /** The longest any one statement took at all (blocked or merely slow: CPU, I/O, machine load). */
  maxMs: number;
}

const q = pg.escapeIdentifier;

/**
 * Writers waiting on a lock whose chain of blockers (pg_blocking_pids, followed transitively)
 * reaches a session that is not a writer: the migration. Writers briefly waiting on one another
 * are not the migration's doing and are not counted.
 */
const BLOCKED_BY_OTHERS = `
  WITH RECURSIVE chain(pid, root) AS (
    SELECT pid, pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'mmo lock-impact writer'
    UNION
    SELECT b.pid, chain.root FROM chain CROSS JOIN LATERAL unnest(pg_blocking_pids(chain.pid)) AS b(pid))
  SELECT DISTINCT chain.root AS pid FROM chain JOIN pg_stat_activity a ON a.pid = chain.pid
  WHERE a.application_name IS DISTINCT FROM 'mmo lock-impact writer'`;
const qualified = (t: TableRef) => `${q(t.schema)}.${q(t.name)}`;

/**
 * A generic insert and update for any table, built from the catalog: the insert copies an existing
 * row, leaving columns that have a default and belong to a unique index to their default (new ids)
 * and skipping the rest of a duplicate with ON CONFLICT DO NOTHING; the update rewrites one column
 * of another row with its own value (so the two writers do not queue on one row). Both need ROW EXCLUSIVE on the table, as the game's writes do.
 */
export async function writerStatements(client: pg.ClientBase, table: TableRef): Promise<{ insert: string; update: string | null }> {
  const { rows } = await client.query<{ attname: string; generated: boolean; keyed_default: boolean; in_key: boolean }>(
    `SELECT a.attname, (a.attgenerated <> '' OR a.attidentity = 'a') AS generated,
            (a.atthasdef AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey))) AS keyed_default,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey)) AS in_key
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualified(table)],
  );
  const copied = rows.filter((r) => !r.generated && !r.keyed_default).map((r) => q(r.attname));
  const target = qualified(table);
  const insert = copied.length
    ? `INSERT INTO ${target} (${copied.join(", ")}) SELECT ${copied.join(", ")} FROM ${target} LIMIT 1 ON CONFLICT DO NOTHING`
    : `INSERT INTO ${target} DEFAULT VALUES ON CONFLICT DO NOTHING`;
  const column = rows.find((r) => !r.generated && !r.in_key) ?? rows.find((r) => !r.generated);
  const update = column ? `UPDATE ${target} SET ${q(column.attname)} = ${q(column.attname)} WHERE (tableoid, ctid) = (SELECT tableoid, ctid FROM ${target} LIMIT 1 OFFSET 1)` : null;
  return { insert, update };
}

/**
 * Writers hammering `tables` until `stop()`; each on its own connection, one statement at a time.
 * A monitor connection samples pg_stat_activity every few milliseconds for writers waiting on a
 * heavyweight lock, so a statement counts as blocked only when it was seen waiting: slowness from
 * machine load is reported apart (maxMs) and never mistaken for lock impact.
 */
export async function startWriters(url: string, tables: TableRef[], options: { maxSeconds?: number } = {}): Promise<{ stop(): Promise<WriterStats[]> }> {
  let running = true;
  const deadline = Date.now() + (options.maxSeconds ?? 600) * 1000;
  const loops: Promise<WriterStats>[] = [];
  const clients: pg.Client[] = [];
  const waitsSeen = new Map<number, number>();
  const monitor = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo lock-impact monitor" });
  monitor.on("error", () => undefined);
  await monitor.connect();
  const sampling = (async () => {
    while (running && Date.now() < deadline) {
      const { rows } = await monitor.query<{ pid: number }>(BLOCKED_BY_OTHERS).catch(() => ({ rows: [] }));
      for (const { pid } of rows) waitsSeen.set(pid, (waitsSeen.get(pid) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 3));
    }
  })();
  for (const table of tables) {
    const setup = new pg.Client({ connectionString: nodePgUrl(url) });
    await setup.connect();
    const statements = await writerStatements(setup, table).finally(() => setup.end());
    for (const [kind, sql] of [["insert", statements.insert], ["update", statements.update]] as const) {
      if (!sql) continue;
      const client = new pg.Client({ connectionString: nodePgUrl(url), application_name: "mmo lock-impact writer", statement_timeout: 120_000 });
      client.on("error", () => undefined);
      await client.connect();
      clients.push(client);
      const stats: WriterStats = { table: `${table.schema}.${table.name}`, kind, operations: 0, errors: 0, maxBlockedMs: 0, maxMs: 0 };
      const pid = (client as unknown as { processID: number }).processID;
      loops.push(
        (async () => {
          while (running && Date.now() < deadline) {
            const started = performance.now();
            const seen = waitsSeen.get(pid) ?? 0;
            await client.query(sql).catch(() => stats.errors++);
            const took = performance.now() - started;
            stats.maxMs = Math.max(stats.maxMs, took);
            if ((waitsSeen.get(pid) ?? 0) !== seen) stats.maxBlockedMs = Math.max(stats.maxBlockedMs, took);
            stats.operations++;
            await new Promise((r) => setTimeout(r, 2));
          }
          return stats;
        })(),
      );
    }
  }
  return {
    async stop() {
      running = false;
      const stats = await Promise.all(loops);
      await sampling;
      await Promise.all([...clients, monitor].map((c) => c.end().catch(() => undefined)));
      return stats;
    },
  };
}
