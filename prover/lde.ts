/**
 * Low-degree extension: evaluations of a column on H_n → evaluations on the coset shift·H_{n·2^logBlowup}
 * (natural order), and the batched form that lays many columns out as the row-major matrix the Merkle tree hashes.
 *
 * One LDE in the kernel: inverse DIF (natural → bit-reversed coefficients, no bit-reversal pass), then a spread
 * that multiplies coefficient i by shift^i/n and copies it across the 2^logBlowup slots the first DIT spans would
 * fill anyway (the zero padding makes those spans copies), then the remaining DIT spans (bit-reversed → natural).
 */
import { GENERATOR, add, inv, mul, pow, rootOfUnity, sub } from "../verifier/field.ts";
import { kernels, type Kernels } from "./kernels/index.ts";
import { invalid } from "./kernels/errors.ts";
import { checkShift, log2Exact } from "./ntt.ts";

/** A row-major matrix of canonical elements: row r is data[r·width, (r+1)·width). */
export interface RowMajorMatrix {
  readonly data: Uint32Array;
  readonly width: number;
  readonly height: number;
}

function checkBlowup(logN: number, logBlowup: number): void {
  if (!Number.isInteger(logBlowup) || logBlowup < 0) invalid(`logBlowup must be a non-negative integer, got ${logBlowup}`);
  log2Exact(2 ** (logN + logBlowup), "LDE size");
}

/** What a column given to the batched forms holds. */
export type ColumnInput = "evals" | "coeffs";

/**
 * Zero-knowledge tails (docs/proof-system.md "Zero knowledge"): column j's polynomial is its main part (evaluations
 * on H_m, or m = 2^logN coefficients) plus x^m·r_j(x), or (x^m − 1)·r_j(x) with `minusOne`, for the few
 * coefficients r_j = data[j] (all of one length ≤ 2^MAX_LOG_TAIL: numQueries + 2 for the STARK). This keeps a
 * hidden column's LDE at the size of its trace (a polynomial of degree m + |r| − 1 on N points) instead of
 * extending 2m values. The tail is injected between the spread and the DIT spans (`injectTail`), or, for tiny
 * tables, extended on its own and added in one pass (`addTailInKernel`).
 */
export interface ColumnTails {
  readonly data: readonly Uint32Array[];
  readonly minusOne: boolean;
}
export const MAX_LOG_TAIL = 9;

/** log2 of the power-of-two length a tail of `len` coefficients is padded to (at least 4, the kernel's lanes). */
export function tailLog(len: number): number {
  const l = Math.max(2, 32 - Math.clz32(Math.max(1, len) - 1));
  if (l > MAX_LOG_TAIL) invalid(`a tail of ${len} coefficients exceeds 2^${MAX_LOG_TAIL}`);
  return l;
}

/** Kernel bytes addTailInKernel needs from its `at` address on (P4: the periodic table's entries). */
function tailScratchBytes(tailLen: number, logM: number, logLde: number): number {
  const T = 2 ** tailLog(tailLen), P4 = Math.max(4, 2 ** (logLde - logM));
  return 4 * T + 4 * 2 ** logLde + 8 * T + 8 * P4 + 4 * Math.max(T, P4);
}

/**
 * dst (2^logLde evaluations on shift·H_N) += x^m·r(x) (or (x^m − 1)·r(x)), m = 2^logM, r = `tail` coefficients.
 * Uses kernel memory [at, at + tailScratchBytes).
 */
function addTailInKernel(k: Kernels, tail: Uint32Array, logM: number, logLde: number, shift: number, minusOne: boolean, dst: number, at: number): void {
  if (tail.length === 0) return;
  const logT = tailLog(tail.length);
  const T = 2 ** logT, N = 2 ** logLde, logP = logLde - logM, Pn = 2 ** logP;
  if (logP < 0 || logT > logLde) invalid(`a tail at 2^${logM} does not fit an LDE of 2^${logLde}`);
  const [twFwd] = k.twiddles(logLde, 0);
  const P4 = Math.max(Pn, 4);
  const src = at, tmp = src + 4 * T, tab = tmp + 4 * N, ptab = tab + 8 * T, plain = ptab + 8 * P4;
  k.ensure(at + tailScratchBytes(tail.length, logM, logLde));
  // scale table for the tail's bit-reversed coefficients: shift^rev(i)
  k.x.fillPowers(plain, T, shift, 1);
  k.x.bitReverse(plain, logT);
  k.x.toConstTable(plain, tab, 0, T);
  // periodic factor z_j = (shift·ω_N^j)^m (− 1) = shift^m·ω_{N/m}^j (− 1), j < N/m (repeated up to 4 entries)
  const sm = pow(shift, 2 ** logM), w = rootOfUnity(logP);
  let mem = k.u32();
  for (let j = 0, z = sm; j < P4; j++) {
    if (j < Pn) { mem[(plain >>> 2) + j] = minusOne ? sub(z, 1) : z; z = mul(z, w); }
    else mem[(plain >>> 2) + j] = mem[(plain >>> 2) + (j % Pn)]!;
  }
  k.x.toConstTable(plain, ptab, 0, P4);
  mem = k.u32();
  mem.set(tail, src >>> 2);
  mem.fill(0, (src >>> 2) + tail.length, (src >>> 2) + T);
  k.x.bitReverse(src, logT);
  k.x.ldeSpread(src, tmp, logT, logLde - logT, tab);
  k.x.dit(tmp, logLde, twFwd, logLde - logT);
  k.x.addMulPeriodic(dst, tmp, N, ptab, logP);
}

