import { describe, expect, it } from "vitest";
import {
  P, P_BIG, GENERATOR, TWO_ADICITY, add, sub, neg, mul, mulSplit, pow, inv, batchInverse, rootOfUnity, fe,
  decodeFe, encodeFe, decodeFeVector, encodeFeVector, reduce, fromBigInt,
} from "../verifier/field.ts";
import { isVerifierError } from "../verifier/errors.ts";

/** Deterministic xorshift PRNG so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}
const EDGES = [0, 1, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, 2 ** 16, 2 ** 16 - 1, 2 ** 27, 2 ** 30, 2 ** 31 - 1 - (2 ** 31 - P), 0x7fff_ffff % P, 31, 11];

/** The typed error kind thrown by fn (or "none"). */
function kindOf(fn: () => unknown): string {
  try { fn(); } catch (e) { return isVerifierError(e) ? e.kind : `untyped: ${String(e)}`; }
  return "none";
}

function refMul(a: number, b: number): number {
  return Number((BigInt(a) * BigInt(b)) % P_BIG);
}

describe("BabyBear base field", () => {
  it("has the documented constants", () => {
    expect(P).toBe(15 * 2 ** 27 + 1);
    expect(TWO_ADICITY).toBe(27);
    // 31 generates F_p^*: g^((p-1)/q) ≠ 1 for each prime q | p − 1 = 2^27 · 3 · 5.
    for (const q of [2, 3, 5]) expect(pow(GENERATOR, (P - 1) / q)).not.toBe(1);
    expect(pow(GENERATOR, P - 1)).toBe(1);
  });

  it("add/sub/neg/mul agree with BigInt on 10^5 random pairs plus edge values", () => {
    const r = rng(12345);
    const pairs: [number, number][] = [];
    for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
    for (let i = 0; i < 100_000; i++) pairs.push([r() % P, r() % P]);
    let bad = 0;
    for (const [a, b] of pairs) {
      const A = BigInt(a), B = BigInt(b);
      if (mul(a, b) !== refMul(a, b)) bad++;
      if (mulSplit(a, b) !== refMul(a, b)) bad++;
      if (add(a, b) !== Number((A + B) % P_BIG)) bad++;
      if (sub(a, b) !== Number((((A - B) % P_BIG) + P_BIG) % P_BIG)) bad++;
      if (neg(a) !== Number((P_BIG - A) % P_BIG)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("mul is exact where a·b mod p is near 0 or p (where the float quotient is off by one)", () => {
    // b = d · a⁻¹ makes a·b ≡ d (mod p) for small |d|: the remainders next to 0 and p.
    const r = rng(7);
    let bad = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = (r() % (P - 2)) + 2;
      const d = (r() % 4096) - 2048;
      const b = Number(((BigInt(d) + P_BIG) % P_BIG * BigInt(inv(a))) % P_BIG);
      if (mul(a, b) !== refMul(a, b)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("pow and inv match BigInt; inv(0) throws", () => {
    const r = rng(99);
    for (let i = 0; i < 500; i++) {
      const a = (r() % (P - 1)) + 1;
      const e = r();
      let acc = 1n, base = BigInt(a), x = BigInt(e);
      while (x > 0n) { if (x & 1n) acc = (acc * base) % P_BIG; base = (base * base) % P_BIG; x >>= 1n; }
      expect(pow(a, e)).toBe(Number(acc));
      expect(pow(a, BigInt(e))).toBe(Number(acc));
      expect(mul(a, inv(a))).toBe(1);
    }
    expect(() => inv(0)).toThrow(RangeError);
    expect(pow(0, 0)).toBe(1);
  });

  it("batchInverse matches inv and rejects zero", () => {
    const r = rng(5);
    const xs = new Uint32Array(1000).map(() => (r() % (P - 1)) + 1);
    const ys = batchInverse(xs);
    for (let i = 0; i < xs.length; i++) expect(ys[i]).toBe(inv(xs[i]!));
    expect(batchInverse(new Uint32Array(0)).length).toBe(0);
    expect(() => batchInverse(Uint32Array.of(3, 0, 5))).toThrow(/index 1/);
  });

  it("roots of unity have exact order 2^k", () => {
    for (let k = 0; k <= TWO_ADICITY; k++) {
      const w = rootOfUnity(k);
      expect(pow(w, 2 ** k)).toBe(1);
      if (k > 0) expect(pow(w, 2 ** (k - 1))).toBe(P - 1);
    }
    expect(() => rootOfUnity(28)).toThrow(RangeError);
    expect(() => rootOfUnity(-1)).toThrow(RangeError);
  });

  it("encodes little-endian and rejects non-canonical values", () => {
    expect([...encodeFe(0x01020304)]).toEqual([4, 3, 2, 1]);
    expect(decodeFe(encodeFe(P - 1))).toBe(P - 1);
    for (const bad of [P, P + 1, 0xffff_ffff, 2 ** 31]) {
      const bytes = Uint8Array.of(bad & 0xff, (bad >>> 8) & 0xff, (bad >>> 16) & 0xff, bad >>> 24);
      let err: unknown;
      try { decodeFe(bytes); } catch (e) { err = e; }
      expect(isVerifierError(err) && err.kind).toBe("NonCanonical");
    }
    expect(kindOf(() => decodeFe(new Uint8Array(3)))).toBe("Malformed");
    expect(kindOf(() => decodeFeVector(new Uint8Array(5)))).toBe("Malformed");
    const v = Uint32Array.of(0, 1, P - 1, 12345);
    expect([...decodeFeVector(encodeFeVector(v))]).toEqual([...v]);
    expect(kindOf(() => fe(P))).toBe("NonCanonical");
    expect(kindOf(() => fe(1.5))).toBe("NonCanonical");
    expect(kindOf(() => fe(-1))).toBe("NonCanonical");
    expect(fe(P - 1)).toBe(P - 1);
    expect(reduce(-1)).toBe(P - 1);
    expect(fromBigInt(-P_BIG * 3n - 2n)).toBe(P - 2);
  });
});
