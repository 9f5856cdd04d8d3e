// fx-all: calls every function of the Q16.16 library `fx` and commits inputs and results to the
// journal, so that the VM and the V8 reference engine can be compared bit for bit and the results
// checked against exact arithmetic on the host (test/fx-guest.test.ts).
//
// Journal: a sequence of records of four little-endian u32 words: tag, a, b, result (b = 0 for unary
// functions). Tags are listed in TAG_* below; vector operations commit one record per output.
// Inputs: edge values, then pseudo-random ones from fx.Rng (seed = first input word if any, else 1).

import { fx, commitU32, readU32, inputLen } from "zkvm-guest";

const TAG_FROM_INT = 1;
const TAG_TO_INT = 2;
const TAG_TO_INT_ROUND = 3;
const TAG_ADD = 4;
const TAG_SUB = 5;
const TAG_NEG = 6;
const TAG_ABS = 7;
const TAG_MIN = 8;
const TAG_MAX = 9;
const TAG_RELU = 10;
const TAG_ADD_SAT = 11;
const TAG_SUB_SAT = 12;
const TAG_MUL_SAT = 13;
const TAG_MUL = 14;
const TAG_DIV = 15;
const TAG_SQRT = 16;
const TAG_EXP = 17;
const TAG_LN = 18;
const TAG_SIGMOID = 19;
const TAG_TANH = 20;
const TAG_DOT_ROW = 21;
const TAG_DOT_COL = 22;
const TAG_DOT_ACC = 23;
const TAG_AXPY = 24;
const TAG_ARGMAX = 25;
const TAG_SOFTMAX = 26;
const TAG_RNG = 27;

/** Random inputs per scalar function. */
const SAMPLES = 48;

function record(tag: i32, a: i32, b: i32, r: i32): void {
  commitU32(<u32>tag);
  commitU32(<u32>a);
  commitU32(<u32>b);
  commitU32(<u32>r);
}

const EDGES: StaticArray<i32> = [0, 1, -1, 0x8000, -0x8000, 0x10000, -0x10000, 0x18000, -0x18000, i32.MAX_VALUE, i32.MIN_VALUE];

/** Uniform in [lo, hi] (hi − lo < 2^32). */
function between(rng: fx.Rng, lo: i32, hi: i32): i32 {
  return lo + <i32>rng.below(<u32>(hi - lo) + 1);
}

/** A value whose magnitude is spread over every scale: random bits shifted right by 0..31. */
function anyScale(rng: fx.Rng): i32 {
  return <i32>rng.nextU32() >> <i32>rng.below(32);
}

