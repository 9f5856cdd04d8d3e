// `zkvm train --prove`: one receipt per guest run (vm/api.ts `prove`), written to <run dir>/receipts/ and
// verified at once (vm/api.ts `verify`); the run's journal is read from the verified receipt.
//
// STARK mode (--prove without --dev) proves every run in segments of `segmentCycles` cycles (--segment-cycles,
// default DEFAULT_SEGMENT_CYCLES = 2^17; docs/vm-air.md §11): a run of training batches is millions of cycles,
// far beyond one proof's 2^20, and segments keep the prover's memory bounded by the segment size (one part is in
// memory at a time) rather than the run's length. Every run gets a "segments" receipt, also one that would fit
// one proof (an evaluation of a few images): one receipt kind per training run, and segment-sized memory for
// all of them (a single proof of 2^20 cycles needs far more). The cycle limit is MAX_RUN_CYCLES in both modes.
// `checkProvable` still refuses, before any work, an image with instructions the VM AIR cannot prove.
// Dev receipts (--dev) carry the statement (image, journal, exit code, cycles) but NO proof.
//
// --workers N > 1 proves in N worker threads (cli/train/prove-worker.ts), each with its own copy of the
// image (loaded from the image cache file). The orchestrator keeps at most N runs in flight.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { prove, verify, type Image } from "../../vm/api.ts";
import { unprovableInstructions } from "../../vm/air/program/decode.ts";
import { MAX_CYCLES } from "../../vm/receipt/verify.ts";
import { decodeJournal, encodeInput, type GuestRequest } from "../mnist/guest-io.ts";
import { GuestExitError, runMnistGuest, type MnistImage } from "../mnist/image.ts";
import { initParams } from "../mnist/model.ts";
import { TrainError } from "./errors.ts";
import type { ExecutedRun, ProveMode, ProveStep, RunExecutor, TrainPlan } from "./orchestrate.ts";

export const RECEIPTS_DIR = "receipts";
export const receiptFile = (label: string): string => `${RECEIPTS_DIR}/${label}.receipt`;

/** A receipt's cycle count must stay below the verifier's bound (vm/receipt/verify.ts MAX_CYCLES = 2^27). */
export const MAX_RUN_CYCLES = MAX_CYCLES - 1;

/** What one prover (in this thread or a worker) returns. */
export interface ProvedBytes {
  readonly receipt: Uint8Array;
  readonly exitCode: number;
  readonly proveMs: number;
}

/** An error crossing the worker boundary keeps its kind. */
export class RemoteError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = "RemoteError";
  }
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

/** The image cannot be proven with a STARK, or the run is too long for a receipt: say what to do. */
export function explainProveError(e: unknown, mode: ProveMode, label: string): unknown {
  const kind = e instanceof Error ? (e as Error & { kind?: unknown }).kind : undefined;
  if (kind === "UnprovableImage") {
    const msg = (e as Error).message;
    const missing = [...msg.matchAll(/\b([A-Z][A-Z0-9]*) ×\d+/g)].map((m) => m[1]!);
    const why = missing.length > 0 ? `the VM AIR does not cover ${missing.length} of its instructions: ${missing.join(", ")}` : msg.slice(0, 300);
    return new TrainError("UnprovableImage",
      `the training guest cannot be proven with a STARK yet (${why}); ` +
      "pass --dev to write dev receipts instead (no proof: they record each run's statement and are marked unproven everywhere)");
  }
  if (kind === "CycleLimit") {
    return new TrainError("RunTooLong",
      `${label}: the run exceeds ${MAX_RUN_CYCLES} cycles, more than one receipt may claim (2^27); use a smaller --batches-per-run, or --eval-samples for evaluation runs`);
  }
  return e;
}

/**
 * STARK mode: refuse, before any work and with the advice to pass --dev, an image the VM AIR cannot prove (the
 * same decode `prove` starts with). The length of a run is no obstacle: runs are proven in segments.
 */
export function checkProvable(img: MnistImage, mode: ProveMode): void {
  if (mode !== "stark") return;
  const unprovable = unprovableInstructions(img.image.program.code);
  if (unprovable.length > 0) {
    const list = unprovable.map((u) => `${u.mnemonic} ×${u.count}`).join(", ");
    throw explainProveError(new RemoteError("UnprovableImage", list), mode, "image");
  }
}

