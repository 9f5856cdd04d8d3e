/**
 * The quotient Q = Σ_k γ^k·C_k / V_k of one table, evaluated on the coset g·H_q (a sub-coset of the LDE coset
 * g·H_N, read with stride N/q), then interpolated and split into chunks of n coefficients:
 *   Q(x) = Σ_c x^{c·n}·Q_c(x).
 * V_k is Z_H = xⁿ − 1 for "every", Z_H/(x − ω⁻¹) for "transition", x − 1 for "first", x − ω⁻¹ for "last"
 * (ω = ω_n, ω⁻¹ = ω^{n−1} the last row).
 */
import type { SymbolicTable, QuotientShape } from "../verifier/symbolic.ts";
import { GENERATOR, batchInverse, inv, mul as field_mul, pow, rootOfUnity, sub as field_sub, type Ext } from "../verifier/fp.ts";
import { periodicOnCoset } from "../verifier/periodic.ts";
import { mulm as mulmImported, VecEvaluator } from "./vec-eval.ts";
import { cosetInterpolate } from "./poly.ts";
import { combineColumns } from "./kernels/linalg.ts";
import { QuotientProgram } from "./quotient-kernel.ts";

const mul: (a: number, b: number) => number = field_mul;
const sub: (a: number, b: number) => number = field_sub;

const mulm: (a: number, b: number) => number = mulmImported;

const P = 2013265921;
const BLOCK = 2048;

export interface QuotientInputs {
  readonly table: SymbolicTable;
  readonly shape: QuotientShape;
  /** log2 of the LDE size N. */
  readonly logLde: number;
  /** Row-major LDE of the main trace on g·H_N (width = table width, unless mainLayout says otherwise). */
  readonly main: Uint32Array;
  /** Where the table's main columns sit when `main` is a commitment round's matrix of several tables. */
  readonly mainLayout?: MatrixLayout;
  /** Row-major LDE of the aux trace (width 4·auxWidth, coordinate k of ext column c at 4c + k), if any. */
  readonly aux: Uint32Array | undefined;
  readonly auxLayout?: MatrixLayout | undefined;
  readonly publics: readonly number[];
  readonly challenges: readonly Ext[];
  readonly logupSum: Ext;
  /** Constraint-combination challenge. */
  readonly gamma: Ext;
  /** tests: evaluate with the JavaScript interpreter even where the WASM program would run */
  readonly noKernel?: boolean;
}

/**
 * Row stride (values per matrix row) and the column of the table's first value in each row; or, with columnMajor,
 * column c of the table at [(offset + c)·stride, …) (stride = the LDE size N).
 */
export interface MatrixLayout {
  readonly stride: number;
  readonly offset: number;
  readonly columnMajor?: boolean;
}

function extPowers(g: Ext, count: number): Ext[] {
  const out: Ext[] = [Uint32Array.of(1, 0, 0, 0) as Ext];
  const tmp = new Uint32Array(4);
  for (let i = 1; i < count; i++) {
    const a = out[i - 1]!;
    extMulTo(tmp, a, g);
    out.push(Uint32Array.from(tmp) as Ext);
  }
  return out;
}

function extMulTo(o: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  const a0 = a[0]!, a1 = a[1]!, a2 = a[2]!, a3 = a[3]!, b0 = b[0]!, b1 = b[1]!, b2 = b[2]!, b3 = b[3]!;
  const t4 = (mulm(a1, b3) + mulm(a2, b2) + mulm(a3, b1)) % P;
  const t5 = (mulm(a2, b3) + mulm(a3, b2)) % P;
  const t6 = mulm(a3, b3);
  o[0] = (mulm(a0, b0) + 11 * t4) % P;
  o[1] = (mulm(a0, b1) + mulm(a1, b0) + 11 * t5) % P;
  o[2] = (mulm(a0, b2) + mulm(a1, b1) + mulm(a2, b0) + 11 * t6) % P;
  o[3] = (mulm(a0, b3) + mulm(a1, b2) + mulm(a2, b1) + mulm(a3, b0)) % P;
}

const DOMAINS = ["every", "transition", "first", "last"] as const;
type Domain = (typeof DOMAINS)[number];

/** Q on g·H_q, coordinate-major (4·q). */
export function evaluateQuotient(x: QuotientInputs): Uint32Array {
  const q = 2 ** x.shape.logQuotientDomain;
  const Q = new Uint32Array(4 * q);
  evaluateQuotientRange(x, 0, q, Q);
  return Q;
}

