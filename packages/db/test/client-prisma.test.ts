import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseClient, isRetryable, withPrismaTransaction, type Prisma } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing/index.ts";

/** What a service developer gets around Prisma: events, retried transactions, a clean shutdown. */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Two SERIALIZABLE transactions that both read users, then both insert: one must fail with 40001. */
function conflictingPair(run: (email: string, bothRead: () => Promise<void>) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  let reads = 0;
  const bothRead = async () => {
    reads++;
    while (reads < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return Promise.allSettled([run("first@example.com", bothRead), run("second@example.com", bothRead)]);
}

describe("withPrismaTransaction", () => {
  it("retries a serialization failure until both transactions commit", async () => {
    await db.pool.query("TRUNCATE users CASCADE");
    let attempts = 0;
    const results = await conflictingPair((email, bothRead) => {
      let mine = 0;
      return withPrismaTransaction(
        db.prisma,
        async (tx) => {
          attempts++;
          await tx.user.count();
          // Only each one's first try meets the other: a retry runs alone and commits.
          if (++mine === 1) await bothRead();
          await tx.user.create({ data: { email, password_hash: "x" } });
        },
        { isolationLevel: "Serializable" },
      );
    });
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(attempts).toBeGreaterThan(2);
    expect(await db.prisma.user.count()).toBe(2);
  });

  it("plain $transaction shows what it saves the caller from: one of the pair fails with 40001", async () => {
    await db.pool.query("TRUNCATE users CASCADE");
    const results = await conflictingPair((email, bothRead) =>
      db.prisma.$transaction(
        async (tx) => {
          await tx.user.count();
          await bothRead();
          await tx.user.create({ data: { email, password_hash: "x" } });
        },
        { isolationLevel: "Serializable" },
      ),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures).toHaveLength(1);
    expect(isRetryable(failures[0]!.reason)).toBe(true);
  });

  it("does not retry other errors (a duplicate email), and rethrows them", async () => {
    await db.pool.query("TRUNCATE users CASCADE");
    await db.prisma.user.create({ data: { email: "taken@example.com", password_hash: "x" } });
    let attempts = 0;
    const failure = await withPrismaTransaction(db.prisma, async (tx) => {
      attempts++;
      await tx.user.create({ data: { email: "taken@example.com", password_hash: "x" } });
    }).catch((error: unknown) => error);
    expect(attempts).toBe(1);
    expect(isRetryable(failure)).toBe(false);
    expect((failure as { code?: string }).code).toBe("P2002");
  });
});

describe("createDatabaseClient events", () => {
  it("delivers Prisma's query events to the handler given", async () => {
    const queries: Prisma.QueryEvent[] = [];
    const client = createDatabaseClient({ url: db.url, events: { query: (event) => queries.push(event) } });
    try {
      await client.prisma.user.count();
      expect(queries.some((q) => q.query.includes('"users"'))).toBe(true);
      expect(typeof queries[0]!.duration).toBe("number");
    } finally {
      await client.close();
    }
  });
});

describe("the default client's shutdown", () => {
  it("closes on SIGTERM and exits 143 through process.exit, so the host's exit handlers run", async () => {
    const index = fileURLToPath(new URL("../src/index.ts", import.meta.url));
    const script = `
      import { db } from ${JSON.stringify(index)};
      await db().pool.query("SELECT 1");
      process.on("exit", (code) => process.stdout.write("exit handler ran with " + code));
      setInterval(() => undefined, 1000);
      process.kill(process.pid, "SIGTERM");
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
    expect({ code, signal, stdout }, stderr).toEqual({ code: 143, signal: null, stdout: "exit handler ran with 143" });
  });
});
