// Exact-enough real arithmetic for checking the Q16.16 library `fx`: BigInt fixed point with FRAC
// fractional bits (far beyond float64), used to (1) recompute the constant tables hard-coded in
// guest-sdk/zkvm-guest/fx.ts and (2) decide rounding in the rare inputs where float64 cannot tell which
// side of a half-ulp the exact result lies on. Slow (BigInt), so only called on a few thousand values.

/** Fractional bits of every BigInt "real" in this module. */
export const FRAC = 160n;
export const ONE = 1n << FRAC;

/** floor(a / b) for BigInt (BigInt `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Round half up of a/2^s, the SDK's rounding rule R(a, s). */
export function roundShift(a: bigint, s: bigint): bigint {
  return s === 0n ? a : (a + (1n << (s - 1n))) >> s;
}

/** atanh(num/den) · 2^FRAC for 0 ≤ num/den ≤ 1/3 (series Σ t^(2i+1)/(2i+1)). */
function atanhRatio(num: bigint, den: bigint): bigint {
  const t = (num << FRAC) / den;
  const t2 = (t * t) >> FRAC;
  let pow = t;
  let sum = 0n;
  for (let i = 1n; pow !== 0n; i += 2n) {
    sum += pow / i;
    pow = (pow * t2) >> FRAC;
  }
  return sum;
}

export const LN2: bigint = 2n * atanhRatio(1n, 3n);

/** ln(v / 2^FRAC) · 2^FRAC for v > 0. */
export function lnBig(v: bigint): bigint {
  if (v <= 0n) throw new RangeError("lnBig: non-positive argument");
  // v = 2^e · m with m ∈ [1, 2): ln v = e·ln2 + 2·atanh((m−1)/(m+1)).
  const e = BigInt(v.toString(2).length) - 1n - FRAC;
  const m = e >= 0n ? v >> e : v << -e;
  return e * LN2 + 2n * atanhRatio(m - ONE, m + ONE);
}

/** exp(v / 2^FRAC) · 2^FRAC (may be fractional-precision only for very negative v). */
export function expBig(v: bigint): bigint {
  // v = k·ln2 + r with |r| ≤ ln2/2; exp(r) by Taylor series.
  const k = floorDiv(v + LN2 / 2n, LN2);
  const r = v - k * LN2;
  let term = ONE;
  let sum = ONE;
  for (let i = 1n; term !== 0n; i++) {
    term = (term * r) / (i << FRAC);
    sum += term;
  }
  return k >= 0n ? sum << k : sum >> -k;
}

/** A rational x/2^16 (a Q16.16 raw value) as a BigInt real. */
export function fromRaw(raw: number): bigint {
  return BigInt(raw) << (FRAC - 16n);
}

/** round-half-up(v · 2^16) for a BigInt real v: the correctly rounded Q16.16 raw value. */
export function toRawRounded(v: bigint): bigint {
  return roundShift(v, FRAC - 16n);
}

/** 1/(1+e^−x) as a BigInt real, x a BigInt real. */
export function sigmoidBig(x: bigint): bigint {
  return (ONE << FRAC) / (ONE + expBig(-x));
}

/** tanh(x) as a BigInt real. */
export function tanhBig(x: bigint): bigint {
  const e = expBig(-2n * (x < 0n ? -x : x));
  const t = ((ONE - e) << FRAC) / (ONE + e);
  return x < 0n ? -t : t;
}

/** floor(sqrt(n)) for n ≥ 0. */
export function isqrtBig(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << ((BigInt(n.toString(2).length) + 1n) / 2n);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Scaled constant round(v · 2^bits) for a BigInt real v. */
export function scaled(v: bigint, bits: bigint): bigint {
  return roundShift(v, FRAC - bits);
}
