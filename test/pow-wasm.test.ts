import { describe, expect, it } from "vitest";
import { grindNonce, powDigest, leadingZeroBits, verifyPowNonce } from "../verifier/pow.ts";
import { grindNonceWasm } from "../prover/pow.ts";

function seedOf(i: number): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, k) => (i * 131 + k * 17 + 7) & 0xff);
}

describe("proof-of-work search in the SHA-256 kernel", () => {
  it("finds the same nonce as the reference search (verifier/pow.ts), from 0 and across the 2^32 boundary", () => {
    for (let i = 0; i < 6; i++) {
      for (const bits of [0, 1, 5, 9, 12]) {
        for (const start of [0, 2 ** 32 - 3000, 2 ** 40 + 17]) {
          const n = grindNonceWasm(seedOf(i), bits, start);
          expect(n, `seed ${i}, ${bits} bits from ${start}`).toBe(grindNonce(seedOf(i), bits, start));
          expect(verifyPowNonce(seedOf(i), bits, n)).toBe(true);
        }
      }
    }
  });

  it("every nonce it skipped misses the difficulty (the result is the smallest)", () => {
    const seed = seedOf(99);
    const n = grindNonceWasm(seed, 10, 5000);
    for (let m = 5000; m < n; m++) expect(leadingZeroBits(powDigest(seed, m))).toBeLessThan(10);
  });

  it("refuses bits outside the protocol's range like the reference", () => {
    expect(() => grindNonceWasm(seedOf(1), 49)).toThrow(/proof-of-work bits/);
    expect(() => grindNonceWasm(seedOf(1), -1)).toThrow(/proof-of-work bits/);
  });
});
