import type { PrismaClient } from "./generated/prisma/client.ts";

type InteractiveTransaction = Parameters<PrismaClient["$transaction"]>[0] extends infer T ? (T extends (tx: infer Tx) => Promise<unknown> ? Tx : never) : never;

export interface PrismaTransactionOptions {
  isolationLevel?: "ReadCommitted" | "RepeatableRead" | "Serializable";
  /** Further attempts after a serialization failure or deadlock (SQLSTATE 40001 / 40P01); default 3. */
  retries?: number;
  /** First backoff in ms, doubled each attempt, with full jitter (a random wait up to it); default 20. */
  backoffMs?: number;
  /** Prisma's own bounds: wait for a connection, and the transaction's duration. */
  maxWait?: number;
  timeout?: number;
}

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);

/**
 * `prisma.$transaction(fn)` retried, like `withTransaction` for raw SQL, when PostgreSQL asks the
 * client to retry: a serialization failure (40001) or a deadlock (40P01). Prisma reports both as
 * P2034; through the pg adapter the SQLSTATE also travels in the error's cause. The whole callback
 * runs again, so it must not have effects outside the database that cannot be repeated.
 */
export async function withPrismaTransaction<T>(prisma: PrismaClient, work: (tx: InteractiveTransaction) => Promise<T>, options: PrismaTransactionOptions = {}): Promise<T> {
  const attempts = 1 + (options.retries ?? 3);
  const backoff = options.backoffMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction((tx) => work(tx as InteractiveTransaction), {
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
        ...(options.maxWait !== undefined ? { maxWait: options.maxWait } : {}),
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      });
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoff * 2 ** (attempt - 1)));
    }
  }
}

/** P2034, or a 40001/40P01 anywhere in the error's chain of causes (adapter errors carry it there). */
export function isRetryable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const fields = e as { code?: unknown; originalCode?: unknown; meta?: { code?: unknown } };
    if (fields.code === "P2034") return true;
    for (const code of [fields.code, fields.originalCode, fields.meta?.code]) {
      if (typeof code === "string" && RETRYABLE_SQLSTATES.has(code)) return true;
    }
  }
  return false;
}
