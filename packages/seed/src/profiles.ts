/**
 * Seed profiles. `prod` is a mid-size MMO a few years after launch; the others are fixed fractions
 * of it so every profile has the same shape. Why these numbers (README "Seed profiles"):
 * - 1M registered accounts, 2.5 characters each (mains plus alts; some accounts never made one);
 * - ~5% of characters online at once (≈ 125k CCU: mid-size);
 * - inventories: 10 items per character on average, level-skewed (capped mains carry 30+, fresh
 *   alts 2-3);
 * - position samples: 50M over 30 days (a sample every ~10 s while moving, for the characters
 *   that played); combat log 20M over 7 months; analytics 10M over 13 months; audit 5M over the
 *   game's 7¼ years: each window is a little longer than its retention in maint.partition_policy so
 *   upkeep has partitions to prune.
 */
export const PROFILE_NAMES = ["tiny", "dev", "staging", "prod"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** prod volumes at --scale 1. Every other count is derived from these. */
export const PROD_VOLUMES = {
  users: 1_000_000,
  sessions: 600_000,
  characters: 2_500_000,
  character_stats: 2_500_000,
  character_inventory: 25_000_000,
  character_abilities: 10_000_000,
  character_quests: 7_500_000,
  character_achievements: 5_000_000,
  player_presence: 125_000,
  character_effects: 250_000,
  world_state: 2_000,
  guilds: 25_000,
  guild_members: 1_000_000,
  character_relationships: 5_000_000,
  character_mail: 3_000_000,
  character_positions: 50_000_000,
  combat_log: 20_000_000,
  analytics_events: 10_000_000,
  audit_log: 5_000_000,
  performance_metrics: 2_000_000,
} as const;

export type TableName = keyof typeof PROD_VOLUMES;
export const TABLE_NAMES = Object.keys(PROD_VOLUMES) as TableName[];

/** Fraction of prod per profile: tiny for tests, dev for the main job (seconds), staging ≈ 15M rows. */
export const PROFILE_FRACTION: Record<ProfileName, number> = {
  tiny: 1 / 10_000,
  dev: 1 / 200,
  staging: 1 / 10,
  prod: 1,
};

/** Tables too small to scale linearly keep a floor so tiny still has a world. */
const FLOOR: Partial<Record<TableName, number>> = { world_state: 20, guilds: 5, performance_metrics: 2_400 };

export type Volumes = Record<TableName, number>;

/**
 * Row counts a profile will load. Structural rounding keeps the generators exact: users come in
 * groups of 4 owning 10 characters (2.5 each), presence is a whole 5% of characters.
 */
export function plannedVolumes(profile: ProfileName, scale = 1): Volumes {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const f = PROFILE_FRACTION[profile] * scale;
  const out = {} as Volumes;
  for (const table of TABLE_NAMES) out[table] = Math.max(FLOOR[table] ?? 1, Math.round(PROD_VOLUMES[table] * f));
  const groups = Math.max(1, Math.round(out.users / 4));
  out.users = groups * 4;
  out.characters = groups * 10;
  out.character_stats = out.characters;
  out.player_presence = Math.max(1, Math.round(out.characters * 0.05));
  out.guild_members = Math.min(out.guild_members, Math.floor(out.characters * 0.5));
  return out;
}

/** Time windows (days back from the anchor) of the time series and their history. */
export const WINDOW_DAYS = {
  character_positions: 30,
  combat_log: 213,
  analytics_events: 396,
  audit_log: 2648,
  performance_metrics: 122,
  /** Accounts were created over the game's whole life (audit starts at launch). */
  launch: 2648,
} as const;
