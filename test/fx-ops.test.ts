// The exact (non-transcendental) part of fx: conversions, add/sub/neg/abs with their overflow traps,
// saturating variants, min/max/relu, the DOT and AXPY wrappers (row and column walks, bias and batch
// shift), argmax and softmax. Expected values are computed with BigInt or float64 in the test.

import { beforeAll, describe, expect, it } from "vitest";
import { compileFx, instantiateFx, trapKind, SCRATCH, type FxModule } from "./fx-harness.ts";
import { xorshift32 } from "./fx-measure.ts";

let fx: FxModule;
beforeAll(async () => {
  fx = await instantiateFx(await compileFx());
});

const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);
const fits = (v: bigint) => v >= BigInt(I32_MIN) && v <= BigInt(I32_MAX);
const clamp = (v: bigint) => Number(v > BigInt(I32_MAX) ? BigInt(I32_MAX) : v < BigInt(I32_MIN) ? BigInt(I32_MIN) : v);

/** Operands concentrated near the edges of the range and near zero, plus random ones. */
function operands(): number[] {
  const out = [0, 1, -1, 65536, -65536, 32768, -32768, I32_MAX, I32_MIN, I32_MAX - 1, I32_MIN + 1, 1 << 30, -(1 << 30)];
  const next = xorshift32(31337);
  for (let i = 0; i < 60; i++) out.push(next() >> ((next() >>> 0) % 31));
  return out;
}

function words(addr: number, n: number): Int32Array {
  return new Int32Array(fx.memory.buffer, addr, n);
}

describe("conversions", () => {
  it("fromInt multiplies by 2^16 and traps outside [-32768, 32767]", () => {
    expect(fx.fromInt(3)).toBe(3 << 16);
    expect(fx.fromInt(-32768)).toBe(I32_MIN);
    expect(fx.fromInt(32767)).toBe(32767 * 65536);
    expect(trapKind(() => fx.fromInt(32768))).toBe("FixedPointOverflow");
    expect(trapKind(() => fx.fromInt(-32769))).toBe("FixedPointOverflow");
  });

  it("toInt floors and toIntRound rounds half up, over the whole range", () => {
    for (const x of operands()) {
      expect(fx.toInt(x)).toBe(Math.floor(x / 65536));
      expect(fx.toIntRound(x)).toBe(Math.floor(x / 65536 + 0.5));
    }
    expect(fx.toIntRound(5 << 15)).toBe(3); // 2.5 → 3
    expect(fx.toIntRound(-(5 << 15))).toBe(-2); // −2.5 → −2
    expect(fx.toIntRound(I32_MAX)).toBe(32768);
  });
});

describe("add, sub, neg, abs: exact or FixedPointOverflow; *Sat: clamped", () => {
  it("agree with exact BigInt arithmetic on every pair of edge and random operands", () => {
    let traps = 0;
    for (const a of operands()) {
      for (const b of operands()) {
        const sum = BigInt(a) + BigInt(b);
        const diff = BigInt(a) - BigInt(b);
        const prod = (BigInt(a) * BigInt(b) + 32768n) >> 16n;
        if (fits(sum)) expect(fx.add(a, b)).toBe(Number(sum));
        else {
          expect(trapKind(() => fx.add(a, b))).toBe("FixedPointOverflow");
          traps++;
        }
        if (fits(diff)) expect(fx.sub(a, b)).toBe(Number(diff));
        else {
          expect(trapKind(() => fx.sub(a, b))).toBe("FixedPointOverflow");
          traps++;
        }
        expect(fx.addSat(a, b)).toBe(clamp(sum));
        expect(fx.subSat(a, b)).toBe(clamp(diff));
        expect(fx.mulSat(a, b)).toBe(clamp(prod));
        if (fits(prod)) expect(fx.mul(a, b)).toBe(Number(prod));
        expect(fx.min(a, b)).toBe(Math.min(a, b));
        expect(fx.max(a, b)).toBe(Math.max(a, b));
      }
      expect(fx.relu(a)).toBe(Math.max(a, 0));
      if (a !== I32_MIN) {
        expect(fx.neg(a)).toBe(-a | 0);
        expect(fx.abs(a)).toBe(Math.abs(a));
      }
    }
    expect(traps).toBeGreaterThan(100);
    expect(trapKind(() => fx.neg(I32_MIN))).toBe("FixedPointOverflow");
    expect(trapKind(() => fx.abs(I32_MIN))).toBe("FixedPointOverflow");
    expect(fx.mulSat(I32_MAX, I32_MAX)).toBe(I32_MAX);
    expect(fx.mulSat(I32_MIN, I32_MAX)).toBe(I32_MIN);
    expect(trapKind(() => fx.mul(1 << 24, 1 << 24))).toBe("FixedPointOverflow");
  });
});

