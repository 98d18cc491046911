import * as c from "../encode.ts";
import { ITEM_NAMES } from "../names.ts";
import { Quota } from "../quota.ts";
import { Rng } from "../random.ts";
import type { World } from "../world.ts";
import type { TableSpec } from "./types.ts";

/** Slot capacities; the unique key is (character_id, slot_type, slot_number). */
export const SLOTS = { equipment: 19, bag: 64, bank: 48 } as const;

const ENCHANTS = ["fiery", "frost", "vampiric", "swift", "stalwart", "arcane"] as const;

/** `count` distinct slot numbers in [0, size): mostly the first ones, with a few gaps, like real bags. */
function slots(rng: Rng, count: number, size: number, scratch: Int32Array): Int32Array {
  const span = Math.min(size, count + Math.ceil(count / 4));
  for (let i = 0; i < span; i++) scratch[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.float() * (span - i));
    const t = scratch[i]!;
    scratch[i] = scratch[j]!;
    scratch[j] = t;
  }
  return scratch.subarray(0, count);
}

export const inventoryWeight = (world: World, i: number) => 2 + world.level(i);

export const characterInventory: TableSpec = {
  name: "character_inventory",
  columns: ["id", "character_id", "slot_type", "slot_number", "item_id", "quantity", "durability", "enchantments", "created_at", "updated_at"],
  deps: ["characters"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_inventory"));
    const quota = new Quota(world.v.character_inventory, world.characters, (i) => inventoryWeight(world, i));
    const scratch = new Int32Array(SLOTS.bag);
    let index = 0;
    for (let i = 0; i < world.characters; i++) {
      const level = world.level(i);
      const n = quota.next(inventoryWeight(world, i));
      const characterId = world.id("character", i);
      // Equipment first (a level-100 character is fully geared), then bags, then the bank.
      const equip = Math.min(n, SLOTS.equipment, 2 + Math.floor(level / 6));
      const bag = Math.min(n - equip, SLOTS.bag);
      const bank = n - equip - bag;
      if (bank > SLOTS.bank) throw new Error(`inventory of character ${i} (${n}) does not fit its slots`);
      for (const [type, count, size] of [["equipment", equip, SLOTS.equipment], ["bag", bag, SLOTS.bag], ["bank", bank, SLOTS.bank]] as const) {
        for (const slot of slots(rng, count, size, scratch)) {
          const gear = type === "equipment" || rng.chance(0.35);
          const itemId = gear ? 10_000 + level * 100 + rng.int(0, 99) : rng.int(1, 2_000);
          const enchant = gear && level > 20 && rng.chance(0.3)
            ? { [rng.pick(ENCHANTS)]: rng.int(1, 5), socket: rng.chance(0.2) ? [{ gem: rng.int(500, 560) }] : [], note: rng.chance(0.02) ? `${rng.pick(ITEM_NAMES)} of "the\tDeep"` : undefined }
            : null;
          const created = world.anchorMs - rng.float() * 86_400_000 * 365;
          const quantity = gear ? 1 : rng.int(1, 200);
          const durability = gear ? String(rng.int(0, 100)) : c.NULL;
          const updated = created + rng.float() * (world.anchorMs - created);
          yield `${world.id("inventory", index++)}\t${characterId}\t${type}\t${slot}\t${itemId}\t${quantity}\t${durability}\t${c.nullableJson(enchant)}\t${c.timestamp(created)}\t${c.timestamp(updated)}\n`;
        }
      }
    }
  },
};