function scalars(rng: fx.Rng): void {
  for (let i = 0; i < EDGES.length; i++) {
    const x = EDGES[i];
    record(TAG_TO_INT, x, 0, fx.toInt(x));
    record(TAG_TO_INT_ROUND, x, 0, fx.toIntRound(x));
    record(TAG_RELU, x, 0, fx.relu(x));
    record(TAG_SIGMOID, x, 0, fx.sigmoid(x));
    record(TAG_TANH, x, 0, fx.tanh(x));
    if (x != i32.MIN_VALUE) {
      record(TAG_NEG, x, 0, fx.neg(x));
      record(TAG_ABS, x, 0, fx.abs(x));
    }
    if (x >= 0) record(TAG_SQRT, x, 0, fx.sqrt(x));
    if (x > 0) record(TAG_LN, x, 0, fx.ln(x));
    if (x <= fx.EXP_MAX) record(TAG_EXP, x, 0, fx.exp(x));
    for (let j = 0; j < EDGES.length; j++) {
      const y = EDGES[j];
      record(TAG_ADD_SAT, x, y, fx.addSat(x, y));
      record(TAG_SUB_SAT, x, y, fx.subSat(x, y));
      record(TAG_MUL_SAT, x, y, fx.mulSat(x, y));
      record(TAG_MIN, x, y, fx.min(x, y));
      record(TAG_MAX, x, y, fx.max(x, y));
    }
  }
  for (let i = 0; i < SAMPLES; i++) {
    const n = between(rng, -32768, 32767);
    record(TAG_FROM_INT, n, 0, fx.fromInt(n));
    // Halved operands cannot overflow add/sub; 23-bit operands cannot overflow mul.
    const a = anyScale(rng) >> 1;
    const b = anyScale(rng) >> 1;
    record(TAG_ADD, a, b, fx.add(a, b));
    record(TAG_SUB, a, b, fx.sub(a, b));
    const m1 = anyScale(rng) >> 8;
    const m2 = anyScale(rng) >> 8;
    record(TAG_MUL, m1, m2, fx.mul(m1, m2));
    // |d| ≥ 1.0 and a halved numerator keep the quotient in range.
    let d = anyScale(rng);
    if (d > -0x10000 && d < 0x10000) d = d < 0 ? d - 0x10000 : d + 0x10000;
    record(TAG_DIV, a, d, fx.div(a, d));
    const s = <i32>(rng.nextU32() >>> <u32>(1 + rng.below(31)));
    record(TAG_SQRT, s, 0, fx.sqrt(s));
    record(TAG_LN, s | 1, 0, fx.ln(s | 1));
    const e = between(rng, -800000, fx.EXP_MAX);
    record(TAG_EXP, e, 0, fx.exp(e));
    const t = between(rng, -20 << 16, 20 << 16);
    record(TAG_SIGMOID, t, 0, fx.sigmoid(t));
    record(TAG_TANH, t >> 1, 0, fx.tanh(t >> 1));
  }
}

const ROWS = 64;
const COLS = 10;

function vectors(rng: fx.Rng): void {
  // A 64×10 weight matrix W (row-major), an input x of 64 and a bias b of 10, values in (−1, 1).
  const w = new StaticArray<i32>(ROWS * COLS);
  const x = new StaticArray<i32>(ROWS);
  const z = new StaticArray<i32>(COLS);
  for (let i = 0; i < ROWS * COLS; i++) w[i] = <i32>rng.nextU32() >> 15;
  for (let i = 0; i < ROWS; i++) x[i] = <i32>rng.nextU32() >> 15;
  const wp = changetype<usize>(w);
  const xp = changetype<usize>(x);
  const zp = changetype<usize>(z);
  for (let j = 0; j < COLS; j++) {
    // Column walk: z[j] = Σ_k x[k]·W[k][j] (stride COLS), then the same with a bias and a batch shift.
    z[j] = fx.dot(xp, wp + (<usize>j << 2), ROWS, 1, COLS);
    record(TAG_DOT_COL, j, 0, z[j]);
    record(TAG_DOT_ACC, j, 0, fx.dotAcc(xp, wp + (<usize>j << 2), ROWS, 1, COLS, <i64>(j * 1000) << 16, 22));
  }
  for (let k = 0; k < 4; k++) record(TAG_DOT_ROW, k, 0, fx.dot(wp + <usize>(k * COLS * 4), wp, COLS, 1, 1));
  record(TAG_ARGMAX, COLS, 0, fx.argmax(zp, COLS));
  fx.softmax(zp, zp, COLS);
  for (let j = 0; j < COLS; j++) record(TAG_SOFTMAX, j, 0, z[j]);
  // SGD-style update of column 0 with learning rate −0.2: W[k][0] += −0.2 · x[k].
  fx.axpy(wp, xp, ROWS, -13107, COLS, 1);
  for (let k = 0; k < ROWS; k += 8) record(TAG_AXPY, k, 0, w[k * COLS]);
  // The Gaussian sampler and the raw generator.
  for (let i = 0; i < 8; i++) record(TAG_RNG, i, 0, rng.gaussian());
  record(TAG_RNG, 8, 0, <i32>rng.nextU32());
  record(TAG_RNG, 9, 0, rng.normal(fx.div(1, 8)));
}

export function main(): void {
  const seed: u64 = inputLen() >= 4 ? <u64>readU32() : 1;
  const rng = new fx.Rng(seed);
  scalars(rng);
  vectors(rng);
}
