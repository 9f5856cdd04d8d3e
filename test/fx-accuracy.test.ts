// Accuracy of the Q16.16 library against the exact real results: exhaustive over the whole non-trivial
// domain of exp, sigmoid and tanh, exhaustive near the difficult regions and dense strides elsewhere for
// ln and sqrt, random and exact (BigInt) checks for mul and div. Every function must be correctly
// rounded (≤ 0.5 ulp, ties half up) on every input tested; the floor is 1 ulp for exp, ln,
// sigmoid, tanh. `npm run fuzz:fx` runs the unary functions over all 2^32 inputs.

import { beforeAll, describe, expect, it } from "vitest";
import { compileFx, instantiateFx, trapKind, type FxModule } from "./fx-harness.ts";
import { emptyStats, finish, formatStats, sweep, unaryCases, xorshift32, measureOne, type ErrorStats } from "./fx-measure.ts";

let fx: FxModule;
beforeAll(async () => {
  fx = await instantiateFx(await compileFx());
});

const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);
/** Correct rounding: the float64 reference may be off by ~2^−21 ulp at the top of the range. */
const HALF_ULP = 0.5 + 2 ** -18;

function report(name: string, s: ErrorStats): ErrorStats {
  const f = finish(s);
  console.log(formatStats(name, f));
  return f;
}

function expectCorrectlyRounded(s: ErrorStats): void {
  expect(s.count).toBeGreaterThan(0);
  expect(s.misrounded, `first misrounded input ${s.firstMisrounded}`).toBe(0);
  expect(s.maxUlp).toBeLessThanOrEqual(HALF_ULP);
}

describe("exp", () => {
  it("is correctly rounded on every input whose result is non-zero and in range", () => {
    const c = unaryCases(fx).exp;
    // Below −772243 the result rounds to 0; above 681391 it overflows. Sweep 100 past the low edge.
    const s = report("exp", sweep(c, -772343, 681391));
    expectCorrectlyRounded(s);
    expect(s.count).toBe(681391 + 772343 + 1);
  });

  it("rounds to 0 below ln(2^-17) and traps FixedPointOverflow above ln(32768)", () => {
    expect(fx.exp(-772243)).toBe(1);
    expect(fx.exp(-772244)).toBe(0);
    expect(fx.exp(I32_MIN)).toBe(0);
    expect(fx.exp(681391)).toBeLessThanOrEqual(I32_MAX);
    expect(Math.exp(681392 / 65536) * 65536).toBeGreaterThan(I32_MAX + 0.5);
    expect(trapKind(() => fx.exp(681392))).toBe("FixedPointOverflow");
    expect(trapKind(() => fx.exp(I32_MAX))).toBe("FixedPointOverflow");
    expect(fx.exp(0)).toBe(65536);
  });
});

describe("sigmoid and tanh", () => {
  it("sigmoid is correctly rounded on every input in [-16.0002, 16.0002]", () => {
    const s = report("sigmoid", sweep(unaryCases(fx).sigmoid, -(16 << 16) - 16, (16 << 16) + 16));
    expectCorrectlyRounded(s);
  });

  it("sigmoid saturates to exactly 0 and 1 and never traps", () => {
    const s = emptyStats();
    const c = unaryCases(fx).sigmoid;
    for (const x of [I32_MIN, I32_MIN + 1, -(1 << 30), -(20 << 16), 20 << 16, 1 << 30, I32_MAX]) measureOne(c, x, s);
    expectCorrectlyRounded(s);
    expect(fx.sigmoid(I32_MAX)).toBe(65536);
    expect(fx.sigmoid(I32_MIN)).toBe(0);
    expect(fx.sigmoid(0)).toBe(32768);
  });

  it("tanh is correctly rounded on every input in [-8.0002, 8.0002] and odd", () => {
    const s = report("tanh", sweep(unaryCases(fx).tanh, -(8 << 16) - 16, (8 << 16) + 16));
    expectCorrectlyRounded(s);
    const next = xorshift32(7);
    for (let i = 0; i < 10_000; i++) {
      const x = next() >> 12;
      expect(fx.tanh(-x)).toBe(-fx.tanh(x));
    }
    expect(fx.tanh(I32_MAX)).toBe(65536);
    expect(fx.tanh(I32_MIN)).toBe(-65536);
    expect(fx.tanh(0)).toBe(0);
  });
});

describe("ln", () => {
  it("is correctly rounded: exhaustive on (0, 64] and around 1, dense stride and random elsewhere", () => {
    const c = unaryCases(fx).ln;
    const s = emptyStats();
    sweep(c, 1, 1 << 22, 1, s); // (0, 64]: all of the range where ln varies fastest
    sweep(c, (1 << 22) + 1, I32_MAX, 1021, s); // stride prime to every power of two
    sweep(c, I32_MAX - 100_000, I32_MAX, 1, s);
    const next = xorshift32(12345);
    for (let i = 0; i < 300_000; i++) measureOne(c, next() >>> 1 || 1, s);
    expectCorrectlyRounded(report("ln", s));
  });

  it("hits the exact values and aborts for non-positive arguments", () => {
    expect(fx.ln(65536)).toBe(0);
    expect(fx.ln(1)).toBe(Math.round(Math.log(2 ** -16) * 65536));
    expect(trapKind(() => fx.ln(0))).toBe("Abort");
    expect(trapKind(() => fx.ln(-65536))).toBe("Abort");
    expect(trapKind(() => fx.ln(I32_MIN))).toBe("Abort");
  });
});

