import type pg from "pg";
import { WINDOW_DAYS } from "./profiles.ts";
import { DAY_MS } from "./world.ts";

/**
 * Creates the time partitions the seeded history needs *before* loading, so rows go straight into
 * their partition instead of the DEFAULT one (from which maint.ensure_partitions would later have to
 * move them). It reuses the maintenance function itself, "as of" past dates: ensure_partitions
 * creates the period of p_now plus `premake` periods ahead, so we step through the window.
 */
export async function preparePartitions(pool: pg.Pool, anchorMs: number): Promise<number> {
  const { rows: policies } = await pool.query<{ table_name: string; granularity: "day" | "month"; premake: number }>(
    "SELECT table_name, granularity, premake FROM maint.partition_policy ORDER BY table_name",
  );
  let created = 0;
  for (const policy of policies) {
    const windowDays = (WINDOW_DAYS as Record<string, number>)[policy.table_name];
    if (windowDays === undefined) continue;
    const periodDays = policy.granularity === "day" ? 1 : 28;
    const stepMs = Math.max(1, policy.premake) * periodDays * DAY_MS;
    for (let t = anchorMs - windowDays * DAY_MS - DAY_MS; ; t += stepMs) {
      const at = Math.min(t, anchorMs);
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM maint.ensure_partitions($1, $2) WHERE action LIKE 'created%'",
        [policy.table_name, new Date(at).toISOString()],
      );
      created += Number(rows[0]?.n ?? 0);
      if (at >= anchorMs) break;
    }
  }
  return created;
}
