import { describe, expect, it } from "vitest";
import { P } from "../verifier/field.ts";
import { extOf } from "../verifier/ext.ts";
import { Transcript } from "../verifier/transcript.ts";
import { leadingZeroBits, meetsDifficulty, verifyPowNonce, grindNonce, powDigest, checkPowBits, MAX_POW_BITS } from "../verifier/pow.ts";
import { isVerifierError } from "../verifier/errors.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** A fixed script of absorbs; `mutate(i)` alters the i-th absorbed item. */
function script(t: Transcript, mutate = -1): string[] {
  const flip = (i: number, x: number) => (i === mutate ? (x + 1) % P : x);
  const out: string[] = [];
  t.seed(1, Uint32Array.of(2, flip(0, 43), 2, 3, 16, 1), new Uint8Array(32).fill(mutate === 1 ? 8 : 7), [10, flip(2, 12)], Uint32Array.of(5, flip(3, 7)));
  out.push([...t.challengeExt("alpha")].join(","));
  t.absorbDigest("main/root", new Uint8Array(32).fill(mutate === 4 ? 2 : 1));
  out.push(String(t.challengeField("beta")));
  t.absorbExts("ood", [extOf(1, 2, 3, flip(5, 4))]);
  out.push(t.challengeIndices("q", 8, 20).join(","));
  t.absorbBytes("misc", Uint8Array.of(1, 2, flip(6, 3)));
  out.push(hex(t.challengeBytes("end", 32)));
  return out;
}

