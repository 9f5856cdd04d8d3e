/**
 * DEEP composition coefficients. Columns are numbered table by table (main, aux coordinates, quotient columns);
 * column k gets λ^k. With K columns in all and μ = λ^K:
 *   f(x) = (Σ_k λ^k·c_k(x) − a)/(x − ζ) + μ·Σ_t (Σ_{k ∈ trace cols of t} λ^k·c_k(x) − b_t)/(x − ζ·ω_t)
 *   a = Σ_k λ^k·c_k(ζ),  b_t = Σ_{k ∈ trace cols of t} λ^k·c_k(ζ·ω_t).
 * Every term has a distinct power of λ (0 … K−1 and K + k), i.e. the standard random linear combination.
 */
import * as F from "./field.ts";
import * as E from "./ext.ts";
import { eAdd, eMul, eSub, eInv, extOf, eMulBase, type Ext } from "./ext.ts";

// module-local bindings for the flat path (see the hot-path note in verifier/fri.ts)
const { add, sub, neg, mul } = F;
const { eMulAt, eBatchInverseFlat, eDotBaseAcc } = E;
import type { ProofShape } from "./protocol.ts";
import type { TableOodValues } from "./proof-types.ts";

export interface DeepCoefficients {
  readonly main: Ext[][];
  readonly aux: Ext[][];
  readonly quot: Ext[][];
  readonly a: Ext;
  readonly b: Ext[];
  readonly mu: Ext;
}

export function deepCoefficients(shape: ProofShape, ood: readonly TableOodValues[], lambda: Ext): DeepCoefficients {
  let pw = extOf(1);
  const next = () => { const r = pw; pw = eMul(pw, lambda); return r; };
  let a = extOf(0);
  const main: Ext[][] = [], aux: Ext[][] = [], quot: Ext[][] = [], b: Ext[] = [];
  shape.logHeights.forEach((_, t) => {
    const o = ood[t]!;
    let bt = extOf(0);
    const take = (vals: readonly Ext[], nextVals: readonly Ext[] | undefined) => vals.map((v, j) => {
      const c = next();
      a = eAdd(a, eMul(c, v));
      if (nextVals) bt = eAdd(bt, eMul(c, nextVals[j]!));
      return c;
    });
    main.push(take(o.mainZ, o.mainZw));
    aux.push(take(o.auxZ, o.auxZw));
    quot.push(take(o.quotZ, undefined));
    b.push(bt);
  });
  return { main, aux, quot, a, b, mu: pw };
}

/** f(x) at one LDE point from the opened rows of every table. `zetaW[t]` = ζ·ω_t. */
export function deepAt(co: DeepCoefficients, x: number, zeta: Ext, zetaW: readonly Ext[], rows: readonly { main: ArrayLike<number>; aux: ArrayLike<number> | undefined; quot: ArrayLike<number> }[]): Ext {
  let A = extOf(0);
  let tail = extOf(0);
  rows.forEach((r, t) => {
    let At = extOf(0);
    co.main[t]!.forEach((c, j) => { At = eAdd(At, eMulBase(c, r.main[j]!)); });
    co.aux[t]!.forEach((c, j) => { At = eAdd(At, eMulBase(c, r.aux![j]!)); });
    A = eAdd(A, At);
    co.quot[t]!.forEach((c, j) => { A = eAdd(A, eMulBase(c, r.quot[j]!)); });
    tail = eAdd(tail, eMul(eSub(At, co.b[t]!), eInv(eSub(extOf(x), zetaW[t]!))));
  });
  return eAdd(eMul(eSub(A, co.a), eInv(eSub(extOf(x), zeta))), eMul(co.mu, tail));
}

/**
 * The verifier's DEEP layer, flat and allocation-light: f(x_k) for every opened row k at once, the same values as
 * `deepCoefficients` + `deepAt` (test/deep-flat.test.ts). The λ-powers are laid out like the opened rows (every
 * table's columns side by side per round), the sums are formed with base-field products only, and every
 * 1/(x_k − ζ) and 1/(x_k − ζ·ω_t) comes from one batch inversion. Returns f(x_k) at [4k, 4k + 4).
 * Throws RangeError if some x_k equals ζ or ζ·ω_t (impossible for an out-of-domain ζ; `verify` turns it into
 * an Internal error, as the scalar form's inversion did).
 */
