import { randomBytes, randomUUID } from "node:crypto";
import { archiveRow, type Fixture } from "./constraint-fixture.ts";

type Row = Record<string, unknown>;

let serial = 0;
const n = () => ++serial;
const future = () => new Date(Date.now() + 86_400_000).toISOString();

/**
 * A fresh row for each table that violates nothing by itself (a case then changes one column).
 * "base rows are valid" in constraints.test.ts checks that, so each case's failure is its own.
 */
export const baseRows: Record<string, (f: Fixture) => Row> = {
  users: () => ({ email: `u${n()}@example.test`, password_hash: "h" }),
  sessions: (f) => ({ user_id: f.user, token_hash: randomBytes(32), expires_at: future() }),
  characters: (f) => ({ user_id: f.user, name: `Char${n()}`, class: "warrior", race: "human" }),
  character_stats: (f) => ({ character_id: f.char2 }),
  character_inventory: (f) => ({ character_id: f.char, slot_type: "bag", slot_number: n(), item_id: 1 }),
  player_presence: (f) => ({ character_id: f.char2, server_id: "s1", instance_id: "i1", connection_id: `conn${n()}`, ip_address: "10.0.0.2" }),
  world_state: () => ({ zone_id: 1, instance_id: "i1", state_type: "weather", state_data: "{}" }),
  character_abilities: (f) => ({ character_id: f.char, ability_id: 1000 + n() }),
  character_effects: (f) => ({ character_id: f.char, effect_id: 1, expires_at: future() }),
  guilds: (f) => ({ name: `Guild${n()}`, tag: `T${n()}`, created_by: f.char }),
  guild_members: (f) => ({ guild_id: f.guild, character_id: f.char2 }),
  character_quests: (f) => ({ character_id: f.char, quest_id: 1000 + n() }),
  character_achievements: (f) => ({ character_id: f.char, achievement_id: 1000 + n() }),
  character_relationships: (f) => ({ character_id: f.char2, related_character_id: f.char, relationship_type: "friend" }),
  character_mail: (f) => ({ recipient_id: f.char, sender_id: f.char2, sender_name: "Fixturia Two", subject: "hi" }),
  characters_archive: (f) => archiveRow(f),
  character_positions: (f) => ({ character_id: f.char2, timestamp: f.ts, position_x: 0, position_y: 0, position_z: 0, rotation_yaw: 0, zone_id: 1, instance_id: "i1" }),
  combat_log: (f) => ({ timestamp: f.ts, action_type: "hit", zone_id: 1, instance_id: "i1" }),
  analytics_events: (f) => ({ timestamp: f.ts, event_type: "login", event_data: "{}" }),
  audit_log: (f) => ({ timestamp: f.ts, action: "a", resource_type: "r" }),
  performance_metrics: (f) => ({ timestamp: f.ts, server_id: `s${n()}`, metric_type: "cpu" }),
  "maint.partition_policy": () => ({ table_name: `zz_t${n()}`, granularity: "day", premake: 1 }),
  "maint.cron_jobs": () => ({ job_name: `zz-job-${n()}`, schedule: "* * * * *", command: "SELECT maint.expire_mail()", description: "t" }),
  "maint.job_functions": () => ({ function_name: `zz_fn_${n()}` }),
  // A job of maint.cron_jobs with no recorded run yet (the fixture records one for mmo-ensure-partitions).
  "maint.job_runs": () => ({ job_name: "mmo-expire-mail", status: "succeeded", last_started_at: new Date().toISOString() }),
};

/** Case key: `schema.table.constraint` (a unique index without a constraint counts under its index name). */
export interface ConstraintCase {
  key: string;
  table: string;
  /** The columns that differ from the table's base row. */
  change: (f: Fixture) => Row;
}

