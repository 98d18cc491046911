import { describe, expect, it } from "vitest";
import { parseInterval, UsageError } from "../../src/index.ts";

describe("parseInterval", () => {
  it.each([
    ["30s", "30 seconds", 30_000],
    ["5m", "5 minutes", 300_000],
    ["2h", "2 hours", 7_200_000],
    ["90d", "90 days", 7_776_000_000],
    ["1w", "1 week", 604_800_000],
    ["1d", "1 day", 86_400_000],
    ["90 days", "90 days", 7_776_000_000],
    [" 1 day 12 hours ", "1 day 12 hours", 129_600_000],
    ["15 MINUTES", "15 minutes", 900_000],
    ["3 months", "3 months", 3 * 30 * 86_400_000],
    ["0d", "0 days", 0],
  ])("accepts %j", (input, text, ms) => {
    expect(parseInterval(input)).toEqual({ text, ms });
  });

  it.each(["", "9x", "5", "m5", "-5m", "1.5h", "5 m; DROP TABLE users", "1 day'", "1 fortnight", "1 day 2 days", "5mm", "1e3s", "1234567d", "days"])("rejects %j", (input) => {
    expect(() => parseInterval(input)).toThrow(UsageError);
  });
});
