// `zkvm train` in execute mode: trains an MLP by EXECUTING the training guest, one guest run per group
// of consecutive global batches (each run is what a receipt will prove once proving exists), chained by
// weight hashes, with the test accuracy measured by the guest's evaluation mode after every epoch.
//
// The guest commits only hashes of the weights, so the host needs the weights themselves to feed the
// next run: it advances the exact Q16.16 emulator (cli/mnist/fixed-reference.ts) over the same batches
// and insists that its weights hash to the guest's committed end hash. Every run is checked:
//   - its journal echoes the request (config, seed, dataset size, batch range)   → JournalMismatch
//   - its start hash is the previous run's end hash (the first: the seed's init)  → ChainBroken
//   - the emulator's new weights hash to the journal's end hash                   → WeightHashMismatch
// The float64 reference (optional) trains the same batches from the same initial values.
//
// With --prove each guest run is proven instead of merely executed (cli/train/receipts.ts): the receipt's
// journal is what the checks above read, and the receipt is verified at once. The host emulator advances
// ahead of the guest, so with --workers N up to N runs are in flight at once; their results are still
// checked strictly in chain order.

import { CONFIGS, MAX_BATCH, type ConfigName, type TrainConfig } from "../mnist/config.ts";
import { evaluateFloat, FloatTrainer } from "../mnist/float-reference.ts";
import { FixedTrainer } from "../mnist/fixed-reference.ts";
import type { EvalJournal, GuestRequest, MnistJournal, TrainJournal } from "../mnist/guest-io.ts";
import type { MnistSet } from "../mnist/idx.ts";
import { runMnistGuest, type GuestRun, type MnistImage } from "../mnist/image.ts";
import { initParams, paramsHash, toHex } from "../mnist/model.ts";
import type { Engine } from "../../vm/api.ts";
import { DEFAULT_SEGMENT_CYCLES } from "../../vm/receipt/prove.ts";
import { TrainError } from "./errors.ts";

export interface TrainPlan {
  readonly config: TrainConfig & { readonly name: ConfigName };
  readonly epochs: number;
  /** Training samples per epoch: the first ones of the epoch's order, a multiple of the batch size. */
  readonly samplesPerEpoch: number;
  /** Test images evaluated after each epoch (the first ones of the test set). */
  readonly evalSamples: number;
  readonly batchesPerRun: number;
  readonly engine: Engine;
  readonly float: boolean;
  /** none: execute only; dev: dev receipts (no proof); stark: STARK receipts, each run proven in segments. */
  readonly prove: ProveMode;
  /** Guest runs in flight at once (parallel provers; 1 = in this thread). */
  readonly workers: number;
  /** STARK mode: the segment size (cycles) every run is proven in; null in the other modes. */
  readonly segmentCycles: number | null;
  /** STARK mode: zero-knowledge proofs (default). --no-zk halves the prover's work and memory; what it may leak,
   *  the weights a run starts from, follows anyway from the public seed, data and hyper-parameters (the host's
   *  emulator recomputes them), unless the run directory's model is kept secret. */
  readonly zk: boolean;
  /**
   * True: the first training run initialises the weights from the seed in the guest (weightsSource 0).
   * False (STARK mode): the host hands it the seed's initial weights like any later run's. The in-guest
   * initialisation costs ≈ 16.8 M cycles for exp1 (≈ 130 segments of 2^17, about an hour of proving) and
   * proves nothing a verifier does not check anyway: verify-training recomputes paramsHash(initParams(layers,
   * seed)) and requires the first run's start hash, which the guest computes from the weights it trains, to be it.
   * Execute and dev modes keep the in-guest initialisation (their measured cycle counts include it).
   */
  readonly initInGuest: boolean;
}

export type ProveMode = "none" | "dev" | "stark";

/** The receipt of one guest run (prove mode), stored under the run directory. */
export interface ReceiptRecord {
  /** Path relative to the run directory, e.g. "receipts/train-000003.receipt". */
  readonly receipt: string;
  /** True for a dev receipt: NO proof, the run is unproven. */
  readonly dev: boolean;
  readonly receiptBytes: number;
  readonly proveMs: number;
  readonly verifyMs: number;
}

