/** Worker side of prover/quotient-parallel.ts: evaluates the quotient on one range of points, or builds LogUp columns. */
import { parentPort } from "node:worker_threads";
import { evaluateQuotientRange, type QuotientInputs } from "./quotient.ts";
import { logupGroupColumns } from "./logup-trace.ts";
import { collectSharedBuffersSoon } from "./workers/release.ts";
import type { EvalTask, LogupTask, Shared } from "./quotient-parallel.ts";

const view = (s: Shared) => new Uint32Array(s.buf, s.offset, s.length);

function logup(task: LogupTask): void {
  const packed = view(task.main), n = task.n;
  const main: Uint32Array[] = Array.from({ length: task.width }, () => new Uint32Array(0));
  task.cols.forEach((c, i) => { main[c] = packed.subarray(i * n, (i + 1) * n); });
  const h = logupGroupColumns(task.table, main, task.periodic, task.publics, task.challenges, task.from, task.to);
  const out = new Uint32Array(task.out), len = task.to - task.from;
  h.forEach((col, g) => {
    for (let k = 0; k < 4; k++) out.set(col.subarray(k * len, (k + 1) * len), (4 * g + k) * n + task.from);
  });
}

const port = parentPort;
if (port === null) throw new Error("prover/quotient-worker.ts must run in a worker thread");
port.on("message", (task: EvalTask) => {
  try {
    if (task.kind === "logup") logup(task);
    else {
      const x: QuotientInputs = { ...task.inputs, main: view(task.main), aux: task.aux ? view(task.aux) : undefined };
      evaluateQuotientRange(x, task.from, task.to, new Uint32Array(task.out));
    }
    port.postMessage({ id: task.id, ok: true });
  } catch (e) {
    port.postMessage({ id: task.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
  collectSharedBuffersSoon(); // see prover/workers/release.ts
});
