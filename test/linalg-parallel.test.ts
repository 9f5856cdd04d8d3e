import { afterAll, describe, expect, it } from "vitest";
import { P } from "../verifier/field.ts";
import { combineColumns, dotColumns } from "../prover/kernels/linalg.ts";
import { combineColumnsParallel, dotColumnsParallel } from "../prover/workers/linalg-parallel.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { KernelError } from "../prover/kernels/errors.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % P; };
}
const shared = (len: number, r: () => number) => { const a = new Uint32Array(new SharedArrayBuffer(4 * len)); for (let i = 0; i < len; i++) a[i] = r(); return a; };
const plain = (len: number, r: () => number) => Uint32Array.from({ length: len }, r);

describe("dense column products on the worker pool", () => {
  const pool = new WorkerPool(3);
  afterAll(() => pool.close());

  it("dotColumns split by columns equals the in-thread kernel (shared, plain and sub-array columns, short columns)", async () => {
    const r = rng(1);
    const len = 1 << 16;
    const big = shared(3 * len, r);
    const cols = [shared(len, r), plain(len, r), big.subarray(len, 2 * len), plain(len - 5, r), shared(7, r), ...Array.from({ length: 6 }, () => shared(len, r))];
    const w = shared(4 * len, r);
    const got = await dotColumnsParallel(cols, w, pool);
    expect([...got]).toEqual([...dotColumns(cols, w)]);
    expect(await dotColumnsParallel(cols, w, null)).toEqual(dotColumns(cols, w));
  });

  it("combineColumns split by rows equals the in-thread kernel (a length that is not a multiple of 4, short columns)", async () => {
    const r = rng(2);
    for (const len of [1 << 16, (1 << 16) + 3]) {
      const cols = [shared(len, r), plain(len, r), shared(len - 1000, r), plain(17, r), ...Array.from({ length: 6 }, () => shared(len, r))];
      const coeffs = plain(4 * cols.length, r);
      const got = await combineColumnsParallel(cols, coeffs, len, pool);
      const want = combineColumns(cols, coeffs, len);
      let bad = -1;
      for (let i = 0; i < want.length && bad < 0; i++) if (got[i] !== want[i]) bad = i;
      expect(bad, `len ${len}`).toBe(-1);
      expect(got.length).toBe(want.length);
    }
  });

  it("bad shapes fail with the kernels' typed errors, from the pool too", async () => {
    const r = rng(3);
    const len = 1 << 16;
    const cols = Array.from({ length: 10 }, () => shared(len, r));
    // a column longer than the weights
    const e1 = await dotColumnsParallel([...cols, shared(len + 4, r)], shared(4 * len, r), pool).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(KernelError);
    const e2 = await combineColumnsParallel(cols, plain(4 * cols.length - 4, r), len, pool).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(KernelError);
    const e3 = await combineColumnsParallel(cols, plain(4 * cols.length, r), len - 1, pool).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(KernelError);
  });
});
