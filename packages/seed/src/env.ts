import { ConfigError } from "@mmo/db";
import { z } from "zod";

/** Seeder settings from the environment, read and validated once (nothing else reads process.env). */
const schema = z.object({
  SEED_VALUE: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(42),
  SEED_CONCURRENCY: z.coerce.number().int().min(1).max(32).optional(),
  /** Pins the time anchor (ISO 8601) so a seed reproduces byte-identical data on another day. */
  SEED_ANCHOR: z.iso.datetime({ offset: true }).optional(),
  /** "auto" bypasses triggers when superuser; "triggers" always lets them maintain the counters. */
  SEED_TRIGGERS: z.enum(["auto", "triggers"]).default("auto"),
  /** maintenance_work_mem of each loading session: the sort memory of the index builds after a load. */
  SEED_INDEX_MEMORY: z.string().regex(/^[1-9][0-9]*(kB|MB|GB)$/, "expected a size such as 256MB or 1GB").default("512MB"),
});

export type SeedEnv = z.infer<typeof schema>;
let cached: SeedEnv | undefined;

export function seedEnv(): SeedEnv {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`invalid setting ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`);
    }
    cached = parsed.data;
  }
  return cached;
}
