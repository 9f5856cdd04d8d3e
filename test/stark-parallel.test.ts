/**
 * The worker-pool paths (LDE, Merkle, quotient) give the same proof as the in-thread paths, bit for bit
 * (checked with zero knowledge off, where proving is deterministic).
 */
import { describe, expect, it } from "vitest";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { DEFAULT_PARAMS } from "../verifier/protocol.ts";
import { wideAir, wideTrace } from "../prover/examples/wide.ts";

describe("parallel prover", () => {
  it("workers on/off produce identical proofs (zk off) that verify", async () => {
    const air = wideAir(64);
    const { traces, publics } = wideTrace(64, 14);
    const params = { ...DEFAULT_PARAMS, zk: false };
    const a = await prove(air, traces, publics, { params, check: false, workers: true });
    const b = await prove(air, traces, publics, { params, check: false, workers: false });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(verify(air, a.bytes, publics, { params })).toMatchObject({ ok: true });
  });
});

describe("extension inverses via the norm", () => {
  it("1/(x − ζ) from inverseOfBaseMinusExt matches eInv, also for ζ in the base field", async () => {
    const { inverseOfBaseMinusExt } = await import("../prover/deep-range.ts");
    const { eInv, eSub, extOf } = await import("../verifier/ext.ts");
    const xs = Uint32Array.from([1, 2, 31, 12345, 2013265920, 99999999]);
    for (const zeta of [extOf(7, 11, 13, 17), extOf(0, 1), extOf(5)]) {
      const got = inverseOfBaseMinusExt(xs, zeta);
      xs.forEach((x, i) => {
        const want = eInv(eSub(extOf(x), zeta));
        expect([0, 1, 2, 3].map((k) => got[k * xs.length + i])).toEqual([...want]);
      });
    }
  });
});
