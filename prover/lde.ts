/**
 * Low-degree extension: evaluations of a column on H_n → evaluations on the coset shift·H_{n·2^logBlowup}
 * (natural order), and the batched form that lays many columns out as the row-major matrix the Merkle tree hashes.
 *
 * One LDE in the kernel: inverse DIF (natural → bit-reversed coefficients, no bit-reversal pass), then a spread
 * that multiplies coefficient i by shift^i/n and copies it across the 2^logBlowup slots the first DIT spans would
 * fill anyway (the zero padding makes those spans copies), then the remaining DIT spans (bit-reversed → natural).
 */
import { GENERATOR, inv } from "../verifier/field.ts";
import { kernels, type Kernels } from "./kernels/index.ts";
import { invalid } from "./kernels/errors.ts";
import { log2Exact } from "./ntt.ts";

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

function checkShift(shift: number): void {
  if (!Number.isInteger(shift) || shift <= 0 || shift >= 2013265921) invalid(`coset shift must be a non-zero canonical element, got ${shift}`);
}

/**
 * Run one column's LDE inside the kernel memory; returns the byte address of the 2^(logN+logBlowup) results.
 * `src` and `dst` are scratch addresses (dst must have room for the extended column).
 */
function ldeInKernel(k: Kernels, evals: Uint32Array, logN: number, logBlowup: number, shift: number, src: number, dst: number): void {
  const [twFwd, twInv] = k.twiddles(logN + logBlowup);
  const t = k.coeffScaleTable(logN, shift, inv(evals.length));
  k.u32().set(evals, src >>> 2);
  k.x.dif(src, logN, twInv);
  k.x.ldeSpread(src, dst, logN, logBlowup, t);
  k.x.dit(dst, logN + logBlowup, twFwd, logBlowup);
}

/** Evaluations on H_n (natural order) → evaluations on shift·H_{n·2^logBlowup} (natural order). New array. */
export function lde(evals: Uint32Array, logBlowup: number, shift: number = GENERATOR): Uint32Array {
  const logN = log2Exact(evals.length);
  checkBlowup(logN, logBlowup);
  checkShift(shift);
  const k = kernels();
  k.twiddles(logN + logBlowup); // may move the scratch area: before taking addresses
  const n = evals.length;
  const src = k.scratchBase();
  const dst = src + 4 * n;
  k.ensure(dst + 4 * (n << logBlowup));
  ldeInKernel(k, evals, logN, logBlowup, shift, src, dst);
  return k.u32().slice(dst >>> 2, (dst >>> 2) + (n << logBlowup));
}

/** Columns per batch: each gets its own kernel buffer so the row-major scatter writes whole runs of a row. */
const GROUP = 8;

/**
 * LDE columns [colStart, colEnd) of `columns` into `out` (row-major, `width` values per row, column c at offset c).
 * Shared by the in-thread path and the workers (which pass views of SharedArrayBuffers).
 */
export function ldeColumnsInto(
  columns: readonly Uint32Array[], colStart: number, colEnd: number, logBlowup: number, shift: number,
  out: Uint32Array, width: number,
): void {
  if (colEnd <= colStart) return;
  const n = columns[colStart]!.length;
  const logN = log2Exact(n);
  checkBlowup(logN, logBlowup);
  checkShift(shift);
  const rows = n << logBlowup;
  if (out.length < rows * width) invalid(`output matrix holds ${out.length} values, needs ${rows * width}`);
  const k = kernels();
  k.twiddles(logN + logBlowup);
  const src = k.scratchBase();
  const dst0 = src + 4 * n;
  for (let g = colStart; g < colEnd; g += GROUP) {
    const gEnd = Math.min(colEnd, g + GROUP);
    k.ensure(dst0 + 4 * rows * (gEnd - g));
    for (let c = g; c < gEnd; c++) {
      const col = columns[c]!;
      if (col.length !== n) invalid(`column ${c} has ${col.length} rows, column ${colStart} has ${n}`);
      ldeInKernel(k, col, logN, logBlowup, shift, src, dst0 + 4 * rows * (c - g));
    }
    // Row-major scatter: for each row, the group's values are adjacent in `out`.
    const mem = k.u32();
    const base = dst0 >>> 2;
    const cnt = gEnd - g;
    for (let j = 0; j < cnt; j++) {
      const from = base + j * rows;
      let o = g + j;
      for (let r = 0; r < rows; r++, o += width) out[o] = mem[from + r]!;
    }
  }
}

/**
 * LDE of every column (all of the same power-of-two length n) onto shift·H_{n·2^logBlowup}, laid out row-major:
 * row r holds the r-th evaluation of every column. In-thread; see ldeColumnsParallel (prover/workers) for the
 * worker-pool version.
 */
export function ldeColumns(columns: readonly Uint32Array[], logBlowup: number, shift: number = GENERATOR): RowMajorMatrix {
  if (columns.length === 0) invalid("ldeColumns needs at least one column");
  const n = columns[0]!.length;
  log2Exact(n);
  const height = n * 2 ** logBlowup;
  const width = columns.length;
  const data = new Uint32Array(height * width);
  ldeColumnsInto(columns, 0, width, logBlowup, shift, data, width);
  return { data, width, height };
}
