/**
 * LogUp bus argument, expressed as ordinary AIR constraints over extension-valued auxiliary columns.
 *
 * Challenges (drawn after every table's main trace is committed): α = challenge 0, β = challenge 1.
 * Fingerprint of an interaction on bus b with tuple (t_0 … t_{k−1}):  f = b + β·k + Σ_j β^{j+2}·t_j
 * (the tuple length is part of it, so [5,7] and [5,7,0] on one bus never collide).
 *
 * Per table with interactions i = 0 … (sign s_i = +1 for send, −1 for receive, multiplicity μ_i), batched into
 * groups G_0 … G_{m−1} of at most two (see appendLogup):
 *   aux column g   h_g = Σ_{i∈G_g} s_i·μ_i / (α − f_i)
 *                  constraint (every row), singleton:  h_g·(α − f_i) − s_i·μ_i = 0
 *                                          pair {i,j}: h_g·(α − f_i)(α − f_j) − s_i·μ_i·(α − f_j) − s_j·μ_j·(α − f_i) = 0
 *   aux column m   S   = running sum of Σ_g h_g
 *       first row:   S − Σ_g h_g = 0
 *       transition:  S' − S − Σ_g h_g' = 0
 *       last row:    S − σ = 0        where σ (`logupSum`) is the table's claimed total, sent in the proof.
 * The verifier checks Σ_tables σ = 0. This implies, as rational functions in α, that every fingerprint is sent
 * as often as it is received — modulo p. To rule out wrap-around, the verifier also checks that
 * Σ over tables of height × Σ over bounded interactions of bound < p (`checkMultiplicityBound`); an interaction
 * without a bound is the "table" side of a lookup and needs none (a value absent from the table would need a
 * count ≡ 0 mod p on the bounded side, impossible when that side's total count is below p).
 */
import { Expr, type PublicInteractions } from "./air.ts";
import type { TableBuilder } from "./symbolic.ts";
import { eAdd, eAddBase, eBatchInverse, eIsZero, eMul, eMulBase, eNeg, eSub, EXT_ZERO, type Ext } from "./ext.ts";
import * as F from "./field.ts";
import * as E from "./ext.ts";

// module-local bindings (see the hot-path note in verifier/fri.ts)
const { add, sub, mul } = F;
const { eMulAt, eBatchInverseFlat, extOf } = E;
import { VerifierError } from "./errors.ts";

export const LOGUP_NUM_CHALLENGES = 2;

/**
 * Interaction batching (R5): aux column g holds the sum over a group G_g of interactions,
 *   h_g = Σ_{i∈G} s_i·μ_i/(α − f_i),  constraint  h_g·Π_{i∈G}(α − f_i) − Σ_{i∈G} s_i·μ_i·Π_{j∈G, j≠i}(α − f_j) = 0.
 * Groups have at most MAX_LOGUP_BATCH interactions and are formed greedily in declaration order (first fit): an
 * interaction joins the first open group whose constraint degree stays ≤ `maxDegree` (the table's degree without
 * batching, so the quotient never grows), else opens a new group. With degree-1 tuples and multiplicities and a
 * degree-3 table, pairs fit: h·(α − f_1)(α − f_2) has degree 3, μ_1·(α − f_2) degree 2.
 */
export const MAX_LOGUP_BATCH = 2;

/** Degree of a group's constraint, from each member's fingerprint degree df and multiplicity degree dm. */
export function logupGroupDegree(df: readonly number[], dm: readonly number[]): number {
  const sumDf = df.reduce((a, b) => a + b, 0);
  let d = 1 + sumDf;
  for (let i = 0; i < df.length; i++) d = Math.max(d, dm[i]! + sumDf - df[i]!);
  return d;
}

/** The groups (interaction indices) for interactions with fingerprint degrees df and multiplicity degrees dm. */
export function logupGroups(df: readonly number[], dm: readonly number[], maxDegree: number): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < df.length; i++) {
    const g = groups.find((g) => g.length < MAX_LOGUP_BATCH && logupGroupDegree([...g.map((j) => df[j]!), df[i]!], [...g.map((j) => dm[j]!), dm[i]!]) <= maxDegree);
    if (g) g.push(i);
    else groups.push([i]);
  }
  return groups;
}

