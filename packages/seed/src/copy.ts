import { once } from "node:events";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { dropIndexesForLoad, rebuildIndexes } from "./deferred-indexes.ts";

export interface CopyOptions {
  /** Statements run on the connection first (e.g. SET session_replication_role); reset afterwards. */
  sessionSql?: readonly string[];
  /** Called after every chunk with the rows sent so far. */
  onRows?: (rows: number) => void;
  /** Lines are encoded into buffers of this many bytes, one CopyData message each. */
  chunkBytes?: number;
  /**
   * Build the table's indexes after the load instead of row by row, when the table starts empty
   * (src/deferred-indexes.ts). Same transaction, same final schema; much faster for big tables.
   */
  deferIndexes?: boolean;
  /** Called when the rows are in and the deferred indexes are being built. */
  onIndexBuild?: (indexes: number) => void;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Streams COPY text lines into a table over one pooled connection. Lines are pulled from the
 * (lazy) iterable only while the socket keeps up: when write() reports a full buffer we wait for
 * 'drain', so memory stays flat whatever the volume. The whole table is one transaction (the
 * COPY, and the index drops and rebuilds when deferred): an interrupted table is rolled back entirely.
 */
export async function copyLines(pool: pg.Pool, table: string, columns: readonly string[], lines: Iterable<string>, options: CopyOptions = {}): Promise<number> {
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: a connection killed mid-load (server restart,
  // pg_terminate_backend) would otherwise be an uncaught 'error' event that crashes the seeder
  // instead of failing this table's promise.
  const onConnectionError = (error: Error) => {
    broken ??= error;
  };
  client.on("error", onConnectionError);
  try {
    for (const sql of options.sessionSql ?? []) await client.query(sql);
    await client.query("BEGIN");
    const deferred = options.deferIndexes ? await dropIndexesForLoad(client, table) : [];
    const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN`));
    const done = finished(stream);
    // Without a listener a server-side error would be thrown as 'error' before we reach `await done`.
    done.catch(() => undefined);
    // Each line is UTF-8-encoded straight into a buffer (Buffer#write), not concatenated into a big
    // string that is then flattened and encoded again: a third less CPU per row, measured on the
    // combat_log generator. A buffer, once written to the stream, is never reused.
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let used = 0;
    let rows = 0;
    let pending = 0;
    const send = async (chunk: Buffer) => {
      const ok = stream.write(chunk);
      rows += pending;
      pending = 0;
      options.onRows?.(rows);
      if (!ok) await Promise.race([once(stream, "drain"), done]);
    };
    try {
      for (const line of lines) {
        // line.length * 3 bounds its UTF-8 size, so a write never overflows the buffer.
        if (used + line.length * 3 > chunkBytes) {
          if (used) await send(buffer.subarray(0, used));
          buffer = Buffer.allocUnsafe(Math.max(chunkBytes, line.length * 3));
          used = 0;
        }
        used += buffer.write(line, used);
        pending++;
      }
      if (used) stream.write(buffer.subarray(0, used));
      stream.end();
    } catch (error) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await done;
    rows += pending;
    options.onRows?.(rows);
    if (deferred.length) {
      options.onIndexBuild?.(deferred.length);
      await rebuildIndexes(client, deferred);
    }
    await client.query("COMMIT");
    if (options.sessionSql?.length) await client.query("RESET ALL");
    return rows;
  } catch (error) {
    broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection whose COPY failed is discarded, not returned to the pool in an unknown state.
    client.off("error", onConnectionError);
    client.release(broken);
  }
}