/** One guest run of training mode: the unit a receipt will prove. */
export interface TrainRunRecord {
  readonly kind: "train";
  readonly run: number;
  readonly epoch: number; // 1-based
  /** Global batches [startBatch, endBatch). */
  readonly startBatch: number;
  readonly endBatch: number;
  readonly samples: number;
  readonly startHash: string;
  readonly endHash: string;
  readonly weightsFromSeed: boolean;
  /** Mean training cross-entropy of the run (the journal's Q16.16 value / 2^16). */
  readonly meanLoss: number;
  readonly meanLossRaw: string; // i64 as a decimal string (JSON has no 64-bit integers)
  readonly cycles: number | null;
  /** Wall time of the guest run, and of the host's emulator replaying the same batches. */
  readonly guestMs: number;
  readonly emulatorMs: number;
  readonly journal: string; // hex of the committed journal bytes
  /** prove mode only */
  readonly receipt?: ReceiptRecord;
}

/** The evaluation run after an epoch: accuracy committed by the guest. */
export interface EvalRunRecord {
  readonly kind: "eval";
  readonly epoch: number;
  readonly modelHash: string;
  readonly correct: number;
  readonly evaluated: number;
  readonly cycles: number | null;
  readonly ms: number;
  readonly journal: string;
  /** prove mode only */
  readonly receipt?: ReceiptRecord;
}
export type RunRecord = TrainRunRecord | EvalRunRecord;

export interface EpochResult {
  readonly epoch: number;
  readonly samples: number;
  readonly trainLoss: number; // fixed point, sample-weighted mean of the runs' committed losses
  readonly testAccuracy: number; // percent, from the guest's evaluation journal
  readonly floatTrainLoss: number | null;
  readonly floatTestAccuracy: number | null; // percent
  readonly trainCycles: number | null;
  readonly evalCycles: number | null;
  readonly trainSeconds: number; // guest runs + the host emulator
  readonly guestSeconds: number; // of which the guest runs
  readonly evalSeconds: number;
  readonly floatSeconds: number;
  readonly modelHash: string;
}

export interface TrainOutcome {
  readonly plan: TrainPlan;
  readonly imageId: string;
  /** N: the guest's training set is the first N training images (every journal's `samples`). */
  readonly datasetSamples: number;
  readonly epochs: EpochResult[];
  readonly runs: RunRecord[];
  /** Final Q16.16 parameters; paramsHash(finalParams) = the last training journal's end hash. */
  readonly finalParams: Int32Array;
  readonly modelHash: string;
  readonly samplesTrained: number;
  /** All training-run cycles / samples trained (includes per-run start-up and the seed init); null on wasm. */
  readonly cyclesPerSample: number | null;
}

export interface ProgressSink {
  /** Called after every training run with the training samples done so far. */
  trained(done: number, total: number): void;
  /** Called with a short description of the phase (evaluation, float reference). */
  phase(what: string): void;
  /** STARK mode: where the proof of run `label` stands (several runs may be in flight with --workers). */
  proving?(label: string, step: ProveStep): void;
}

/** A step of proving one run: execution, the segments' traces, then each part's commitment and proof
 *  (part 1 is the memory proof, parts 2..n the segments; vm/receipt/prove.ts onPart). */
export type ProveStep = { readonly phase: "execute" | "trace" } | { readonly phase: "commit" | "prove"; readonly k: number; readonly n: number };

export const SILENT: ProgressSink = { trained: () => {}, phase: () => {} };

