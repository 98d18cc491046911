import { describe, expect, it } from "vitest";
import { PROD_VOLUMES, PROFILE_FRACTION } from "../src/profiles.ts";
import { plannedVolumes, PROFILE_NAMES, TABLE_NAMES } from "../src/index.ts";

describe("profile volumes", () => {
  it("prod meets the issue's minimums", () => {
    const v = plannedVolumes("prod");
    expect(v.users).toBeGreaterThanOrEqual(1_000_000);
    expect(v.characters).toBeGreaterThanOrEqual(2_500_000);
    expect(v.character_inventory).toBeGreaterThanOrEqual(25_000_000);
    expect(v.character_positions).toBeGreaterThanOrEqual(50_000_000);
    expect(v.combat_log).toBeGreaterThanOrEqual(20_000_000);
    expect(v.analytics_events).toBeGreaterThanOrEqual(10_000_000);
    expect(v.audit_log).toBeGreaterThanOrEqual(5_000_000);
  });

  for (const profile of PROFILE_NAMES) {
    for (const scale of [1, 2.5]) {
      it(`${profile} at scale ${scale} plans each big table within 1% of its target`, () => {
        const v = plannedVolumes(profile, scale);
        for (const table of TABLE_NAMES) {
          const target = PROD_VOLUMES[table] * PROFILE_FRACTION[profile] * scale;
          // Tables of a few hundred rows round to whole groups; the 1% promise is for the bulk.
          if (target >= 10_000) expect(Math.abs(v[table] - target) / target, table).toBeLessThanOrEqual(0.01);
          expect(v[table], table).toBeGreaterThan(0);
        }
      });
    }
  }

  it("rejects a non-positive scale", () => {
    expect(() => plannedVolumes("dev", 0)).toThrow(RangeError);
  });
});
