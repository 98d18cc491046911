import type pg from "pg";
import { createCharacter, createGuilds, createUsers } from "./counters.ts";

export interface ArchiveFixture {
  owner: string;
  other: string;
  /** Soft-deleted 100+ days ago: must be archived. rich is the oldest, with every kind of dependent row. */
  expired: string[];
  rich: string;
  richName: string;
  /** Soft-deleted 80 days ago, and never deleted: must stay. */
  recent: string[];
  live: string;
  guild: string;
}

/**
 * 30 characters soft-deleted 100 days ago (one minute apart, so batches have a stable order), 5
 * soft-deleted 80 days ago, one live character; the oldest expired one has a row in every
 * dependent table, a guild membership, relationships both ways, mail both ways and a combat log row.
 */
export async function seedArchiveFixture(pool: pg.Pool): Promise<ArchiveFixture> {
  const [owner, other] = await createUsers(pool, 2, "arch");
  const live = await createCharacter(pool, other!, "Liveson");
  const [guild] = await createGuilds(pool, 1, "archguild", 50, live);
  const expired: string[] = [];
  for (let i = 0; i < 30; i++) expired.push(await createCharacter(pool, owner!, `Expired${i}`));
  const recent: string[] = [];
  for (let i = 0; i < 5; i++) recent.push(await createCharacter(pool, owner!, `Recent${i}`));
  const rich = expired[0]!;

  const dependents: [string, unknown[]][] = [
    [`INSERT INTO "character_stats" ("character_id", "strength") VALUES ($1, 17)`, [rich]],
    [`INSERT INTO "character_inventory" ("character_id", "slot_type", "slot_number", "item_id") VALUES ($1, 'bag', 0, 501), ($1, 'equipment', 1, 502)`, [rich]],
    [`INSERT INTO "character_abilities" ("character_id", "ability_id") VALUES ($1, 7)`, [rich]],
    [`INSERT INTO "character_quests" ("character_id", "quest_id") VALUES ($1, 9)`, [rich]],
    [`INSERT INTO "character_achievements" ("character_id", "achievement_id") VALUES ($1, 11)`, [rich]],
    [`INSERT INTO "guild_members" ("guild_id", "character_id") VALUES ($2, $1), ($2, $3)`, [rich, guild, live]],
    [`INSERT INTO "character_effects" ("character_id", "effect_id", "expires_at") VALUES ($1, 3, now() + interval '1 day')`, [rich]],
    [`INSERT INTO "player_presence" ("character_id", "server_id", "instance_id", "connection_id", "ip_address") VALUES ($1, 's', 'i', 'c-rich', '10.0.0.9')`, [rich]],
    [`INSERT INTO "character_relationships" ("character_id", "related_character_id", "relationship_type") VALUES ($1, $2, 'friend'), ($2, $1, 'blocked')`, [rich, live]],
    [`INSERT INTO "character_mail" ("recipient_id", "sender_id", "sender_name", "subject") VALUES ($1, $2, 'Liveson', 'to rich'), ($2, $1, 'Expired0', 'from rich')`, [rich, live]],
    [`INSERT INTO "combat_log" ("source_id", "action_type", "zone_id", "instance_id") VALUES ($1, 'hit', 1, 'i')`, [rich]],
    [`UPDATE "characters" SET "is_deleted" = true, "deleted_at" = now() - interval '100 days' - make_interval(mins => (30 - i)::int)
      FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, i) WHERE "characters"."id" = x.id`, [expired]],
    [`UPDATE "characters" SET "is_deleted" = true, "deleted_at" = now() - interval '80 days' WHERE "id" = ANY ($1::uuid[])`, [recent]],
  ];
  for (const [sql, values] of dependents) await pool.query(sql, values);
  return { owner: owner!, other: other!, expired, rich, richName: "Expired0", recent, live, guild: guild! };
}

/** How many of the ids are in characters, in characters_archive, and in both (must be 0). */
export async function whereAre(pool: pg.Pool, ids: string[]): Promise<{ live: number; archived: number; both: number }> {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM "characters" WHERE "id" = ANY ($1::uuid[])) AS live,
            (SELECT count(*)::int FROM "characters_archive" WHERE "id" = ANY ($1::uuid[])) AS archived,
            (SELECT count(*)::int FROM "characters" c JOIN "characters_archive" a USING ("id") WHERE c."id" = ANY ($1::uuid[])) AS both`,
    [ids],
  );
  return rows[0];
}
