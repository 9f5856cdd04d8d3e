/**
 * DEEP composition coefficients. Columns are numbered table by table (main, aux coordinates, quotient columns);
 * column k gets λ^k. With K columns in all and μ = λ^K:
 *   f(x) = (Σ_k λ^k·c_k(x) − a)/(x − ζ) + μ·Σ_t (Σ_{k ∈ trace cols of t} λ^k·c_k(x) − b_t)/(x − ζ·ω_t)
 *   a = Σ_k λ^k·c_k(ζ),  b_t = Σ_{k ∈ trace cols of t} λ^k·c_k(ζ·ω_t).
 * Every term has a distinct power of λ (0 … K−1 and K + k), i.e. the standard random linear combination.
 */
import { eAdd, eMul, eSub, eInv, extOf, eMulBase, type Ext } from "./ext.ts";
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
