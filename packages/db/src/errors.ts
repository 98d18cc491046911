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

/**
 * The database has not been migrated (schema `maint` is missing), so a maintenance command has
 * nothing to work on. The CLI exits 3 for the checks (validate; health reports the pending
 * migrations instead) and 1 for every other command.
 */
export class NotMigratedError extends DataLayerError {
  override name = "NotMigratedError";
  constructor(message = NOT_MIGRATED) {
    super(message);
  }
}

export const NOT_MIGRATED = "database is not migrated: run `mmo migrate deploy`";

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