/**
 * Q at the points J ∈ [from, to) of g·H_q, written into Q (coordinate-major over all q points). `to − from` must
 * be a multiple of min(BLOCK, q). The worker pool (prover/quotient-parallel.ts) calls this on disjoint ranges.
 */
export function evaluateQuotientRange(x: QuotientInputs, from: number, to: number, Q: Uint32Array): void {
  const t = x.table;
  const { logN, logQuotientDomain: logQ } = x.shape;
  const n = 2 ** logN, q = 2 ** logQ, N = 2 ** x.logLde;
  const stride = N / q;
  const nextOff = N / n;
  const w = t.width;
  const aw = 4 * t.auxWidth;
  const g = GENERATOR;
  const periodic = t.periodic.map((p) => periodicOnCoset(p, logN, logQ, g));

  // Vanishing-polynomial factors on g·H_q.
  const wq = rootOfUnity(logQ);
  const omegaInvN = inv(rootOfUnity(logN));
  // xs[J − from] = g·ω_q^J for J in the range
  const len = to - from;
  const xs = new Uint32Array(len);
  xs[0] = mul(g, pow(wq, from));
  for (let j = 1; j < len; j++) xs[j] = mul(xs[j - 1]!, wq);
  const r = q / n;
  const zvals = new Uint32Array(r);
  for (let j = 0; j < r; j++) zvals[j] = sub(pow(mul(g, pow(wq, j)), n), 1);
  const zinv = batchInverse(zvals);
  const domains = new Set(t.constraints.map((c) => c.domain));
  const hasEvery = domains.has("every"), hasTransition = domains.has("transition"), hasFirst = domains.has("first"), hasLast = domains.has("last");
  const firstInv = domains.has("first") ? batchInverse(xs.map((v) => sub(v, 1))) : undefined;
  const lastInv = domains.has("last") || domains.has("transition") ? batchInverse(xs.map((v) => sub(v, omegaInvN))) : undefined;

  const gammas = extPowers(x.gamma, t.constraints.length);
  const outputs = t.constraints.map((c) => c.node);
  const S = Math.min(BLOCK, q);
  if (len % S !== 0 || from % S !== 0) throw new RangeError("quotient range must be aligned to the block size");
  const main = x.main, aux = x.aux;
  const mStride = x.mainLayout?.stride ?? w, mOff = x.mainLayout?.offset ?? 0, mCol = x.mainLayout?.columnMajor === true;
  const aStride = x.auxLayout?.stride ?? aw, aOff = x.auxLayout?.offset ?? 0, aCol = x.auxLayout?.columnMajor === true;

  /**
   * Q at the block's points from the four domain accumulators: accumulator d holds coordinate k of point j at
   * acc[d][off[d] + k·cs + j].
   */
  const writeQ = (j0: number, acc: readonly Uint32Array[], off: readonly number[], cs: number) => {
    const aE = acc[0]!, aT = acc[1]!, aF = acc[2]!, aL = acc[3]!;
    const oE = off[0]!, oT = off[1]!, oF = off[2]!, oL = off[3]!;
    for (let j = 0; j < S; j++) {
      const J = j0 + j;
      const L = J - from;
      const zi = zinv[J % r]!;
      const tr = hasTransition ? mul(sub(xs[L]!, omegaInvN), zi) : 0;
      const fi = firstInv ? firstInv[L]! : 0;
      const li = lastInv ? lastInv[L]! : 0;
      // only the domains that have constraints (the others' accumulators are zero)
      for (let kk = 0; kk < 4; kk++) {
        const o = kk * cs + j;
        let v = 0;
        if (hasEvery) v += mulm(aE[oE + o]!, zi);
        if (hasTransition) v += mulm(aT[oT + o]!, tr);
        if (hasFirst) v += mulm(aF[oF + o]!, fi);
        if (hasLast) v += mulm(aL[oL + o]!, li);
        Q[kk * q + J] = v % P;
      }
    }
  };

  // Per block, the needed rows are transposed once into column buffers (reading a column straight from the
  // row-major matrix would touch a new cache line per value). The next row of point J is the current row of point
  // J + q/n, so one transposition of S + q/n points serves both: a column's values at the block's points start at
  // col·pitch, its next-row values at col·pitch + sh.
  const sh = nextOff / stride;
  const pitch = S + sh;
  // Tiles of TILE points: the tile's rows stay in L1 while each column's values are written consecutively.
  const TILE = 16;
  const rowsOf = new Int32Array(TILE);
  const transposeFrom = (src: Uint32Array, rowStride: number, rowOff: number, width: number, j0: number, out: Uint32Array, colMajor = false) => {
    if (colMajor) {
      // column c at src[(rowOff + c)·N + i]: the block's points are every stride-th value from j0·stride (mod N)
      const i0 = j0 * stride;
      const contiguous = stride === 1 && i0 + pitch <= N;
      for (let c = 0; c < width; c++) {
        const base = (rowOff + c) * N, o = c * pitch;
        if (contiguous) out.set(src.subarray(base + i0, base + i0 + pitch), o);
        else for (let j = 0; j < pitch; j++) out[o + j] = src[base + (((j0 + j) * stride) & (N - 1))]!;
      }
      return;
    }
    for (let j = 0; j < pitch; j += TILE) {
      const tl = Math.min(TILE, pitch - j);
      for (let jj = 0; jj < tl; jj++) rowsOf[jj] = (((j0 + j + jj) * stride) & (N - 1)) * rowStride + rowOff;
      for (let c = 0, o = j; c < width; c++, o += pitch) {
        for (let jj = 0; jj < tl; jj++) out[o + jj] = src[rowsOf[jj]! + c]!;
      }
    }
  };

  if (S >= 16 && S % 4 === 0 && x.noKernel !== true) {
    // The whole block's DAG and γ-combination in one WASM call (prover/quotient-kernel.ts); the transposition
    // writes straight into the program's leaf buffers in kernel memory.
    const prog = new QuotientProgram(t, S, pitch, sh, x.publics, x.challenges, x.logupSum, gammas);
    const mem = prog.memory();
    const mainCols = mem.subarray(prog.mainAt >>> 2, (prog.mainAt >>> 2) + w * pitch);
    const auxCols = mem.subarray(prog.auxAt >>> 2, (prog.auxAt >>> 2) + aw * pitch);
    const accs = [mem, mem, mem, mem];
    const offs = DOMAINS.map((d) => prog.accAt[d] >>> 2);
    for (let j0 = from; j0 < to; j0 += S) {
      transposeFrom(main, mStride, mOff, w, j0, mainCols, mCol);
      if (aw > 0) transposeFrom(aux!, aStride, aOff, aw, j0, auxCols, aCol);
      prog.periodicAt.forEach((at, col) => {
        if (at < 0) return;
        const p = periodic[col]!, o = at >>> 2;
        for (let j = 0; j < S; j++) mem[o + j] = p[j0 + j]!;
      });
      prog.run();
      writeQ(j0, accs, offs, pitch);
    }
    return;
  }

  const ev = new VecEvaluator(t, outputs, S, { publics: x.publics, challenges: x.challenges, logupSum: x.logupSum });
  const accs = { every: new Uint32Array(4 * S), transition: new Uint32Array(4 * S), first: new Uint32Array(4 * S), last: new Uint32Array(4 * S) };
  // Base-valued constraints grouped by domain: their node ids and γ^k (flat, 4 per constraint).
  const baseByDomain = Object.fromEntries(DOMAINS.map((d) => {
    const ks = t.constraints.map((c, k) => [c, k] as const).filter(([c]) => c.domain === d && !t.isExt[c.node]);
    const coeffs = new Uint32Array(4 * ks.length);
    ks.forEach(([, k], i) => coeffs.set(gammas[k]!, 4 * i));
    return [d, { cols: ks.map(([c]) => c.node), coeffs, vecs: new Array<Uint32Array>(ks.length) }];
  })) as Record<Domain, { cols: number[]; coeffs: Uint32Array; vecs: Uint32Array[] }>;
  const mainCols = new Uint32Array(w * pitch);
  // aux: coordinate k of ext column c is base column 4c + k
  const auxCols = new Uint32Array(aw * pitch);
  for (let j0 = from; j0 < to; j0 += S) {
    transposeFrom(main, mStride, mOff, w, j0, mainCols, mCol);
    if (aw > 0) transposeFrom(aux!, aStride, aOff, aw, j0, auxCols, aCol);
    const vals = ev.run({
      main(col, next, out) {
        const o = col * pitch + (next ? sh : 0);
        out.set(mainCols.subarray(o, o + S));
      },
      aux(col, next, out) {
        for (let k = 0; k < 4; k++) {
          const o = (4 * col + k) * pitch + (next ? sh : 0);
          out.set(auxCols.subarray(o, o + S), k * S);
        }
      },
      periodic(col, out) {
        const p = periodic[col]!;
        for (let j = 0; j < S; j++) out[j] = p[j0 + j]!;
      },
    });
    for (const a of Object.values(accs)) a.fill(0);
    // Base-valued constraints: γ^k·C_k summed per domain by the WASM kernel (unreduced 64-bit sums, one reduction
    // per value); extension-valued ones one point at a time (small blocks only: larger ones take the kernel path).
    for (const d of DOMAINS) {
      const group = baseByDomain[d];
      if (group.cols.length === 0) continue;
      for (let i = 0; i < group.cols.length; i++) group.vecs[i] = vals[group.cols[i]!]!;
      const rr = combineColumns(group.vecs, group.coeffs, S);
      const acc = accs[d];
      for (let i = 0; i < 4 * S; i++) { const s = acc[i]! + rr[i]!; acc[i] = s >= P ? s - P : s; }
    }
    t.constraints.forEach((c, k) => {
      const v = vals[c.node]!;
      if (v.length === S) return;
      const acc = accs[c.domain];
      const gk = gammas[k]!;
      const tmp = new Uint32Array(4), e = new Uint32Array(4);
      for (let j = 0; j < S; j++) {
        e[0] = v[j]!; e[1] = v[S + j]!; e[2] = v[2 * S + j]!; e[3] = v[3 * S + j]!;
        extMulTo(tmp, e, gk);
        for (let kk = 0; kk < 4; kk++) {
          const s = acc[kk * S + j]! + tmp[kk]!;
          acc[kk * S + j] = s >= P ? s - P : s;
        }
      }
    });
    writeQ(j0, [accs.every, accs.transition, accs.first, accs.last], [0, 0, 0, 0], S);
  }
}

