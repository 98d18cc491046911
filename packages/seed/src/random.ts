/**
 * Deterministic randomness. Two kinds, both seeded only from the user's seed value:
 * - `hash32`: a stateless mix of integers, for random *access* (any table can ask "what level is
 *   character 123456?" without generating characters 0..123455), which is how foreign keys and
 *   counters stay consistent without holding tables in memory;
 * - `Rng` (sfc32): a fast sequential stream, one per table, for the columns nobody else reads.
 * Math.random is never used, so the same seed always gives the same rows.
 */

/** murmur3's finaliser over a running state; good avalanche, a few multiplies. */
export function hash32(a: number, b = 0, c = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ (b >>> 0) ^ Math.floor(b / 4294967296), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A stable 32-bit value from a label, so "users" and "combat_log" get unrelated streams. */
export function hashString(seed: number, label: string): number {
  let h = hash32(seed, label.length);
  for (let i = 0; i < label.length; i++) h = hash32(h, label.charCodeAt(i));
  return h;
}

/** Uniform float in [0, 1) from a hash value. */
export function unit(h: number): number {
  return h / 4294967296;
}

/** sfc32 (Chris Doty-Humphrey's small fast chaotic PRNG): passes PractRand, 4 words of state. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = hash32(seed, 1);
    this.b = hash32(seed, 2);
    this.c = hash32(seed, 3);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 4294967296;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Approximately normal (Irwin–Hall of 4), clamped to [lo, hi]. */
  normal(mean: number, sd: number, lo = -Infinity, hi = Infinity): number {
    const z = (this.float() + this.float() + this.float() + this.float() - 2) * 1.7320508;
    return Math.min(hi, Math.max(lo, mean + z * sd));
  }
}

/** Picks from a weighted list with a precomputed cumulative table. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly items: T[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [item, weight] of entries) {
      sum += weight;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  /** u in [0, 1). */
  at(u: number): T {
    const x = u * this.total;
    let i = 0;
    while (i < this.cumulative.length - 1 && (this.cumulative[i] as number) <= x) i++;
    return this.items[i] as T;
  }

  get values(): readonly T[] {
    return this.items;
  }
}
