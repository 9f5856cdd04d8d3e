/**
 * Prover side of LogUp (verifier/logup.ts defines the columns and constraints): builds a table's auxiliary
 * extension columns h_0 … h_{m−1} (one per interaction group, SymbolicTable.logupGroups), S on the trace domain
 * and returns its final running sum σ.
 */
import type { SymbolicTable } from "../verifier/symbolic.ts";
import type { Ext } from "../verifier/fp.ts";
import { eInv } from "../verifier/fp.ts";
import { mulm as mulmImported, neededNodes, VecEvaluator } from "./vec-eval.ts";
import { combineColumns } from "./kernels/linalg.ts";
import { batchInvertExtKernel, mulVectors } from "./kernels/vecmul.ts";

const mulm: (a: number, b: number) => number = mulmImported;

const P = 2013265921;

export interface AuxTrace {
  /** auxWidth extension columns, each Uint32Array(4n) coordinate-major. */
  readonly columns: Uint32Array[];
  readonly sum: Ext;
}

function emulScalar(a0: number, a1: number, a2: number, a3: number, b0: number, b1: number, b2: number, b3: number, out: number[]): void {
  const t4 = (mulm(a1, b3) + mulm(a2, b2) + mulm(a3, b1)) % P;
  const t5 = (mulm(a2, b3) + mulm(a3, b2)) % P;
  const t6 = mulm(a3, b3);
  out[0] = (mulm(a0, b0) + 11 * t4) % P;
  out[1] = (mulm(a0, b1) + mulm(a1, b0) + 11 * t5) % P;
  out[2] = (mulm(a0, b2) + mulm(a1, b1) + mulm(a2, b0) + 11 * t6) % P;
  out[3] = (mulm(a0, b3) + mulm(a1, b2) + mulm(a2, b1) + mulm(a3, b0)) % P;
}

/** In-place batch inversion of n extension elements stored coordinate-major in `v` (length 4n). */
export function batchInvertExt(v: Uint32Array, n: number): void {
  const pre = new Uint32Array(4 * n);
  const acc = [1, 0, 0, 0];
  const tmp = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 4; k++) pre[k * n + i] = acc[k]!;
    emulScalar(acc[0]!, acc[1]!, acc[2]!, acc[3]!, v[i]!, v[n + i]!, v[2 * n + i]!, v[3 * n + i]!, tmp);
    for (let k = 0; k < 4; k++) acc[k] = tmp[k]!;
  }
  const ia = eInv(Uint32Array.from(acc) as Ext);
  const inv = [ia[0]!, ia[1]!, ia[2]!, ia[3]!];
  const r = [0, 0, 0, 0];
  for (let i = n - 1; i >= 0; i--) {
    const x0 = v[i]!, x1 = v[n + i]!, x2 = v[2 * n + i]!, x3 = v[3 * n + i]!;
    emulScalar(inv[0]!, inv[1]!, inv[2]!, inv[3]!, pre[i]!, pre[n + i]!, pre[2 * n + i]!, pre[3 * n + i]!, r);
    emulScalar(inv[0]!, inv[1]!, inv[2]!, inv[3]!, x0, x1, x2, x3, tmp);
    for (let k = 0; k < 4; k++) {
      v[k * n + i] = r[k]!;
      inv[k] = tmp[k]!;
    }
  }
}

/**
 * Aux columns of table `t` with main columns `main` (each of length n). Throws RangeError if some α − f is zero
 * (probability ~n/p^4; the caller may retry with fresh randomness — in practice never happens).
 */
export function buildAuxTrace(
  t: SymbolicTable,
  main: readonly Uint32Array[],
  periodic: readonly Uint32Array[],
  publics: readonly number[],
  challenges: readonly Ext[],
): AuxTrace {
  const n = main[0]!.length;
  return auxTraceOf(logupGroupColumns(t, main, periodic, publics, challenges, 0, n), n);
}

/** The aux trace from its group columns h (each coordinate-major over all n rows): h…, then the running sum S. */
export function auxTraceOf(h: readonly Uint32Array[], n: number): AuxTrace {
  const S = new Uint32Array(4 * n);
  for (let k = 0; k < 4; k++) {
    const o = k * n;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      for (const c of h) acc += c[o + i]!;
      acc %= P;
      S[o + i] = acc;
    }
  }
  const sum = Uint32Array.of(S[n - 1]!, S[2 * n - 1]!, S[3 * n - 1]!, S[4 * n - 1]!) as Ext;
  return { columns: [...h, S], sum };
}

/**
 * Main columns the interaction expressions of `t` read (the only ones a LogUp worker needs).
 */
export function interactionMainColumns(t: SymbolicTable): number[] {
  const need = neededNodes(t, t.interactions.flatMap((it) => [...it.tuple, it.multiplicity]));
  const cols = new Set<number>();
  t.nodes.forEach((nd, i) => { if (need[i] && nd.op === "main") cols.add(nd.col); });
  return [...cols].sort((a, b) => a - b);
}

/**
 * The group columns h_0 … h_{m−1} of rows [from, to) (each coordinate-major, 4·(to − from) values); `main` holds
 * whole columns of n rows (the next row of row n − 1 is row 0). Rows are independent, so workers may build
 * ranges in parallel (prover/logup-parallel.ts).
 */
