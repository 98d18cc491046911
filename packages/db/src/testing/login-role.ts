import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestDatabase } from "./database.ts";

/** A LOGIN member of one of the documented group roles, connected to the test database as itself. */
export interface LoginRole {
  name: string;
  url: string;
  client: pg.Client;
  /** Ends the connection, drops what the role owns in this database and the role itself. */
  drop(): Promise<void>;
}

export async function loginAs(db: TestDatabase, group: "mmo_migrator" | "mmo_app" | "mmo_readonly"): Promise<LoginRole> {
  // Roles are cluster-wide and test files run in parallel: a random name each.
  const name = `zz_${group}_${randomBytes(4).toString("hex")}`;
  // A password too: servers that require one (the embedded server uses scram) as well as trust.
  const password = randomBytes(12).toString("hex");
  await db.pool.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}' IN ROLE ${group}`);
  const url = new URL(db.url);
  url.username = name;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    name,
    url: url.toString(),
    client,
    async drop() {
      await client.end().catch(() => undefined);
      await db.pool.query(`REASSIGN OWNED BY ${name} TO CURRENT_USER`);
      await db.pool.query(`DROP OWNED BY ${name}`);
      await db.pool.query(`DROP ROLE ${name}`);
    },
  };
}
