import { z } from "zod";

/**
 * Every setting of the data layer, read and validated once. Nothing else in packages/db reads
 * process.env directly.
 */
const schema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(0),
  DB_IDLE_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  MMO_EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  MMO_EMBEDDED_PG_DIR: z.string().min(1).optional(),
  /** Where test databases live; defaults to DATABASE_URL, then the embedded server. */
  TEST_DATABASE_URL: z.string().min(1).optional(),
});

export type DbEnv = z.infer<typeof schema>;

let cached: DbEnv | undefined;

export function dbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  if (source !== process.env) return parse(source);
  cached ??= parse(source);
  return cached;
}

function parse(source: NodeJS.ProcessEnv): DbEnv {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`invalid setting ${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}
