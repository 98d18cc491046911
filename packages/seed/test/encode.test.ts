import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as c from "../src/encode.ts";
import { copyLines } from "../src/index.ts";

describe("COPY text encoding", () => {
  it("escapes backslash, tab, newline and carriage return, and writes NULL as \\N", () => {
    expect(c.text("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(c.text("plain")).toBe("plain");
    expect(c.nullableText(null)).toBe("\\N");
    expect(c.json({ s: 'q"\n' })).toBe('{"s":"q\\\\"\\\\n"}');
  });

  it("formats timestamps exactly like toISOString", () => {
    for (const ms of [0, 1, 999, 86_399_999, 1_700_000_000_123, Date.UTC(2026, 1, 28, 23, 59, 59, 5)]) expect(c.timestamp(ms)).toBe(new Date(ms).toISOString());
  });
});

describe("COPY text encoding, read back by PostgreSQL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query("CREATE TABLE enc (t text, j jsonb, a text[], n int[], b bytea, z text)");
  });
  afterAll(() => db?.drop());

  it("round-trips text, JSON, arrays, bytea and NULL", async () => {
    const tricky = 'tab\there\nnew "line" back\\slash \r ✨ {braces},comma';
    const obj = { s: tricky, n: [1, null, 2.5], nested: { ok: true } };
    const rows = await copyLines(db.pool, "enc", ["t", "j", "a", "n", "b", "z"], [
      c.row([c.text(tricky), c.json(obj), c.array([tricky, null, "NULL", ""]), c.array([1, null, 3]), c.byteaHex("00ff5c09"), c.NULL]),
    ]);
    expect(rows).toBe(1);
    const { rows: back } = await db.pool.query("SELECT t, j, a, n, encode(b, 'hex') AS b, z FROM enc");
    expect(back[0]).toEqual({ t: tricky, j: obj, a: [tricky, null, "NULL", ""], n: [1, null, 3], b: "00ff5c09", z: null });
  });

  it("rolls the whole table back when a row is rejected, and releases the connection", async () => {
    await expect(copyLines(db.pool, "enc", ["t", "n"], [c.row(["ok", "{1}"]), c.row(["bad", "not an array"])])).rejects.toThrow();
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM enc WHERE t IN ('ok', 'bad')");
    expect(rows[0].n).toBe(0);
    expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
  });
});
