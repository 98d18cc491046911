import { constants } from "node:os";
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

/**
 * Uses an already created client as the process default (the CLI, after resolving its database).
 * Its owner closes it: no signal hooks are installed, so the owner's own handlers (a `maintain`
 * loop stopping between rounds) stay in charge.
 */
export function setDefaultDatabaseClient(client: DatabaseClient): void {
  instance = client;
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
      // When nobody else handles the signal, exit as the signal would (128 + its number), but through
      // process.exit, so the host's own "exit" handlers still run; re-raising it would kill the
      // process before them. A host with its own handler decides when to exit.
      void closeDefaultDatabaseClient().finally(() => {
        if (process.listenerCount(signal) === 0) process.exit(128 + constants.signals[signal]);
      });
    });
  }
}
