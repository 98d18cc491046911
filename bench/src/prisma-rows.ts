import type { DatabaseClient } from "@mmo/db";

/** Decodes one COPY text field (the inverse of the seeder's encoding); \N is null. */
export function unescapeCopy(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, ch: string) => (ch === "t" ? "\t" : ch === "n" ? "\n" : ch === "r" ? "\r" : ch));
}

const str = (f: string | undefined) => unescapeCopy(f ?? "\\N");
const req = (f: string | undefined) => str(f) ?? "";
const int = (f: string | undefined) => Number(req(f));
const bool = (f: string | undefined) => f === "t";
const date = (f: string | undefined) => new Date(req(f));

/**
 * Prisma createMany of the very rows the generator produced (parsed back from COPY text), per
 * shape. The interval column play_time is not writable through Prisma (Unsupported type) and
 * keeps its default.
 */
export const PRISMA_WRITERS: Record<string, (client: DatabaseClient, lines: string[]) => Promise<number>> = {
  async characters({ prisma }, lines) {
    const data = lines.map((line) => {
      const f = line.slice(0, -1).split("\t");
      return {
        id: req(f[0]), user_id: req(f[1]), name: req(f[2]), class: req(f[3]), race: req(f[4]), level: int(f[5]), experience: BigInt(req(f[6])),
        health: int(f[7]), max_health: int(f[8]), mana: int(f[9]), max_mana: int(f[10]), stamina: int(f[11]), max_stamina: int(f[12]),
        position_x: int(f[13]), position_y: int(f[14]), position_z: int(f[15]), rotation_yaw: int(f[16]), zone_id: int(f[17]), is_online: bool(f[18]),
        last_played: date(f[19]), is_deleted: bool(f[21]), deleted_at: str(f[22]) === null ? null : date(f[22]), created_at: date(f[23]), updated_at: date(f[24]),
      };
    });
    return (await prisma.character.createMany({ data })).count;
  },
  async character_inventory({ prisma }, lines) {
    const data = lines.map((line) => {
      const f = line.slice(0, -1).split("\t");
      const enchantments = str(f[7]);
      return {
        id: req(f[0]), character_id: req(f[1]), slot_type: req(f[2]), slot_number: int(f[3]), item_id: int(f[4]), quantity: int(f[5]),
        durability: str(f[6]) === null ? null : int(f[6]), ...(enchantments === null ? {} : { enchantments: JSON.parse(enchantments) as object }),
        created_at: date(f[8]), updated_at: date(f[9]),
      };
    });
    return (await prisma.characterInventory.createMany({ data })).count;
  },
  async combat_log({ prisma }, lines) {
    const data = lines.map((line) => {
      const f = line.slice(0, -1).split("\t");
      return {
        id: req(f[0]), timestamp: date(f[1]), source_id: str(f[2]), target_id: str(f[3]), action_type: req(f[4]), action_subtype: str(f[5]),
        amount: str(f[6]) === null ? null : int(f[6]), is_critical: bool(f[7]), is_blocked: bool(f[8]), is_dodged: bool(f[9]), zone_id: int(f[10]), instance_id: req(f[11]),
      };
    });
    return (await prisma.combatLog.createMany({ data })).count;
  },
};
