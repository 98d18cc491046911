import { hash32 } from "./random.ts";

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex8(n: number): string {
  return HEX[(n >>> 24) & 255]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

function hex4(n: number): string {
  return HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/**
 * A UUID (version-4 layout) that is a pure function of (namespace, index). The index sits in the
 * last 48 bits, so ids of one namespace never collide; the other bits are hashed, so ids look
 * random and spread over the B-tree like gen_random_uuid() would. Any table can compute the id of
 * "character 123456" on the spot; that is what keeps foreign keys right without lookups.
 */
export function uuid(namespace: number, index: number): string {
  const h1 = hash32(namespace, index, 0x51);
  const h2 = hash32(namespace, index, 0xa7);
  const hi = Math.floor(index / 4294967296);
  return `${hex8(h1)}-${hex4(h2 >>> 16)}-${hex4(0x4000 | (h2 & 0x0fff))}-${hex4(0x8000 | ((h1 ^ h2) & 0x3fff))}-${hex4(hi)}${hex8(index >>> 0)}`;
}

/** `bytes` pseudo-random bytes as hex, unique per (namespace, index) because the index leads. */
export function hexBytes(namespace: number, index: number, bytes: number): string {
  let out = hex8(index >>> 0) + hex8(Math.floor(index / 4294967296));
  for (let k = 0; out.length < bytes * 2; k++) out += hex8(hash32(namespace, index, k));
  return out.slice(0, bytes * 2);
}