/** Options → a checked plan (typed InvalidArgument errors, messages name the option). */
export function makePlan(o: {
  config: string; epochs?: number; samples?: number; seed?: number; evalSamples?: number; batch?: number;
  batchesPerRun?: number; engine?: string; float?: boolean; prove?: boolean; dev?: boolean; workers?: number; segmentCycles?: number; zk?: boolean;
}, trainCount: number, testCount: number): TrainPlan {
  const bad = (m: string): never => { throw new TrainError("InvalidArgument", m); };
  if (!Object.hasOwn(CONFIGS, o.config)) bad(`unknown config "${o.config}" (exp1, exp2, exp3a, exp3b)`);
  const base = CONFIGS[o.config as ConfigName];
  const int = (name: string, v: number | undefined, dflt: number, min: number, max: number): number => {
    const x = v ?? dflt;
    if (!Number.isSafeInteger(x) || x < min || x > max) bad(`--${name} must be an integer in ${min}..${max}, got ${v}`);
    return x;
  };
  const seed = int("seed", o.seed, base.seed, 0, 0xffff_ffff);
  const epochs = int("epochs", o.epochs, base.epochs, 1, 1000);
  // --batch replaces the config's batch size (the learning rate stays the config's). The guest takes only
  // powers of two up to MAX_BATCH (its batch mean is a rounding shift), so that is what is accepted here.
  const batch = int("batch", o.batch, base.batch, 1, Math.min(MAX_BATCH, trainCount));
  if ((batch & (batch - 1)) !== 0) bad(`--batch must be a power of two (the guest averages a batch by a shift), got ${batch}`);
  const perEpochMax = Math.floor(trainCount / batch) * batch;
  const requested = int("samples", o.samples, perEpochMax, batch, perEpochMax);
  const evalSamples = int("eval-samples", o.evalSamples, testCount, 1, testCount);
  const batchesPerRun = int("batches-per-run", o.batchesPerRun, 4, 1, 1 << 20);
  const engine = o.engine ?? "vm";
  if (engine !== "vm" && engine !== "wasm") bad(`--engine must be vm or wasm, got ${engine}`);
  const prove = o.prove === true;
  if (o.dev === true && !prove) bad("--dev needs --prove (it selects dev receipts)");
  if (o.workers !== undefined && !prove) bad("--workers needs --prove (it is the number of parallel provers)");
  const workers = int("workers", o.workers, 1, 1, 64);
  if (prove && engine !== "vm") bad("--prove executes the guest in the VM; --engine wasm cannot be proven");
  const mode: ProveMode = !prove ? "none" : o.dev === true ? "dev" : "stark";
  // The same bounds as `zkvm prove --segment-cycles` (cli/commands/receipt.ts); dev receipts have no proof to segment.
  if (o.segmentCycles !== undefined && mode !== "stark") bad("--segment-cycles needs --prove without --dev (it sizes the STARK proof's segments)");
  if (o.zk === false && mode !== "stark") bad("--no-zk needs --prove without --dev (it selects STARK proofs without zero knowledge)");
  const segmentCycles = o.segmentCycles ?? DEFAULT_SEGMENT_CYCLES;
  if (!(Number.isInteger(segmentCycles) && segmentCycles >= 16 && segmentCycles <= 2 ** 27)) bad(`--segment-cycles must be an integer in [16, 2^27], got ${o.segmentCycles}`);
  return {
    config: { ...base, batch, seed, name: o.config as ConfigName },
    epochs,
    samplesPerEpoch: requested - (requested % batch),
    evalSamples,
    batchesPerRun,
    engine: engine as Engine,
    float: o.float ?? true,
    prove: mode,
    workers,
    segmentCycles: mode === "stark" ? segmentCycles : null,
    zk: o.zk !== false,
    initInGuest: mode !== "stark",
  };
}

function check(cond: boolean, kind: "ChainBroken" | "JournalMismatch" | "WeightHashMismatch", msg: () => string): void {
  if (!cond) throw new TrainError(kind, msg());
}

