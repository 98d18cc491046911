import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import type { DatabaseClient } from "@mmo/db";
import { copyLines, dropIndexesForLoad, quoteIdent, rebuildIndexes, type TableSpec, type World } from "@mmo/seed";
import { from as copyFrom } from "pg-copy-streams";
import { PRISMA_WRITERS } from "./prisma-rows.ts";

export interface Measured {
  rows: number;
  seconds: number;
}

async function timed(run: () => Promise<number>): Promise<Measured> {
  const started = performance.now();
  const rows = await run();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/** Writes the generator's lines for a table to a file (not timed): the raw COPY's input. */
export async function writeCopyFile(spec: TableSpec, world: World, path: string): Promise<number> {
  const out = createWriteStream(path, { mode: 0o644 });
  let rows = 0;
  let chunk = "";
  for (const line of spec.rows(world)) {
    chunk += line;
    rows++;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  return rows;
}

const copySql = (spec: TableSpec, source: string) => `COPY ${quoteIdent(spec.name)} (${spec.columns.map(quoteIdent).join(", ")}) FROM ${source}`;

/**
 * The server's own ingestion limit: COPY reading a pre-generated file of the same rows. Server-side
 * (the server reads the file itself, no client in the loop) when we may; otherwise the file is
 * streamed through the client unchanged. `deferIndexes`: the seeder's strategy (indexes dropped,
 * rows copied, indexes built, one transaction), so the two are compared on equal terms; without it,
 * indexes are maintained row by row, as a plain COPY into a live table does.
 */
export async function rawCopy(client: DatabaseClient, spec: TableSpec, path: string, options: { serverSide: boolean; sessionSql: readonly string[]; deferIndexes: boolean }): Promise<Measured> {
  const conn = await client.pool.connect();
  try {
    for (const sql of options.sessionSql) await conn.query(sql);
    return await timed(async () => {
      await conn.query("BEGIN");
      const deferred = options.deferIndexes ? await dropIndexesForLoad(conn, spec.name) : [];
      let rows: number;
      if (options.serverSide) rows = (await conn.query(copySql(spec, `'${path.replaceAll("'", "''")}'`))).rowCount ?? 0;
      else {
        const stream = conn.query(copyFrom(copySql(spec, "STDIN")));
        await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), stream);
        rows = stream.rowCount;
      }
      await rebuildIndexes(conn, deferred);
      await conn.query("COMMIT");
      return rows;
    });
  } finally {
    await conn.query("RESET ALL").catch(() => undefined);
    conn.release();
  }
}

/** The seeder's own path: lazy generation, COPY text encoding, streaming with backpressure, indexes built after. */
export function generatorCopy(client: DatabaseClient, spec: TableSpec, world: World, sessionSql: readonly string[]): Promise<Measured> {
  return timed(() => copyLines(client.pool, spec.name, spec.columns, spec.rows(world), { sessionSql, deferIndexes: true }));
}

/** Prisma Client createMany on a sample of the same rows, in batches, as an application would load them. */
export async function prismaCreateMany(client: DatabaseClient, spec: TableSpec, world: World, sample: number, batch: number): Promise<Measured | undefined> {
  const write = PRISMA_WRITERS[spec.name];
  if (!write) return undefined;
  const lines: string[] = [];
  for (const line of spec.rows(world)) {
    lines.push(line);
    if (lines.length >= sample) break;
  }
  return timed(async () => {
    let rows = 0;
    for (let i = 0; i < lines.length; i += batch) rows += await write(client, lines.slice(i, i + batch));
    return rows;
  });
}
