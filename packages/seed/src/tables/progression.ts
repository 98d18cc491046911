import * as c from "../encode.ts";
import { Quota } from "../quota.ts";
import { Rng } from "../random.ts";
import { characterCreatedMs } from "../time.ts";
import { DAY_MS, type World } from "../world.ts";
import { characterClassIndex } from "./characters.ts";
import type { TableSpec } from "./types.ts";

const KEYS = ["1", "2", "3", "4", "5", "6", "Q", "E", "R", "F", "Shift+1", "Shift+2"];

/** Abilities come with levels: ids are class-specific (class·1000 + k), so (character, ability) is unique. */
export const characterAbilities: TableSpec = {
  name: "character_abilities",
  columns: ["character_id", "ability_id", "level", "experience", "last_used", "cooldown_until", "is_active", "keybind"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_abilities"));
    const weight = (i: number) => 1 + Math.floor(world.level(i) / 10);
    const quota = new Quota(world.v.character_abilities, world.characters, weight);
    for (let i = 0; i < world.characters; i++) {
      const n = quota.next(weight(i));
      const id = world.id("character", i);
      const base = (characterClassIndex(world, i) + 1) * 1000;
      const online = world.isOnline(i);
      for (let k = 0; k < n; k++) {
        const lastUsed = rng.chance(0.8) ? world.anchorMs - rng.float() * 30 * DAY_MS : null;
        const cooldown = online && lastUsed !== null && rng.chance(0.1) ? world.anchorMs + rng.int(1, 300) * 1000 : null;
        yield c.row([id, String(base + k), String(rng.int(1, 1 + Math.floor(world.level(i) / 10))), String(rng.int(0, 50_000)), c.nullableTimestamp(lastUsed), c.nullableTimestamp(cooldown), c.bool(rng.chance(0.9)), k < KEYS.length ? KEYS[k]! : c.NULL]);
      }
    }
  },
};

/** A quest chain per character: the oldest are completed, the last few active, some abandoned. */
export const characterQuests: TableSpec = {
  name: "character_quests",
  columns: ["character_id", "quest_id", "status", "current_stage", "objectives_data", "started_at", "completed_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_quests"));
    const weight = (i: number) => 1 + Math.floor(world.level(i) / 4);
    const quota = new Quota(world.v.character_quests, world.characters, weight);
    for (let i = 0; i < world.characters; i++) {
      const n = quota.next(weight(i));
      const id = world.id("character", i);
      const created = characterCreatedMs(world, i);
      for (let k = 0; k < n; k++) {
        const started = created + ((world.anchorMs - created) * (k + rng.float())) / n;
        const status = k >= n - 2 ? (rng.chance(0.85) ? "active" : "abandoned") : rng.chance(0.97) ? "completed" : "failed";
        const stages = rng.int(1, 6);
        const stage = status === "completed" ? stages : rng.int(0, stages - 1);
        const objectives = { kills: { target: rng.int(5, 20), done: rng.int(0, 5) }, items: rng.chance(0.4) ? [{ item: rng.int(1, 2000), have: rng.int(0, 10), need: 10 }] : [], zone: rng.int(1, 40) };
        const completed = status === "completed" ? Math.min(world.anchorMs, started + rng.float() * 3 * DAY_MS) : null;
        yield c.row([id, String(100 + k * 3 + (i % 3)), status, String(stage), c.json(objectives), c.timestamp(started), c.nullableTimestamp(completed)]);
      }
    }
  },
};

export const characterAchievements: TableSpec = {
  name: "character_achievements",
  columns: ["character_id", "achievement_id", "progress", "completed", "completed_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_achievements"));
    const weight = (i: number) => 1 + Math.floor(world.level(i) / 5);
    const quota = new Quota(world.v.character_achievements, world.characters, weight);
    for (let i = 0; i < world.characters; i++) {
      const n = quota.next(weight(i));
      const id = world.id("character", i);
      const created = characterCreatedMs(world, i);
      let achievement = rng.int(1, 5);
      for (let k = 0; k < n; k++, achievement += rng.int(1, 4)) {
        const done = rng.chance(0.7);
        yield c.row([id, String(achievement), String(done ? 100 : rng.int(0, 99)), c.bool(done), done ? c.timestamp(created + rng.float() * (world.anchorMs - created)) : c.NULL]);
      }
    }
  },
};
