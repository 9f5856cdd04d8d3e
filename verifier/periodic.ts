/**
 * Periodic columns. A column of period m on a table of height n (m | n) is the polynomial I(x^{n/m}), where I
 * interpolates the m values over H_m. Both sides derive its values from the AIR description alone.
 *
 * Public columns can be as long as the table (the VM's program table: one row per instruction, ~40 columns), so
 * everything here is O(m log m): a radix-2 NTT in plain TypeScript (the verifier has no WASM), not the O(m²)
 * DFT of the first version, which made the prover's quotient O(4m²) per column — minutes for a program of a few
 * thousand instructions.
 */
import * as F from "./field.ts";
import * as E from "./ext.ts";
import type { Ext } from "./ext.ts";

// module-local bindings (see the hot-path note in verifier/fri.ts)
const { add, inv, mul, pow, rootOfUnity, sub } = F;
const { eAdd, eMul, EXT_ZERO, EXT_ONE, ePow, eSub, eIsZero, extOf, eBatchInverseFlat, eMulAt, eDotBaseAcc } = E;

/** In-place radix-2 NTT: a[i] ← Σ_j a[j]·w^{ij} with w a primitive root of order a.length (a power of two). */
function ntt(a: Uint32Array, w: number): void {
  const n = a.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { const t = a[i]!; a[i] = a[j]!; a[j] = t; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const wl = pow(w, n / len);
    const half = len >> 1;
    const tw = new Uint32Array(half);
    tw[0] = 1;
    for (let k = 1; k < half; k++) tw[k] = mul(tw[k - 1]!, wl);
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < half; k++) {
        const u = a[s + k]!, v = mul(a[s + k + half]!, tw[k]!);
        a[s + k] = add(u, v);
        a[s + k + half] = sub(u, v);
      }
    }
  }
}

/** Coefficients of I: the inverse NTT of the values over H_m. */
export function periodicCoeffs(values: readonly number[]): Uint32Array {
  const m = values.length;
  const a = Uint32Array.from(values);
  ntt(a, inv(rootOfUnity(Math.log2(m))));
  const mInv = inv(m % 2013265921);
  for (let i = 0; i < m; i++) a[i] = mul(a[i]!, mInv);
  return a;
}

/** I(ζ^{n/m}) at an extension point. */
export function periodicAt(values: readonly number[], logN: number, zeta: Ext): Ext {
  const c = periodicCoeffs(values);
  const y = ePow(zeta, 2 ** logN / values.length);
  let acc = EXT_ZERO;
  for (let k = c.length - 1; k >= 0; k--) acc = eAdd(eMul(acc, y), extOf(c[k]!));
  return acc;
}

/** Values of the periodic column on the coset shift·H_{2^logD} (a domain containing H_n's coset structure). */
export function periodicOnCoset(values: readonly number[], logN: number, logD: number, shift: number): Uint32Array {
  const m = values.length;
  const c = periodicCoeffs(values);
  const k = 2 ** logN / m; // x ↦ x^k
  const D = 2 ** logD;
  // x_i^k = shift^k · ω_D^{ik} = s·ω_period^i: one period of I on the coset s·H_period (period ≥ m since
  // D ≥ n), by scaling the coefficients by s^j and one forward NTT; then tiled.
  const period = Math.max(1, D / k);
  const s = pow(shift, k);
  const a = new Uint32Array(Math.max(period, m));
  let sj = 1;
  for (let j = 0; j < m; j++) { a[j] = mul(c[j]!, sj); sj = mul(sj, s); }
  if (period < m) throw new RangeError(`periodic column of ${m} values on a coset of ${D} points of a table of 2^${logN} rows`);
  ntt(a, rootOfUnity(Math.log2(period)));
  const out = new Uint32Array(D);
  for (let i = 0; i < D; i++) out[i] = a[i % period]!;
  return out;
}

/**
 * Every periodic column of a table at ζ, flat (column j at [4j, 4j + 4)): the same values as `periodicAt`, by
 * barycentric interpolation instead of an inverse NTT per column. For a column of m values v_i over H_m and
 * y = ζ^{n/m} ∉ H_m,  I(y) = (y^m − 1)/m · Σ_i v_i·ω^i/(y − ω^i)  (ω = ω_m); the weights ω^i/(y − ω^i) depend
 * only on m, so they are computed once (one batch inversion) for all columns of that length, and each column
 * costs m extension-by-base products. When y ∈ H_m (impossible at an out-of-domain ζ, but handled) the column
 * falls back to `periodicAt`. test/periodic.test.ts compares it with periodicAt.
 */
export function periodicColumnsAt(cols: readonly (readonly number[])[], logN: number, zeta: Ext): Uint32Array {
  const out = new Uint32Array(4 * cols.length);
  const byLength = new Map<number, number[]>();
  cols.forEach((c, j) => {
    const list = byLength.get(c.length);
    if (list) list.push(j);
    else byLength.set(c.length, [j]);
  });
  for (const [m, js] of byLength) {
    const logM = Math.log2(m);
    if (!Number.isInteger(logM) || 2 ** logN % m !== 0) throw new RangeError(`periodic column of ${m} values on a table of 2^${logN} rows`);
    const y = ePow(zeta, 2 ** logN / m);
    const ym1 = eSub(ePow(y, m), EXT_ONE);
    if (eIsZero(ym1)) {
      for (const j of js) out.set(periodicAt(cols[j]!, logN, zeta), 4 * j);
      continue;
    }
    // denominators y − ω^i, then weights ω^i/(y − ω^i)
    const w = rootOfUnity(logM);
    const den = new Uint32Array(4 * m);
    let wi = 1;
    for (let i = 0; i < m; i++) {
      den[4 * i] = sub(y[0]!, wi);
      den[4 * i + 1] = y[1]!;
      den[4 * i + 2] = y[2]!;
      den[4 * i + 3] = y[3]!;
      wi = mul(wi, w);
    }
    const weights = eBatchInverseFlat(den);
    wi = 1;
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < 4; k++) weights[4 * i + k] = mul(weights[4 * i + k]!, wi);
      wi = mul(wi, w);
    }
    const factor = eMul(ym1, extOf(inv(m % 2013265921)));
    const acc = new Uint32Array(4);
    for (const j of js) {
      acc.fill(0);
      eDotBaseAcc(acc, 0, weights, 0, cols[j]!, 0, m);
      eMulAt(out, 4 * j, acc, 0, factor, 0);
    }
  }
  return out;
}
