import * as c from "../encode.ts";
import { WINDOW_DAYS } from "../profiles.ts";
import { Quota } from "../quota.ts";
import { Rng } from "../random.ts";
import { DAY_MS, type World } from "../world.ts";
import { characterZone } from "./characters.ts";
import { instanceId } from "./presence.ts";
import type { TableSpec } from "./types.ts";

/**
 * Movement trails over the last 30 days: each character's samples come in play sessions (bursts of
 * samples 2-10 s apart) started at random moments, so every daily partition gets rows and a
 * character's timestamps strictly increase: the (character_id, timestamp) key never collides.
 */
export const characterPositions: TableSpec = {
  name: "character_positions",
  columns: ["character_id", "timestamp", "position_x", "position_y", "position_z", "rotation_yaw", "velocity_x", "velocity_y", "velocity_z", "zone_id", "instance_id"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:character_positions"));
    const window = WINDOW_DAYS.character_positions * DAY_MS;
    const weight = (j: number) => {
      const i = world.characterAtAlive(j);
      return 1 + Math.floor(world.level(i) / 20) + (world.isOnline(i) ? 8 : 0);
    };
    const quota = new Quota(world.v.character_positions, world.alive, weight);
    const starts: number[] = [];
    for (let j = 0; j < world.alive; j++) {
      const n = quota.next(weight(j));
      if (n === 0) continue;
      const i = world.characterAtAlive(j);
      const id = world.id("character", i);
      const zone = characterZone(world, i);
      const instance = instanceId(zone, rng.next());
      const zoneText = String(zone);
      const bursts = Math.ceil(n / 25);
      starts.length = 0;
      for (let b = 0; b < bursts; b++) starts.push(world.anchorMs - window + rng.float() * (window - 3_600_000));
      starts.sort((x, y) => x - y);
      let t = 0;
      let x = rng.float() * 4096 - 2048;
      let y = rng.float() * 4096 - 2048;
      let yaw = rng.float() * 360;
      for (let k = 0; k < n; k++) {
        const burstStart = starts[Math.floor(k / 25)]!;
        t = Math.max(k % 25 === 0 ? burstStart : t + rng.int(2_000, 10_000), t + 1);
        yaw = (yaw + rng.normal(0, 25) + 360) % 360;
        const speed = rng.chance(0.2) ? 0 : 7 * rng.float();
        const vx = speed * Math.cos((yaw * Math.PI) / 180);
        const vy = speed * Math.sin((yaw * Math.PI) / 180);
        x = Math.max(-2048, Math.min(2048, x + vx * 5));
        y = Math.max(-2048, Math.min(2048, y + vy * 5));
        yield `${id}\t${c.timestamp(t)}\t${x.toFixed(2)}\t${y.toFixed(2)}\t${(40 + rng.float() * 20).toFixed(2)}\t${yaw.toFixed(1)}\t${vx.toFixed(2)}\t${vy.toFixed(2)}\t0\t${zoneText}\t${instance}\n`;
      }
    }
  },
};
