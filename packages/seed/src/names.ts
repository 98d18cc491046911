import { hash32 } from "./random.ts";

/** Word lists that make rows read like a live game; choices are hashed, never Math.random. */
const START = ["Ael", "Bra", "Cor", "Dra", "El", "Fen", "Gal", "Hal", "Ith", "Jor", "Kael", "Lir", "Mor", "Nym", "Or", "Pyr", "Quel", "Ryn", "Syl", "Thal", "Ul", "Val", "Wyr", "Xan", "Yr", "Zar"];
const MIDDLE = ["a", "e", "i", "o", "u", "ae", "ia", "or", "an", "el", "ith", "ar"];
const END = ["dor", "wyn", "rin", "mir", "gar", "thas", "ria", "nor", "las", "dil", "wen", "rak", "zul", "vas", "eth", "ion"];

export const CLASSES = ["warrior", "mage", "rogue", "priest", "hunter", "paladin", "warlock", "druid", "shaman", "monk"] as const;
/** Mix seen in live games: healers and pure casters rarer than melee and hunters. */
export const CLASS_WEIGHTS = [16, 13, 12, 8, 14, 10, 7, 8, 6, 6] as const;
export const RACES = ["human", "elf", "dwarf", "orc", "undead", "gnome", "troll", "halfling"] as const;
export const RACE_WEIGHTS = [26, 18, 12, 16, 10, 6, 7, 5] as const;

export const ZONES = 40;
export const REGIONS = ["eu-west", "eu-central", "us-east", "us-west", "ap-south"] as const;

const GUILD_ADJ = ["Crimson", "Silent", "Eternal", "Iron", "Golden", "Shadow", "Frozen", "Wild", "Last", "Broken", "Ashen", "Radiant"];
const GUILD_NOUN = ["Legion", "Covenant", "Order", "Wolves", "Vanguard", "Circle", "Syndicate", "Keepers", "Raiders", "Dawn", "Council", "Tide"];

export const ITEM_NAMES = ["Sword", "Shield", "Helm", "Boots", "Potion", "Ring", "Amulet", "Bow", "Staff", "Ore", "Herb", "Scroll"] as const;

export function characterName(seed: number, index: number, suffix: string): string {
  const h = hash32(seed, index, 3);
  const base = START[h % START.length]! + MIDDLE[(h >>> 5) % MIDDLE.length]! + END[(h >>> 10) % END.length]!;
  // The base-36 index keeps names unique (the column is UNIQUE); real servers do the same with digits.
  return `${base}${index.toString(36)}${suffix}`;
}

export function guildName(seed: number, index: number, suffix: string): string {
  const h = hash32(seed, index, 5);
  return `${GUILD_ADJ[h % GUILD_ADJ.length]} ${GUILD_NOUN[(h >>> 6) % GUILD_NOUN.length]} ${index.toString(36)}${suffix}`;
}

/** At most 10 characters: base-36 index plus the append suffix. */
export function guildTag(index: number, suffix: string): string {
  return `${index.toString(36).toUpperCase()}${suffix.toUpperCase()}`.slice(0, 10);
}

export function ipv4(h: number): string {
  return `${(h >>> 24) % 223 + 1}.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${(h & 254) + 1}`;
}

export const USER_AGENTS = [
  "MMOClient/3.14.2 (Windows NT 10.0; x64)",
  "MMOClient/3.14.2 (Macintosh; Intel Mac OS X 14_4)",
  "MMOClient/3.13.9 (Windows NT 10.0; x64)",
  "Mozilla/5.0 (X11; Linux x86_64) MMOWeb/2.1 \"Launcher\"",
  "GMTool/1.8 (internal)",
] as const;