describe("sqrt", () => {
  it("is correctly rounded: exhaustive on [0, 64], squares and their neighbours, dense stride, random", () => {
    const c = unaryCases(fx).sqrt;
    const s = emptyStats();
    sweep(c, 0, 1 << 22, 1, s);
    sweep(c, (1 << 22) + 1, I32_MAX, 1021, s);
    // Results r and r + 1/2 boundaries: x·2^16 = r² or r² + r (the tie boundary), x near them.
    for (let r = 1; r < 11863283; r += 997) {
      const x = Math.floor((r * r) / 65536);
      for (let d = -1; d <= 1; d++) if (x + d >= 0 && x + d <= I32_MAX) measureOne(c, x + d, s);
      const y = Math.floor((r * r + r) / 65536);
      for (let d = -1; d <= 1; d++) if (y + d >= 0 && y + d <= I32_MAX) measureOne(c, y + d, s);
    }
    sweep(c, I32_MAX - 100_000, I32_MAX, 1, s);
    expectCorrectlyRounded(report("sqrt", s));
    expect(fx.sqrt(4 << 16)).toBe(2 << 16);
    expect(fx.sqrt(I32_MAX)).toBe(Math.round(Math.sqrt(I32_MAX * 65536)));
  });

  it("aborts for negative arguments", () => {
    expect(trapKind(() => fx.sqrt(-1))).toBe("Abort");
    expect(trapKind(() => fx.sqrt(I32_MIN))).toBe("Abort");
  });
});

/** R(n/d) half up, exact on BigInt rationals: floor((2n + d) / 2d) for d > 0. */
function roundRational(n: bigint, d: bigint): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const num = 2n * n + d;
  const den = 2n * d;
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}

/** Random i32 operands biased toward magnitudes of every size (uniform exponent). */
function operandGen(seed: number): () => number {
  const next = xorshift32(seed);
  return () => {
    const v = next();
    const bits = (next() >>> 0) % 32;
    return bits === 31 ? v : v >> (31 - bits);
  };
}

describe("mul and div", () => {
  it("mul is R(a·b, 16) exactly (≤ 0.5 ulp, ties up) and traps FixedPointOverflow outside the range", () => {
    const gen = operandGen(99);
    let checked = 0;
    let traps = 0;
    let maxUlp = 0;
    for (let i = 0; i < 200_000; i++) {
      const a = gen();
      const b = gen();
      const exact = roundRational(BigInt(a) * BigInt(b), 65536n);
      if (exact > BigInt(I32_MAX) || exact < BigInt(I32_MIN)) {
        expect(trapKind(() => fx.mul(a, b))).toBe("FixedPointOverflow");
        traps++;
      } else {
        const r = fx.mul(a, b);
        expect(BigInt(r)).toBe(exact);
        maxUlp = Math.max(maxUlp, Math.abs(r - (a * b) / 65536));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(traps).toBeGreaterThan(1000);
    expect(maxUlp).toBeLessThanOrEqual(0.5);
    expect(fx.mul(3, 1 << 15)).toBe(2); // 1.5 ulp → 2 (half up)
    expect(fx.mul(-3, 1 << 15)).toBe(-1); // −1.5 ulp → −1 (half up)
    console.log(`mul      n=${checked} exact checks, max ${maxUlp.toFixed(6)} ulp, ${traps} overflow traps`);
  });

  it("div is round-half-up(a·2^16 / b) exactly; b = 0 traps DivideByZero, overflow traps", () => {
    const gen = operandGen(4242);
    let checked = 0;
    let traps = 0;
    let maxUlp = 0;
    let sumUlp = 0;
    for (let i = 0; i < 200_000; i++) {
      const a = gen();
      const b = gen() || 1;
      const exact = roundRational(BigInt(a) * 65536n, BigInt(b));
      if (exact > BigInt(I32_MAX) || exact < BigInt(I32_MIN)) {
        expect(trapKind(() => fx.div(a, b))).toBe("FixedPointOverflow");
        traps++;
      } else {
        const r = fx.div(a, b);
        expect(BigInt(r)).toBe(exact);
        const e = Math.abs(r - (a * 65536) / b);
        maxUlp = Math.max(maxUlp, e);
        sumUlp += e;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(traps).toBeGreaterThan(1000);
    expect(maxUlp).toBeLessThanOrEqual(HALF_ULP);
    // Ties: 1/2^17 is half an ulp, rounds up; −1/2^17 rounds up to 0.
    expect(fx.div(1, 2 << 16)).toBe(1);
    expect(fx.div(-1, 2 << 16)).toBe(0);
    expect(fx.div(1, -(2 << 16))).toBe(0);
    expect(trapKind(() => fx.div(I32_MIN, -65536))).toBe("FixedPointOverflow"); // 32768 is out of range
    expect(fx.div(I32_MIN, 65536)).toBe(I32_MIN);
    expect(trapKind(() => fx.div(65536, 0))).toBe("DivideByZero");
    expect(trapKind(() => fx.div(0, 0))).toBe("DivideByZero");
    expect(fx.div(255, 255)).toBe(65536); // integer fractions: div(n, d) = n/d in Q16.16
    expect(fx.div(1, 3)).toBe(21845);
    console.log(`div      n=${checked} exact checks, max ${maxUlp.toFixed(6)} ulp, mean ${(sumUlp / checked).toFixed(6)}, ${traps} overflow traps`);
  });
});
