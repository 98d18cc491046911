import { redact } from "./log.ts";

export interface RpcError {
  code: number;
  message: string;
  data?: { is_panic: boolean; message: string; error_code?: string; meta?: unknown };
}

/** JSON-RPC code the native engine uses for every application error. */
const ENGINE_ERROR = 4466;

/**
 * Turns what the wasm engine throws into the native engine's error response, so the CLI shows a
 * known error's code and message (P3006, P3009, P3018, …) and a panic as a panic.
 */
export function toRpcError(error: unknown, panicMessage: string, secrets: (string | undefined)[]): RpcError {
  const structured = parseStructured(error);
  if (structured) {
    const message = redact(stripSpanTrace(structured.message), ...secrets);
    const data: NonNullable<RpcError["data"]> = { is_panic: structured.is_panic, message };
    if (structured.error_code) data.error_code = structured.error_code;
    if (structured.meta !== undefined) data.meta = structured.meta;
    return { code: ENGINE_ERROR, message: "An error happened. Check the data field for details.", data };
  }
  if (error instanceof Error && error.name === "SchemaConnectorError") {
    // An engine error with no Prisma code: show its message, not as a crash.
    const text = redact(stripSpanTrace(error.message), ...secrets);
    return { code: ENGINE_ERROR, message: text, data: { is_panic: false, message: text } };
  }
  const text = redact(panicMessage || (error instanceof Error ? error.message : String(error)), ...secrets);
  return { code: ENGINE_ERROR, message: text, data: { is_panic: true, message: text } };
}

/** The wasm build appends a tracing span list ("   0: module::fn\n      at file.rs:1") to messages. */
function stripSpanTrace(message: string): string {
  const at = message.search(/\n\s+0: /);
  return at === -1 ? message : message.slice(0, at);
}

/**
 * The native engine reports a migration whose SQL fails as P3018 with the migration's name and the
 * database error; the wasm build reports a bare connector error. Rebuild P3018 from the span trace
 * (which names the migration) and the database error our adapter saw.
 */
export function migrationFailure(error: unknown, dbError: { code: string; message: string } | undefined): StructuredError | undefined {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== undefined || !dbError) return undefined;
  const migrationName = /migration_name="([^"]+)"/.exec(error.message)?.[1];
  if (!migrationName) return undefined;
  const message = [
    "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve",
    "",
    `Migration name: ${migrationName}`,
    "",
    `Database error code: ${dbError.code}`,
    "",
    "Database error:",
    dbError.message,
    "",
  ].join("\n");
  return {
    is_panic: false,
    message,
    error_code: "P3018",
    meta: { migration_name: migrationName, database_error_code: dbError.code, database_error: dbError.message },
  };
}

interface StructuredError { is_panic: boolean; message: string; error_code?: string; meta?: unknown }

function parseStructured(error: unknown): StructuredError | undefined {
  const candidates: unknown[] = [error];
  if (error instanceof Error) {
    candidates.push((error as Error & { cause?: unknown }).cause);
    try {
      candidates.push(JSON.parse(error.message));
    } catch {
      /* not JSON */
    }
  }
  if (typeof error === "string") {
    try {
      candidates.push(JSON.parse(error));
    } catch {
      /* not JSON */
    }
  }
  for (const c of candidates) {
    const e = c as Partial<StructuredError> | null | undefined;
    if (e && typeof e === "object" && typeof e.message === "string" && (e.error_code !== undefined || e.is_panic !== undefined)) {
      return { is_panic: Boolean(e.is_panic), message: e.message, error_code: e.error_code ?? undefined, meta: e.meta };
    }
    // The wasm build marks a known (user-facing) error with `code` (e.g. P3009), as Prisma 6 read it.
    const known = c as { code?: unknown; message?: unknown; meta?: unknown } | null | undefined;
    if (known && typeof known === "object" && typeof known.code === "string" && /^P\d{4}$/.test(known.code) && typeof known.message === "string") {
      return { is_panic: false, message: known.message, error_code: known.code, meta: known.meta };
    }
  }
  return undefined;
}
