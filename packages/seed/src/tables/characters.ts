import * as c from "../encode.ts";
import { CLASS_WEIGHTS, CLASSES, characterName, RACE_WEIGHTS, RACES, ZONES } from "../names.ts";
import { hash32, Rng, unit, Weighted } from "../random.ts";
import { characterCreatedMs } from "../time.ts";
import type { World } from "../world.ts";
import type { TableSpec } from "./types.ts";

const classes = new Weighted(CLASSES.map((name, i) => [name, CLASS_WEIGHTS[i]!] as const));
const races = new Weighted(RACES.map((name, i) => [name, RACE_WEIGHTS[i]!] as const));

export function characterClass(world: World, character: number): (typeof CLASSES)[number] {
  return classes.at(unit(hash32(world.namespace("class"), character)));
}

export function characterClassIndex(world: World, character: number): number {
  return CLASSES.indexOf(characterClass(world, character));
}

/** Zone follows level: starting zones are crowded, endgame zones hold the capped characters. */
export function characterZone(world: World, character: number): number {
  const level = world.level(character);
  const h = hash32(world.namespace("zone"), character);
  return 1 + Math.min(ZONES - 1, Math.floor((level / 100) * (ZONES - 8)) + (h % 8));
}

const CASTERS = new Set(["mage", "priest", "warlock", "druid", "shaman"]);

export const characters: TableSpec = {
  name: "characters",
  columns: ["id", "user_id", "name", "class", "race", "level", "experience", "health", "max_health", "mana", "max_mana", "stamina", "max_stamina", "position_x", "position_y", "position_z", "rotation_yaw", "zone_id", "is_online", "last_played", "play_time", "is_deleted", "deleted_at", "created_at", "updated_at"],
  deps: ["users"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:characters"));
    const nameSeed = world.namespace("names");
    for (let i = 0; i < world.characters; i++) {
      const level = world.level(i);
      const cls = characterClass(world, i);
      const caster = CASTERS.has(cls);
      const maxHealth = 100 + level * (caster ? 38 : 55) + rng.int(0, 40);
      const maxMana = caster ? 100 + level * 45 : 100;
      const maxStamina = 100 + level * 5;
      const online = world.isOnline(i);
      const deleted = world.isDeleted(i);
      const created = characterCreatedMs(world, i);
      const lastPlayed = online ? world.anchorMs - rng.int(0, 600_000) : created + (world.anchorMs - created) * rng.float() ** 0.5;
      const deletedAt = deleted ? lastPlayed + (world.anchorMs - lastPlayed) * rng.float() : null;
      const playSeconds = Math.round(level ** 1.7 * 900 * (0.5 + rng.float()));
      yield c.row([
        world.id("character", i), world.id("user", world.userOf(i)), characterName(nameSeed, i, world.suffix), cls, races.at(rng.float()),
        String(level), String(Math.round(level ** 2.6 * 110 + rng.int(0, level * 100))),
        String(online ? rng.int(Math.floor(maxHealth / 3), maxHealth) : maxHealth), String(maxHealth),
        String(online ? rng.int(0, maxMana) : maxMana), String(maxMana),
        String(online ? rng.int(0, maxStamina) : maxStamina), String(maxStamina),
        (rng.float() * 4096 - 2048).toFixed(2), (rng.float() * 4096 - 2048).toFixed(2), (rng.float() * 120).toFixed(2), (rng.float() * 360).toFixed(1),
        String(characterZone(world, i)), c.bool(online), c.timestamp(lastPlayed), `${playSeconds} seconds`,
        c.bool(deleted), c.nullableTimestamp(deletedAt), c.timestamp(created), c.timestamp(Math.max(lastPlayed, deletedAt ?? 0)),
      ]);
    }
  },
};

export const characterStats: TableSpec = {
  name: "character_stats",
  columns: ["character_id", "strength", "dexterity", "intelligence", "wisdom", "constitution", "charisma", "armor_class", "attack_power", "spell_power", "critical_chance", "critical_damage", "dodge_chance", "block_chance", "movement_speed", "updated_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_stats"));
    for (let i = 0; i < world.characters; i++) {
      const level = world.level(i);
      const cls = characterClass(world, i);
      const caster = CASTERS.has(cls);
      const base = (primary: boolean) => String(10 + Math.round(level * (primary ? 1.6 : 0.6) + rng.int(0, 5)));
      yield c.row([
        world.id("character", i), base(!caster), base(cls === "rogue" || cls === "hunter" || cls === "monk"), base(caster), base(caster), base(true), base(false),
        String(10 + Math.round(level * (caster ? 2 : 6))), String(10 + Math.round(level * (caster ? 1 : 4.5))), String(10 + Math.round(level * (caster ? 5 : 0.5))),
        (5 + rng.float() * Math.min(30, level / 3)).toFixed(2), (150 + rng.float() * level).toFixed(1),
        (5 + rng.float() * 15).toFixed(2), (cls === "warrior" || cls === "paladin" ? 10 + rng.float() * 25 : rng.float() * 5).toFixed(2),
        (100 + rng.float() * 30).toFixed(1), c.timestamp(world.anchorMs - rng.float() * 86_400_000 * 30),
      ]);
    }
  },
};
