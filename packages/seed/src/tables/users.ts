import * as c from "../encode.ts";
import { hexBytes } from "../ids.ts";
import { ipv4, USER_AGENTS } from "../names.ts";
import { Quota } from "../quota.ts";
import { hash32, Rng, unit } from "../random.ts";
import { userCreatedMs } from "../time.ts";
import { DAY_MS, type World } from "../world.ts";
import type { TableSpec } from "./types.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function b64ish(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += B64[rng.next() & 63];
  return out;
}

function userStatus(world: World, user: number): string {
  const u = unit(hash32(world.namespace("user status"), user));
  return u < 0.94 ? "active" : u < 0.97 ? "deleted" : u < 0.99 ? "suspended" : "banned";
}

function liveCharacters(world: World, user: number): number {
  const [first, end] = world.charactersOf(user);
  let n = 0;
  for (let i = first; i < end; i++) if (!world.isDeleted(i)) n++;
  return n;
}

export const users: TableSpec = {
  name: "users",
  columns: ["id", "email", "password_hash", "status", "created_at", "updated_at", "last_login_at", "character_count"],
  deps: [],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:users"));
    const domains = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "web.de", "mail.ru", "icloud.com"];
    for (let u = 0; u < world.v.users; u++) {
      const created = userCreatedMs(world, u);
      const lastLogin = rng.chance(0.06) ? null : created + (world.anchorMs - created) * rng.float() ** 0.3;
      const email = `player${u.toString(36)}${world.suffix}.${rng.int(1, 9999)}@${rng.pick(domains)}`;
      const hash = `$argon2id$v=19$m=65536,t=3,p=4$${b64ish(rng, 22)}$${b64ish(rng, 43)}`;
      // With triggers on, the characters' insert trigger counts them; otherwise write the count.
      const count = world.computeCounters ? liveCharacters(world, u) : 0;
      yield c.row([world.id("user", u), email, hash, userStatus(world, u), c.timestamp(created), c.timestamp(lastLogin ?? created), c.nullableTimestamp(lastLogin), String(count)]);
    }
  },
};

export const sessions: TableSpec = {
  name: "sessions",
  columns: ["id", "user_id", "token_hash", "created_at", "expires_at", "last_seen_at", "ip_address", "user_agent", "revoked_at"],
  deps: ["users"],
  *rows(world) {
    const rng = new Rng(world.namespace("rows:sessions"));
    // Players with more characters play more and hold more live sessions; banned ones none.
    const weight = (u: number) => (userStatus(world, u) === "active" ? 1 + liveCharacters(world, u) : 0);
    const quota = new Quota(world.v.sessions, world.v.users, weight);
    const ns = world.namespace("token");
    let index = 0;
    for (let u = 0; u < world.v.users; u++) {
      const n = quota.next(weight(u));
      const userId = world.id("user", u);
      const ip = ipv4(hash32(ns, u));
      for (let k = 0; k < n; k++, index++) {
        const created = world.anchorMs - rng.float() * 30 * DAY_MS;
        const lastSeen = created + (world.anchorMs - created) * rng.float();
        const revoked = rng.chance(0.1) ? lastSeen : null;
        yield c.row([world.id("session", index), userId, c.byteaHex(hexBytes(ns, index, 32)), c.timestamp(created), c.timestamp(created + 30 * DAY_MS), c.timestamp(lastSeen), ip, c.text(rng.pick(USER_AGENTS)), c.nullableTimestamp(revoked)]);
      }
    }
  },
};
