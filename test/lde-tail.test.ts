import { afterAll, describe, expect, it } from "vitest";
import { evaluateColumns } from "../prover/lde.ts";
import { evaluateColumnsParallel, ldeColumnsParallel } from "../prover/workers/parallel.ts";
import { interpolate } from "../prover/ntt.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { P } from "../verifier/field.ts";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % P; };
}
const vec = (r: () => number, n: number) => Uint32Array.from({ length: n }, r);

/** The full coefficient vector of main + x^m·tail (or (x^m − 1)·tail). */
function fullCoeffs(low: Uint32Array, m: number, tail: Uint32Array, minusOne: boolean): Uint32Array {
  const out = new Uint32Array(m + tail.length);
  out.set(low);
  tail.forEach((t, i) => {
    out[m + i] = (out[m + i]! + t) % P;
    if (minusOne) out[i] = (out[i]! - t + P) % P;
  });
  return out;
}

describe("LDE with zero-knowledge tails (prover/lde.ts ColumnTails)", () => {
  // m = the main part's length; the LDE has 2^logLde points; tails of t coefficients. Both paths: injected between
  // spread and DIT (t ≤ m, t·N/m ≤ 2^14) and extended separately (the rest: t > m, or a large blowup)
  for (const [logM, logLde, t, workers] of [[6, 8, 45, false], [8, 10, 45, true], [10, 11, 30, true], [4, 9, 5, false], [3, 5, 4, false], [3, 12, 45, true], [2, 10, 7, false], [6, 16, 45, true], [12, 14, 45, false]] as const) {
    it(`coefficients: 2^${logM} + ${t} → 2^${logLde} (${workers ? "workers" : "in-thread"})`, async () => {
      const r = rng(logM * 31 + t);
      const lows = [vec(r, 2 ** logM), vec(r, 2 ** logM), vec(r, 2 ** logM - 3)];
      const tails = lows.map(() => vec(r, t));
      const got = await evaluateColumnsParallel(lows, logLde, 31, { pool: workers ? pool : null, minParallelValues: 0, tails: { data: tails, minusOne: false } });
      const want = evaluateColumns(lows.map((c, i) => fullCoeffs(c, 2 ** logM, tails[i]!, false)), logLde, 31);
      expect(Buffer.compare(Buffer.from(got.data.buffer, 0, 4 * want.data.length), Buffer.from(want.data.buffer))).toBe(0);
    });
    it(`evaluations + (x^m − 1)·r: 2^${logM} + ${t} → 2^${logLde} (${workers ? "workers" : "in-thread"})`, async () => {
      const r = rng(logM * 17 + t);
      const evals = [vec(r, 2 ** logM), vec(r, 2 ** logM)];
      const tails = evals.map(() => vec(r, t));
      const got = await ldeColumnsParallel(evals, logLde - logM, 31, { pool: workers ? pool : null, minParallelValues: 0, tails: { data: tails, minusOne: true } });
      const coeffs = evals.map((e) => { const c = e.slice(); interpolate(c); return c; });
      const want = evaluateColumns(coeffs.map((c, i) => fullCoeffs(c, 2 ** logM, tails[i]!, true)), logLde, 31);
      expect(Buffer.compare(Buffer.from(got.data.buffer, 0, 4 * want.data.length), Buffer.from(want.data.buffer))).toBe(0);
      // on H_m itself the (x^m − 1) tail vanishes: the LDE at the points of the coset is not the trace, but the
      // polynomial agrees with the evaluations on H_m (checked through the coefficients)
      const back = fullCoeffs(coeffs[0]!, 2 ** logM, tails[0]!, true);
      const folded = new Uint32Array(2 ** logM);
      back.forEach((c, i) => { folded[i % 2 ** logM] = (folded[i % 2 ** logM]! + c) % P; });
      const evalsBack = evaluateColumns([folded], logM, 1);
      expect([...evalsBack.data]).toEqual([...evals[0]!]);
    });
  }
  it("refuses tails of different lengths and too long tails", async () => {
    const r = rng(5);
    const lows = [vec(r, 16), vec(r, 16)];
    await expect(evaluateColumnsParallel(lows, 8, 31, { pool: null, tails: { data: [vec(r, 3), vec(r, 4)], minusOne: false } })).rejects.toThrow(/same length/);
    await expect(evaluateColumnsParallel(lows, 12, 31, { pool: null, tails: { data: [vec(r, 600), vec(r, 600)], minusOne: false } })).rejects.toThrow(/exceeds/);
  });
});
