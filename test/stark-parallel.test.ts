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
