import { hash32, unit } from "./random.ts";

/**
 * Power-law guild sizes that add up to exactly `members` and never exceed a guild's max_members:
 * raw Pareto weights (α = 1.1: a few huge guilds, a long tail of small ones) are scaled by a factor
 * found by bisection, capped, and the remainder handed out one by one to guilds with room.
 */
export function guildSizes(guilds: number, members: number, cap: (g: number) => number, seed: number): Int32Array {
  const weights = new Float64Array(guilds);
  const caps = new Int32Array(guilds);
  let capacity = 0;
  for (let g = 0; g < guilds; g++) {
    weights[g] = (1 - unit(hash32(seed, g))) ** (-1 / 1.1);
    caps[g] = cap(g);
    capacity += caps[g]!;
  }
  if (members < guilds || members > capacity) {
    throw new RangeError(`cannot place ${members} guild members in ${guilds} guilds (capacity ${capacity}, at least one each)`);
  }
  const sizes = new Int32Array(guilds);
  const fill = (f: number): number => {
    let sum = 0;
    for (let g = 0; g < guilds; g++) {
      sizes[g] = Math.max(1, Math.min(caps[g]!, Math.floor(weights[g]! * f)));
      sum += sizes[g]!;
    }
    return sum;
  };
  let lo = 0;
  let hi = 1;
  while (fill(hi) < members && hi < 1e12) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (fill(mid) <= members) lo = mid;
    else hi = mid;
  }
  let remaining = members - fill(lo);
  for (let g = 0; remaining > 0; g = (g + 1) % guilds) {
    if (sizes[g]! < caps[g]!) {
      sizes[g]!++;
      remaining--;
    }
  }
  return sizes;
}
