import { guildSizes } from "./guild-sizes.ts";
import { uuid } from "./ids.ts";
import { Permutation } from "./permutation.ts";
import type { Volumes } from "./profiles.ts";
import { hash32, hashString, unit } from "./random.ts";

export const DAY_MS = 86_400_000;

/** How many characters each of 4 users in a group owns (10 per group: 2.5 per user, 0 to 8 each). */
const OWNERSHIP_PATTERNS = [
  [1, 1, 3, 5], [1, 2, 3, 4], [2, 2, 3, 3], [0, 2, 3, 5], [1, 1, 2, 6],
  [0, 1, 1, 8], [1, 1, 1, 7], [2, 2, 2, 4], [0, 3, 3, 4], [1, 2, 2, 5],
] as const;

export interface WorldOptions {
  seed: number;
  volumes: Volumes;
  /** All timestamps are anchor-relative (see README "Determinism"). */
  anchorMs: number;
  /** Appended to unique names when adding to existing data, so a second seed never collides. */
  suffix: string;
  /** True when triggers are off for the load: counters are written already computed. */
  computeCounters: boolean;
}

/**
 * The facts several tables must agree on, answerable for any single entity in O(1): who owns a
 * character, its level, whether it is deleted, online or in a guild. Characters are laid out along
 * a seeded permutation: positions [0, D) are soft-deleted, the rest alive; the first M alive
 * positions are guild members in guild order; a second permutation over the alive positions picks
 * the exact 5% that are online. Only guild sizes are stored (4 bytes per guild).
 */
export class World {
  readonly seed: number;
  readonly v: Volumes;
  readonly anchorMs: number;
  readonly suffix: string;
  readonly computeCounters: boolean;
  readonly characters: number;
  readonly deleted: number;
  readonly alive: number;
  readonly guildSizes: Int32Array;
  private readonly charPerm: Permutation;
  private readonly onlinePerm: Permutation;
  private readonly ns = new Map<string, number>();
  private readonly idNs = new Map<string, number>();

  constructor(options: WorldOptions) {
    this.seed = options.seed >>> 0;
    this.v = options.volumes;
    this.anchorMs = options.anchorMs;
    this.suffix = options.suffix;
    this.computeCounters = options.computeCounters;
    this.characters = this.v.characters;
    this.deleted = Math.floor(this.characters * 0.03);
    this.alive = this.characters - this.deleted;
    this.charPerm = new Permutation(this.characters, this.namespace("perm:characters"));
    this.onlinePerm = new Permutation(this.alive, this.namespace("perm:online"));
    this.guildSizes = guildSizes(this.v.guilds, this.v.guild_members, (g) => this.guildMaxMembers(g), this.namespace("guild sizes"));
  }

  /** A per-purpose 32-bit seed; also the UUID namespace of a table. */
  namespace(label: string): number {
    let n = this.ns.get(label);
    if (n === undefined) {
      n = hashString(this.seed, label);
      this.ns.set(label, n);
    }
    return n;
  }

  id(kind: string, index: number): string {
    let n = this.idNs.get(kind);
    if (n === undefined) {
      n = this.namespace(`id:${kind}`);
      this.idNs.set(kind, n);
    }
    return uuid(n, index);
  }

  // ---- ownership: groups of 4 users own 10 characters ----
  private pattern(group: number): { counts: readonly number[]; rotate: number } {
    const h = hash32(this.namespace("ownership"), group);
    return { counts: OWNERSHIP_PATTERNS[h % OWNERSHIP_PATTERNS.length]!, rotate: (h >>> 8) % 4 };
  }

  userOf(character: number): number {
    const group = Math.floor(character / 10);
    let offset = character % 10;
    const { counts, rotate } = this.pattern(group);
    for (let k = 0; k < 4; k++) {
      const n = counts[(k + rotate) % 4]!;
      if (offset < n) return group * 4 + k;
      offset -= n;
    }
    throw new Error("unreachable: ownership pattern does not sum to 10");
  }

  /** [first, end) character indexes of a user. */
  charactersOf(user: number): [number, number] {
    const group = Math.floor(user / 4);
    const { counts, rotate } = this.pattern(group);
    let start = group * 10;
    for (let k = 0; k < user % 4; k++) start += counts[(k + rotate) % 4]!;
    return [start, start + counts[((user % 4) + rotate) % 4]!];
  }

  // ---- per-character facts ----
  /** Skewed towards low levels, with a bump at the cap (max-level mains): 1..100. */
  level(character: number): number {
    const u = unit(hash32(this.namespace("level"), character));
    if (u < 0.12) return 100;
    return Math.min(99, 1 + Math.floor(99 * ((u - 0.12) / 0.88) ** 2.4));
  }

  isDeleted(character: number): boolean {
    return this.charPerm.inverse(character) < this.deleted;
  }

  /** Position among the alive characters, or -1 for a deleted one. */
  aliveSlot(character: number): number {
    const k = this.charPerm.inverse(character);
    return k < this.deleted ? -1 : k - this.deleted;
  }

  characterAtAlive(slot: number): number {
    return this.charPerm.forward(this.deleted + slot);
  }

  isOnline(character: number): boolean {
    const slot = this.aliveSlot(character);
    return slot >= 0 && this.onlinePerm.inverse(slot) < this.v.player_presence;
  }

  /** The r-th online character (r < player_presence). */
  onlineCharacter(r: number): number {
    return this.characterAtAlive(this.onlinePerm.forward(r));
  }

  guildMaxMembers(guild: number): number {
    const u = unit(hash32(this.namespace("guild cap"), guild));
    return u < 0.5 ? 50 : u < 0.8 ? 100 : u < 0.95 ? 250 : 500;
  }

  randomCharacter(h: number): number {
    return Math.floor(unit(h) * this.characters);
  }
}
