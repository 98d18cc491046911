import { ConfigError } from "@mmo/db";
import { z } from "zod";

/** Bench settings, validated once. */
const schema = z.object({
  /** Rows per shape (characters, character_inventory, combat_log) for the generator and raw COPY. */
  BENCH_ROWS: z.coerce.number().int().min(1_000).max(100_000_000).default(200_000),
  /** Rows per shape for Prisma createMany (a sample: it is far slower); its per-row rate is compared. */
  BENCH_PRISMA_ROWS: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  BENCH_PRISMA_BATCH: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Interleaved rounds of the COPY loaders; each reports its median round. */
  BENCH_ROUNDS: z.coerce.number().int().min(1).max(25).default(3),
  /** `pnpm --filter @mmo/bench lock-impact`: seed profile of the scratch database and the writer-blocking budget. */
  BENCH_LOCK_PROFILE: z.enum(["tiny", "dev", "staging", "prod"]).default("staging"),
  BENCH_LOCK_BUDGET_MS: z.coerce.number().int().min(1).max(600_000).default(200),
});

export function benchEnv(): z.infer<typeof schema> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) throw new ConfigError(`invalid setting ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
