/**
 * Multi-threaded forms of the bulk prover kernels, on the worker pool. Same results as the in-thread versions
 * (ldeColumns in prover/lde.ts, MerkleTree.commit in prover/merkle.ts), bit for bit; small inputs stay in-thread
 * because starting work on a worker costs more than it saves.
 */
import { GENERATOR } from "../../verifier/field.ts";
import { coeffLogLength, evaluateColumns, ldeColumns, ldeColumnsInto, tailLog, type ColumnTails, type RowMajorMatrix } from "../lde.ts";
import { MerkleTree, checkMatrix, hashLevels, levelOffsets, storedBottom } from "../merkle.ts";
import { kernels } from "../kernels/index.ts";
import { invalid } from "../kernels/errors.ts";
import { checkShift, log2Exact } from "../ntt.ts";
import { sharedPool, type WorkerPool } from "./pool.ts";
import type { LdeTask, SubtreeTask } from "./tasks.ts";

/**
 * Where an LDE writes: a shared matrix of `width` columns, the LDE's columns from `offset` on; row-major (rows of
 * `width` values), or with columnMajor column c at [c·height, (c+1)·height).
 */
export interface LdeTarget {
  readonly data: Uint32Array;
  readonly width: number;
  readonly offset: number;
  readonly columnMajor?: boolean;
}

export interface ParallelOptions {
  /** The pool to use; default the process-wide one. `null` forces the in-thread path. */
  readonly pool?: WorkerPool | null;
  /** Below this many output values (rows × width) stay in-thread. Default 2^18. */
  readonly minParallelValues?: number;
  /**
   * LDEs only: write into this matrix (SharedArrayBuffer-backed, starting at byte 0 of its buffer) instead of a
   * new one; the result is then that matrix.
   */
  readonly into?: LdeTarget;
  /** commits only: the matrix is column-major (column c at [c·height, (c+1)·height); leaves are still rows) */
  readonly columnMajor?: boolean;
  /** LDEs only: zero-knowledge tails added to the columns (prover/lde.ts ColumnTails; one per column) */
  readonly tails?: ColumnTails;
}

const DEFAULT_MIN = 1 << 18;

/** Copy into a SharedArrayBuffer unless the array already is the whole of one. */
export function shareU32(a: Uint32Array): { buf: SharedArrayBuffer; offset: number } {
  if (a.buffer instanceof SharedArrayBuffer) return { buf: a.buffer, offset: a.byteOffset };
  const buf = new SharedArrayBuffer(a.byteLength);
  new Uint32Array(buf).set(a);
  return { buf, offset: 0 };
}

/**
 * ldeColumns on the worker pool: the output matrix lives in a SharedArrayBuffer (its `data.buffer`), which
 * commitParallel then hashes without copying.
 */
export async function ldeColumnsParallel(
  columns: readonly Uint32Array[], logBlowup: number, shift: number = GENERATOR, opts: ParallelOptions = {},
): Promise<RowMajorMatrix> {
  if (columns.length === 0) invalid("ldeColumns needs at least one column");
  const logN = log2Exact(columns[0]!.length);
  if (!Number.isInteger(logBlowup) || logBlowup < 0) invalid(`logBlowup must be a non-negative integer, got ${logBlowup}`);
  log2Exact(2 ** (logN + logBlowup), "LDE size");
  checkShift(shift);
  columns.forEach((c, i) => {
    if (c.length !== 2 ** logN) invalid(`column ${i} has ${c.length} rows, column 0 has ${2 ** logN}`);
  });
  const pool = opts.pool === undefined ? sharedPool() : opts.pool;
  const tails = checkTails(opts.tails, columns.length);
  const into = checkTarget(opts.into, columns.length, 2 ** (logN + logBlowup)) ?? (tails ? newTarget(columns.length, 2 ** (logN + logBlowup)) : undefined);
  if (pool === null || columns.length * 2 ** (logN + logBlowup) < (opts.minParallelValues ?? DEFAULT_MIN)) {
    if (!into) return ldeColumns(columns, logBlowup, shift);
    ldeColumnsInto(columns, 0, columns.length, logBlowup, shift, into.data, into.width, "evals", logN, into.offset, into.columnMajor ?? false, tails);
    return { data: into.data, width: into.width, height: 2 ** (logN + logBlowup) };
  }
  return runLde(pool, columns, "evals", logN, logBlowup, shift, into, tails);
}

