/**
 * Prove and verify the example AIRs at 2^8 … 2^16 rows with the default (≥ 100-bit, zero-knowledge) parameters.
 */
import { describe, expect, it } from "vitest";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { DEFAULT_PARAMS } from "../verifier/protocol.ts";
import { fibonacciAir, fibonacciTrace } from "../prover/examples/fibonacci.ts";
import { mulBusAir, mulBusTrace } from "../prover/examples/mul-bus.ts";
import { range16Air, range16Trace } from "../prover/examples/range16.ts";
import type { Air } from "../verifier/air.ts";

async function roundTrip(air: Air, traces: Uint32Array[][], publics: number[]) {
  const r = await prove(air, traces, publics);
  expect(r.shape.security.conjectured).toBeGreaterThanOrEqual(100);
  const ok = verify(air, r.bytes, publics);
  expect(ok).toEqual({ ok: true, securityBits: r.shape.security.conjectured });
  // the same proof does not verify another statement
  const other = publics.map((v, i) => (i === publics.length - 1 ? (v + 1) % 2013265921 : v));
  expect(verify(air, r.bytes, other)).toMatchObject({ ok: false, error: { kind: "OodMismatch" } });
  return r;
}

describe("STARK prove/verify (default parameters)", () => {
  for (const logN of [8, 12, 16]) {
    it(`fibonacci 2^${logN}`, async () => {
      const { traces, publics } = fibonacciTrace(logN, 1, 2);
      await roundTrip(fibonacciAir, traces, publics);
    });
  }
  for (const [logCpu, logMul] of [[8, 5], [12, 8], [16, 10]] as const) {
    it(`two tables on a LogUp bus: cpu 2^${logCpu}, mul 2^${logMul}`, async () => {
      const { traces, publics } = mulBusTrace(logCpu, logMul, logCpu);
      await roundTrip(mulBusAir, traces, publics);
    });
  }
  for (const logV of [8, 16]) {
    it(`16-bit range check: 2^${logV} values against the 2^16-row table`, async () => {
      const { traces, publics } = range16Trace(logV, logV);
      await roundTrip(range16Air, traces, publics);
    });
  }
  it("zero knowledge off also round-trips and is smaller", async () => {
    const { traces, publics } = fibonacciTrace(8);
    const params = { ...DEFAULT_PARAMS, zk: false };
    const a = await prove(fibonacciAir, traces, publics, { params });
    expect(verify(fibonacciAir, a.bytes, publics, { params }).ok).toBe(true);
    // a ZK proof checked with non-ZK parameters (or vice versa) is refused
    const b = await prove(fibonacciAir, traces, publics);
    expect(verify(fibonacciAir, b.bytes, publics, { params }).ok).toBe(false);
    expect(a.bytes.length).toBeLessThan(b.bytes.length);
  });
  it("zero knowledge: two proofs of the same statement differ everywhere after the header", async () => {
    const { traces, publics } = fibonacciTrace(8);
    const a = (await prove(fibonacciAir, traces, publics)).bytes, b = (await prove(fibonacciAir, traces, publics)).bytes;
    expect(Buffer.from(a.subarray(0, 16)).equals(Buffer.from(b.subarray(0, 16)))).toBe(true);
    expect(Buffer.from(a.subarray(16, 48)).equals(Buffer.from(b.subarray(16, 48)))).toBe(false); // main root salted
  });
});

describe("periodic columns", () => {
  // a' = a + p(row) with p = [1, 2, 3, 4] repeating; a₀ = 0; last a = public 0
  const air: Air = {
    name: "periodic-sum", numPublicInputs: 1,
    tables: [{
      name: "acc", width: 1, periodic: [[1, 2, 3, 4]],
      eval(b) {
        b.whenFirstRow().assertZero(b.col(0), "a0");
        b.whenTransition().assertEq(b.next(0), b.col(0).add(b.periodic(0)), "step");
        b.whenLastRow().assertEq(b.col(0), b.pub(0), "result");
      },
    }],
  };
  const trace = (n: number) => {
    const a = new Uint32Array(n);
    for (let i = 1; i < n; i++) a[i] = a[i - 1]! + ((i - 1) % 4) + 1;
    return a;
  };
  it("prove/verify with a periodic column; a wrong claim is rejected", async () => {
    const opts = { params: { ...DEFAULT_PARAMS, numQueries: 20 }, minSecurityBits: 50 };
    const a = trace(64);
    const r = await prove(air, [[a]], [a[63]!], opts);
    expect(verify(air, r.bytes, [a[63]!], opts)).toMatchObject({ ok: true });
    expect(verify(air, r.bytes, [a[63]! + 1], opts)).toMatchObject({ ok: false, error: { kind: "OodMismatch" } });
    // a trace built with another period pattern does not satisfy the AIR
    const bad = trace(64);
    bad[10] = bad[10]! + 1;
    await expect(prove(air, [[bad]], [bad[63]!], opts)).rejects.toThrow(/step/);
  });
});
