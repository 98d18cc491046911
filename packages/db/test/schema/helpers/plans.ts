import type pg from "pg";

/**
 * Data big enough for the planner to prefer indexes (tens of thousands of rows, loaded with
 * INSERT … SELECT generate_series in a few seconds), the hot queries, and an EXPLAIN walker.
 * Shared by plans.test.ts and print-plans.ts.
 */
export async function loadPlanData(pool: pg.Pool): Promise<void> {
  const steps = [
    `INSERT INTO "users" ("email", "password_hash") SELECT 'plan' || g || '@example.test', 'h' FROM generate_series(1, 20000) g`,
    // 3 characters per user; 50 zones; 2 % online; 10 % soft-deleted.
    `INSERT INTO "characters" ("user_id", "name", "class", "race", "level", "zone_id", "is_online", "is_deleted", "deleted_at")
     SELECT u."id", 'plan_c' || u.n || '_' || k, (ARRAY['warrior', 'mage', 'rogue'])[k], 'human', 1 + (u.n * k) % 60,
            1 + (u.n * 3 + k) % 50, (u.n * 3 + k) % 50 = 0, k = 3 AND u.n % 3 = 0, CASE WHEN k = 3 AND u.n % 3 = 0 THEN now() END
     FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS n FROM "users") u CROSS JOIN generate_series(1, 3) k`,
    // 100k mails, 10 % unread, over 30 days.
    `INSERT INTO "character_mail" ("recipient_id", "sender_name", "subject", "is_read", "sent_at")
     SELECT c."id", 'npc', 'mail ' || g, g % 10 <> 0, now() - (g % 43200) * interval '1 minute'
     FROM generate_series(1, 100000) g
     JOIN (SELECT "id", row_number() OVER (ORDER BY "id") - 1 AS n FROM "characters") c ON c.n = g % 60000`,
    // Partitions for the two previous months too, then 30k combat rows in each of the three months.
    `SELECT count(*) FROM maint.ensure_partitions('combat_log', now() - interval '2 months')`,
    `SELECT count(*) FROM maint.ensure_partitions('combat_log')`,
    `INSERT INTO "combat_log" ("timestamp", "source_id", "target_id", "action_type", "amount", "zone_id", "instance_id")
     SELECT now() - (g % 3) * interval '1 month' - (random() * least(extract(epoch FROM now() - date_trunc('month', now(), 'UTC')), 2419200)) * interval '1 second',
            ('00000000-0000-0000-0000-' || lpad((g % 2000)::text, 12, '0'))::uuid, gen_random_uuid(), 'hit', g % 500, 1 + g % 50, 'i1'
     FROM generate_series(1, 90000) g`,
    // 20k guilds with one member each (through the trigger), varied level and experience.
    `INSERT INTO "guilds" ("name", "tag", "level", "experience", "created_by")
     SELECT 'plan_g' || g, 'P' || g, 1 + g % 50, (g * 7919) % 100000, gen_random_uuid() FROM generate_series(1, 20000) g`,
    `INSERT INTO "guild_members" ("guild_id", "character_id")
     SELECT g."id", c."id" FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS n FROM "guilds") g
     JOIN (SELECT "id", row_number() OVER (ORDER BY "id") AS n FROM "characters") c USING (n)`,
    `SELECT count(*) FROM maint.refresh_rankings()`,
    // VACUUM as autovacuum would have by now: it sets the visibility map, without which no
    // index-only scan is worth planning (the covering index would still read the heap).
    `VACUUM (ANALYZE)`,
  ];
  for (const sql of steps) await pool.query(sql);
}

export interface HotQuery {
  name: string;
  sql: string;
  /** Parameters, drawn from the loaded data. */
  params: (pool: pg.Pool) => Promise<unknown[]>;
  /** The index the plan must use (for combat_log: the parent index, each partition has its own). */
  index: string;
  /** The scan the plan must contain, when the index exists for it (a covering index). */
  scan?: string;
}

