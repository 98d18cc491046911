import * as c from "../encode.ts";
import { ipv4, USER_AGENTS } from "../names.ts";
import { WINDOW_DAYS } from "../profiles.ts";
import { Rng } from "../random.ts";
import { spreadMs } from "../time.ts";
import { characterZone } from "./characters.ts";
import { instanceId } from "./presence.ts";
import type { TableSpec } from "./types.ts";

const SPELLS = ["Fireball", "Frostbolt", "Mortal Strike", "Backstab", "Smite", "Aimed Shot", "Judgement", "Shadow Bolt", "Wrath", "Lightning Bolt", "Tiger Palm", "Auto Attack"] as const;
const HEALS = ["Flash Heal", "Rejuvenation", "Holy Light", "Healing Wave"] as const;

/** Combat events in time order over 7 months (retention 6): mostly players against NPCs. */
export const combatLog: TableSpec = {
  name: "combat_log",
  columns: ["id", "timestamp", "source_id", "target_id", "action_type", "action_subtype", "amount", "is_critical", "is_blocked", "is_dodged", "zone_id", "instance_id"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:combat_log"));
    const n = world.v.combat_log;
    const jitter = world.namespace("combat time");
    // 5 001 NPCs appear in every other row: their ids are computed once.
    const npcs = Array.from({ length: 5001 }, (_, i) => world.id("npc", i));
    for (let k = 0; k < n; k++) {
      const player = world.randomCharacter(rng.next());
      const npc = npcs[rng.int(0, 5000)]!;
      const playerId = world.id("character", player);
      const kind = rng.float();
      // Plain branches, not a destructured array per row: this loop runs 20M times at prod scale.
      let source = playerId, target = npc, type = "damage";
      if (kind >= 0.55 && kind < 0.8) { source = npc; target = playerId; }
      else if (kind >= 0.8 && kind < 0.9) { target = world.id("character", world.randomCharacter(rng.next())); type = "heal"; }
      else if (kind >= 0.9 && kind < 0.96) { target = playerId; type = "buff"; }
      else if (kind >= 0.96) { source = npc; target = playerId; type = "debuff"; }
      const dodged = type === "damage" && rng.chance(0.05);
      const blocked = type === "damage" && !dodged && rng.chance(0.07);
      const zone = characterZone(world, player);
      const amount = type === "buff" || type === "debuff" ? c.NULL : dodged ? "0" : String(Math.round(rng.normal(50 + world.level(player) * 40, 300, 1, 60_000)));
      yield `${world.id("combat", k)}\t${c.timestamp(spreadMs(world, WINDOW_DAYS.combat_log, k, n, jitter))}\t${source}\t${target}\t${type}\t${type === "heal" ? rng.pick(HEALS) : rng.pick(SPELLS)}\t${amount}\t${c.bool(rng.chance(0.12))}\t${c.bool(blocked)}\t${c.bool(dodged)}\t${zone}\t${instanceId(zone, rng.next())}\n`;
    }
  },
};

const AUDIT = [
  ["user.login", "user"], ["user.password_change", "user"], ["user.email_change", "user"], ["character.create", "character"],
  ["character.delete", "character"], ["character.rename", "character"], ["gm.item_grant", "character_inventory"], ["gm.ban", "user"],
  ["guild.disband", "guild"], ["mail.gold_sent", "character_mail"],
] as const;

/** Who did what, over the game's whole life (7¼ years, retention 7: the oldest partitions get detached). */
export const auditLog: TableSpec = {
  name: "audit_log",
  columns: ["id", "timestamp", "user_id", "character_id", "action", "resource_type", "resource_id", "old_value", "new_value", "ip_address", "user_agent"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:audit_log"));
    const n = world.v.audit_log;
    const jitter = world.namespace("audit time");
    for (let k = 0; k < n; k++) {
      const character = world.randomCharacter(rng.next());
      const user = world.userOf(character);
      const [action, resource] = rng.pick(AUDIT);
      const gm = action.startsWith("gm.");
      const [oldValue, newValue] =
        action === "character.rename" ? [{ name: `Old${k.toString(36)}` }, { name: `New${k.toString(36)}` }]
        : action === "gm.item_grant" ? [null, { item_id: rng.int(1, 12_000), qty: rng.int(1, 5), reason: "ticket #" + rng.int(10_000, 99_999) }]
        : action === "gm.ban" ? [{ status: "active" }, { status: "banned", until: null, reason: "botting\n(auto-detected)" }]
        : action === "mail.gold_sent" ? [{ gold: rng.int(0, 1e6) }, { gold: rng.int(0, 1e6) }]
        : [null, rng.chance(0.5) ? { client: "3.14.2", mfa: rng.chance(0.3) } : null];
      const resourceId = resource === "user" ? world.id("user", user) : resource === "character" ? world.id("character", character) : `${resource}:${rng.int(1, 1e9)}`;
      yield c.row([world.id("audit", k), c.timestamp(spreadMs(world, WINDOW_DAYS.audit_log, k, n, jitter)), gm ? c.NULL : world.id("user", user), resource === "user" ? c.NULL : world.id("character", character), action, resource, resourceId, c.nullableJson(oldValue), c.nullableJson(newValue), rng.chance(0.05) ? c.NULL : ipv4(rng.next()), c.text(gm ? "GMTool/1.8 (internal)" : rng.pick(USER_AGENTS))]);
    }
  },
};