/**
 * Run one column's LDE inside the kernel memory, leaving the 2^(logN+logBlowup) results at byte address `dst`.
 * `src` is scratch for the 2^logN inputs. From evaluations: the inverse DIF yields bit-reversed coefficients
 * (times n). From coefficients (zero-padded to 2^logN): a bit-reversal permutation yields the same order.
 */
function ldeInKernel(
  k: Kernels, column: Uint32Array, logN: number, logBlowup: number, shift: number, src: number, dst: number,
  input: ColumnInput = "evals", tail?: Uint32Array, minusOne = false,
): boolean {
  const n = 2 ** logN;
  const [twFwd, twInv] = k.twiddles(logN + logBlowup, logN);
  const t = k.coeffScaleTable(logN, shift, input === "evals" ? inv(n) : 1);
  const mem = k.u32();
  mem.set(column, src >>> 2);
  if (input === "evals") {
    k.x.dif(src, logN, twInv);
  } else {
    mem.fill(0, (src >>> 2) + column.length, (src >>> 2) + n);
    k.x.bitReverse(src, logN);
  }
  k.x.ldeSpread(src, dst, logN, logBlowup, t);
  const injected = tail !== undefined && tail.length > 0 && injectTail(k.u32(), dst >>> 2, tail, logN, logBlowup, shift, minusOne);
  k.x.dit(dst, logN + logBlowup, twFwd, logBlowup);
  return injected;
}

/** Most injected tail work allowed (tail length × 2^logBlowup field products in JavaScript) before the kernel path. */
const MAX_INJECT_WORK = 1 << 14;
const omegaPowers: Uint32Array[] = [];

/**
 * Adds a tail between the spread and the DIT spans, when it is cheap: after the spread, block i (2^logBlowup slots
 * from i·2^logBlowup) holds coefficient rev_n(i) and stands for the coefficients rev_n(i) + n·q, q < 2^logBlowup,
 * whose first logBlowup DIT spans are a DFT of size 2^logBlowup: slot s gets Σ_q a_q·ω^{s·q}. A tail coefficient
 * r_j (degree n + j, j < n: q = 1) therefore adds r_j·shift^{n+j}·ω^s to slot s of block rev_n(j), and the
 * (x^n − 1) form also −r_j·shift^j to every slot of it. h·2^logBlowup products, nothing extended: used while that
 * stays under MAX_INJECT_WORK and the tail is no longer than n; otherwise addTailInKernel runs after the DIT.
 */
function injectTail(mem: Uint32Array, base: number, tail: Uint32Array, logN: number, logB: number, shift: number, minusOne: boolean): boolean {
  const n = 2 ** logN, B = 2 ** logB;
  if (tail.length > n || tail.length * B > MAX_INJECT_WORK) return false;
  let w = omegaPowers[logB];
  if (w === undefined) {
    w = new Uint32Array(B);
    for (let s = 0, x = 1, om = rootOfUnity(logB); s < B; s++, x = mul(x, om)) w[s] = x;
    omegaPowers[logB] = w;
  }
  let sj = 1; // shift^j
  const sn = pow(shift, n);
  for (let j = 0; j < tail.length; j++, sj = mul(sj, shift)) {
    const r = tail[j]!;
    const hi = mul(r, mul(sn, sj));
    const lo = minusOne ? sub(0, mul(r, sj)) : 0;
    const o = base + ((logN === 0 ? 0 : reverseBits(j, logN)) << logB);
    for (let s = 0; s < B; s++) mem[o + s] = add(add(mem[o + s]!, mul(hi, w[s]!)), lo);
  }
  return true;
}