/**
 * Appends the auxiliary columns and constraints for the builder's interactions. `degree(node)` is the node's
 * degree; `maxDegree` the table's constraint degree before batching. Returns the aux width (ext columns: one per
 * group, plus the running sum) and the groups.
 */
export function appendLogup(b: TableBuilder, degree: (node: number) => number, maxDegree: number): { auxWidth: number; groups: number[][] } {
  const its = b.interactions;
  if (its.length === 0) return { auxWidth: 0, groups: [] };
  const alpha = b.challenge(0);
  const beta = b.challenge(1);
  const df = its.map((it) => Math.max(0, ...it.tuple.map(degree)));
  const dm = its.map((it) => degree(it.multiplicity));
  // never above the unbatched degree of any interaction either (max(1 + df, dm) per interaction)
  const bound = Math.max(maxDegree, ...its.map((_, i) => logupGroupDegree([df[i]!], [dm[i]!])));
  const groups = logupGroups(df, dm, bound);
  const den = its.map((it) => {
    let f: Expr = b.constant(it.bus).add(beta.mul(it.tuple.length));
    let pow = beta.mul(beta);
    for (const t of it.tuple) {
      f = f.add(pow.mul(new Expr(b, t)));
      pow = pow.mul(beta);
    }
    return alpha.sub(f);
  });
  const signed = its.map((it) => {
    const mu = new Expr(b, it.multiplicity);
    return it.direction === "send" ? mu : mu.neg();
  });
  const prod = (xs: Expr[]): Expr => xs.slice(1).reduce((acc, x) => acc.mul(x), xs[0]!);
  const hCur: Expr[] = [];
  const hNext: Expr[] = [];
  groups.forEach((g, gi) => {
    const h = b.aux(gi, false);
    let num: Expr | undefined;
    for (const i of g) {
      const others = g.filter((j) => j !== i).map((j) => den[j]!);
      const term = others.length === 0 ? signed[i]! : signed[i]!.mul(prod(others));
      num = num === undefined ? term : num.add(term);
    }
    b.addConstraint(h.mul(prod(g.map((i) => den[i]!))).sub(num!), "every", `${b.table.name}/logup/h${gi}[${g.join("+")}]`);
    hCur.push(h);
    hNext.push(b.aux(gi, true));
  });
  const m = groups.length;
  const sum = (xs: Expr[]): Expr => xs.slice(1).reduce((acc, x) => acc.add(x), xs[0]!);
  const s = b.aux(m, false);
  const sNext = b.aux(m, true);
  b.addConstraint(s.sub(sum(hCur)), "first", `${b.table.name}/logup/first`);
  b.addConstraint(sNext.sub(s).sub(sum(hNext)), "transition", `${b.table.name}/logup/step`);
  b.addConstraint(s.sub(b.logupSum()), "last", `${b.table.name}/logup/last`);
  return { auxWidth: m + 1, groups };
}

const P = 2013265921;

/**
 * No-wrap condition: Σ_tables height · Σ_{bounded interactions} bound < p. `heights` are actual row counts.
 * Returns the total (a JS number; exact since every term is < 2^53 under the height bound).
 */
export function multiplicityTotal(interactionsPerTable: readonly { readonly bound: number | undefined }[][], heights: readonly number[], publicTuples = 0): number {
  let total = publicTuples;
  interactionsPerTable.forEach((its, t) => {
    for (const it of its) if (it.bound !== undefined) total += heights[t]! * it.bound;
  });
  return total;
}

export function multiplicitiesCannotWrap(total: number): boolean {
  return total < P;
}

/**
 * Σ ±1/(α − f) over the public tuples, the same fingerprint as appendLogup's: the verifier's share of the bus,
 * added to the tables' claimed sums before the balance check. One batch inversion for all tuples; flat storage,
 * base-field products for the tuple terms (a VM receipt has 1,024 tuples per opened memory page).
 */