export function logupGroupColumns(
  t: SymbolicTable,
  main: readonly Uint32Array[],
  periodic: readonly Uint32Array[],
  publics: readonly number[],
  challenges: readonly Ext[],
  from: number,
  to: number,
): Uint32Array[] {
  const N = main.find((c) => c.length > 0)?.length ?? to;
  const n = to - from;
  const its = t.interactions;
  const outputs: number[] = [];
  for (const it of its) outputs.push(...it.tuple, it.multiplicity);
  const ev = new VecEvaluator(t, outputs, n, { publics, challenges, logupSum: Uint32Array.of(0, 0, 0, 0) as Ext });
  const vals = ev.run({
    main(col, next, out) {
      const c = main[col]!;
      if (!next) out.set(c.subarray(from, to));
      else if (to < N) out.set(c.subarray(from + 1, to + 1));
      else {
        out.set(c.subarray(from + 1, N), 0);
        out[n - 1] = c[0]!;
      }
    },
    aux() {
      throw new Error("interaction expressions may not read auxiliary columns");
    },
    periodic(col, out) {
      const p = periodic[col]!;
      for (let i = 0; i < n; i++) out[i] = p[(from + i) % p.length]!;
    },
  });
  const alpha = challenges[0]!, beta = challenges[1]!;
  const betaPows: number[][] = [[1, 0, 0, 0]];
  const maxLen = Math.max(...its.map((x) => x.tuple.length)) + 2;
  for (let j = 1; j <= maxLen; j++) {
    const prev = betaPows[j - 1]!;
    const o = [0, 0, 0, 0];
    emulScalar(prev[0]!, prev[1]!, prev[2]!, prev[3]!, beta[0]!, beta[1]!, beta[2]!, beta[3]!, o);
    betaPows.push(o);
  }
  const columns: Uint32Array[] = [];
  // d_i = α − f_i with f_i = bus + β·len + Σ β^{j+2}·t_j  (coordinate-major).
  const denominator = (it: (typeof its)[number]): Uint32Array => {
    const c0 = [it.bus % P, 0, 0, 0];
    const bl = betaPows[1]!;
    for (let k = 0; k < 4; k++) c0[k] = (c0[k]! + mulm(bl[k]!, it.tuple.length)) % P;
    // Σ_j β^{j+2}·t_j in the WASM kernel (tuple expressions are base-valued: main, periodic columns, publics)
    const coeffs = new Uint32Array(4 * it.tuple.length);
    it.tuple.forEach((_, j) => coeffs.set(betaPows[j + 2]!, 4 * j));
    const d = combineColumns(it.tuple.map((node) => vals[node]!), coeffs, n);
    for (let k = 0; k < 4; k++) {
      const a = (alpha[k]! - c0[k]! + P) % P, o = k * n;
      for (let i = 0; i < n; i++) { const v = a - d[o + i]!; d[o + i] = v < 0 ? v + P : v; }
    }
    return d;
  };
  /** x ← x·μ (base column), negated for a receive */
  const scaleSigned = (x: Uint32Array, it: (typeof its)[number]): void => {
    const mu = vals[it.multiplicity]!;
    const neg = it.direction === "receive";
    if (n % 4 === 0) {
      mulVectors(x, x, mu, n);
      if (neg) for (let i = 0; i < 4 * n; i++) { const v = x[i]!; x[i] = v === 0 ? 0 : P - v; }
      return;
    }
    for (let k = 0; k < 4; k++) {
      const o = k * n;
      for (let i = 0; i < n; i++) {
        let v = mulm(x[o + i]!, mu[i]!);
        if (neg && v !== 0) v = P - v;
        x[o + i] = v;
      }
    }
  };
  const tmp = [0, 0, 0, 0];
  /** out = a·b for ext vectors of n points (WASM kernel when n is a multiple of 4) */
  const extMulVec = (out: Uint32Array, a: Uint32Array, b: Uint32Array): void => {
    if (n % 4 === 0) { mulVectors(out, a, b, n); return; }
    for (let i = 0; i < n; i++) {
      emulScalar(a[i]!, a[n + i]!, a[2 * n + i]!, a[3 * n + i]!, b[i]!, b[n + i]!, b[2 * n + i]!, b[3 * n + i]!, tmp);
      out[i] = tmp[0]!; out[n + i] = tmp[1]!; out[2 * n + i] = tmp[2]!; out[3 * n + i] = tmp[3]!;
    }
  };
  for (const g of t.logupGroups) {
    let d: Uint32Array;
    let num: Uint32Array | undefined;
    if (g.length === 1) {
      d = denominator(its[g[0]!]!);
    } else if (g.length === 2) {
      // h = (s_1μ_1·d_2 + s_2μ_2·d_1) / (d_1·d_2): one inversion per pair
      const a = its[g[0]!]!, b = its[g[1]!]!;
      const d1 = denominator(a), d2 = denominator(b);
      d = new Uint32Array(4 * n);
      extMulVec(d, d1, d2);
      scaleSigned(d2, a);
      scaleSigned(d1, b);
      for (let i = 0; i < 4 * n; i++) { const s = d1[i]! + d2[i]!; d1[i] = s >= P ? s - P : s; }
      num = d1;
    } else {
      throw new Error(`LogUp groups of ${g.length} interactions are not supported`);
    }
    for (let i = 0; i < n; i++) if (d[i] === 0 && d[n + i] === 0 && d[2 * n + i] === 0 && d[3 * n + i] === 0) throw new RangeError("LogUp denominator is zero");
    batchInvertExtKernel(d, n, (x) => eInv(x as Ext));
    if (num === undefined) scaleSigned(d, its[g[0]!]!);
    else {
      const h = new Uint32Array(4 * n);
      extMulVec(h, d, num);
      d = h;
    }
    columns.push(d);
  }
  return columns;
}