const one = async (pool: pg.Pool, sql: string) => Object.values((await pool.query(sql)).rows[0] as object)[0];
export const LAST_HOUR_SOURCE = "00000000-0000-0000-0000-000000000042";

export const HOT_QUERIES: HotQuery[] = [
  {
    // The character-select screen: the id is what the player picks. idx_characters_user_lookup
    // is documented as the covering index for it (index-only scans).
    name: "a user's characters",
    sql: `SELECT "id", "name", "level", "class", "is_online" FROM "characters" WHERE "user_id" = $1 AND "is_deleted" = false`,
    params: async (pool) => [await one(pool, `SELECT "user_id" FROM "characters" ORDER BY "name" LIMIT 1`)],
    index: "idx_characters_user_lookup",
    scan: "Index Only Scan",
  },
  {
    name: "online characters in a zone",
    sql: `SELECT "id", "name", "level" FROM "characters" WHERE "zone_id" = $1 AND "is_online" = true AND "is_deleted" = false`,
    params: async () => [7],
    index: "idx_characters_zone_id",
  },
  {
    name: "unread mail",
    sql: `SELECT "id", "subject", "sender_name", "sent_at" FROM "character_mail"
          WHERE "recipient_id" = $1 AND "is_read" = false AND "is_deleted" = false ORDER BY "sent_at" DESC LIMIT 50`,
    params: async (pool) => [await one(pool, `SELECT "recipient_id" FROM "character_mail" WHERE NOT "is_read" LIMIT 1`)],
    index: "idx_mail_unread",
  },
  {
    name: "a character's combat log in the last hour",
    sql: `SELECT "timestamp", "action_type", "amount", "target_id" FROM "combat_log"
          WHERE "source_id" = $1 AND "timestamp" >= $2 AND "timestamp" < $3 ORDER BY "timestamp" DESC`,
    params: async () => [LAST_HOUR_SOURCE, new Date(Date.now() - 3_600_000), new Date()],
    index: "idx_combat_log_source",
  },
  {
    name: "a page of guild rankings",
    sql: `SELECT "id", "name", "tag", "level", "rank" FROM "guild_rankings" ORDER BY "rank" LIMIT 50 OFFSET $1`,
    params: async () => [100],
    index: "idx_guild_rankings_rank",
  },
];

export interface PlanNode {
  type: string;
  relation?: string;
  index?: string;
}

/** EXPLAIN (FORMAT JSON) of the query with its parameters (a custom plan: the values are known). */
export async function explain(pool: pg.Pool, sql: string, params: unknown[], format: "JSON" | "TEXT" = "JSON"): Promise<unknown> {
  const { rows } = await pool.query(`EXPLAIN (FORMAT ${format}) ${sql}`, params);
  return format === "JSON" ? (rows[0]["QUERY PLAN"] as { Plan: unknown }[])[0]!.Plan : rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/** Every node of the plan tree, depth first. */
export function planNodes(plan: unknown): PlanNode[] {
  const node = plan as Record<string, unknown>;
  const self: PlanNode = { type: String(node["Node Type"]) };
  if (node["Relation Name"]) self.relation = String(node["Relation Name"]);
  if (node["Index Name"]) self.index = String(node["Index Name"]);
  return [self, ...((node.Plans as unknown[] | undefined) ?? []).flatMap(planNodes)];
}

/** For each index name in the plan, the partitioned (parent) index it belongs to, or itself. */
export async function rootIndexes(pool: pg.Pool, names: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ root: string }>(
    `SELECT DISTINCT coalesce((SELECT a.relid::regclass::text FROM pg_partition_ancestors(i::regclass) a
                                WHERE NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = a.relid)), i) AS root
     FROM unnest($1::text[]) AS i`,
    [names],
  );
  return rows.map((r) => r.root).sort();
}
