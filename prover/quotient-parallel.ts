/**
 * Quotient evaluation on worker threads: the quotient domain is cut into one contiguous range per worker; the
 * LDE matrices are shared (SharedArrayBuffer, copied once if they are not already shared) and every worker
 * writes its range of Q into one shared output. Same result as evaluateQuotient, bit for bit. Small domains stay
 * in-thread (starting work on a worker costs more than it saves). The same workers build LogUp columns by row
 * ranges (prover/logup-parallel.ts).
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { evaluateQuotient, type QuotientInputs } from "./quotient.ts";
import type { SymbolicTable } from "../verifier/symbolic.ts";
import type { Ext } from "../verifier/fp.ts";

const BLOCK = 2048;
/** Below this many (points × constraints) the quotient is evaluated in-thread. */
const MIN_PARALLEL_WORK = 1 << 20;

export interface Shared {
  readonly buf: SharedArrayBuffer;
  readonly offset: number;
  readonly length: number;
}

/** A task of this pool's workers: a quotient range, or LogUp group columns of a row range. */
export type EvalTask = QuotientTask | LogupTask;

export interface LogupTask {
  readonly kind: "logup";
  readonly id: number;
  readonly table: SymbolicTable;
  /** the interaction-read main columns (`cols`), n values each, packed in order */
  readonly main: Shared;
  readonly cols: readonly number[];
  readonly width: number;
  readonly n: number;
  readonly periodic: readonly Uint32Array[];
  readonly publics: readonly number[];
  readonly challenges: readonly Ext[];
  readonly from: number;
  readonly to: number;
  /** group g, coordinate k, row i at [(4g + k)·n + i] */
  readonly out: SharedArrayBuffer;
}

export interface QuotientTask {
  readonly kind: "quotient";
  readonly id: number;
  readonly inputs: Omit<QuotientInputs, "main" | "aux">;
  readonly main: Shared;
  readonly aux: Shared | undefined;
  readonly from: number;
  readonly to: number;
  readonly out: SharedArrayBuffer;
}

function share(a: Uint32Array): Shared {
  if (a.buffer instanceof SharedArrayBuffer) return { buf: a.buffer, offset: a.byteOffset, length: a.length };
  const buf = new SharedArrayBuffer(a.byteLength);
  new Uint32Array(buf).set(a);
  return { buf, offset: 0, length: a.length };
}

let workers: Worker[] | undefined;
let nextId = 1;

/** The pool's workers (one per core; created on first use). */
export function evalWorkers(): Worker[] {
  if (!workers) {
    workers = Array.from({ length: Math.max(1, availableParallelism()) }, () => {
      const w = new Worker(new URL("./quotient-worker.mjs", import.meta.url));
      w.unref();
      return w;
    });
  }
  return workers;
}

/** `nextEvalTaskId()` numbers tasks so replies find their promise. */
export function nextEvalTaskId(): number {
  return nextId++;
}

export function runOn(w: Worker, task: EvalTask): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: { id: number; ok: boolean; message?: string }) => {
      if (m.id !== task.id) return;
      w.off("message", onMsg);
      w.off("error", onErr);
      if (m.ok) resolve();
      else reject(new Error(`${task.kind} worker: ${m.message}`));
    };
    const onErr = (e: Error) => {
      w.off("message", onMsg);
      reject(e);
    };
    w.on("message", onMsg);
    w.on("error", onErr);
    w.postMessage(task);
  });
}

/** Stops the quotient workers (they are unref'd, so this is only needed for a clean shutdown). */
export async function closeQuotientPool(): Promise<void> {
  const ws = workers;
  workers = undefined;
  if (ws) await Promise.all(ws.map((w) => w.terminate()));
}

export async function evaluateQuotientParallel(x: QuotientInputs, useWorkers: boolean): Promise<Uint32Array> {
  const q = 2 ** x.shape.logQuotientDomain;
  const blocks = q / Math.min(BLOCK, q);
  const ws = useWorkers && q * x.table.constraints.length >= MIN_PARALLEL_WORK && blocks >= 2 ? evalWorkers() : [];
  if (ws.length < 2) return evaluateQuotient(x);
  const out = new SharedArrayBuffer(16 * q);
  const { main, aux, ...inputs } = x;
  const sm = share(main), sa = aux ? share(aux) : undefined;
  const parts = Math.min(ws.length, blocks);
  const per = Math.ceil(blocks / parts) * BLOCK;
  const tasks: Promise<void>[] = [];
  for (let p = 0; p < parts; p++) {
    const from = p * per, to = Math.min(q, from + per);
    if (from >= to) break;
    tasks.push(runOn(ws[p]!, { kind: "quotient", id: nextId++, inputs, main: sm, aux: sa, from, to, out }));
  }
  await Promise.all(tasks);
  return new Uint32Array(out);
}
