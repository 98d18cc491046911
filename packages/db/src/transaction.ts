import type pg from "pg";

export type IsolationLevel = "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** Retries on serialization failure / deadlock (SQLSTATE 40001, 40P01). */
  retries?: number;
}

const RETRYABLE = new Set(["40001", "40P01"]);

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT on success, ROLLBACK on any
 * error, retried when PostgreSQL asks the client to (serialization failures, deadlocks).
 * For Prisma-level work use `prisma.$transaction`; this is for raw SQL sharing the same pool.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = 1 + (options.retries ?? 2);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation}` : "BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
    } finally {
      client.release();
    }
  }
}