/** evaluateColumns (coefficients → row-major evaluations on shift·H_{2^logN}) on the worker pool. */
export async function evaluateColumnsParallel(
  coeffs: readonly Uint32Array[], logN: number, shift: number = GENERATOR, opts: ParallelOptions = {},
): Promise<RowMajorMatrix> {
  if (coeffs.length === 0) invalid("evaluateColumns needs at least one column");
  log2Exact(2 ** logN, "2^logN");
  const logC = coeffLogLength(coeffs);
  if (logC > logN) invalid(`a column of 2^${logC} coefficients does not fit 2^${logN} points`);
  checkShift(shift);
  const pool = opts.pool === undefined ? sharedPool() : opts.pool;
  const tails = checkTails(opts.tails, coeffs.length);
  const into = checkTarget(opts.into, coeffs.length, 2 ** logN) ?? (tails ? newTarget(coeffs.length, 2 ** logN) : undefined);
  if (pool === null || coeffs.length * 2 ** logN < (opts.minParallelValues ?? DEFAULT_MIN)) {
    if (!into) return evaluateColumns(coeffs, logN, shift);
    ldeColumnsInto(coeffs, 0, coeffs.length, logN - logC, shift, into.data, into.width, "coeffs", logC, into.offset, into.columnMajor ?? false, tails);
    return { data: into.data, width: into.width, height: 2 ** logN };
  }
  return runLde(pool, coeffs, "coeffs", logC, logN - logC, shift, into, tails);
}

/** Tails: one per column, all of one length (ColumnTails); absent or all empty → undefined. */
function checkTails(tails: ColumnTails | undefined, width: number): ColumnTails | undefined {
  if (!tails) return undefined;
  if (tails.data.length !== width) invalid(`${tails.data.length} tails for ${width} columns`);
  const len = tails.data[0]?.length ?? 0;
  if (tails.data.some((t) => t.length !== len)) invalid("every column's tail must have the same length");
  if (len === 0) return undefined;
  tailLog(len); // bounds
  return tails;
}

/** A fresh shared row-major matrix as an LDE target (the in-thread LDEs have no tail path of their own). */
function newTarget(width: number, height: number): LdeTarget {
  return { data: new Uint32Array(new SharedArrayBuffer(4 * width * height)), width, offset: 0 };
}

function checkTarget(into: LdeTarget | undefined, width: number, height: number): LdeTarget | undefined {
  if (!into) return undefined;
  if (!(into.data.buffer instanceof SharedArrayBuffer) || into.data.byteOffset !== 0) invalid("an LDE target must start a SharedArrayBuffer");
  if (!Number.isInteger(into.offset) || into.offset < 0 || into.offset + width > into.width) invalid(`${width} columns at offset ${into.offset} do not fit rows of ${into.width}`);
  if (into.data.length < height * into.width) invalid(`LDE target holds ${into.data.length} values, needs ${height * into.width}`);
  return into;
}