/** The journal must echo what was asked; the guest derives the samples from these fields. */
function checkHeader(j: MnistJournal, req: GuestRequest, what: string): void {
  const same =
    j.layers.length === req.layers.length && j.layers.every((w, i) => w === req.layers[i]) &&
    j.batch === req.batch && j.lrRaw === req.lrRaw && j.seed === req.seed >>> 0 && j.samples === req.samples &&
    j.startBatch === req.startBatch && j.numBatches === req.numBatches && j.weightsFromSeed === (req.params === undefined);
  check(same && j.mode === req.mode, "JournalMismatch", () => `${what}: the journal does not echo the request (${JSON.stringify({ ...j, meanLossRaw: undefined })})`);
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const now = (): number => performance.now();
/** Runs one guest request (runMnistGuest by default; tests substitute a tampering wrapper). */
export type GuestRunner = (img: MnistImage, req: GuestRequest, engine: Engine) => GuestRun;

/** A guest run as the orchestrator sees it: the journal (from the receipt in prove mode), its wall time. */
export interface ExecutedRun extends GuestRun {
  readonly ms: number;
  readonly receipt?: ReceiptRecord;
}

/**
 * Executes (or proves) one request; `label` names the run ("train-000003", "eval-0001"), e.g. for its
 * receipt file. The promise may settle later (parallel provers); results are consumed in chain order.
 */
export type RunExecutor = (req: GuestRequest, label: string) => Promise<ExecutedRun>;

export interface TrainHooks {
  readonly progress?: ProgressSink;
  /** Execute mode: replaces runMnistGuest (tests). Ignored when `executor` is given. */
  readonly runGuest?: GuestRunner;
  /** Prove mode (cli/train/receipts.ts): proves each run. Default: runGuest in this thread. */
  readonly executor?: RunExecutor;
  /** Called after every epoch with the outcome so far (the command rewrites the run directory: long runs
   *  leave a usable model and report behind if they are interrupted). */
  readonly onEpoch?: (soFar: TrainOutcome) => void;
}

export const trainLabel = (run: number): string => `train-${String(run).padStart(6, "0")}`;
export const evalLabel = (epoch: number): string => `eval-${String(epoch).padStart(4, "0")}`;

interface InFlight {
  readonly run: number;
  readonly req: GuestRequest;
  readonly what: string;
  readonly g: number;
  readonly n: number;
  readonly result: Promise<ExecutedRun>;
  readonly emHash: string;
  readonly emLossRaw: bigint;
  readonly emulatorMs: number;
}

export async function train(img: MnistImage, plan: TrainPlan, trainSet: MnistSet, testSet: MnistSet, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const progress = hooks.progress ?? SILENT;
  const runGuest = hooks.runGuest ?? runMnistGuest;
  const exec: RunExecutor = hooks.executor ?? (async (req) => {
    const t = now();
    const r = runGuest(img, req, plan.engine);
    return { ...r, ms: now() - t };
  });
  const cfg = plan.config;
  const N = trainSet.images.count;
  const spec = { layers: cfg.layers, batch: cfg.batch, lrRaw: cfg.lrRaw, seed: cfg.seed, samples: N };
  const fixed = new FixedTrainer(spec, trainSet);
  const float = plan.float ? new FloatTrainer({ ...spec, lr: cfg.lr }, trainSet) : undefined;
  const bpe = fixed.batchesPerEpoch;
  const perEpoch = plan.samplesPerEpoch / cfg.batch;
  const total = plan.epochs * plan.samplesPerEpoch;
  const window = Math.max(1, plan.workers);
  const runs: RunRecord[] = [];
  const epochs: EpochResult[] = [];
  // The chain starts at the seed's initial weights; anyone can recompute this hash from the seed.
  let prevHash = toHex(paramsHash(initParams(cfg.layers, cfg.seed)));
  let first = true;
  let done = 0;
  let trainCyclesAll: number | null = 0;
  let submitted = 0;

  for (let e = 0; e < plan.epochs; e++) {
    let lossWeighted = 0;
    let floatLoss = 0;
    let cycles: number | null = 0;
    let trainMs = 0;
    let guestMsAll = 0;
    let floatMs = 0;
    const t0Epoch = now();
    const g0 = e * bpe;
    const queue: InFlight[] = [];

    // Checks a finished run strictly in chain order and records it.
    const settle = async (f: InFlight): Promise<void> => {
      const r = await f.result;
      const j = r.journal as TrainJournal;
      checkHeader(j, f.req, f.what);
      check(j.startHash === prevHash, "ChainBroken", () => `${f.what}: journal start hash ${j.startHash} is not the previous end hash ${prevHash}`);
      check(f.emHash === j.endHash && f.emLossRaw === j.meanLossRaw && j.samplesTrained === f.n * cfg.batch, "WeightHashMismatch",
        () => `${f.what}: the emulator's weights hash to ${f.emHash}, the guest committed ${j.endHash}`);
      guestMsAll += r.ms;
      const meanLoss = Number(j.meanLossRaw) / 65536;
      runs.push({
        kind: "train", run: f.run, epoch: e + 1, startBatch: f.g, endBatch: f.g + f.n, samples: f.n * cfg.batch,
        startHash: j.startHash, endHash: j.endHash, weightsFromSeed: j.weightsFromSeed, meanLoss,
        meanLossRaw: j.meanLossRaw.toString(), cycles: r.cycles,
        guestMs: Math.round(r.ms), emulatorMs: Math.round(f.emulatorMs), journal: hex(r.journalBytes),
        ...(r.receipt !== undefined ? { receipt: r.receipt } : {}),
      });
      lossWeighted += meanLoss * f.n * cfg.batch;
      cycles = cycles === null || r.cycles === null ? null : cycles + r.cycles;
      prevHash = j.endHash;
      done += f.n * cfg.batch;
      progress.trained(done, total);
    };

    try {
      for (let g = g0; g < g0 + perEpoch; g += plan.batchesPerRun) {
        const n = Math.min(plan.batchesPerRun, g0 + perEpoch - g);
        const req: GuestRequest = {
          mode: "train", ...spec, startBatch: g, numBatches: n,
          // At most the first run initialises in the guest (≈ 17 M cycles for exp1); later runs get the weights
          // (and so does the first with plan.initInGuest false: fixed.params starts at the seed's initial weights).
          ...(first && plan.initInGuest ? {} : { params: Int32Array.from(fixed.params) }),
        };
        const run = submitted++;
        const what = `run ${run} (batches ${g}..${g + n - 1})`;
        const result = exec(req, trainLabel(run));
        result.catch(() => undefined); // consumed by settle(); never an unhandled rejection meanwhile
        // The host advances its exact emulator over the same batches: the next run's input weights.
        const te = now();
        const em = fixed.trainBatches(g, n);
        const emHash = toHex(paramsHash(fixed.params));
        const emulatorMs = now() - te;
        first = false;
        if (float !== undefined) {
          const tf = now();
          floatLoss += float.trainBatches(g, n) * n * cfg.batch;
          floatMs += now() - tf;
        }
        queue.push({ run, req, what, g, n, result, emHash, emLossRaw: BigInt(em.meanLossRaw), emulatorMs });
        if (queue.length >= window) await settle(queue.shift()!);
      }
      while (queue.length > 0) await settle(queue.shift()!);
    } finally {
      // On a failure, let runs still in flight finish quietly (their results are dropped).
      await Promise.allSettled(queue.map((f) => f.result));
    }
    trainMs = now() - t0Epoch - floatMs;

    progress.phase(`epoch ${e + 1}: evaluating ${plan.evalSamples} test images in the guest`);
    const evalReq: GuestRequest = {
      mode: "eval", layers: cfg.layers, batch: 0, lrRaw: 0, seed: 0, samples: plan.evalSamples,
      startBatch: 0, numBatches: 0, params: Int32Array.from(fixed.params),
    };
    const t1 = now();
    const er = await exec(evalReq, evalLabel(e + 1));
    const ej = er.journal as EvalJournal;
    checkHeader(ej, evalReq, `evaluation after epoch ${e + 1}`);
    check(ej.evaluated === plan.evalSamples && ej.correct <= ej.evaluated, "JournalMismatch",
      () => `evaluation after epoch ${e + 1}: ${ej.correct} of ${ej.evaluated} evaluated, ${plan.evalSamples} requested`);
    check(ej.startHash === prevHash, "ChainBroken", () => `evaluation after epoch ${e + 1}: evaluated model ${ej.startHash} is not the trained one ${prevHash}`);
    const evalMs = now() - t1;
    runs.push({
      kind: "eval", epoch: e + 1, modelHash: ej.startHash, correct: ej.correct, evaluated: ej.evaluated, cycles: er.cycles, ms: Math.round(evalMs),
      journal: hex(er.journalBytes), ...(er.receipt !== undefined ? { receipt: er.receipt } : {}),
    });

    let floatAcc: number | null = null;
    if (float !== undefined) {
      progress.phase(`epoch ${e + 1}: float64 reference evaluation`);
      const tf = now();
      floatAcc = (100 * evaluateFloat(cfg.layers, float.params, testSet, plan.evalSamples)) / plan.evalSamples;
      floatMs += now() - tf;
    }
    trainCyclesAll = trainCyclesAll === null || cycles === null ? null : trainCyclesAll + cycles;
    epochs.push({
      epoch: e + 1, samples: plan.samplesPerEpoch,
      trainLoss: lossWeighted / plan.samplesPerEpoch,
      testAccuracy: (100 * ej.correct) / ej.evaluated,
      floatTrainLoss: float !== undefined ? floatLoss / plan.samplesPerEpoch : null,
      floatTestAccuracy: floatAcc,
      trainCycles: cycles, evalCycles: er.cycles,
      trainSeconds: trainMs / 1000, guestSeconds: guestMsAll / 1000, evalSeconds: evalMs / 1000, floatSeconds: floatMs / 1000,
      modelHash: prevHash,
    });
    const samplesTrained = (e + 1) * plan.samplesPerEpoch;
    const soFar: TrainOutcome = {
      plan: { ...plan, epochs: e + 1 }, imageId: img.imageId, datasetSamples: N, epochs: [...epochs], runs: [...runs],
      finalParams: Int32Array.from(fixed.params), modelHash: prevHash, samplesTrained,
      cyclesPerSample: trainCyclesAll === null ? null : trainCyclesAll / samplesTrained,
    };
    if (e + 1 === plan.epochs) return soFar;
    hooks.onEpoch?.(soFar);
  }
  throw new RangeError("unreachable: a plan has at least one epoch");
}
