/** Errors the data layer raises on purpose; the CLI maps them to exit codes (README "Exit codes"). */
export class DataLayerError extends Error {
  override name = "DataLayerError";
}

/** The caller asked for something invalid (unknown table, malformed interval, …). */
export class UsageError extends DataLayerError {
  override name = "UsageError";
}

/** The database or server lacks something (pg_cron, pg_stat_statements, pg_dump, …). */
export class MissingCapabilityError extends DataLayerError {
  override name = "MissingCapabilityError";
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