async function runLde(
  pool: WorkerPool, columns: readonly Uint32Array[], kind: "evals" | "coeffs", logN: number, logBlowup: number, shift: number,
  into?: LdeTarget, tails?: ColumnTails,
): Promise<RowMajorMatrix> {
  const n = 2 ** logN;
  let tailBuf: { tails: SharedArrayBuffer; tailLen: number; tailMinusOne: boolean } | {} = {};
  if (tails) {
    const tailLen = tails.data[0]!.length;
    const tb = new SharedArrayBuffer(4 * tailLen * columns.length);
    const tv = new Uint32Array(tb);
    tails.data.forEach((t, i) => tv.set(t, i * tailLen));
    tailBuf = { tails: tb, tailLen, tailMinusOne: tails.minusOne };
  }
  const width = columns.length;
  const height = n * 2 ** logBlowup;
  // Columns already in shared memory (n values: traces built as shared arrays, LogUp columns from the workers) are
  // read where they are; the others are copied into one fresh shared buffer (coefficient columns zero-padded to n).
  // The copy of a 2^20-row × 60 trace was 240 MiB of fresh memory and a pass over it.
  const isShared = (c: Uint32Array) => c.buffer instanceof SharedArrayBuffer && c.length === n;
  const copied = columns.filter((c) => !isShared(c)).length;
  const copy = copied > 0 ? new SharedArrayBuffer(4 * n * copied) : undefined;
  let next = 0;
  const inputs = columns.map((c) => {
    if (isShared(c)) return { buf: c.buffer as SharedArrayBuffer, offset: c.byteOffset };
    new Uint32Array(copy!, 4 * n * next, n).set(c);
    return { buf: copy!, offset: 4 * n * next++ };
  });
  const output = into ? (into.data.buffer as SharedArrayBuffer) : new SharedArrayBuffer(4 * height * width);
  const place = into ? { outWidth: into.width, outOffset: into.offset, outColumnMajor: into.columnMajor ?? false } : {};
  // A few tasks per worker so a slow worker does not hold up the end.
  const per = Math.max(1, Math.ceil(width / (pool.size * 2)));
  const tasks: LdeTask[] = [];
  for (let c = 0; c < width; c += per) {
    const colEnd = Math.min(width, c + per);
    const own = inputs.map((at, i) => (i >= c && i < colEnd ? at : null));
    tasks.push({ op: "lde", inputs: own, kind, n, width, colStart: c, colEnd, logBlowup, shift, output, ...place, ...tailBuf });
  }
  await pool.runAll(tasks);
  return into ? { data: into.data, width: into.width, height } : { data: new Uint32Array(output), width, height };
}

/**
 * MerkleTree.commit on the worker pool: each worker hashes the leaves of whole subtrees in its own kernel memory
 * and writes the subtree's stored levels (storedBottom and up) into a shared node array, then this thread hashes
 * the few levels above them.
 */
export async function commitParallel(
  matrix: Uint32Array, width: number, height: number, salts?: Uint8Array, opts: ParallelOptions = {},
): Promise<MerkleTree> {
  const depth = checkMatrix(matrix, width, height, salts);
  const pool = opts.pool === undefined ? sharedPool() : opts.pool;
  const columnMajor = opts.columnMajor ?? false;
  if (pool === null || height * width < (opts.minParallelValues ?? DEFAULT_MIN) || height < 64) {
    return MerkleTree.commit(matrix, width, height, salts, columnMajor);
  }
  // Subtrees: the smallest power of two ≥ 2·workers, so the top levels left to this thread are few; each at least
  // one block of 2^bottom leaves (the unstored levels are hashed inside a worker).
  const bottom = storedBottom(depth);
  let parts = 1;
  while (parts < 2 * pool.size && 2 * parts <= height / 2 ** bottom) parts *= 2;
  const count = height / parts;
  const levels = depth - Math.log2(parts);
  const offs = levelOffsets(depth, bottom);
  const nodesBuf = new SharedArrayBuffer(offs[depth + 1]!);
  const m = shareU32(matrix);
  let saltBuf: SharedArrayBuffer | null = null;
  if (salts !== undefined) {
    if (salts.buffer instanceof SharedArrayBuffer && salts.byteOffset === 0 && salts.byteLength === salts.buffer.byteLength) {
      saltBuf = salts.buffer; // already shared (prover/random.ts randomSalts): no copy
    } else {
      saltBuf = new SharedArrayBuffer(salts.length);
      new Uint8Array(saltBuf).set(salts);
    }
  }
  const tasks: SubtreeTask[] = [];
  for (let p = 0; p < parts; p++) {
    tasks.push({ op: "subtree", matrix: m.buf, matrixOffset: m.offset, width, height, salts: saltBuf, first: p * count, count, levels, nodes: nodesBuf, columnMajor });
  }
  await pool.runAll(tasks);
  const nodes = new Uint8Array(nodesBuf);
  // Levels above the subtrees: `parts` digests at level `levels`, hashed here.
  hashLevels(kernels(), nodes, offs, levels, 0, parts, depth - levels);
  return new MerkleTree(matrix, width, height, salts, nodes, columnMajor);
}