const cases: [string, string, (f: Fixture) => Row][] = [
  // users, sessions
  ["users", "users_pkey", (f) => ({ id: f.user })],
  ["users", "check_users_status", () => ({ status: "zombie" })],
  ["users", "check_users_character_count", () => ({ character_count: -1 })],
  ["users", "check_users_email_not_blank", () => ({ email: "   " })],
  // The e-mail is unique case-insensitively: the same address in other letter case collides.
  ["users", "idx_users_email_lower", (f) => ({ email: f.email.toUpperCase() })],
  ["sessions", "sessions_pkey", (f) => ({ id: f.session })],
  ["sessions", "sessions_token_hash_key", (f) => ({ token_hash: f.tokenHash })],
  ["sessions", "sessions_user_id_fkey", () => ({ user_id: randomUUID() })],
  ["sessions", "check_sessions_expiry", () => ({ created_at: "2026-01-02T00:00:00Z", expires_at: "2026-01-01T00:00:00Z" })],
  // characters and their per-character tables
  ["characters", "characters_pkey", (f) => ({ id: f.char })],
  ["characters", "characters_name_key", (f) => ({ name: f.charName })],
  ["characters", "characters_user_id_fkey", () => ({ user_id: randomUUID() })],
  ["characters", "check_level", () => ({ level: 101 })],
  ["characters", "check_experience", () => ({ experience: -1 })],
  ["characters", "check_health", () => ({ health: 101 })],
  ["characters", "check_mana", () => ({ mana: -1 })],
  ["characters", "check_stamina", () => ({ stamina: 101 })],
  ["characters", "check_play_time", () => ({ play_time: "-1 hour" })],
  ["characters", "check_deleted_at", () => ({ is_deleted: true })],
  ["character_stats", "character_stats_pkey", (f) => ({ character_id: f.char })],
  ["character_stats", "character_stats_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_stats", "check_stats_non_negative", () => ({ strength: -1 })],
  ["character_stats", "check_stats_chances", () => ({ dodge_chance: 100.5 })],
  ["character_stats", "check_stats_multipliers", () => ({ movement_speed: -1 })],
  ["character_inventory", "character_inventory_pkey", (f) => ({ id: f.inventoryId })],
  ["character_inventory", "character_inventory_character_id_slot_type_slot_number_key", () => ({ slot_type: "bag", slot_number: 0 })],
  ["character_inventory", "character_inventory_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_inventory", "check_quantity", () => ({ quantity: 0 })],
  ["character_inventory", "check_slot_number", () => ({ slot_number: -1 })],
  ["character_inventory", "check_slot_type", () => ({ slot_type: "pocket" })],
  ["character_inventory", "check_durability", () => ({ durability: -1 })],
  ["player_presence", "player_presence_pkey", (f) => ({ character_id: f.char })],
  ["player_presence", "player_presence_connection_id_key", (f) => ({ connection_id: f.connectionId })],
  ["player_presence", "player_presence_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["player_presence", "check_latency", () => ({ latency_ms: -1 })],
  ["player_presence", "check_presence_status", () => ({ status: "gone" })],
  ["world_state", "world_state_pkey", (f) => ({ id: f.worldState })],
  ["character_abilities", "character_abilities_pkey", () => ({ ability_id: 1 })],
  ["character_abilities", "character_abilities_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_abilities", "check_ability_level", () => ({ level: 0 })],
  ["character_abilities", "check_ability_experience", () => ({ experience: -1 })],
  ["character_effects", "character_effects_pkey", (f) => ({ id: f.effectId })],
  ["character_effects", "character_effects_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_effects", "check_effect_stacks", () => ({ stacks: 0 })],
  ["character_effects", "check_effect_duration", () => ({ duration_seconds: -1 })],
  // guilds and social
  ["guilds", "guilds_pkey", (f) => ({ id: f.guild })],
  ["guilds", "guilds_name_key", (f) => ({ name: f.guildName })],
  ["guilds", "guilds_tag_key", (f) => ({ tag: f.guildTag })],
  ["guilds", "check_member_count", () => ({ member_count: 3, max_members: 2 })],
  ["guilds", "check_guild_max_members", () => ({ max_members: 0 })],
  ["guilds", "check_guild_level", () => ({ level: 0 })],
  ["guilds", "check_guild_experience", () => ({ experience: -1 })],
  ["guilds", "check_guild_bank_gold", () => ({ bank_gold: -1 })],
  ["guild_members", "guild_members_pkey", (f) => ({ character_id: f.char })],
  ["guild_members", "guild_members_guild_id_fkey", () => ({ guild_id: randomUUID() })],
  ["guild_members", "guild_members_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["guild_members", "check_contribution_points", () => ({ contribution_points: -1 })],
  ["character_quests", "character_quests_pkey", () => ({ quest_id: 1 })],
  ["character_quests", "character_quests_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_quests", "check_quest_status", () => ({ status: "paused" })],
  ["character_quests", "check_quest_stage", () => ({ current_stage: -1 })],
  ["character_achievements", "character_achievements_pkey", () => ({ achievement_id: 1 })],
  ["character_achievements", "character_achievements_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_achievements", "check_achievement_progress", () => ({ progress: -1 })],
  ["character_relationships", "character_relationships_pkey", (f) => ({ character_id: f.char, related_character_id: f.char2 })],
  ["character_relationships", "character_relationships_character_id_fkey", () => ({ character_id: randomUUID() })],
  ["character_relationships", "character_relationships_related_character_id_fkey", () => ({ related_character_id: randomUUID() })],
  ["character_relationships", "check_not_self", (f) => ({ related_character_id: f.char2 })],
  ["character_relationships", "check_relationship_type", () => ({ relationship_type: "rival" })],
  ["character_mail", "character_mail_pkey", (f) => ({ id: f.mailId })],
  ["character_mail", "character_mail_recipient_id_fkey", () => ({ recipient_id: randomUUID() })],
  ["character_mail", "character_mail_sender_id_fkey", () => ({ sender_id: randomUUID() })],
  ["character_mail", "check_gold", () => ({ gold_attached: -1 })],
  ["characters_archive", "characters_archive_pkey", (f) => ({ id: f.archivedId })],
  ["characters_archive", "characters_archive_user_id_fkey", () => ({ user_id: randomUUID() })],
  // Partitioned tables: the primary key includes the partition key, so the same id at the same
  // instant collides (the same id at another instant is a distinct row).
  ["character_positions", "character_positions_pkey", (f) => ({ character_id: f.char })],
  ["combat_log", "combat_log_pkey", (f) => ({ id: f.logId })],
  ["analytics_events", "analytics_events_pkey", (f) => ({ id: f.logId })],
  ["audit_log", "audit_log_pkey", (f) => ({ id: f.logId })],
  ["performance_metrics", "performance_metrics_pkey", () => ({ server_id: "s1" })],
  // maint's own tables
  ["maint.partition_policy", "partition_policy_pkey", () => ({ table_name: "combat_log" })],
  ["maint.partition_policy", "partition_policy_table_name_check", () => ({ table_name: "Bad-Name" })],
  ["maint.partition_policy", "partition_policy_granularity_check", () => ({ granularity: "week" })],
  ["maint.partition_policy", "partition_policy_premake_check", () => ({ premake: 401 })],
  ["maint.partition_policy", "partition_policy_retention_check", () => ({ retention: "0 seconds" })],
  ["maint.partition_policy", "partition_policy_retention_action_check", () => ({ retention_action: "archive" })],
  ["maint.cron_jobs", "cron_jobs_pkey", () => ({ job_name: "mmo-ensure-partitions" })],
  ["maint.cron_jobs", "cron_jobs_job_name_check", () => ({ job_name: "Bad Name" })],
  ["maint.cron_jobs", "cron_jobs_schedule_check", () => ({ schedule: "* * *" })],
  ["maint.job_runs", "job_runs_pkey", () => ({ job_name: "mmo-ensure-partitions" })],
  ["maint.job_runs", "job_runs_job_name_fkey", () => ({ job_name: "zz-no-such-job" })],
  ["maint.job_runs", "job_runs_status_check", () => ({ status: "paused" })],
  ["maint.job_functions", "job_functions_pkey", () => ({ function_name: "expire_mail" })],
  ["maint.job_functions", "job_functions_function_name_check", () => ({ function_name: "pg_read_file(1)" })],
];

export const constraintCases: ConstraintCase[] = cases.map(([table, name, change]) => ({
  key: `${table.includes(".") ? table : `public.${table}`}.${name}`,
  table,
  change,
}));