export function publicLogupSum(pubs: readonly PublicInteractions[], challenges: readonly Ext[]): Ext {
  if (pubs.length === 0) return EXT_ZERO;
  const alpha = challenges[0]!, beta = challenges[1]!;
  const maxArity = Math.max(...pubs.map((p) => p.arity));
  // β^1 … β^(maxArity + 2), flat: β^(j+1) at [4j, 4j + 4)
  const betaPow = new Uint32Array(4 * (maxArity + 2));
  betaPow.set(beta.subarray(0, 4), 0);
  for (let j = 1; j < maxArity + 2; j++) eMulAt(betaPow, 4 * j, betaPow, 4 * (j - 1), beta, 0);
  let count = 0;
  for (const pi of pubs) count += pi.tuples.length / pi.arity;
  const denoms = new Uint32Array(4 * count);
  const sends = new Uint8Array(count);
  let n = 0;
  for (const pi of pubs) {
    // base = β·arity + bus
    const b0 = add(mul(beta[0]!, pi.arity), pi.bus), b1 = mul(beta[1]!, pi.arity), b2 = mul(beta[2]!, pi.arity), b3 = mul(beta[3]!, pi.arity);
    const send = pi.direction === "send" ? 1 : 0;
    for (let o = 0; o < pi.tuples.length; o += pi.arity, n++) {
      let f0 = b0, f1 = b1, f2 = b2, f3 = b3;
      for (let j = 0; j < pi.arity; j++) {
        const v = pi.tuples[o + j]!;
        if (v === 0) continue;
        const k = 4 * (j + 1); // β^(j+2)
        f0 = add(f0, mul(betaPow[k]!, v)); f1 = add(f1, mul(betaPow[k + 1]!, v)); f2 = add(f2, mul(betaPow[k + 2]!, v)); f3 = add(f3, mul(betaPow[k + 3]!, v));
      }
      const d0 = sub(alpha[0]!, f0), d1 = sub(alpha[1]!, f1), d2 = sub(alpha[2]!, f2), d3 = sub(alpha[3]!, f3);
      // α is drawn after every table is committed; a public tuple hitting it has probability count/|F⁴|
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) throw new VerifierError("LogupSumNonZero", "a public bus tuple's fingerprint equals the challenge α");
      denoms[4 * n] = d0; denoms[4 * n + 1] = d1; denoms[4 * n + 2] = d2; denoms[4 * n + 3] = d3;
      sends[n] = send;
    }
  }
  const inv = eBatchInverseFlat(denoms);
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (let i = 0; i < count; i++) {
    const k = 4 * i;
    if (sends[i]) { t0 = add(t0, inv[k]!); t1 = add(t1, inv[k + 1]!); t2 = add(t2, inv[k + 2]!); t3 = add(t3, inv[k + 3]!); }
    else { t0 = sub(t0, inv[k]!); t1 = sub(t1, inv[k + 1]!); t2 = sub(t2, inv[k + 2]!); t3 = sub(t3, inv[k + 3]!); }
  }
  return extOf(t0, t1, t2, t3);
}

/** The scalar reference form of `publicLogupSum` (Ext objects, eBatchInverse). For tests. */
export function publicLogupSumReference(pubs: readonly PublicInteractions[], challenges: readonly Ext[]): Ext {
  if (pubs.length === 0) return EXT_ZERO;
  const alpha = challenges[0]!, beta = challenges[1]!;
  const maxArity = Math.max(...pubs.map((p) => p.arity));
  const betaPow: Ext[] = [beta];
  for (let j = 1; j <= maxArity + 1; j++) betaPow.push(eMul(betaPow[j - 1]!, beta));
  const denoms: Ext[] = [];
  const signs: boolean[] = [];
  for (const pi of pubs) {
    const base = eAddBase(eMulBase(beta, pi.arity), pi.bus);
    for (let o = 0; o < pi.tuples.length; o += pi.arity) {
      let f = base;
      for (let j = 0; j < pi.arity; j++) f = eAdd(f, eMulBase(betaPow[j + 1]!, pi.tuples[o + j]!));
      const d = eSub(alpha, f);
      if (eIsZero(d)) throw new VerifierError("LogupSumNonZero", "a public bus tuple's fingerprint equals the challenge α");
      denoms.push(d);
      signs.push(pi.direction === "send");
    }
  }
  let total = EXT_ZERO;
  eBatchInverse(denoms).forEach((x, i) => { total = eAdd(total, signs[i] ? x : eNeg(x)); });
  return total;
}
