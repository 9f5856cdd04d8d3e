import { afterAll, describe, expect, it } from "vitest";
import { evaluateColumns, ldeColumns } from "../prover/lde.ts";
import { evaluateColumnsParallel, ldeColumnsParallel } from "../prover/workers/parallel.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { KernelError } from "../prover/kernels/errors.ts";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

function randomColumns(seed: number, width: number, n: number): Uint32Array[] {
  let s = seed;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 2013265921;
  };
  return Array.from({ length: width }, () => Uint32Array.from({ length: n }, next));
}

describe("ldeColumnsParallel (worker pool)", () => {
  it("equals the in-thread ldeColumns bit for bit, output in a SharedArrayBuffer", async () => {
    for (const [width, logN, logB] of [[13, 10, 1], [7, 8, 2], [1, 3, 3], [20, 6, 0]] as const) {
      const cols = randomColumns(width * 100 + logN, width, 2 ** logN);
      const expected = ldeColumns(cols, logB, 31);
      const got = await ldeColumnsParallel(cols, logB, 31, { pool, minParallelValues: 0 });
      expect(got.width).toBe(expected.width);
      expect(got.height).toBe(expected.height);
      expect(got.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Buffer.compare(Buffer.from(got.data.buffer), Buffer.from(expected.data.buffer))).toBe(0);
    }
  });

  it("evaluateColumnsParallel equals evaluateColumns", async () => {
    const cols = randomColumns(77, 9, 128).map((c, i) => c.subarray(0, 128 - 13 * i));
    const expected = evaluateColumns(cols, 10, 31);
    const got = await evaluateColumnsParallel(cols, 10, 31, { pool, minParallelValues: 0 });
    expect(got.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.compare(Buffer.from(got.data.buffer), Buffer.from(expected.data.buffer))).toBe(0);
  });

  it("falls back to the in-thread path for small inputs or pool: null", async () => {
    const cols = randomColumns(5, 3, 16);
    const small = await ldeColumnsParallel(cols, 1, 31, { pool });
    expect(small.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const none = await ldeColumnsParallel(cols, 1, 31, { pool: null, minParallelValues: 0 });
    expect(Array.from(none.data)).toEqual(Array.from(small.data));
  });

  it("bad input is rejected with a typed error before any work is sent", async () => {
    await expect(ldeColumnsParallel([new Uint32Array(8), new Uint32Array(4)], 1, 31, { pool, minParallelValues: 0 })).rejects.toBeInstanceOf(KernelError);
    await expect(ldeColumnsParallel([new Uint32Array(6)], 1, 31, { pool })).rejects.toMatchObject({ kind: "InvalidArgument" });
  });
});
