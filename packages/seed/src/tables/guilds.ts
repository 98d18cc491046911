import * as c from "../encode.ts";
import { guildName, guildTag } from "../names.ts";
import { Rng } from "../random.ts";
import { characterCreatedMs } from "../time.ts";
import type { World } from "../world.ts";
import type { TableSpec } from "./types.ts";

/** Guild g's members are alive characters at positions [start, start + size) of the member layout. */
function* guildRanges(world: World): Generator<{ guild: number; start: number; size: number }> {
  let start = 0;
  for (let g = 0; g < world.v.guilds; g++) {
    const size = world.guildSizes[g]!;
    yield { guild: g, start, size };
    start += size;
  }
}

const LEVEL_RANGE: Record<number, [number, number]> = { 50: [1, 5], 100: [6, 10], 250: [11, 20], 500: [21, 25] };

export const guilds: TableSpec = {
  name: "guilds",
  columns: ["id", "name", "tag", "description", "level", "experience", "member_count", "max_members", "bank_gold", "created_by", "created_at", "updated_at"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:guilds"));
    const nameSeed = world.namespace("guild names");
    for (const { guild, start, size } of guildRanges(world)) {
      const max = world.guildMaxMembers(guild);
      const [lo, hi] = LEVEL_RANGE[max]!;
      const level = rng.int(lo, hi);
      const founder = world.characterAtAlive(start);
      const created = characterCreatedMs(world, founder) + rng.float() * 86_400_000;
      const description = rng.chance(0.2) ? c.NULL : c.text(rng.pick(["Casual raiding, EU evenings.", "PvP focused.\nApply on Discord!", "Friendly levelling guild — all welcome", "Mythic progression 3/8. Need healers \\ tanks.", "Roleplay: \"The Silver Hand\""]));
      // With triggers on, guild_members' insert trigger counts members; otherwise write the count.
      const memberCount = world.computeCounters ? size : 0;
      yield c.row([world.id("guild", guild), c.text(guildName(nameSeed, guild, world.suffix)), guildTag(guild, world.suffix), description, String(level), String(level * level * 12_000 + rng.int(0, 10_000)), String(memberCount), String(max), String(rng.int(0, 5_000_000)), world.id("character", founder), c.timestamp(created), c.timestamp(Math.min(world.anchorMs, created + rng.float() * (world.anchorMs - created)))]);
    }
  },
};

export const guildMembers: TableSpec = {
  name: "guild_members",
  columns: ["guild_id", "character_id", "rank", "joined_at", "contribution_points", "note"],
  deps: ["guilds", "characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:guild_members"));
    for (const { guild, start, size } of guildRanges(world)) {
      const guildId = world.id("guild", guild);
      const officers = Math.ceil(size / 15);
      for (let m = 0; m < size; m++) {
        const character = world.characterAtAlive(start + m);
        const rank = m === 0 ? "leader" : m <= officers ? "officer" : rng.chance(0.1) ? "recruit" : "member";
        const created = characterCreatedMs(world, character);
        yield c.row([guildId, world.id("character", character), rank, c.timestamp(created + rng.float() * (world.anchorMs - created)), String(Math.floor(rng.float() ** 3 * 100_000)), rng.chance(0.05) ? c.text(rng.pick(["alt of an officer", "main tank", "on break until\tMonday"])) : c.NULL]);
      }
    }
  },
};
