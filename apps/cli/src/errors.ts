import { CommanderError } from "commander";
import { ConfigError, DataLayerError, MissingCapabilityError, NOT_MIGRATED, NotMigratedError, redactSecrets, UsageError } from "@mmo/db";
import { EXIT, type ExitCode } from "./exit-codes.ts";

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * SQLSTATEs that mean "your input was wrong": our maintenance functions raise 22023 for an unknown
 * table or bad argument; PostgreSQL raises the others for a malformed interval, number or name.
 */
const USAGE_SQLSTATES = new Set(["22023", "22007", "22008", "22P02", "42704", "3F000"]);

export interface MappedError {
  exitCode: ExitCode;
  message: string;
}

/** The one place errors become an exit code and a one-line message. */
export function mapError(error: unknown): MappedError {
  if (error instanceof CommanderError) return { exitCode: EXIT.USAGE, message: error.message.replace(/^error:\s*/i, "") };
  if (error instanceof UsageError || error instanceof ConfigError) return { exitCode: EXIT.USAGE, message: error.message };
  if (error instanceof MissingCapabilityError) return { exitCode: EXIT.FAILED, message: error.message };
  // validate turns this into exit 3 itself; for the other commands an unmigrated database is a failure, not bad usage.
  if (error instanceof NotMigratedError) return { exitCode: EXIT.FAILED, message: error.message };
  const e = error as { code?: string; message?: string; address?: string; port?: number };
  if (e?.code && UNREACHABLE.has(e.code)) {
    const where = e.address ? ` at ${e.address}${e.port ? `:${e.port}` : ""}` : "";
    return { exitCode: EXIT.FAILED, message: `cannot reach the database server${where} (${e.code})` };
  }
  if (e?.code === "28P01" || e?.code === "28000") return { exitCode: EXIT.FAILED, message: "the database server rejected the credentials" };
  if (e?.code === "3D000") return { exitCode: EXIT.FAILED, message: redactSecrets(e.message ?? "database does not exist") };
  // 3F000 is bad usage for a schema the user named, but schema maint is ours: the migrations never ran.
  if (e?.code === "3F000" && /schema "maint" does not exist/.test(e.message ?? "")) return { exitCode: EXIT.FAILED, message: NOT_MIGRATED };
  if (e?.code && USAGE_SQLSTATES.has(e.code)) return { exitCode: EXIT.USAGE, message: redactSecrets(e.message ?? String(error)) };
  if (error instanceof DataLayerError) return { exitCode: EXIT.FAILED, message: redactSecrets(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.FAILED, message: redactSecrets(message) };
}
