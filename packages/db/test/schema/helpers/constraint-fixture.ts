import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { insertRow } from "./sql.ts";

/**
 * One valid row in every table, so that uniqueness and primary-key cases have something to
 * collide with, and foreign-key-valid parents for the rows the cases insert.
 */
export interface Fixture {
  user: string;
  email: string;
  tokenHash: Buffer;
  session: string;
  char: string;
  charName: string;
  char2: string;
  inventoryId: string;
  connectionId: string;
  worldState: string;
  effectId: string;
  guild: string;
  guildName: string;
  guildTag: string;
  mailId: string;
  archivedId: string;
  /** id and timestamp of the row in each partitioned table. */
  logId: string;
  ts: string;
}

export async function seedFixture(client: pg.ClientBase): Promise<Fixture> {
  const f: Fixture = {
    user: randomUUID(), email: "Fixture.User@Example.test", tokenHash: randomBytes(32), session: randomUUID(),
    char: randomUUID(), charName: "Fixturia", char2: randomUUID(), inventoryId: randomUUID(),
    connectionId: "conn-fixture", worldState: randomUUID(), effectId: randomUUID(), guild: randomUUID(),
    guildName: "Fixture Guild", guildTag: "FIX", mailId: randomUUID(), archivedId: randomUUID(),
    logId: randomUUID(), ts: new Date().toISOString(),
  };
  const future = new Date(Date.now() + 86_400_000).toISOString();
  const rows: [string, Record<string, unknown>][] = [
    ["users", { id: f.user, email: f.email, password_hash: "h" }],
    ["sessions", { id: f.session, user_id: f.user, token_hash: f.tokenHash, expires_at: future }],
    ["characters", { id: f.char, user_id: f.user, name: f.charName, class: "warrior", race: "human" }],
    ["characters", { id: f.char2, user_id: f.user, name: "Fixturia Two", class: "mage", race: "elf" }],
    ["character_stats", { character_id: f.char }],
    ["character_inventory", { id: f.inventoryId, character_id: f.char, slot_type: "bag", slot_number: 0, item_id: 1 }],
    ["player_presence", { character_id: f.char, server_id: "s1", instance_id: "i1", connection_id: f.connectionId, ip_address: "10.0.0.1" }],
    ["world_state", { id: f.worldState, zone_id: 1, instance_id: "i1", state_type: "weather", state_data: "{}" }],
    ["character_abilities", { character_id: f.char, ability_id: 1 }],
    ["character_effects", { id: f.effectId, character_id: f.char, effect_id: 1, expires_at: future }],
    ["guilds", { id: f.guild, name: f.guildName, tag: f.guildTag, created_by: f.char }],
    ["guild_members", { guild_id: f.guild, character_id: f.char }],
    ["character_quests", { character_id: f.char, quest_id: 1 }],
    ["character_achievements", { character_id: f.char, achievement_id: 1 }],
    ["character_relationships", { character_id: f.char, related_character_id: f.char2, relationship_type: "friend" }],
    ["character_mail", { id: f.mailId, recipient_id: f.char, sender_name: "npc", subject: "hi" }],
    ["characters_archive", archiveRow(f, { id: f.archivedId })],
    ["character_positions", { character_id: f.char, timestamp: f.ts, position_x: 0, position_y: 0, position_z: 0, rotation_yaw: 0, zone_id: 1, instance_id: "i1" }],
    ["combat_log", { id: f.logId, timestamp: f.ts, action_type: "hit", zone_id: 1, instance_id: "i1" }],
    ["analytics_events", { id: f.logId, timestamp: f.ts, event_type: "login", event_data: "{}" }],
    ["audit_log", { id: f.logId, timestamp: f.ts, action: "a", resource_type: "r" }],
    ["performance_metrics", { timestamp: f.ts, server_id: "s1", metric_type: "cpu", metric_value: 1 }],
    ["maint.job_runs", { job_name: "mmo-ensure-partitions", status: "succeeded", last_started_at: f.ts }],
  ];
  for (const [table, row] of rows) {
    const { text, values } = insertRow(table, row);
    await client.query(text, values);
  }
  return f;
}

/** A complete characters_archive row (it has no defaults but archived_at and snapshot). */
export function archiveRow(f: Fixture, over: Record<string, unknown> = {}): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), user_id: f.user, name: f.charName, class: "warrior", race: "human", level: 1, experience: 0,
    health: 100, max_health: 100, mana: 100, max_mana: 100, stamina: 100, max_stamina: 100,
    position_x: 0, position_y: 0, position_z: 0, rotation_yaw: 0, zone_id: 1, is_online: false,
    last_played: now, play_time: "0", is_deleted: true, deleted_at: now, created_at: now, updated_at: now,
    ...over,
  };
}
