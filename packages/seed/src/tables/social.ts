import * as c from "../encode.ts";
import { characterName, ITEM_NAMES } from "../names.ts";
import { Quota } from "../quota.ts";
import { hash32, Rng, unit } from "../random.ts";
import { DAY_MS } from "../world.ts";
import type { TableSpec } from "./types.ts";

/**
 * A friend graph with a power-law degree (a few social hubs, many loners). Alive characters are laid
 * out guild by guild, so a small offset finds a guildmate: most friends are in the same guild.
 */
export const characterRelationships: TableSpec = {
  name: "character_relationships",
  columns: ["character_id", "related_character_id", "relationship_type", "note", "created_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_relationships"));
    const a = world.alive;
    const ns = world.namespace("friends");
    const weight = (j: number) => Math.min(40, Math.floor((1 - unit(hash32(ns, j))) ** (-1 / 1.3)));
    const quota = new Quota(world.v.character_relationships, a, weight);
    const seen = new Set<number>();
    for (let j = 0; j < a; j++) {
      const n = Math.min(quota.next(weight(j)), a - 1);
      const id = world.id("character", world.characterAtAlive(j));
      seen.clear();
      for (let k = 0; k < n; k++) {
        let off = rng.chance(0.7) ? rng.int(1, Math.min(60, a - 1)) : rng.int(1, a - 1);
        while (seen.has(off)) off = (off % (a - 1)) + 1;
        seen.add(off);
        const other = world.characterAtAlive((j + off) % a);
        const t = rng.float();
        yield c.row([id, world.id("character", other), t < 0.86 ? "friend" : t < 0.95 ? "ignored" : "blocked", rng.chance(0.1) ? c.text(rng.pick(["raid buddy", "met in \"Ashen Vale\"", "trader\\crafter", "🗡 duel partner"])) : c.NULL, c.timestamp(world.anchorMs - rng.float() ** 2 * 700 * DAY_MS)]);
      }
    }
  },
};

const SYSTEM_SENDERS = ["Auction House", "Postmaster", "GM Team", "Arena Master"] as const;
const SUBJECTS = ["Trade offer", "Your auction has sold", "Raid tonight?", "Welcome to the guild!", "Re: that sword", "Outbid notice", "Season rewards"] as const;

/** Read, unread and expired mail (30-day expiry over 60 days of mail), a third with attachments. */
export const characterMail: TableSpec = {
  name: "character_mail",
  columns: ["id", "recipient_id", "sender_id", "sender_name", "subject", "body", "attachments", "gold_attached", "is_read", "is_deleted", "expires_at", "sent_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_mail"));
    const names = world.namespace("names");
    const weight = (j: number) => {
      const i = world.characterAtAlive(j);
      return 1 + (world.isOnline(i) ? 3 : 0) + Math.floor(world.level(i) / 25);
    };
    const quota = new Quota(world.v.character_mail, world.alive, weight);
    let index = 0;
    for (let j = 0; j < world.alive; j++) {
      const n = quota.next(weight(j));
      const recipient = world.id("character", world.characterAtAlive(j));
      for (let k = 0; k < n; k++) {
        const system = rng.chance(0.3);
        const sender = system ? -1 : world.characterAtAlive(rng.int(0, world.alive - 1));
        const sent = world.anchorMs - rng.float() * 60 * DAY_MS;
        const age = (world.anchorMs - sent) / DAY_MS;
        const items = rng.chance(0.33) ? Array.from({ length: rng.int(1, 3) }, () => ({ item_id: rng.int(1, 12_000), qty: rng.int(1, 20), name: rng.pick(ITEM_NAMES) })) : [];
        const body = rng.chance(0.15) ? c.NULL : c.text(rng.pick(["See you at the bank.", "Thanks!\nHere is the gold I owe you.", "Price:\t500g", "C:\\Games path doesn't work?", "GG ✨"]));
        yield c.row([
          world.id("mail", index++), recipient, system ? c.NULL : world.id("character", sender),
          system ? rng.pick(SYSTEM_SENDERS) : characterName(names, sender, world.suffix), rng.pick(SUBJECTS), body, c.json(items),
          String(rng.chance(0.2) ? rng.int(1, 100_000) : 0), c.bool(rng.chance(Math.min(0.95, 0.2 + age / 20))), c.bool(rng.chance(0.05)),
          c.timestamp(sent + 30 * DAY_MS), c.timestamp(sent),
        ]);
      }
    }
  },
};
