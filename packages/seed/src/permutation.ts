import { hash32 } from "./random.ts";

/** (a * b) mod n without leaving the 2^53 range of exact doubles (n < 2^32). */
function mulmod(a: number, b: number, n: number): number {
  const aHi = Math.floor(a / 65536);
  const aLo = a % 65536;
  return (((aHi * b) % n) * 65536 + aLo * b) % n;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: number, n: number): number {
  let [oldR, r] = [BigInt(a), BigInt(n)];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return Number(((oldS % BigInt(n)) + BigInt(n)) % BigInt(n));
}

/**
 * A seeded bijection of [0, n): k -> (a·k + b) mod n with gcd(a, n) = 1, and its inverse. Used to
 * carve the characters into disjoint, random-looking sets (deleted / in a guild / online) with
 * exact sizes, answerable for any single character in O(1) and with no memory.
 */
export class Permutation {
  private readonly a: number;
  private readonly b: number;
  private readonly aInv: number;

  constructor(
    readonly n: number,
    seed: number,
  ) {
    if (n <= 1) {
      this.a = 1;
      this.b = 0;
      this.aInv = 1;
      return;
    }
    let a = (hash32(seed, n, 1) % (n - 1)) + 1;
    while (gcd(a, n) !== 1) a = (a % (n - 1)) + 1;
    this.a = a;
    this.b = hash32(seed, n, 2) % n;
    this.aInv = modInverse(a, n);
  }

  forward(k: number): number {
    if (this.n <= 1) return k;
    return (mulmod(this.a, k, this.n) + this.b) % this.n;
  }

  inverse(i: number): number {
    if (this.n <= 1) return i;
    return mulmod(this.aInv, (i - this.b + this.n) % this.n, this.n);
  }
}
