/**
 * Frees the SharedArrayBuffers this isolate no longer references.
 *
 * Why this exists: V8 does not count SharedArrayBuffer backing stores as memory pressure, so an isolate that
 * allocates little JavaScript (the prover's main thread, and its workers, which only receive buffers) never
 * collects the wrappers of dead buffers, and their backing stores — gigabytes per proof: LDE matrices, Merkle
 * nodes, quotient outputs — live until the process ends. Measured: 20 dead 500 MB SharedArrayBuffers stay
 * resident (10 GB) with no GC at all in a plain Node script, and an MNIST step proven in 9 joint parts grew by
 * ≈ 2.3 GB per part to an OOM kill. A backing store is freed only when every isolate that saw it has
 * collected its wrapper, so both the main thread (between proof parts) and the workers (between tasks) call this.
 *
 * A full GC of the prover's small heaps takes a few milliseconds; unmapping is the sweeper's work, which the
 * second collection waits for.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      const f: unknown = runInNewContext("gc");
      gc = typeof f === "function" ? (f as () => void) : null;
    } catch {
      gc = null; // a host without V8 flags: nothing to do, memory stays as the engine decides
    }
  }
  return gc;
}

/**
 * Between tasks a worker waits this long for the next one before it collects: a full collection costs 10–16 ms
 * here, and a phase sends a worker dozens of short tasks back to back (one collection per task was 133
 * collections, ≈ 1.7 s, in a 2^16-cycle VM proof).
 */
const IDLE_COLLECT_MS = 5;
/** A worker kept busy still collects this often, so the buffers of a finished phase do not pile up. */
const MAX_COLLECT_GAP_MS = 250;

let idleTimer: ReturnType<typeof setTimeout> | undefined;
let lastCollect = 0;

/**
 * For a worker after it replied to a task: collect once the message handler has returned (until then the task's
 * buffers are still referenced by the message event) and no task followed within IDLE_COLLECT_MS, or at once
 * when the last collection is MAX_COLLECT_GAP_MS old. Dead buffers are unmapped by the sweeper shortly after.
 */
export function collectSharedBuffersSoon(): void {
  const f = collector();
  if (f === null) return;
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  const collect = () => {
    idleTimer = undefined;
    lastCollect = performance.now();
    f();
  };
  if (performance.now() - lastCollect >= MAX_COLLECT_GAP_MS) {
    idleTimer = undefined;
    setImmediate(collect);
    return;
  }
  idleTimer = setTimeout(collect, IDLE_COLLECT_MS);
  idleTimer.unref();
}

/** Collect, let the array-buffer sweeper run, collect again: dead buffers are unmapped when this resolves. */
export async function releaseSharedBuffers(): Promise<void> {
  const f = collector();
  if (f === null) return;
  f();
  await new Promise<void>((resolve) => setImmediate(resolve));
  f();
}
