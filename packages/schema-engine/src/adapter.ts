import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { Datasource } from "./args.ts";
import { clientConfig, enginePool } from "./connection.ts";
import { teachAdapterCatalogTypes } from "./catalog-types.ts";
import { locateInScript } from "./errors.ts";

type PatchableAdapter = SqlDriverAdapter & {
  underlyingDriver(): pg.Pool;
  onError(error: unknown): never;
};

/**
 * `@prisma/adapter-pg` runs a migration script by splitting it on every `;`, which breaks function
 * bodies and DO blocks and leaves a half-applied migration when a later piece fails. Send the
 * whole script in one simple-query round trip instead: PostgreSQL runs it as one implicit
 * transaction, so a failing migration leaves nothing behind.
 */
/** The last database error a migration script raised; lets us report it as Prisma's P3018. */
export let lastScriptFailure: { code: string; message: string } | undefined;

function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  teachAdapterCatalogTypes(adapter);
  const patchable = adapter as PatchableAdapter;
  patchable.executeScript = async (script: string) => {
    try {
      await patchable.underlyingDriver().query(script);
    } catch (error) {
      const pgError = error as { message?: string; position?: string };
      const where = locateInScript(script, pgError.position);
      if (where && pgError.message) pgError.message = `${pgError.message}\n${where}`;
      lastScriptFailure = { code: String((error as { code?: string }).code ?? ""), message: `ERROR: ${pgError.message ?? String(error)}` };
      patchable.onError(error);
    }
  };
  return adapter;
}

/**
 * The driver-adapter factory the wasm engine talks to. It differs from PrismaPg in three ways:
 * one connection per database (see enginePool), whole-script execution, and a shadow database we
 * create, connect to and drop ourselves (PrismaPg's own shadow pool connects to the main database
 * when the config holds a connection string, and drops the shadow database while still connected).
 */
export class OfflineAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  private readonly shadowDatabases = new Set<string>();

  constructor(private readonly datasource: Datasource) {}

  async connect(): Promise<SqlDriverAdapter> {
    return runScriptsWhole(await new PrismaPg(enginePool(this.datasource.url), { disposeExternalPool: true }).connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.datasource.shadowDatabaseUrl) {
      return runScriptsWhole(await new PrismaPg(enginePool(this.datasource.shadowDatabaseUrl), { disposeExternalPool: true }).connect());
    }
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.withAdminClient((c) => c.query(`CREATE DATABASE "${name}"`));
    this.shadowDatabases.add(name);
    const adapter = runScriptsWhole(await new PrismaPg(enginePool(this.datasource.url, name), { disposeExternalPool: true }).connect());
    const release = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await release(); // end the pool first, or the drop finds the database in use
      await this.dropShadowDatabase(name);
    };
    return adapter;
  }

  /** Drops any shadow database still around (the engine was stopped before disposing it). */
  async dropLeftoverShadowDatabases(): Promise<void> {
    for (const name of [...this.shadowDatabases]) await this.dropShadowDatabase(name);
  }

  private async dropShadowDatabase(name: string): Promise<void> {
    await this.withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    this.shadowDatabases.delete(name);
  }

  private async withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client(clientConfig(this.datasource.url));
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}
