import * as c from "../encode.ts";
import { ipv4, REGIONS, ZONES } from "../names.ts";
import { Quota } from "../quota.ts";
import { hash32, Rng } from "../random.ts";
import type { World } from "../world.ts";
import { characterZone } from "./characters.ts";
import type { TableSpec } from "./types.ts";

export function serverId(world: World, character: number): string {
  const h = hash32(world.namespace("server"), world.userOf(character));
  return `${REGIONS[h % REGIONS.length]}-gs-${String((h >>> 8) % 12).padStart(2, "0")}`;
}

export function instanceId(zone: number, h: number): string {
  return `zone-${zone}-i${h % 4}`;
}

/** Exactly the characters flagged is_online have a presence row, with recent heartbeats. */
export const playerPresence: TableSpec = {
  name: "player_presence",
  columns: ["character_id", "server_id", "instance_id", "connection_id", "ip_address", "connected_at", "last_heartbeat", "latency_ms", "status"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:player_presence"));
    for (let r = 0; r < world.v.player_presence; r++) {
      const i = world.onlineCharacter(r);
      const connected = world.anchorMs - rng.float() * 4 * 3_600_000;
      const status = rng.float();
      yield c.row([
        world.id("character", i), serverId(world, i), instanceId(characterZone(world, i), rng.next()), `conn-${world.id("connection", r)}`,
        ipv4(hash32(world.namespace("token"), world.userOf(i))), c.timestamp(connected), c.timestamp(world.anchorMs - rng.int(0, 30_000)),
        rng.chance(0.02) ? c.NULL : String(Math.round(rng.normal(60, 35, 8, 900))), status < 0.85 ? "online" : status < 0.95 ? "away" : "busy",
      ]);
    }
  },
};

/** Live buffs and debuffs, only on online characters (effects of offline ones have expired). */
export const characterEffects: TableSpec = {
  name: "character_effects",
  columns: ["id", "character_id", "effect_id", "source_id", "stacks", "duration_seconds", "expires_at", "is_debuff", "applied_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_effects"));
    const weight = (r: number) => 1 + (hash32(world.namespace("effects"), r) % 4);
    const quota = new Quota(world.v.character_effects, world.v.player_presence, weight);
    let index = 0;
    for (let r = 0; r < world.v.player_presence; r++) {
      const n = quota.next(weight(r));
      const i = world.onlineCharacter(r);
      for (let k = 0; k < n; k++) {
        const debuff = rng.chance(0.3);
        const duration = rng.chance(0.1) ? null : rng.pick([10, 30, 60, 300, 1800, 3600]);
        const applied = world.anchorMs - rng.float() * (duration ?? 600) * 1000;
        const source = debuff ? world.id("npc", rng.int(0, 5000)) : rng.chance(0.5) ? world.id("character", i) : world.id("character", world.randomCharacter(rng.next()));
        yield c.row([world.id("effect", index++), world.id("character", i), String(rng.int(1, 400)), source, String(rng.int(1, 5)), duration === null ? c.NULL : String(duration), c.timestamp(applied + (duration ?? 7200) * 1000), c.bool(debuff), c.timestamp(applied)]);
      }
    }
  },
};

const WEATHER = ["clear", "rain", "storm", "snow", "fog", "sandstorm"] as const;

export const worldState: TableSpec = {
  name: "world_state",
  columns: ["id", "zone_id", "instance_id", "state_type", "state_data", "expires_at", "created_at", "updated_at"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:world_state"));
    for (let k = 0; k < world.v.world_state; k++) {
      const zone = 1 + (k % ZONES);
      const type = rng.pick(["weather", "event", "spawn", "spawn"] as const);
      const data =
        type === "weather" ? { condition: rng.pick(WEATHER), intensity: Number(rng.float().toFixed(2)), wind: { dir: rng.int(0, 359), speed: rng.int(0, 40) } }
        : type === "event" ? { event: rng.pick(["invasion", "world_boss", "festival", "double_xp"]), phase: rng.int(1, 3), participants: rng.int(0, 400) }
        : { npc: rng.int(1, 5000), count: rng.int(1, 12), respawn_s: rng.pick([30, 60, 300]), at: [Number((rng.float() * 4096).toFixed(1)), Number((rng.float() * 4096).toFixed(1))] };
      const created = world.anchorMs - rng.float() * 7 * 86_400_000;
      const expires = type === "spawn" ? null : created + rng.int(1, 48) * 3_600_000;
      yield c.row([world.id("world_state", k), String(zone), instanceId(zone, rng.next()), type, c.json(data), c.nullableTimestamp(expires), c.timestamp(created), c.timestamp(created)]);
    }
  },
};
