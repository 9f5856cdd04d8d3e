/**
 * LogUp aux columns built on worker threads. The group columns h of a row depend only on that row and the next,
 * so each worker builds a contiguous range of rows (prover/logup-trace.ts logupGroupColumns) into one shared
 * output; this thread then forms the running sum S. Same columns as buildAuxTrace, bit for bit.
 *
 * Why: building the CPU table's 34 group columns took ≈ 1.4 s of one thread per 2^16 rows (profile) while the
 * prover's workers waited (LogUp is between the main and aux commitments, nothing else can run).
 */
import type { SymbolicTable } from "../verifier/symbolic.ts";
import type { Ext } from "../verifier/fp.ts";
import { auxTraceOf, buildAuxTrace, interactionMainColumns, type AuxTrace } from "./logup-trace.ts";
import { evalWorkers, nextEvalTaskId, runOn } from "./quotient-parallel.ts";

/** Below this many rows a table's aux trace is built in-thread (shipping the columns costs more than it saves). */
const MIN_PARALLEL_ROWS = 1 << 12;

export async function buildAuxTraceParallel(
  t: SymbolicTable,
  main: readonly Uint32Array[],
  periodic: readonly Uint32Array[],
  publics: readonly number[],
  challenges: readonly Ext[],
  useWorkers: boolean,
): Promise<AuxTrace> {
  const n = main[0]!.length;
  const ws = useWorkers && n >= MIN_PARALLEL_ROWS ? evalWorkers() : [];
  if (ws.length < 2) return buildAuxTrace(t, main, periodic, publics, challenges);
  const cols = interactionMainColumns(t);
  const packed = new Uint32Array(new SharedArrayBuffer(4 * n * Math.max(1, cols.length)));
  cols.forEach((c, i) => packed.set(main[c]!, i * n));
  const groups = t.logupGroups.length;
  const out = new SharedArrayBuffer(16 * n * groups);
  // ranges of whole 4-row groups (the SIMD kernels' lanes)
  const per = Math.ceil(n / ws.length / 4) * 4;
  const tasks: Promise<void>[] = [];
  for (let p = 0; p < ws.length; p++) {
    const from = p * per, to = Math.min(n, from + per);
    if (from >= to) break;
    tasks.push(runOn(ws[p]!, {
      kind: "logup", id: nextEvalTaskId(), table: t, main: { buf: packed.buffer as SharedArrayBuffer, offset: 0, length: packed.length },
      cols, width: main.length, n, periodic, publics, challenges, from, to, out,
    }));
  }
  try {
    await Promise.all(tasks);
  } catch (e) {
    // the message a worker sends back for a zero denominator, as buildAuxTrace throws it
    const m = (e as Error).message;
    throw /denominator is zero/.test(m) ? new RangeError("LogUp denominator is zero") : e;
  }
  const h = Array.from({ length: groups }, (_, g) => new Uint32Array(out, 16 * n * g, 4 * n));
  return auxTraceOf(h, n);
}
