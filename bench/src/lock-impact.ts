import { createDatabaseClient, measureLockImpact, resolveDatabase } from "@mmo/db";
import { seedDatabase } from "@mmo/seed";
import { benchEnv } from "./env.ts";

/**
 * Lock impact of every migration at a realistic volume: `mmo migrate lock-impact` measured on a
 * scratch database seeded with BENCH_LOCK_PROFILE (staging by default), against the budget.
 * Prints one line per migration; exits 1 when one is over budget without a waiver.
 */
const env = benchEnv();
const database = await resolveDatabase({});
try {
  const results = await measureLockImpact(database.url, {
    budgetMs: env.BENCH_LOCK_BUDGET_MS,
    onStep: (text) => console.error(text),
    populate: async (url) => {
      const client = createDatabaseClient({ url, poolMax: 6, applicationName: "bench lock-impact seed" });
      try {
        await seedDatabase(client, { profile: env.BENCH_LOCK_PROFILE, mode: "refuse" });
      } finally {
        await client.close();
      }
    },
  });
  console.log(`profile ${env.BENCH_LOCK_PROFILE}, budget ${env.BENCH_LOCK_BUDGET_MS} ms, server ${database.description}`);
  for (const r of results) {
    const verdict = r.error ? `FAILED ${r.error}` : !r.overBudget ? "ok" : r.waiver ? `waived: ${r.waiver}` : "OVER BUDGET";
    console.log(`${r.migration.padEnd(45)} blocked ${String(r.maxBlockedMs).padStart(8)} ms  slowest write ${String(r.maxLatencyMs).padStart(8)} ms  ${verdict}`);
  }
  process.exitCode = results.some((r) => r.error || (r.overBudget && !r.waiver)) ? 1 : 0;
} finally {
  await database.release();
}
