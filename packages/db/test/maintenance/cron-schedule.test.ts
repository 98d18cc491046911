import { describe, expect, it } from "vitest";
import { cronFiredBetween, UsageError, validateCronSchedule } from "../../src/index.ts";

describe("validateCronSchedule", () => {
  it.each(["* * * * *", "*/15 * * * *", "37 3 * * *", "7 * * * 1-5"])("accepts %j", (s) => expect(() => validateCronSchedule(s)).not.toThrow());
  it.each(["", "* * * *", "0 * * * * *", "61 * * * *", "* 25 * * *", "nonsense here x y z"])("rejects %j", (s) => expect(() => validateCronSchedule(s)).toThrow(UsageError));
});

describe("cronFiredBetween", () => {
  const at = (iso: string) => new Date(iso);
  it("is due when the schedule fired since the last run", () => {
    expect(cronFiredBetween("7 * * * *", at("2026-01-01T10:00:00Z"), at("2026-01-01T10:08:00Z"))).toBe(true);
    expect(cronFiredBetween("7 * * * *", at("2026-01-01T10:08:00Z"), at("2026-01-01T11:00:00Z"))).toBe(false);
    expect(cronFiredBetween("*/5 * * * *", at("2026-01-01T10:00:00Z"), at("2026-01-01T10:04:59Z"))).toBe(false);
    expect(cronFiredBetween("*/5 * * * *", at("2026-01-01T10:00:00Z"), at("2026-01-01T10:05:00Z"))).toBe(true);
  });
});