/**
 * Prove mode: an evaluation receipt covers all `evalSamples` test images in one run, which must stay below
 * MAX_RUN_CYCLES (≈ 2,300 test images for exp1). Checked before training, by extrapolating two tiny
 * evaluation runs (1 and 2 images; eval cycles are linear in the number of images), so that a run does not
 * fail with RunTooLong after its first epoch.
 */
export function checkEvalFits(img: MnistImage, plan: TrainPlan): void {
  const cfg = plan.config;
  const params = initParams(cfg.layers, cfg.seed);
  const cyc = (m: number): number =>
    runMnistGuest(img, { mode: "eval", layers: cfg.layers, batch: 0, lrRaw: 0, seed: 0, samples: m, startBatch: 0, numBatches: 0, params }, "vm").cycles!;
  const c1 = cyc(1);
  const perImage = cyc(2) - c1;
  const estimate = c1 + (plan.evalSamples - 1) * perImage;
  const budget = Math.floor(MAX_RUN_CYCLES * 0.95); // margin: the per-image cost varies a little with the weights
  if (estimate > budget) {
    const maxM = Math.max(1, 1 + Math.floor((budget - c1) / perImage));
    throw new TrainError("RunTooLong",
      `an evaluation of ${plan.evalSamples} test images takes ≈ ${estimate.toLocaleString("en-US")} cycles, more than one receipt may claim (2^27); ` +
      `with --prove pass --eval-samples ${maxM} or less`);
  }
}

/** How a run is proven: the mode and, in STARK mode, the segment size and zero knowledge (TrainPlan). */
export interface ProveSettings {
  readonly mode: ProveMode;
  readonly segmentCycles: number | null;
  readonly zk?: boolean;
}

/** Proves one input in this thread; `onStep` follows the prover (STARK mode only: dev receipts take no time). */
export async function proveInput(image: Image, input: Uint8Array, s: ProveSettings, onStep?: (step: ProveStep) => void): Promise<ProvedBytes> {
  if (s.mode === "none") throw new RangeError("proveInput needs a prove mode");
  if (s.mode === "stark" && s.segmentCycles === null) throw new RangeError("STARK mode needs a segment size");
  const r = await prove(image.program, input, s.mode === "dev"
    ? { dev: true, maxCycles: MAX_RUN_CYCLES }
    : {
      segmentCycles: s.segmentCycles!, maxCycles: MAX_RUN_CYCLES, zk: s.zk !== false,
      ...(onStep !== undefined ? {
        onPhase: (p: string) => { if (p === "execute" || p === "trace") onStep({ phase: p }); },
        onPart: (phase: "commit" | "prove", k: number, n: number) => onStep({ phase, k, n }),
      } : {}),
    });
  return { receipt: r.receipt, exitCode: r.exitCode, proveMs: r.proveMs };
}

interface Job {
  readonly resolve: (p: ProvedBytes) => void;
  readonly reject: (e: Error) => void;
  readonly onStep?: ((step: ProveStep) => void) | undefined;
}

/** A message from a prover worker: a progress step of job `id`, or its result. */
interface WorkerMessage {
  readonly id: number;
  readonly step?: ProveStep;
  readonly ok?: ProvedBytes;
  readonly error?: { kind: string; message: string };
}

