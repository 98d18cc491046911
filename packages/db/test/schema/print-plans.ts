/**
 * Prints the EXPLAIN of the hot queries on the same data plans.test.ts uses, for quoting.
 *
 *   cd packages/db && pnpm exec tsx test/schema/print-plans.ts            # embedded PostgreSQL 18
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres pnpm exec tsx test/schema/print-plans.ts
 *
 * Extra SQL statements given as arguments are explained too (no parameters).
 * It clones the migrated template into a scratch database and drops it at the end.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabaseClient } from "../../src/client.ts";
import { adminQuery, dropDatabase } from "../../src/testing/database.ts";
import { startTestServer } from "../../src/testing/server.ts";
import { withDatabase } from "../../src/url.ts";
import { explain, HOT_QUERIES, loadPlanData, planNodes, rootIndexes } from "./helpers/plans.ts";

const { server, stop } = await startTestServer();
const name = `mmo_t_plans_${randomBytes(4).toString("hex")}`;
await adminQuery(server.adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(server.templateDatabase)}`);
const client = createDatabaseClient({ url: withDatabase(server.adminUrl, name), poolMax: 4, applicationName: "mmo print-plans" });
try {
  const version = (await client.pool.query("SELECT current_setting('server_version') AS v")).rows[0].v;
  console.log(`PostgreSQL ${version}; loading data…`);
  await loadPlanData(client.pool);
  const extra = process.argv.slice(2).map((sql, i) => ({ name: `extra ${i + 1}`, sql, params: async () => [] as unknown[] }));
  for (const q of [...HOT_QUERIES, ...extra]) {
    const params = await q.params(client.pool);
    const nodes = planNodes(await explain(client.pool, q.sql, params));
    const indexes = [...new Set(nodes.map((n) => n.index).filter((i): i is string => Boolean(i)))];
    const relations = [...new Set(nodes.map((n) => n.relation).filter(Boolean))];
    console.log(`\n## ${q.name}\n${q.sql.replace(/\s+/g, " ")}`);
    console.log(`params: ${JSON.stringify(params)}`);
    console.log(`indexes: ${indexes.join(", ") || "(none)"}  (parent: ${(await rootIndexes(client.pool, indexes)).join(", ")})`);
    console.log(`relations scanned: ${relations.join(", ")}`);
    console.log(await explain(client.pool, q.sql, params, "TEXT"));
  }
} finally {
  await client.close();
  await dropDatabase(server.adminUrl, name);
  await stop();
}
