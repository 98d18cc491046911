import * as c from "../encode.ts";
import { ipv4, REGIONS } from "../names.ts";
import { WINDOW_DAYS } from "../profiles.ts";
import { Rng, Weighted } from "../random.ts";
import { spreadMs } from "../time.ts";
import { DAY_MS } from "../world.ts";
import type { TableSpec } from "./types.ts";

const EVENTS = new Weighted([["session_start", 20], ["session_end", 18], ["zone_enter", 25], ["quest_complete", 12], ["level_up", 6], ["purchase", 3], ["item_craft", 8], ["pvp_match", 5], ["client_crash", 1], ["tutorial_step", 2]] as const);

/** Product analytics over 13 months (retention 12); user and character of an event always agree. */
export const analyticsEvents: TableSpec = {
  name: "analytics_events",
  columns: ["id", "event_type", "user_id", "character_id", "session_id", "event_data", "ip_address", "timestamp"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:analytics_events"));
    const n = world.v.analytics_events;
    const jitter = world.namespace("analytics time");
    for (let k = 0; k < n; k++) {
      const character = world.randomCharacter(rng.next());
      const type = EVENTS.at(rng.float());
      const level = world.level(character);
      const data =
        type === "purchase" ? { sku: `gems_${rng.pick([100, 550, 1200, 2500])}`, price: { amount: rng.pick([0.99, 4.99, 9.99, 19.99]), currency: rng.pick(["USD", "EUR", "GBP"]) }, store: rng.pick(["steam", "web", "ios"]) }
        : type === "level_up" ? { from: Math.max(1, level - 1), to: level, playtime_s: rng.int(600, 40_000) }
        : type === "zone_enter" ? { zone: rng.int(1, 40), from_zone: rng.int(1, 40), party_size: rng.int(1, 5) }
        : type === "client_crash" ? { code: "0xC0000005", module: "render.dll", trace: "at Render::Frame()\n\tat Main::Loop()" }
        : type === "session_start" ? { client: rng.pick(["3.14.2", "3.14.1", "3.13.9"]), os: rng.pick(["win64", "macos", "linux"]), region: rng.pick(REGIONS) }
        : { level, value: rng.int(1, 1000) };
      const withCharacter = type !== "session_start" && type !== "session_end" && type !== "client_crash";
      yield c.row([world.id("analytics", k), type, world.id("user", world.userOf(character)), withCharacter ? world.id("character", character) : c.NULL, world.id("analytics session", Math.floor(k / 8)), c.json(data), rng.chance(0.1) ? c.NULL : ipv4(rng.next()), c.timestamp(spreadMs(world, WINDOW_DAYS.analytics_events, k, n, jitter))]);
    }
  },
};

const METRICS = ["cpu_pct", "mem_mb", "tick_ms", "players", "net_kbps", "db_latency_ms"] as const;
const SERVERS = REGIONS.flatMap((r) => [0, 1, 2, 3].map((s) => `${r}-gs-${String(s).padStart(2, "0")}`));

/** A regular grid (time × server × metric): the primary key (timestamp, server_id, metric_type) is unique by construction. */
export const performanceMetrics: TableSpec = {
  name: "performance_metrics",
  columns: ["timestamp", "server_id", "metric_type", "metric_value", "tags"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:performance_metrics"));
    const n = world.v.performance_metrics;
    const perPoint = SERVERS.length * METRICS.length;
    const points = Math.ceil(n / perPoint);
    const step = Math.max(1000, Math.floor((WINDOW_DAYS.performance_metrics * DAY_MS) / points));
    const start = world.anchorMs - points * step;
    for (let k = 0; k < n; k++) {
      const point = Math.floor(k / perPoint);
      // An appended seed reports from its own servers, so the grid's key stays unique.
      const server = SERVERS[Math.floor(k / METRICS.length) % SERVERS.length]! + world.suffix;
      const metric = METRICS[k % METRICS.length]!;
      const hour = new Date(start + point * step).getUTCHours();
      const load = 0.5 + 0.4 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
      const value = metric === "cpu_pct" ? 20 + 70 * load * rng.float() : metric === "mem_mb" ? 8000 + 6000 * load : metric === "tick_ms" ? 16 + 30 * load * rng.float() : metric === "players" ? Math.round(3000 * load) : metric === "net_kbps" ? 40_000 * load : 2 + 10 * rng.float();
      yield c.row([c.timestamp(start + point * step), server, metric, value.toFixed(3), c.json({ region: server.slice(0, server.indexOf("-gs-")), build: "3.14.2" })]);
    }
  },
};