/** N worker threads, each proving one input at a time (`prove-worker.ts`). */
class ProverPool {
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; input: Uint8Array }[] = [];
  private readonly jobs = new Map<number, Job>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private closed = false;

  constructor(size: number, imagePath: string, settings: ProveSettings) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL("./prove-worker.mjs", import.meta.url), { workerData: { imagePath, settings } });
      w.on("message", (m: WorkerMessage) => {
        if (m.step !== undefined) {
          this.jobs.get(m.id)?.onStep?.(m.step);
          return;
        }
        const job = this.jobs.get(m.id);
        this.jobs.delete(m.id);
        this.busy.delete(w);
        this.idle.push(w);
        if (m.ok !== undefined) job?.resolve({ ...m.ok, receipt: new Uint8Array(m.ok.receipt) });
        else job?.reject(new RemoteError(m.error?.kind ?? "WorkerFailed", m.error?.message ?? "prover worker failed"));
        this.pump();
      });
      w.on("error", (e) => this.crash(w, e.message));
      w.on("exit", (code) => { if (!this.closed) this.crash(w, `prover worker exited with code ${code}`); });
      this.idle.push(w);
    }
  }

  run(input: Uint8Array, onStep?: (step: ProveStep) => void): Promise<ProvedBytes> {
    if (this.closed) return Promise.reject(new RemoteError("WorkerFailed", "prover pool is closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, onStep });
      this.queue.push({ id, input });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const { id, input } = this.queue.shift()!;
      this.busy.set(w, id);
      w.postMessage({ id, input, progress: this.jobs.get(id)?.onStep !== undefined }, [input.buffer as ArrayBuffer]);
    }
  }

  private crash(w: Worker, message: string): void {
    const id = this.busy.get(w);
    this.busy.delete(w);
    if (id !== undefined) {
      this.jobs.get(id)?.reject(new RemoteError("WorkerFailed", message));
      this.jobs.delete(id);
    }
    // A crashed worker is not replaced: fail every queued job rather than hang.
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.idle.length === 0 && this.busy.size === 0) {
      for (const q of this.queue.splice(0)) {
        this.jobs.get(q.id)?.reject(new RemoteError("WorkerFailed", message));
        this.jobs.delete(q.id);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }
}

export interface RunProver {
  readonly executor: RunExecutor;
  close(): Promise<void>;
}

/**
 * The executor of `zkvm train --prove`: proves each request (in this thread, or in `workers` threads that
 * load the image from `imagePath`; STARK mode in segments of `settings.segmentCycles`), verifies the receipt
 * against the image ID, writes it to <dir>/receipts/<label>.receipt and hands its journal to the
 * orchestrator's checks. `onStep` (STARK mode) follows each run's proof, for the progress display.
 * Any receipts of an earlier run in the same directory are removed first.
 */
export function makeRunProver(img: MnistImage & { readonly path?: string }, dir: string, settings: ProveSettings, workers: number,
  onStep?: (label: string, step: ProveStep) => void): RunProver {
  const mode = settings.mode;
  if (mode === "none") throw new RangeError("makeRunProver needs a prove mode");
  if (mode === "stark" && settings.segmentCycles === null) throw new RangeError("STARK mode needs a segment size");
  const rdir = join(dir, RECEIPTS_DIR);
  try {
    rmSync(rdir, { recursive: true, force: true });
    mkdirSync(rdir, { recursive: true });
  } catch (e) {
    throw new TrainError("OutputError", `cannot create ${rdir}: ${(e as Error).message}`);
  }
  if (workers > 1 && img.path === undefined) throw new RangeError("parallel provers load the image from its cache file");
  const pool = workers > 1 ? new ProverPool(workers, img.path!, settings) : undefined;
  const executor: RunExecutor = async (req: GuestRequest, label: string): Promise<ExecutedRun> => {
    const input = encodeInput(req);
    const step = onStep !== undefined && mode === "stark" ? (s: ProveStep): void => onStep(label, s) : undefined;
    let p: ProvedBytes;
    try {
      p = pool !== undefined ? await pool.run(input, step) : await proveInput(img.image, input, settings, step);
    } catch (e) {
      throw explainProveError(e, mode, label);
    }
    if (p.exitCode !== 0) throw new GuestExitError(p.exitCode);
    const t0 = performance.now();
    const v = verify(p.receipt, img.imageId, { allowDev: mode === "dev" });
    const verifyMs = performance.now() - t0;
    if (!v.valid) throw new TrainError("ReceiptInvalid", `${label}: the receipt just produced does not verify: [${v.error.kind}] ${v.error.message}`);
    if (v.dev !== (mode === "dev")) throw new TrainError("ReceiptInvalid", `${label}: expected a ${mode} receipt`);
    const file = receiptFile(label);
    try {
      writeFileSync(join(dir, file), p.receipt);
    } catch (e) {
      throw new TrainError("OutputError", `cannot write ${join(dir, file)}: ${(e as Error).message}`);
    }
    return {
      journal: decodeJournal(v.journal), journalBytes: v.journal, cycles: v.cycles, ms: p.proveMs,
      receipt: { receipt: file, dev: v.dev, receiptBytes: p.receipt.length, proveMs: Math.round(p.proveMs), verifyMs: Math.round(verifyMs * 10) / 10 },
    };
  };
  return { executor, close: async () => { await pool?.close(); } };
}
