/**
 * Periodic columns. A column of period m on a table of height n (m | n) is the polynomial I(x^{n/m}), where I
 * interpolates the m values over H_m. Both sides derive its values from the AIR description alone.
 */
import { add, eAdd, eMul, EXT_ZERO, ePow, extOf, inv, mul, pow, rootOfUnity, type Ext } from "./fp.ts";

/** Coefficients of I (naive inverse DFT; periodic columns are short). */
export function periodicCoeffs(values: readonly number[]): Uint32Array {
  const m = values.length;
  const logM = Math.log2(m);
  const wInv = inv(rootOfUnity(logM));
  const mInv = inv(m % 2013265921);
  const out = new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    const wk = pow(wInv, k);
    let x = 1;
    for (let j = 0; j < m; j++) {
      s = add(s, mul(values[j]!, x));
      x = mul(x, wk);
    }
    out[k] = mul(s, mInv);
  }
  return out;
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
  // x_i^k = shift^k · ω_D^{ik}; the pattern repeats every D/k... when k ≤ D; compute one period then tile.
  const period = Math.max(1, D / k);
  const w = pow(rootOfUnity(logD), k);
  const s = pow(shift, k);
  const out = new Uint32Array(D);
  let y = s;
  for (let i = 0; i < period; i++) {
    let acc = 0;
    for (let j = m - 1; j >= 0; j--) acc = add(mul(acc, y), c[j]!);
    out[i] = acc;
    y = mul(y, w);
  }
  for (let i = period; i < D; i++) out[i] = out[i - period]!;
  return out;
}
