import { createTestDatabase, type TestDatabase } from "@mmo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLines } from "../src/index.ts";
import * as c from "../src/encode.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

describe("copyLines", () => {
  it("streams lines of any size and script through small buffers intact, counting every row", async () => {
    const values = ["short", "é⚔🐉".repeat(500), "tab\there\nnewline \\ backslash", "x".repeat(5000)];
    const lines = values.map((v, i) => `00000000-0000-4000-8000-00000000010${i}\t${i}\tmain\tnote\t${c.json({ v })}\n`);
    const seen: number[] = [];
    // 64-byte buffers: most lines are larger than one buffer, and multibyte characters straddle them.
    const rows = await copyLines(db.pool, "world_state", ["id", "zone_id", "instance_id", "state_type", "state_data"], lines, { chunkBytes: 64, onRows: (n) => seen.push(n) });
    expect(rows).toBe(values.length);
    expect(seen.at(-1)).toBe(values.length);
    const { rows: back } = await db.pool.query<{ v: string }>("SELECT state_data->>'v' AS v FROM world_state ORDER BY zone_id");
    expect(back.map((r) => r.v)).toEqual(values);
  });
});