export function deepValuesFlat(
  shape: ProofShape, ood: readonly TableOodValues[], lambda: Ext, zeta: Ext, zetaW: readonly Ext[], xs: ArrayLike<number>,
  rows: { readonly main: Uint32Array; readonly aux: Uint32Array | undefined; readonly quotient: Uint32Array },
): Uint32Array {
  const T = shape.logHeights.length;
  const sum = (w: readonly number[]) => w.reduce((a, b) => a + b, 0);
  const Wm = sum(shape.mainWidth), Wa = sum(shape.auxWidth), Wq = sum(shape.quotWidth);
  const cm = new Uint32Array(4 * Wm), ca = new Uint32Array(4 * Wa), cq = new Uint32Array(4 * Wq);
  // λ-powers in protocol order (table by table: main, aux, quotient), and a = Σ λ^k·c_k(ζ), b_t = Σ λ^k·c_k(ζω_t)
  const pw = Uint32Array.of(1, 0, 0, 0);
  const a = new Uint32Array(4);
  const b = new Uint32Array(4 * T);
  const tmp = new Uint32Array(4);
  const acc = (dst: Uint32Array, o: number, c: Uint32Array, ci: number, v: Uint32Array) => {
    eMulAt(tmp, 0, c, ci, v, 0);
    dst[o] = add(dst[o]!, tmp[0]!); dst[o + 1] = add(dst[o + 1]!, tmp[1]!); dst[o + 2] = add(dst[o + 2]!, tmp[2]!); dst[o + 3] = add(dst[o + 3]!, tmp[3]!);
  };
  let om = 0, oa = 0, oq = 0;
  for (let t = 0; t < T; t++) {
    const o = ood[t]!;
    const take = (coef: Uint32Array, off: number, at: readonly Uint32Array[], atNext: readonly Uint32Array[] | undefined) => {
      for (let j = 0; j < at.length; j++) {
        const ci = 4 * (off + j);
        coef[ci] = pw[0]!; coef[ci + 1] = pw[1]!; coef[ci + 2] = pw[2]!; coef[ci + 3] = pw[3]!;
        acc(a, 0, coef, ci, at[j]!);
        if (atNext) acc(b, 4 * t, coef, ci, atNext[j]!);
        eMulAt(pw, 0, pw, 0, lambda, 0);
      }
    };
    if (o.mainZ.length !== shape.mainWidth[t] || o.auxZ.length !== shape.auxWidth[t] || o.quotZ.length !== shape.quotWidth[t]) throw new RangeError(`DEEP: table ${t} OOD values do not match the shape`);
    take(cm, om, o.mainZ, o.mainZw);
    take(ca, oa, o.auxZ, o.auxZw);
    take(cq, oq, o.quotZ, undefined);
    om += shape.mainWidth[t]!; oa += shape.auxWidth[t]!; oq += shape.quotWidth[t]!;
  }
  const mu = pw;
  const U = xs.length;
  if (rows.main.length !== U * Wm || rows.quotient.length !== U * Wq || (Wa > 0 && (rows.aux === undefined || rows.aux.length !== U * Wa))) throw new RangeError("DEEP: opened rows do not match the shape");
  // denominators: per row k, slot 0 is x_k − ζ, slot 1 + t is x_k − ζ·ω_t
  const S = T + 1;
  const den = new Uint32Array(4 * S * U);
  for (let k = 0; k < U; k++) {
    const x = xs[k]!;
    const d = 4 * S * k;
    den[d] = sub(x, zeta[0]!); den[d + 1] = neg(zeta[1]!); den[d + 2] = neg(zeta[2]!); den[d + 3] = neg(zeta[3]!);
    for (let t = 0; t < T; t++) {
      const z = zetaW[t]!, e = d + 4 * (t + 1);
      den[e] = sub(x, z[0]!); den[e + 1] = neg(z[1]!); den[e + 2] = neg(z[2]!); den[e + 3] = neg(z[3]!);
    }
  }
  const inv = eBatchInverseFlat(den);
  const out = new Uint32Array(4 * U);
  const A = new Uint32Array(4), At = new Uint32Array(4), tail = new Uint32Array(4);
  // Σ_j coef_j·v_j over a row slice (v base), added into dst
  const dot = (dst: Uint32Array, coef: Uint32Array, c0: number, row: Uint32Array, r0: number, n: number) => eDotBaseAcc(dst, 0, coef, 4 * c0, row, r0, n);
  for (let k = 0; k < U; k++) {
    A.fill(0); tail.fill(0);
    let om2 = 0, oa2 = 0, oq2 = 0;
    for (let t = 0; t < T; t++) {
      const mw = shape.mainWidth[t]!, aw = shape.auxWidth[t]!, qw = shape.quotWidth[t]!;
      At.fill(0);
      dot(At, cm, om2, rows.main, k * Wm + om2, mw);
      if (aw > 0) dot(At, ca, oa2, rows.aux!, k * Wa + oa2, aw);
      for (let c = 0; c < 4; c++) A[c] = add(A[c]!, At[c]!);
      dot(A, cq, oq2, rows.quotient, k * Wq + oq2, qw);
      // tail += (At − b_t)/(x − ζω_t)
      for (let c = 0; c < 4; c++) At[c] = sub(At[c]!, b[4 * t + c]!);
      acc(tail, 0, At, 0, inv.subarray(4 * (S * k + 1 + t), 4 * (S * k + 2 + t)));
      om2 += mw; oa2 += aw; oq2 += qw;
    }
    // f = (A − a)/(x − ζ) + μ·tail
    for (let c = 0; c < 4; c++) A[c] = sub(A[c]!, a[c]!);
    eMulAt(out, 4 * k, A, 0, inv, 4 * S * k);
    acc(out, 4 * k, mu, 0, tail);
  }
  return out;
}
