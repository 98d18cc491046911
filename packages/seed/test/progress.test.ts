import { describe, expect, it } from "vitest";
import { createProgressReporter, progressLine } from "../src/index.ts";
import { TableProgress, type SeedProgress } from "../src/progress.ts";

describe("progress", () => {
  it("writes plain lines when not on a terminal", () => {
    const out: string[] = [];
    const reporter = createProgressReporter({ tty: false, write: (s) => out.push(s) });
    reporter.onProgress({ table: "users", rows: 50, total: 100, rowsPerSecond: 25, etaSeconds: 2, line: progressLine("users", 50, 100, 25, 2) });
    reporter.stop();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^users\s+50 \/ 100\s+50\.0%\s+25 rows\/s\s+ETA 2s\n$/);
  });

  it("throttles events but always reports completion", () => {
    const events: SeedProgress[] = [];
    const progress = new TableProgress("t", 10, (p) => events.push(p), 60_000);
    progress.update(1);
    progress.update(5);
    progress.update(10, true);
    expect(events.map((e) => e.rows)).toEqual([1, 10]);
    expect(events.at(-1)?.line).toMatch(/done$/);
  });

  it("draws bars through the given writer on a terminal", () => {
    const out: string[] = [];
    const reporter = createProgressReporter({ tty: true, write: (s) => out.push(s) });
    reporter.onProgress({ table: "users", rows: 10, total: 100, rowsPerSecond: 5, etaSeconds: 18, line: "" });
    reporter.stop();
    expect(out.join("")).toContain("users");
  });
});
