// Error measurement for the fx library: runs a Q16.16 function over a set of raw inputs and compares
// each result with the exact real result (float64 computed on the host; when float64 cannot tell on
// which side of a half-ulp the exact value lies, a 160-bit BigInt evaluation decides).

import * as big from "./fx-bigmath.ts";

export interface UnaryCase {
  name: string;
  /** The guest function (raw → raw). */
  fx: (x: number) => number;
  /** The real function, float64. */
  ref: (x: number) => number;
  /** The real function on BigInt reals (fx-bigmath), for near-ties. */
  refBig: (x: bigint) => bigint;
}

export interface ErrorStats {
  count: number;
  /** max |result − exact| in ulps (2^−16). */
  maxUlp: number;
  meanUlp: number;
  /** Input where maxUlp was reached. */
  worstInput: number;
  /** Results that differ from the correctly rounded (half up) raw value. */
  misrounded: number;
  firstMisrounded: number | undefined;
  /** Inputs whose exact result was within 2^−20 ulp of a tie, decided with BigInt. */
  nearTies: number;
}

/** Float64 leaves ~2^−21 ulp of doubt at results of 2^31 ulps; inside this band BigInt decides. */
const TIE_BAND = 2 ** -20;

export function emptyStats(): ErrorStats {
  return { count: 0, maxUlp: 0, meanUlp: 0, worstInput: 0, misrounded: 0, firstMisrounded: undefined, nearTies: 0 };
}

/** Accumulates one input into stats (meanUlp holds the running sum until `finish`). */
export function measureOne(c: UnaryCase, x: number, s: ErrorStats): void {
  const r = c.fx(x);
  const v = c.ref(x / 65536) * 65536;
  const err = Math.abs(r - v);
  s.count++;
  s.meanUlp += err;
  if (err > s.maxUlp) {
    s.maxUlp = err;
    s.worstInput = x;
  }
  const fl = Math.floor(v);
  let expected: number;
  if (Math.abs(v - fl - 0.5) < TIE_BAND) {
    s.nearTies++;
    expected = Number(big.toRawRounded(c.refBig(big.fromRaw(x))));
  } else {
    expected = v - fl > 0.5 ? fl + 1 : fl;
  }
  if (r !== expected) {
    s.misrounded++;
    if (s.firstMisrounded === undefined) s.firstMisrounded = x;
  }
}

export function finish(s: ErrorStats): ErrorStats {
  return { ...s, meanUlp: s.count === 0 ? 0 : s.meanUlp / s.count };
}

/** Measures c over every x in [lo, hi] with the given step (step 1 = exhaustive). */
export function sweep(c: UnaryCase, lo: number, hi: number, step = 1, into: ErrorStats = emptyStats()): ErrorStats {
  for (let x = lo; x <= hi; x += step) measureOne(c, x, into);
  return into;
}

/** Deterministic 32-bit generator for random test inputs (xorshift32; tests must be reproducible). */
export function xorshift32(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s | 0;
  };
}

export function formatStats(name: string, s: ErrorStats): string {
  return `${name.padEnd(8)} n=${String(s.count).padStart(10)}  max ${s.maxUlp.toFixed(6)} ulp (x=${s.worstInput})` +
    `  mean ${s.meanUlp.toFixed(6)}  misrounded ${s.misrounded}  near-ties ${s.nearTies}`;
}

/** The unary functions of fx with their float64 and BigInt references. */
export function unaryCases(fx: { exp(x: number): number; ln(x: number): number; sqrt(x: number): number;
  sigmoid(x: number): number; tanh(x: number): number }): Record<"exp" | "ln" | "sqrt" | "sigmoid" | "tanh", UnaryCase> {
  return {
    exp: { name: "exp", fx: fx.exp, ref: Math.exp, refBig: big.expBig },
    ln: { name: "ln", fx: fx.ln, ref: Math.log, refBig: big.lnBig },
    sqrt: { name: "sqrt", fx: fx.sqrt, ref: Math.sqrt, refBig: (v) => big.isqrtBig(v << big.FRAC) },
    sigmoid: { name: "sigmoid", fx: fx.sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)), refBig: big.sigmoidBig },
    tanh: { name: "tanh", fx: fx.tanh, ref: Math.tanh, refBig: big.tanhBig },
  };
}
