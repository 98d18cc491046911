import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export interface CopyOptions {
  /** Statements run on the connection first (e.g. SET session_replication_role); reset afterwards. */
  sessionSql?: readonly string[];
  /** Called after every chunk with the rows sent so far. */
  onRows?: (rows: number) => void;
  /** Lines are batched into chunks of about this many characters before each write. */
  chunkChars?: number;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Streams COPY text lines into a table over one pooled connection. Lines are pulled from the
 * (lazy) iterable only while the socket keeps up: when write() reports a full buffer we wait for
 * 'drain', so memory stays flat whatever the volume. The whole table is one COPY, i.e. one
 * transaction: an interrupted table is rolled back entirely.
 */
export async function copyLines(pool: pg.Pool, table: string, columns: readonly string[], lines: Iterable<string>, options: CopyOptions = {}): Promise<number> {
  const chunkChars = options.chunkChars ?? 256 * 1024;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    for (const sql of options.sessionSql ?? []) await client.query(sql);
    const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN`));
    const done = finished(stream);
    // Without a listener a server-side error would be thrown as 'error' before we reach `await done`.
    done.catch(() => undefined);
    let chunk = "";
    let rows = 0;
    let pending = 0;
    try {
      for (const line of lines) {
        chunk += line;
        pending++;
        if (chunk.length >= chunkChars) {
          const ok = stream.write(chunk);
          chunk = "";
          rows += pending;
          pending = 0;
          options.onRows?.(rows);
          if (!ok) await Promise.race([once(stream, "drain"), done]);
        }
      }
      if (chunk) stream.write(chunk);
      stream.end();
    } catch (error) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await done;
    rows += pending;
    options.onRows?.(rows);
    if (options.sessionSql?.length) await client.query("RESET ALL");
    return rows;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection whose COPY failed is discarded, not returned to the pool in an unknown state.
    client.release(broken);
  }
}
