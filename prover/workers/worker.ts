/** Worker side of the pool: runs tasks (prover/workers/tasks.ts) on this thread's own kernel instance. */
import { parentPort } from "node:worker_threads";
import { ldeColumnsInto, type ColumnTails } from "../lde.ts";
import { log2Exact } from "../ntt.ts";
import { hashLevels, hashRows, levelOffsets, storedBottom } from "../merkle.ts";
import { kernels } from "../kernels/index.ts";
import { combineColumns, dotColumns } from "../kernels/linalg.ts";
import { collectSharedBuffersSoon } from "./release.ts";
import type { TaskReply, TaskRequest, WorkerTask } from "./tasks.ts";

function run(task: WorkerTask): void {
  switch (task.op) {
    case "dot": {
      const cols = task.columns.map((c, j) => new Uint32Array(c.buf, c.offset, task.lengths[j]!));
      const d = dotColumns(cols, new Uint32Array(task.weights.buf, task.weights.offset, 4 * task.len));
      new Uint32Array(task.out).set(d, 4 * task.outIndex);
      return;
    }
    case "combine": {
      const { rowStart: r0, rowEnd: r1, len } = task;
      const cols = task.columns.map((c, j) => new Uint32Array(c.buf, c.offset, task.lengths[j]!).subarray(Math.min(r0, task.lengths[j]!), Math.min(r1, task.lengths[j]!)));
      const d = combineColumns(cols, Uint32Array.from(task.coeffs), r1 - r0);
      const out = new Uint32Array(task.out);
      for (let k = 0; k < 4; k++) out.set(d.subarray(k * (r1 - r0), (k + 1) * (r1 - r0)), k * len + r0);
      return;
    }
    case "lde": {
      const columns: Uint32Array[] = task.inputs.map((at) => (at === null ? new Uint32Array(0) : new Uint32Array(at.buf, at.offset, task.n)));
      const logN = log2Exact(task.n);
      let tails: ColumnTails | undefined;
      if (task.tails) {
        const tv = new Uint32Array(task.tails), len = task.tailLen ?? 0;
        tails = { data: columns.map((_, c) => tv.subarray(c * len, (c + 1) * len)), minusOne: task.tailMinusOne === true };
      }
      ldeColumnsInto(columns, task.colStart, task.colEnd, task.logBlowup, task.shift, new Uint32Array(task.output), task.outWidth ?? task.width, task.kind, logN, task.outOffset ?? 0, task.outColumnMajor ?? false, tails);
      return;
    }
    case "subtree": {
      const matrix = new Uint32Array(task.matrix, task.matrixOffset, task.width * task.height);
      const salts = task.salts === null ? undefined : new Uint8Array(task.salts);
      const nodes = new Uint8Array(task.nodes);
      const depth = 31 - Math.clz32(task.height);
      const bottom = storedBottom(depth);
      if (task.levels < bottom) throw new Error(`a subtree of 2^${task.levels} leaves is smaller than a block of 2^${bottom}`);
      const offs = levelOffsets(depth, bottom);
      const k = kernels();
      // leaves and the levels below `bottom` stay in this worker's kernel memory; only stored levels are written
      const first = task.first >>> bottom, count = task.count >>> bottom;
      hashRows(k, matrix, task.width, task.first, task.count, salts, nodes.subarray(offs[bottom]! + 32 * first, offs[bottom]! + 32 * (first + count)), task.columnMajor ? task.height : undefined, bottom);
      hashLevels(k, nodes, offs, bottom, first, count, task.levels - bottom);
      return;
    }
    case "fail":
      throw new Error(task.message);
  }
}

const port = parentPort;
if (port === null) throw new Error("prover/workers/worker.ts must run in a worker thread");
port.on("message", (req: TaskRequest) => {
  let reply: TaskReply;
  try {
    run(req.task);
    reply = { id: req.id, ok: true };
  } catch (e) {
    const err = e as { kind?: unknown; message?: unknown };
    reply = {
      id: req.id,
      ok: false,
      error: { kind: typeof err.kind === "string" ? err.kind : "WorkerFailed", message: String(err.message ?? e) },
    };
  }
  port.postMessage(reply);
  // this worker saw the task's SharedArrayBuffers: let their backing stores go once the main thread drops them
  collectSharedBuffersSoon();
});