function reverseBits(x: number, bits: number): number {
  let r = 0;
  for (let i = 0; i < bits; i++) { r = (r << 1) | (x & 1); x >>>= 1; }
  return r;
}

/** Evaluations on H_n (natural order) → evaluations on shift·H_{n·2^logBlowup} (natural order). New array. */
export function lde(evals: Uint32Array, logBlowup: number, shift: number = GENERATOR): Uint32Array {
  const logN = log2Exact(evals.length);
  checkBlowup(logN, logBlowup);
  checkShift(shift);
  const k = kernels();
  k.twiddles(logN + logBlowup, logN); // may move the scratch area: before taking addresses
  const n = evals.length;
  const src = k.scratchBase();
  const dst = src + 4 * n;
  k.ensure(dst + 4 * (n << logBlowup));
  ldeInKernel(k, evals, logN, logBlowup, shift, src, dst);
  return k.u32().slice(dst >>> 2, (dst >>> 2) + (n << logBlowup));
}

/**
 * Columns per batch: each gets its own kernel buffer so the row-major scatter writes whole runs of a row. 16,
 * or 8 from 2^22 rows on (the batch takes GROUP × 4 B × rows of kernel memory per worker).
 */
const groupFor = (rows: number): number => (rows >= 1 << 22 ? 8 : 16);
/** Rows per scatter tile: the tile's output lines are written by every 8-column run of the group in turn. */
const TILE_ROWS = 256;

/**
 * Row-major scatter of `cnt` columns (each `rows` long, back to back from mem[base]) into out[r·width + col0 + j].
 * Tiles of TILE_ROWS rows, and within a tile runs of 8 columns row by row: each row's run lands in one or two
 * cache lines of `out`, still cached when the next run of the same rows writes beside it (one pass per 8 columns
 * over the whole height evicted them in between: ~2× slower); column-outer order touched a new line of `out` on
 * every write and was ~5× slower.
 */
function scatterGroup(mem: Uint32Array, base: number, rows: number, cnt: number, out: Uint32Array, width: number, col0: number): void {
  for (let r0 = 0; r0 < rows; r0 += TILE_ROWS) {
    const r1 = Math.min(rows, r0 + TILE_ROWS);
    let j = 0;
    for (; j + 8 <= cnt; j += 8) {
      // unrolled: V8 keeps the eight stream offsets in registers
      const s0 = base + j * rows, s1 = s0 + rows, s2 = s1 + rows, s3 = s2 + rows;
      const s4 = s3 + rows, s5 = s4 + rows, s6 = s5 + rows, s7 = s6 + rows;
      for (let r = r0, o = r0 * width + col0 + j; r < r1; r++, o += width) {
        out[o] = mem[s0 + r]!;
        out[o + 1] = mem[s1 + r]!;
        out[o + 2] = mem[s2 + r]!;
        out[o + 3] = mem[s3 + r]!;
        out[o + 4] = mem[s4 + r]!;
        out[o + 5] = mem[s5 + r]!;
        out[o + 6] = mem[s6 + r]!;
        out[o + 7] = mem[s7 + r]!;
      }
    }
    for (; j < cnt; j++) {
      const s = base + j * rows;
      for (let r = r0, o = r0 * width + col0 + j; r < r1; r++, o += width) out[o] = mem[s + r]!;
    }
  }
}

/**
 * LDE columns [colStart, colEnd) of `columns` into `out` (row-major, `width` values per row, column c at offset
 * outOffset + c; or, with columnMajor, column c at [(outOffset + c)·rows, (outOffset + c + 1)·rows) of a matrix of
 * `width` columns).
 * Columns hold evaluations on H_n (all exactly n = 2^logN long), or coefficients (each at most n = 2^logN long,
 * zero-padded); the results are the evaluations on shift·H_{n·2^logBlowup}.
 * Shared by the in-thread path and the workers (which pass views of SharedArrayBuffers).
 */
