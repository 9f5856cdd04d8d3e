/**
 * `npm run bench:kernels [-- --columns 60 --log-rows 20 --json]`: the prover kernels' speed.
 *   - NTT (evaluate: coefficients → natural-order evaluations) at 2^16 … 2^20, best of several runs, ms;
 *   - LDE of `columns` columns × 2^logRows rows with blowup 2 and 4 into a row-major matrix, s;
 *   - Merkle commitment of 2^logRows leaves × `columns` values, s; opening 43 rows of such a tree, ms;
 * in-thread and on the worker pool (one worker per core). Run with --no-liftoff (the npm script does).
 */
import { availableParallelism, loadavg } from "node:os";
import { evaluate } from "../prover/ntt.ts";
import { ldeColumns } from "../prover/lde.ts";
import { MerkleTree } from "../prover/merkle.ts";
import { kernels } from "../prover/kernels/index.ts";
import { commitParallel, ldeColumnsParallel } from "../prover/workers/parallel.ts";
import { WorkerPool } from "../prover/workers/pool.ts";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const columns = arg("columns", 60);
const logRows = arg("log-rows", 20);
const json = process.argv.includes("--json");

function randomColumn(n: number, seed: number): Uint32Array {
  let s = seed >>> 0;
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s % 2013265921;
  }
  return a;
}

function bestMs(runs: number, f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Wall seconds, and CPU seconds of the whole process (all threads): on a shared machine wall time includes
 * waiting for a core, CPU time does not. */
async function seconds(f: () => unknown): Promise<[number, number]> {
  const c = process.cpuUsage();
  const t = performance.now();
  await f();
  const u = process.cpuUsage(c);
  return [(performance.now() - t) / 1000, (u.user + u.system) / 1e6];
}

const results: Record<string, number> = {};
const log = (key: string, value: number | [number, number], unit: string): void => {
  const [wall, cpu] = typeof value === "number" ? [value, undefined] : value;
  const digits = unit === "ms" ? 2 : 3;
  results[key] = Number(wall.toFixed(digits));
  if (cpu !== undefined) results[`${key} cpu`] = Number(cpu.toFixed(digits));
  if (!json) console.log(`${key.padEnd(44)} ${wall.toFixed(digits)} ${unit}${cpu === undefined ? "" : `  (cpu ${cpu.toFixed(digits)} ${unit}, all threads)`}`);
};

if (!json) console.log(`cores: ${availableParallelism()}, load average: ${loadavg()[0]!.toFixed(1)}, columns: ${columns}, rows: 2^${logRows}`);
for (let logN = 16; logN <= 20; logN++) {
  const c = randomColumn(2 ** logN, logN);
  evaluate(c, logN); // warm-up: twiddles + tier-up
  log(`ntt 2^${logN} (evaluate, incl. copies)`, bestMs(7, () => evaluate(c, logN)), "ms");
  const k = kernels();
  const [tw] = k.twiddles(logN);
  const ptr = k.scratchBase();
  k.ensure(ptr + 4 * 2 ** logN);
  k.u32().set(c, ptr >>> 2);
  log(`ntt 2^${logN} (kernel only, bit-reversed out)`, bestMs(7, () => k.x.dif(ptr, logN, tw)), "ms");
}

const cols = Array.from({ length: columns }, (_, i) => randomColumn(2 ** logRows, 1000 + i));
const pool = new WorkerPool();
try {
  for (const logB of [1, 2]) {
    log(`lde ${columns}×2^${logRows} blowup ${2 ** logB} in-thread`, await seconds(() => ldeColumns(cols, logB)), "s");
    await ldeColumnsParallel(cols.slice(0, pool.size), 1, 31, { pool, minParallelValues: 0 }); // start + warm workers
    log(`lde ${columns}×2^${logRows} blowup ${2 ** logB} workers(${pool.size})`, await seconds(() => ldeColumnsParallel(cols, logB, 31, { pool })), "s");
  }
  const h = 2 ** logRows;
  const matrix = new Uint32Array(new SharedArrayBuffer(4 * h * columns));
  for (let j = 0; j < columns; j++) for (let r = 0, o = j; r < h; r++, o += columns) matrix[o] = cols[j]![r]!;
  MerkleTree.commit(matrix.subarray(0, 64 * columns), columns, 64); // warm-up
  log(`merkle 2^${logRows} leaves × ${columns} in-thread`, await seconds(() => MerkleTree.commit(matrix, columns, h)), "s");
  log(`merkle 2^${logRows} leaves × ${columns} workers(${pool.size})`, await seconds(() => commitParallel(matrix, columns, h, undefined, { pool })), "s");
  // Openings re-hash the blocks of 2^CUT leaves below the stored levels (prover/merkle.ts CUT): 43 random rows (the
  // default query count) of the same values read as a column-major, salted matrix, as a prover round commits them.
  const salts = new Uint8Array(new SharedArrayBuffer(16 * h)).map((_, i) => (i * 131) & 255);
  const tree = await commitParallel(matrix, columns, h, salts, { pool, columnMajor: true });
  const sets = Array.from({ length: 40 }, (_, s) => [...new Set(randomColumn(43, 7 + s).map((v) => v % h))].sort((a, b) => a - b));
  log(`merkle open 43 rows, col-major salted`, bestMs(5, () => sets.forEach((idx) => tree.openMulti(idx))) / sets.length, "ms");
} finally {
  await pool.close();
}
if (json) console.log(JSON.stringify({ cores: availableParallelism(), columns, logRows, ...results }));
