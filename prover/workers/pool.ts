/**
 * A fixed pool of worker threads (one per core by default) for the prover's bulk kernels: LDE of many columns and
 * Merkle hashing of big matrices. Each worker has its own WASM kernel instance; data is shared through
 * SharedArrayBuffers. Idle workers are unref'd, so a forgotten pool never keeps the process alive; `close()` ends
 * them explicitly.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { KernelError, type KernelErrorKind } from "../kernels/errors.ts";
import type { TaskReply, TaskRequest, WorkerTask } from "./tasks.ts";

const BOOTSTRAP = new URL("./bootstrap.mjs", import.meta.url);

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: KernelError) => void;
}

interface Slot {
  readonly worker: Worker;
  busy: boolean;
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: { req: TaskRequest; pending: Pending }[] = [];
  private readonly pending = new Map<number, { slot: Slot; pending: Pending }>();
  private nextId = 1;
  private closed = false;
  private crashes = 0;

  constructor(size: number = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1) throw new KernelError("InvalidArgument", `pool size must be a positive integer, got ${size}`);
    this.size = size;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // No execArgv: V8 flags such as --no-liftoff are process-wide and Node rejects them per worker
    // (ERR_WORKER_INVALID_EXEC_ARGV); prover/kernels/index.ts sets it for the whole process before compiling.
    const worker = new Worker(BOOTSTRAP);
    const slot: Slot = { worker, busy: false };
    worker.unref();
    worker.on("message", (reply: TaskReply) => this.onReply(slot, reply));
    worker.on("error", (e: Error) => this.onCrash(slot, e.message));
    worker.on("exit", (code: number) => {
      if (!this.closed) this.onCrash(slot, `worker exited with code ${code}`);
    });
    return slot;
  }

  /** Run one task on the next free worker. Rejects with a KernelError (kind from the worker, or WorkerFailed). */
  run(task: WorkerTask): Promise<void> {
    if (this.closed) return Promise.reject(new KernelError("WorkerFailed", "worker pool is closed"));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, task }, pending: { resolve, reject } });
      this.pump();
    });
  }

  /** Run many tasks, all in parallel as far as there are workers; resolves when all are done. */
  async runAll(tasks: readonly WorkerTask[]): Promise<void> {
    await Promise.all(tasks.map((t) => this.run(t)));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      const { req, pending } = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref(); // a pending task must keep the process alive
      this.pending.set(req.id, { slot, pending });
      slot.worker.postMessage(req);
    }
  }

  private onReply(slot: Slot, reply: TaskReply): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    slot.busy = false;
    slot.worker.unref();
    if (reply.ok) p.pending.resolve();
    else p.pending.reject(new KernelError(isKind(reply.error.kind) ? reply.error.kind : "WorkerFailed", reply.error.message));
    this.pump();
  }

  private onCrash(slot: Slot, message: string): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.pending.reject(new KernelError("WorkerFailed", message));
    }
    const i = this.slots.indexOf(slot);
    // Respawn to keep the pool at full size, but a worker that cannot even start must not loop forever.
    if (i >= 0 && !this.closed && ++this.crashes > 2 * this.size) {
      this.slots.splice(i, 1);
      void slot.worker.terminate();
      if (this.slots.length === 0) {
        this.closed = true;
        for (const q of this.queue.splice(0)) q.pending.reject(new KernelError("WorkerFailed", `workers keep crashing: ${message}`));
      }
      return;
    }
    if (i >= 0 && !this.closed) {
      this.slots[i] = this.spawn();
      this.pump();
    }
  }

  /** Terminate every worker; pending and queued tasks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.queue.splice(0)) q.pending.reject(new KernelError("WorkerFailed", "worker pool closed"));
    for (const [, p] of this.pending) p.pending.reject(new KernelError("WorkerFailed", "worker pool closed"));
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

const KINDS: readonly string[] = ["KernelUnavailable", "InvalidArgument", "OutOfMemory", "WorkerFailed"] satisfies KernelErrorKind[];

function isKind(k: string): k is KernelErrorKind {
  return KINDS.includes(k);
}

let shared: WorkerPool | undefined;

/** The process-wide pool (created on first use, one worker per core). */
export function sharedPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}

/** Close the process-wide pool if it was ever created (tests call this in afterAll). */
export async function closeSharedPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  if (p !== undefined) await p.close();
}