export function ldeColumnsInto(
  columns: readonly Uint32Array[], colStart: number, colEnd: number, logBlowup: number, shift: number,
  out: Uint32Array, width: number, input: ColumnInput = "evals", logN: number = log2Exact(columns[colStart]?.length ?? 0),
  outOffset = 0, columnMajor = false, tails?: ColumnTails,
): void {
  if (colEnd <= colStart) return;
  if (tails && tails.data.length < colEnd) invalid(`${tails.data.length} tails for ${colEnd} columns`);
  const n = 2 ** logN;
  checkBlowup(logN, logBlowup);
  checkShift(shift);
  const rows = n << logBlowup;
  if (out.length < rows * width) invalid(`output matrix holds ${out.length} values, needs ${rows * width}`);
  if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + colEnd > width) invalid(`columns [${colStart}, ${colEnd}) at offset ${outOffset} do not fit rows of ${width}`);
  const k = kernels();
  k.twiddles(logN + logBlowup, logN); // before taking addresses (as ldeInKernel's)
  const src = k.scratchBase();
  const dst0 = src + 4 * n;
  if (columnMajor) {
    // column c of the output at [(outOffset + c)·rows, …): one copy per column, no scatter
    k.ensure(dst0 + 4 * rows + (tails ? tailScratchBytes(tails.data[colStart]!.length, logN, logN + logBlowup) : 0));
    for (let c = colStart; c < colEnd; c++) {
      const col = columns[c]!;
      if (input === "evals" ? col.length !== n : col.length > n) {
        invalid(`column ${c} has ${col.length} values, expected ${input === "evals" ? "" : "at most "}${n}`);
      }
      const done = ldeInKernel(k, col, logN, logBlowup, shift, src, dst0, input, tails?.data[c], tails?.minusOne);
      if (tails && !done) addTailInKernel(k, tails.data[c]!, logN, logN + logBlowup, shift, tails.minusOne, dst0, dst0 + 4 * rows);
      out.set(k.u32().subarray(dst0 >>> 2, (dst0 >>> 2) + rows), (outOffset + c) * rows);
    }
    return;
  }
  const GROUP = groupFor(rows);
  for (let g = colStart; g < colEnd; g += GROUP) {
    const gEnd = Math.min(colEnd, g + GROUP);
    const at = dst0 + 4 * rows * (gEnd - g);
    k.ensure(at + (tails ? tailScratchBytes(tails.data[g]!.length, logN, logN + logBlowup) : 0));
    for (let c = g; c < gEnd; c++) {
      const col = columns[c]!;
      if (input === "evals" ? col.length !== n : col.length > n) {
        invalid(`column ${c} has ${col.length} values, expected ${input === "evals" ? "" : "at most "}${n}`);
      }
      const done = ldeInKernel(k, col, logN, logBlowup, shift, src, dst0 + 4 * rows * (c - g), input, tails?.data[c], tails?.minusOne);
      if (tails && !done) addTailInKernel(k, tails.data[c]!, logN, logN + logBlowup, shift, tails.minusOne, dst0 + 4 * rows * (c - g), at);
    }
    scatterGroup(k.u32(), dst0 >>> 2, rows, gEnd - g, out, width, g + outOffset);
  }
}

/**
 * LDE of every column (all of the same power-of-two length n) onto shift·H_{n·2^logBlowup}, laid out row-major:
 * row r holds the r-th evaluation of every column. In-thread; prover/workers/parallel.ts has ldeColumnsParallel.
 */
export function ldeColumns(columns: readonly Uint32Array[], logBlowup: number, shift: number = GENERATOR): RowMajorMatrix {
  if (columns.length === 0) invalid("ldeColumns needs at least one column");
  const logN = log2Exact(columns[0]!.length);
  const height = 2 ** (logN + logBlowup);
  const width = columns.length;
  const data = new Uint32Array(height * width);
  ldeColumnsInto(columns, 0, width, logBlowup, shift, data, width, "evals", logN);
  return { data, width, height };
}

/** Smallest logN with every coefficient column fitting 2^logN (at least 0). */
export function coeffLogLength(coeffs: readonly Uint32Array[]): number {
  let m = 1;
  for (const c of coeffs) m = Math.max(m, c.length);
  return 32 - Math.clz32(m - 1);
}

/**
 * Coefficient columns (lowest degree first, each at most 2^logN long) → their evaluations on shift·H_{2^logN},
 * row-major (the layout a commitment to quotient chunks hashes). In-thread; see evaluateColumnsParallel.
 */
export function evaluateColumns(coeffs: readonly Uint32Array[], logN: number, shift: number = GENERATOR): RowMajorMatrix {
  if (coeffs.length === 0) invalid("evaluateColumns needs at least one column");
  log2Exact(2 ** logN, "2^logN");
  const logC = coeffLogLength(coeffs);
  if (logC > logN) invalid(`a column of 2^${logC} coefficients does not fit 2^${logN} points`);
  const height = 2 ** logN;
  const width = coeffs.length;
  const data = new Uint32Array(height * width);
  ldeColumnsInto(coeffs, 0, width, logN - logC, shift, data, width, "coeffs", logC);
  return { data, width, height };
}
