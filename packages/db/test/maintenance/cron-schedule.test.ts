import { describe, expect, it } from "vitest";
import { cronFiredBetween, dueFiring, latestFiring, longestGap, UsageError, validateCronSchedule } from "../../src/index.ts";

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

describe("latestFiring / dueFiring / longestGap", () => {
  const at = (iso: string) => new Date(iso);
  it("finds the firing at or before a time, in UTC", () => {
    expect(latestFiring("* * * * *", at("2026-01-01T10:00:00Z"))).toEqual(at("2026-01-01T10:00:00Z"));
    expect(latestFiring("* * * * *", at("2026-01-01T10:00:59.999Z"))).toEqual(at("2026-01-01T10:00:00Z"));
    expect(latestFiring("37 3 * * *", at("2026-01-02T03:36:00Z"))).toEqual(at("2026-01-01T03:37:00Z"));
    expect(latestFiring("*/15 * * * *", at("2026-01-01T10:44:00Z"))).toEqual(at("2026-01-01T10:30:00Z"));
  });
  it("a job is due when it never ran or its schedule fired since its last start", () => {
    const now = at("2026-01-01T10:07:30Z");
    expect(dueFiring({ schedule: "7 * * * *", lastStartedAt: null }, now)).toEqual(at("2026-01-01T10:07:00Z"));
    expect(dueFiring({ schedule: "7 * * * *", lastStartedAt: at("2026-01-01T09:07:01Z") }, now)).toEqual(at("2026-01-01T10:07:00Z"));
    expect(dueFiring({ schedule: "7 * * * *", lastStartedAt: at("2026-01-01T10:07:00Z") }, now)).toBeNull();
    expect(dueFiring({ schedule: "7 * * * *", lastStartedAt: at("2026-01-01T10:07:10Z") }, now)).toBeNull();
  });
  it("measures the longest wait between firings", () => {
    const now = at("2026-01-01T10:07:30Z");
    expect(longestGap("* * * * *", now)).toBe(60_000);
    expect(longestGap("*/15 * * * *", now)).toBe(15 * 60_000);
    expect(longestGap("17 4 * * *", now)).toBe(24 * 3_600_000);
    expect(longestGap("0 9 * * 1-5", now)).toBe(3 * 24 * 3_600_000);
  });
});
