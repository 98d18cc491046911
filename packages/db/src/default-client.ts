import { createDatabaseClient, type DatabaseClient } from "./client.ts";
import { dbEnv } from "./env.ts";
import { DataLayerError } from "./errors.ts";

let instance: DatabaseClient | undefined;
let hooksInstalled = false;

/**
 * The process-wide client apps use: created on first use from DATABASE_URL, closed gracefully on
 * SIGINT/SIGTERM so in-flight queries finish and connections are returned to the server.
 */
export function db(): DatabaseClient {
  if (!instance) {
    const url = dbEnv().DATABASE_URL;
    if (!url) throw new DataLayerError("DATABASE_URL is not set");
    instance = createDatabaseClient({ url });
    installShutdownHooks();
  }
  return instance;
}

/** Uses an already created client as the process default (the CLI, after resolving its database). */
export function setDefaultDatabaseClient(client: DatabaseClient): void {
  instance = client;
  installShutdownHooks();
}

export async function closeDefaultDatabaseClient(): Promise<void> {
  const current = instance;
  instance = undefined;
  await current?.close();
}

function installShutdownHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void closeDefaultDatabaseClient().finally(() => process.kill(process.pid, signal));
    });
  }
}
