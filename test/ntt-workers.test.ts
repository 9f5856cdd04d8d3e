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

  it("columns already in shared memory (whole buffers and views at offsets) are read in place, mixed with copied ones", async () => {
    const n = 2 ** 9, cols = randomColumns(77, 9, n);
    const expected = ldeColumns(cols, 2, 31);
    const big = new SharedArrayBuffer(4 * n * 4 + 12); // views at offsets 12, 12 + 4n, …
    const mixed = cols.map((c, i) => {
      if (i % 3 === 0) return c; // plain: copied
      if (i % 3 === 1) { const s = new Uint32Array(new SharedArrayBuffer(4 * n)); s.set(c); return s; }
      const v = new Uint32Array(big, 12 + 4 * n * ((i - 2) / 3), n); v.set(c); return v;
    });
    const got = await ldeColumnsParallel(mixed, 2, 31, { pool, minParallelValues: 0 });
    expect(Buffer.compare(Buffer.from(got.data.buffer), Buffer.from(expected.data.buffer))).toBe(0);
    // the inputs are not modified
    mixed.forEach((c, i) => expect(Buffer.compare(Buffer.from(c.buffer, c.byteOffset, c.byteLength), Buffer.from(cols[i]!.buffer))).toBe(0));
  });

  it("evaluateColumnsParallel equals evaluateColumns", async () => {
    const cols = randomColumns(77, 9, 128).map((c, i) => c.subarray(0, 128 - 13 * i));
    const expected = evaluateColumns(cols, 10, 31);
    const got = await evaluateColumnsParallel(cols, 10, 31, { pool, minParallelValues: 0 });
    expect(got.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.compare(Buffer.from(got.data.buffer), Buffer.from(expected.data.buffer))).toBe(0);
  });

  it("writes into a wider shared matrix at a column offset (workers and in-thread), leaving other columns alone", async () => {
    const cols = randomColumns(5, 6, 64), coeffs = randomColumns(6, 3, 32);
    for (const p of [pool, null]) {
      const W = 13, H = 256;
      const data = new Uint32Array(new SharedArrayBuffer(4 * W * H)).fill(7);
      await ldeColumnsParallel(cols, 2, 31, { pool: p, minParallelValues: 0, into: { data, width: W, offset: 4 } });
      await evaluateColumnsParallel(coeffs, 8, 31, { pool: p, minParallelValues: 0, into: { data, width: W, offset: 10 } });
      const a = ldeColumns(cols, 2, 31), b = evaluateColumns(coeffs, 8, 31);
      for (let r = 0; r < H; r++) {
        for (let c = 0; c < W; c++) {
          const want = c >= 4 && c < 10 ? a.data[r * 6 + c - 4] : c >= 10 ? b.data[r * 3 + c - 10] : 7;
          if (data[r * W + c] !== want) throw new Error(`row ${r} column ${c}: ${data[r * W + c]} ≠ ${want}`);
        }
      }
    }
    const plain = new Uint32Array(13 * 256);
    await expect(ldeColumnsParallel(cols, 2, 31, { pool, into: { data: plain, width: 13, offset: 0 } })).rejects.toThrow();
    const small = new Uint32Array(new SharedArrayBuffer(4 * 13 * 256));
    await expect(ldeColumnsParallel(cols, 2, 31, { pool, into: { data: small, width: 13, offset: 8 } })).rejects.toThrow();
  });

  it("writes columns of a column-major shared matrix at an offset (workers and in-thread)", async () => {
    const cols = randomColumns(8, 5, 64), coeffs = randomColumns(9, 2, 32);
    for (const p of [pool, null]) {
      const W = 9, H = 256;
      const data = new Uint32Array(new SharedArrayBuffer(4 * W * H)).fill(3);
      await ldeColumnsParallel(cols, 2, 31, { pool: p, minParallelValues: 0, into: { data, width: W, offset: 1, columnMajor: true } });
      await evaluateColumnsParallel(coeffs, 8, 31, { pool: p, minParallelValues: 0, into: { data, width: W, offset: 7, columnMajor: true } });
      const a = ldeColumns(cols, 2, 31), b = evaluateColumns(coeffs, 8, 31);
      for (let c = 0; c < W; c++) {
        for (let r = 0; r < H; r++) {
          const want = c >= 1 && c < 6 ? a.data[r * 5 + c - 1] : c >= 7 ? b.data[r * 2 + c - 7] : 3;
          if (data[c * H + r] !== want) throw new Error(`column ${c} row ${r}: ${data[c * H + r]} ≠ ${want}`);
        }
      }
    }
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
