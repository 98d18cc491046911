import type { TableName } from "../profiles.ts";
import { analyticsEvents, performanceMetrics } from "./analytics.ts";
import { characters, characterStats } from "./characters.ts";
import { guildMembers, guilds } from "./guilds.ts";
import { characterInventory } from "./inventory.ts";
import { auditLog, combatLog } from "./logs.ts";
import { characterPositions } from "./positions.ts";
import { characterEffects, playerPresence, worldState } from "./presence.ts";
import { characterAbilities, characterAchievements, characterQuests } from "./progression.ts";
import { characterMail, characterRelationships } from "./social.ts";
import type { TableSpec } from "./types.ts";
import { sessions, users } from "./users.ts";

export type { TableSpec } from "./types.ts";

/** Every seeded table, parents before children (the order TRUNCATE lists them in reverse). */
export const TABLES: readonly TableSpec[] = [
  users, sessions, characters, characterStats, characterInventory, characterAbilities, characterQuests,
  characterAchievements, playerPresence, characterEffects, worldState, guilds, guildMembers,
  characterRelationships, characterMail, characterPositions, combatLog, analyticsEvents, auditLog, performanceMetrics,
];

export function tableSpec(name: TableName): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`no generator for table ${name}`);
  return spec;
}
