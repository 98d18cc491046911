import { DAY_MS, type World } from "./world.ts";
import { hash32, unit } from "./random.ts";
import { WINDOW_DAYS } from "./profiles.ts";

/** When a user signed up: over the game's life, denser recently (the player base grew). */
export function userCreatedMs(world: World, user: number): number {
  const u = unit(hash32(world.namespace("user created"), user));
  return world.anchorMs - WINDOW_DAYS.launch * DAY_MS * (1 - u ** 0.6) - 3_600_000;
}

/** A character is created after its owner, alts later than mains. */
export function characterCreatedMs(world: World, character: number): number {
  const owner = userCreatedMs(world, world.userOf(character));
  const u = unit(hash32(world.namespace("char created"), character));
  return owner + (world.anchorMs - 3_600_000 - owner) * u ** 1.5;
}

/** The n-th of N events spread over a window ending at the anchor, in time order, denser lately. */
export function spreadMs(world: World, windowDays: number, k: number, n: number, jitterSeed: number): number {
  const x = (k + unit(hash32(jitterSeed, k))) / n;
  return world.anchorMs - windowDays * DAY_MS + windowDays * DAY_MS * x ** 0.85;
}