describe("Fiat–Shamir transcript", () => {
  it("is deterministic", () => {
    expect(script(new Transcript("x"))).toEqual(script(new Transcript("x")));
  });

  it("changing any absorbed item changes every later challenge (and none before it)", () => {
    const base = script(new Transcript("x"));
    // item index → index of the first challenge drawn after it
    const firstAfter: Record<number, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 1, 5: 2, 6: 3 };
    for (const [item, first] of Object.entries(firstAfter)) {
      const m = script(new Transcript("x"), Number(item));
      for (let c = 0; c < base.length; c++) {
        if (c < first) expect(m[c], `item ${item}, challenge ${c}`).toBe(base[c]);
        else expect(m[c], `item ${item}, challenge ${c}`).not.toBe(base[c]);
      }
    }
    // protocol label too
    expect(script(new Transcript("y"))[0]).not.toBe(base[0]);
  });

  it("encoding is unambiguous: [5,7] vs [5,7,0,0], tags, kinds and splits all differ", () => {
    const after = (f: (t: Transcript) => void) => {
      const t = new Transcript("x");
      f(t);
      return hex(t.digest);
    };
    const all = [
      after((t) => t.absorbFields("a", [5, 7])),
      after((t) => t.absorbFields("a", [5, 7, 0, 0])),
      after((t) => t.absorbFields("a", [5, 7, 0])),
      after((t) => t.absorbFields("b", [5, 7])),
      after((t) => { t.absorbFields("a", [5]); t.absorbFields("a", [7]); }),
      after((t) => t.absorbBytes("a", Uint8Array.of(5, 0, 0, 0, 7, 0, 0, 0))), // same payload bytes, other kind
      after((t) => t.absorbExts("a", [extOf(5, 7, 0, 0)])), // same payload as [5,7,0,0], other kind/count
      after((t) => t.absorbUints("a", [5, 7])),
      after((t) => t.absorbFields("", [5, 7])),
      after((t) => t.absorbFields("a5", [7])),
      after(() => undefined),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it("draws challenges in range, uniformly enough, and independent per squeeze", () => {
    const t = new Transcript("u");
    const xs = t.challengeFields("f", 20_000);
    for (const x of xs) expect(x).toBeLessThan(P);
    // top-bit balance of 31-bit rejection sampling: mean near p/2 (a biased reduction would not move it much, but a
    // broken mask would)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean / P - 0.5)).toBeLessThan(0.01);
    const idx = t.challengeIndices("i", 20_000, 3);
    const counts = new Array(8).fill(0);
    for (const i of idx) counts[i]++;
    for (const c of counts) expect(Math.abs(c - 2500)).toBeLessThan(250);
    expect(t.challengeIndices("i", 5, 0)).toEqual([0, 0, 0, 0, 0]);
    for (const i of t.challengeIndices("i", 100, 32)) expect(i).toBeLessThan(2 ** 32);
    for (let k = 0; k < 200; k++) expect(t.challengeIndexBelow("n", 3)).toBeLessThan(3);
    // same tag twice → different challenges (the squeeze advances the state)
    expect(t.challengeField("same")).not.toBe(t.challengeField("same"));
    expect(() => t.challengeIndices("i", 1, 33)).toThrow(RangeError);
    expect(() => t.absorbDigest("d", new Uint8Array(31))).toThrow(RangeError);
  });

  it("clone is independent", () => {
    const t = new Transcript("c");
    t.absorbFields("a", [1]);
    const c = t.clone();
    expect(c.challengeField("z")).toBe(t.clone().challengeField("z"));
    c.absorbFields("b", [2]);
    expect(hex(c.digest)).not.toBe(hex(t.digest));
  });
});

describe("proof of work", () => {
  it("leading-zero counting is exact at 0, 31, 32, 33 and 60 bits (no 1 << 32 trap)", () => {
    const d = new Uint8Array(32).fill(0xff);
    expect(leadingZeroBits(d)).toBe(0);
    expect(meetsDifficulty(d, 0)).toBe(true);
    expect(meetsDifficulty(d, 1)).toBe(false);
    const withZeros = (z: number) => {
      const x = new Uint8Array(32).fill(0xff);
      for (let i = 0; i < z; i++) x[i >>> 3]! &= ~(0x80 >>> (i & 7));
      return x;
    };
    for (const z of [1, 7, 8, 31, 32, 33, 47, 48, 60]) {
      const x = withZeros(z);
      expect(leadingZeroBits(x)).toBe(z);
      expect(meetsDifficulty(x, z)).toBe(true);
      expect(meetsDifficulty(x, z + 1)).toBe(false);
      expect(meetsDifficulty(x, z - 1)).toBe(true);
    }
    // a digest with exactly 31 zero bits must NOT pass 32 (where `1 << 32 === 1` style code would pass anything)
    expect(meetsDifficulty(withZeros(31), 32)).toBe(false);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });

  it("grinds and verifies at 0..12 bits; a nonce for few bits fails at 31, 32 and 40", () => {
    const seed = new Uint8Array(32).map((_, i) => i * 7);
    for (const bits of [0, 1, 5, 8, 12]) {
      const n = grindNonce(seed, bits);
      expect(verifyPowNonce(seed, bits, n)).toBe(true);
      expect(leadingZeroBits(powDigest(seed, n))).toBeGreaterThanOrEqual(bits);
      // the smallest such nonce: every earlier one fails
      for (let m = 0; m < n; m++) expect(verifyPowNonce(seed, bits, m)).toBe(false);
    }
    const n8 = grindNonce(seed, 8);
    const z = leadingZeroBits(powDigest(seed, n8));
    for (const bits of [31, 32, 33, 40, 48]) expect(verifyPowNonce(seed, bits, n8)).toBe(z >= bits);
    expect(verifyPowNonce(seed, 0, 12345)).toBe(true);
    expect(verifyPowNonce(seed, 4, -1)).toBe(false);
    expect(verifyPowNonce(seed, 4, 1.5)).toBe(false);
    expect(verifyPowNonce(seed, 4, 2 ** 53)).toBe(false);
    // nonces above 2^32 are distinct messages (u64 encoding), not aliases of their low 32 bits
    expect(hex(powDigest(seed, 2 ** 32 + 5))).not.toBe(hex(powDigest(seed, 5)));
  });

  it("refuses difficulties outside [0, MAX_POW_BITS] with InvalidParams", () => {
    for (const bad of [-1, MAX_POW_BITS + 1, 64, 1.5, Number.NaN]) {
      let kind = "none";
      try { checkPowBits(bad); } catch (e) { kind = isVerifierError(e) ? e.kind : "untyped"; }
      expect(kind).toBe("InvalidParams");
    }
    expect(() => checkPowBits(MAX_POW_BITS)).not.toThrow();
  });

  it("transcript grind/check round trip; a wrong nonce is a ProofOfWork error; the nonce is absorbed", () => {
    const a = new Transcript("p");
    const nonce = a.grindPow("pow", 6);
    const b = new Transcript("p");
    b.checkPow("pow", 6, nonce);
    expect(hex(b.digest)).toBe(hex(a.digest));
    const c = new Transcript("p");
    const seed = new Transcript("p").challengeBytes("pow", 32);
    let bad = 0;
    while (verifyPowNonce(seed, 6, bad)) bad++;
    let kind = "none";
    try { c.checkPow("pow", 6, bad); } catch (e) { kind = isVerifierError(e) ? e.kind : "untyped"; }
    expect(kind).toBe("ProofOfWork");
  });
});
