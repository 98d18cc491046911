import type { TableName } from "../profiles.ts";
import type { World } from "../world.ts";

/** One table the seeder loads: its COPY column list, what must be loaded first, and its rows. */
export interface TableSpec {
  name: TableName;
  columns: readonly string[];
  /** Foreign-key parents (loaded first so the load also works with triggers and FK checks on). */
  deps: readonly TableName[];
  /** COPY text lines, generated lazily and deterministically from the world. */
  rows(world: World): Iterable<string>;
}
