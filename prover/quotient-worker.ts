/** Worker side of prover/quotient-parallel.ts: evaluates the quotient on one range of points. */
import { parentPort } from "node:worker_threads";
import { evaluateQuotientRange, type QuotientInputs } from "./quotient.ts";
import { collectSharedBuffersSoon } from "./workers/release.ts";
import type { QuotientTask } from "./quotient-parallel.ts";

const port = parentPort;
if (port === null) throw new Error("prover/quotient-worker.ts must run in a worker thread");
port.on("message", (task: QuotientTask) => {
  try {
    const view = (s: { buf: SharedArrayBuffer; offset: number; length: number }) => new Uint32Array(s.buf, s.offset, s.length);
    const x: QuotientInputs = { ...task.inputs, main: view(task.main), aux: task.aux ? view(task.aux) : undefined };
    evaluateQuotientRange(x, task.from, task.to, new Uint32Array(task.out));
    port.postMessage({ id: task.id, ok: true });
  } catch (e) {
    port.postMessage({ id: task.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
  collectSharedBuffersSoon(); // see prover/workers/release.ts
});
