/**
 * The dense "columns × extension coefficients" products of kernels/linalg.ts on the worker pool: the OOD
 * evaluation's barycentric sums (dotColumns, split by columns) and the DEEP combination (combineColumns, split by
 * rows). Columns already in shared memory are read in place (the VM's and the benchmark's traces, worker-built
 * LogUp columns); others are copied once. Results equal the in-thread kernels' (test/linalg-parallel.test.ts).
 * Measured at 60 columns × 2^20 rows on 2 cores: ≈ 200 ms per product in-thread (compute-bound: 4 u64 products
 * per value).
 */
import { combineColumns, dotColumns } from "../kernels/linalg.ts";
import { invalid } from "../kernels/errors.ts";
import { sharedPool, type WorkerPool } from "./pool.ts";
import { shareU32 } from "./parallel.ts";
import type { CombineTask, DotTask } from "./tasks.ts";

/** Below this many values (all columns together) a task round trip costs more than it saves: in-thread. */
const MIN_PARALLEL_VALUES = 1 << 19;

const total = (cols: readonly Uint32Array[]) => cols.reduce((s, c) => s + c.length, 0);

/** dotColumns(cols, w) on the pool (undefined: the shared pool; null: in-thread). */
export async function dotColumnsParallel(cols: readonly Uint32Array[], w: Uint32Array, pool?: WorkerPool | null): Promise<Uint32Array> {
  const values = total(cols);
  if (pool === null || cols.length < 2 || values < MIN_PARALLEL_VALUES) return dotColumns(cols, w);
  if (w.length % 4 !== 0) invalid(`weights hold ${w.length} values, not 4 coordinates of equal length`);
  const p = pool ?? sharedPool();
  const len = w.length / 4;
  const weights = shareU32(w);
  const out = new SharedArrayBuffer(16 * cols.length);
  // contiguous column groups of about equal work
  const per = values / p.size;
  const tasks: DotTask[] = [];
  let j0 = 0, acc = 0;
  for (let j = 0; j < cols.length; j++) {
    acc += cols[j]!.length;
    if (acc >= per * (tasks.length + 1) || j === cols.length - 1) {
      const group = cols.slice(j0, j + 1);
      tasks.push({ op: "dot", columns: group.map(shareU32), lengths: group.map((c) => c.length), weights, len, out, outIndex: j0 });
      j0 = j + 1;
    }
  }
  await p.runAll(tasks);
  return new Uint32Array(out);
}

/** combineColumns(cols, coeffs, len) on the pool (undefined: the shared pool; null: in-thread). */
export async function combineColumnsParallel(
  cols: readonly Uint32Array[], coeffs: Uint32Array, len: number, pool?: WorkerPool | null,
): Promise<Uint32Array> {
  if (pool === null || len < 4 * 64 || total(cols) < MIN_PARALLEL_VALUES) return combineColumns(cols, coeffs, len);
  if (coeffs.length !== 4 * cols.length) invalid(`${cols.length} columns need ${4 * cols.length} coefficient values, got ${coeffs.length}`);
  cols.forEach((c, j) => { if (c.length > len) invalid(`column ${j} has ${c.length} values, more than ${len}`); });
  const p = pool ?? sharedPool();
  const out = new SharedArrayBuffer(16 * len);
  const columns = cols.map(shareU32), lengths = cols.map((c) => c.length), cs = Array.from(coeffs);
  // row ranges in multiples of 4 (the kernel's vector width)
  const step = Math.ceil(len / p.size / 4) * 4;
  const tasks: CombineTask[] = [];
  for (let r0 = 0; r0 < len; r0 += step) tasks.push({ op: "combine", columns, lengths, coeffs: cs, len, rowStart: r0, rowEnd: Math.min(len, r0 + step), out });
  await p.runAll(tasks);
  return new Uint32Array(out);
}