/**
 * Interpolates Q (coordinate-major on g·H_q) and splits it into `numChunks` chunks of n coefficients
 * (coordinate-major, each coordinate a Uint32Array of length n + hiding). With `mask` (zero knowledge), chunk c
 * gets + x^n·r_c and chunk c+1 gets − r_c for random r_c of `hiding` coefficients: the sum Σ x^{cn}Q_c is
 * unchanged but each chunk alone is randomised. Throws if Q has degree ≥ numChunks·n (the trace violates a
 * constraint: the numerator was not divisible).
 */
export function splitQuotient(Q: Uint32Array, shape: QuotientShape, hiding: number, mask: ((len: number) => Uint32Array) | undefined, truncate = false): Uint32Array[][] {
  const q = 2 ** shape.logQuotientDomain, n = 2 ** shape.logN;
  const coords = [0, 1, 2, 3].map((k) => cosetInterpolate(Q.subarray(k * q, (k + 1) * q), GENERATOR));
  for (const c of coords) {
    for (let j = shape.numChunks * n; j < q; j++) {
      if (c[j] !== 0 && !truncate) throw new RangeError("quotient has too high a degree: the trace does not satisfy the constraints");
    }
  }
  const len = n + (mask ? hiding : 0);
  const chunks: Uint32Array[][] = [];
  for (let ci = 0; ci < shape.numChunks; ci++) {
    chunks.push(coords.map((c) => {
      // shared: the OOD evaluation and the DEEP combination read the chunks on the worker pool in place
      const out = new Uint32Array(new SharedArrayBuffer(4 * len));
      out.set(c.subarray(ci * n, Math.min((ci + 1) * n, q)));
      return out;
    }));
  }
  if (mask) {
    for (let ci = 0; ci + 1 < shape.numChunks; ci++) {
      for (let k = 0; k < 4; k++) {
        const rr = mask(hiding);
        const a = chunks[ci]![k]!, b = chunks[ci + 1]![k]!;
        for (let j = 0; j < hiding; j++) {
          a[n + j] = (a[n + j]! + rr[j]!) % P;
          b[j] = (b[j]! - rr[j]! + P) % P;
        }
      }
    }
  }
  return chunks;
}