describe("dot and axpy (the DOT / AXPY instructions)", () => {
  const ROWS = 784;
  const COLS = 10;
  const X = SCRATCH; // 784 inputs
  const W = SCRATCH + 4 * 1024; // 784 × 10 row-major weights
  const Y = SCRATCH + 4 * 1024 + 4 * ROWS * COLS;

  function fill(seed: number): { x: Int32Array; w: Int32Array } {
    const next = xorshift32(seed);
    const x = words(X, ROWS);
    const w = words(W, ROWS * COLS);
    for (let i = 0; i < ROWS; i++) x[i] = next() >> 15; // |x| < 2^16 (< 1.0)
    for (let i = 0; i < ROWS * COLS; i++) w[i] = next() >> 17;
    return { x, w };
  }

  it("walks a column with stride COLS, accumulates exactly in 64 bits and rounds once", () => {
    const { x, w } = fill(5);
    for (let j = 0; j < COLS; j++) {
      let s = 0n;
      for (let k = 0; k < ROWS; k++) s += BigInt(x[k]!) * BigInt(w[k * COLS + j]!);
      expect(fx.dot(X, W + 4 * j, ROWS, 1, COLS)).toBe(Number((s + 32768n) >> 16n));
      // Bias b folded into the accumulator, batch mean of 64 folded into the shift: still one rounding.
      const b = 12345;
      expect(fx.dotAcc(X, W + 4 * j, ROWS, 1, COLS, BigInt(b) << 16n, 22)).toBe(Number(((BigInt(b) << 16n) + s + (1n << 21n)) >> 22n));
    }
  });

  it("walks a row with stride 1 and traps FixedPointOverflow when the rounded sum leaves i32", () => {
    const { x, w } = fill(6);
    let s = 0n;
    for (let k = 0; k < COLS; k++) s += BigInt(x[k]!) * BigInt(w[3 * COLS + k]!);
    expect(fx.dot(X, W + 4 * 3 * COLS, COLS, 1, 1)).toBe(Number((s + 32768n) >> 16n));
    const big = words(Y, 4);
    big.set([I32_MAX, I32_MAX, 0, 0]);
    // 2·(2^31 − 1)² < 2^63 fits the i64 accumulator; rounded by 2^16 it does not fit i32.
    expect(trapKind(() => fx.dot(Y, Y, 2, 1, 1))).toBe("FixedPointOverflow");
    // The accumulator wraps mod 2^64 (documented, like i64.add): 4·(−2^31)² = 2^64 ≡ 0.
    big.set([I32_MIN, I32_MIN, I32_MIN, I32_MIN]);
    expect(fx.dot(Y, Y, 4, 1, 1)).toBe(0);
    expect(fx.dot(Y, Y, 0, 1, 1)).toBe(0);
  });

  it("axpy adds R(a·x[i], 16) to y[i] with strides, and traps on overflow", () => {
    const { x } = fill(7);
    const y = words(Y, ROWS);
    const next = xorshift32(8);
    for (let i = 0; i < ROWS; i++) y[i] = next() >> 10;
    const before = Array.from(y);
    const a = -13107; // −0.2, a learning rate
    fx.axpy(Y, X, ROWS, a, 1, 1);
    for (let i = 0; i < ROWS; i++) expect(y[i]).toBe(before[i]! + Number((BigInt(a) * BigInt(x[i]!) + 32768n) >> 16n));
    // Column update: every COLS-th y with every other x.
    const mid = Array.from(y);
    fx.axpy(Y, X, 20, 65536, COLS, 2);
    for (let i = 0; i < 20; i++) expect(y[i * COLS]).toBe(mid[i * COLS]! + x[2 * i]!);
    y[0] = I32_MAX;
    x[0] = 65536;
    expect(trapKind(() => fx.axpy(Y, X, 1, 65536, 1, 1))).toBe("FixedPointOverflow");
  });
});

describe("argmax and softmax", () => {
  it("argmax returns the first largest element, honours the stride, and -1 for empty input", () => {
    const v = words(SCRATCH, 8);
    v.set([5, -3, 9, 9, I32_MIN, 9, 0, 1]);
    expect(fx.argmax(SCRATCH, 8, 1)).toBe(2);
    expect(fx.argmax(SCRATCH, 4, 2)).toBe(1); // 5, 9, I32_MIN, 0
    expect(fx.argmax(SCRATCH, 0, 1)).toBe(-1);
    v.set([I32_MIN, I32_MIN]);
    expect(fx.argmax(SCRATCH, 2, 1)).toBe(0);
  });

  it("softmax is correctly rounded per element (≤ 0.5 ulp) on random logits, in place or not", () => {
    const next = xorshift32(2024);
    let maxUlp = 0;
    let sumUlp = 0;
    let count = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + ((next() >>> 0) % 16);
      const spread = (next() >>> 0) % 24; // logits up to ±2^(spread−16)·2^15
      const z = Array.from({ length: n }, () => next() >> (31 - Math.max(spread, 1)));
      const inPlace = trial % 2 === 0;
      words(SCRATCH, n).set(z);
      const out = inPlace ? SCRATCH : SCRATCH + 4096;
      fx.softmax(SCRATCH, out, n);
      const p = words(out, n);
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp((v - m) / 65536));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) {
        const err = Math.abs(p[i]! - (e[i]! / sum) * 65536);
        maxUlp = Math.max(maxUlp, err);
        sumUlp += err;
        count++;
      }
    }
    console.log(`softmax  n=${count} elements, max ${maxUlp.toFixed(6)} ulp, mean ${(sumUlp / count).toFixed(6)}`);
    expect(maxUlp).toBeLessThanOrEqual(0.5 + 2 ** -10);
  });

  it("softmax handles extreme logits without trapping and rejects bad lengths", () => {
    const v = words(SCRATCH, 3);
    v.set([I32_MIN, I32_MAX, I32_MAX]);
    fx.softmax(SCRATCH, SCRATCH, 3);
    expect(Array.from(words(SCRATCH, 3))).toEqual([0, 32768, 32768]);
    expect(trapKind(() => fx.softmax(SCRATCH, SCRATCH, -1))).toBe("Abort");
    expect(trapKind(() => fx.softmax(SCRATCH, SCRATCH, 70000))).toBe("Abort");
  });
});
