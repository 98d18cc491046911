import { describe, expect, it } from "vitest";
import { findGaps } from "../../src/index.ts";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

describe("findGaps", () => {
  it("reports holes between consecutive ranges and ignores DEFAULT", () => {
    const gaps = findGaps([
      { isDefault: false, from: d("2026-03-01"), to: d("2026-04-01") },
      { isDefault: true, from: null, to: null },
      { isDefault: false, from: d("2026-01-01"), to: d("2026-02-01") },
      { isDefault: false, from: d("2026-04-01"), to: d("2026-05-01") },
    ]);
    expect(gaps).toEqual([{ from: d("2026-02-01"), to: d("2026-03-01") }]);
  });
  it("finds none in a contiguous run", () => {
    expect(findGaps([{ isDefault: false, from: d("2026-01-01"), to: d("2026-02-01") }, { isDefault: false, from: d("2026-02-01"), to: d("2026-03-01") }])).toEqual([]);
  });
});
