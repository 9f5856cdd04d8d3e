// `zkvm verify-training <dir> --image-id <hex>`: checks a run directory written by `zkvm train --prove`
// from its receipts alone (receipts/*.receipt), against the claims of run.json and the model file.
// journals.jsonl and report.md are never read: the receipts are the evidence, run.json the claim.
//
// Checks, first failure wins (each a typed kind):
//   1. run.json readable, with the claims used below; receipts/ holds at least one receipt   RunDirInvalid
//   2. every receipt verifies against the pinned image ID (vm/api.ts verify)   DevReceipt (a dev receipt
//      without allowDev) | ReceiptInvalid (any other verifier kind: ImageIdMismatch, Malformed, …, in
//      `receiptError`); its guest exited 0 (ReceiptInvalid); its journal decodes (JournalInvalid)
//   3. every journal's hyper-parameters are run.json's: layers, batch, learning rate, seed, dataset size N
//      (evaluation journals: layers and the number of test images)                      HyperParamMismatch
//   4. no two training receipts claim overlapping batch ranges                           CoverageMismatch
//   5. in batch order, the first run starts from the seed's weights (start hash = paramsHash(initParams(
//      layers, seed)), recomputed here; the guest initialised them (weightsSource 0, dev and execute mode)
//      or was given them (STARK mode: hashed by the guest like any given weights)) and every later run
//      starts where the previous ended                                                   ChainBroken
//   6. the ranges cover exactly what run.json claims: epochs × the first samplesPerEpoch/B batches of
//      each epoch (epoch e = global batches [e·⌊N/B⌋, e·⌊N/B⌋ + samplesPerEpoch/B)), runs never crossing
//      an epoch boundary; samples trained = batches × B                                 CoverageMismatch
//   7. evaluation receipts (if any): one per epoch, each evaluating that epoch's final weights, with the
//      accuracy run.json reports                                                        EvalMismatch
//   8. model.bin has the layers' size and SHA-256 = the last run's end hash = run.json's modelHash
//                                                                                        ModelHashMismatch

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { verify } from "../../vm/api.ts";
import { paramCount } from "../mnist/config.ts";
import { decodeJournal, type EvalJournal, type MnistJournal, type TrainJournal } from "../mnist/guest-io.ts";
import { initParams, paramsFromBytes, paramsHash, toHex } from "../mnist/model.ts";
import { RECEIPTS_DIR } from "./receipts.ts";
import { RUN_FILES } from "./run-dir.ts";

export const VERIFY_TRAINING_KINDS = [
  "RunDirInvalid", "ReceiptInvalid", "DevReceipt", "JournalInvalid", "HyperParamMismatch", "ChainBroken",
  "CoverageMismatch", "EvalMismatch", "ModelHashMismatch",
] as const;
export type VerifyTrainingKind = (typeof VERIFY_TRAINING_KINDS)[number];

export class TrainingVerifyError extends Error {
  constructor(
    readonly kind: VerifyTrainingKind,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "TrainingVerifyError";
  }
  toJSON(): Record<string, unknown> {
    return { kind: this.kind, message: this.message, ...this.extra };
  }
}

/** What a valid run directory proves (or, with dev receipts, merely records). */
export interface VerifiedTraining {
  readonly valid: true;
  readonly dir: string;
  readonly imageId: string;
  /** True if any receipt is a dev receipt: NOTHING is proven, only the statements are consistent. */
  readonly dev: boolean;
  readonly config: string | null;
  readonly layers: number[];
  readonly batch: number;
  readonly lrRaw: number;
  readonly seed: number;
  readonly datasetSamples: number;
  readonly epochs: number;
  readonly samplesPerEpoch: number;
  readonly trainReceipts: number;
  readonly evalReceipts: number;
  readonly batches: number;
  readonly samplesTrained: number;
  readonly initHash: string;
  readonly modelHash: string;
  /** Per epoch, from the evaluation receipts (percent); empty without them. */
  readonly testAccuracy: number[];
  /** Sum of the receipts' cycle counts. */
  readonly cycles: number;
  readonly verifyMs: number;
}

export interface VerifiedTrainingWithModel extends VerifiedTraining {
  /** The model file's parameters (Q16.16 raw), whose hash is the chain's end. */
  readonly params: Int32Array;
}

interface Claims {
  readonly config: string | null;
  readonly layers: number[];
  readonly batch: number;
  readonly lrRaw: number;
  readonly seed: number;
  readonly datasetSamples: number | null;
  readonly epochs: number;
  readonly samplesPerEpoch: number;
  readonly evalSamples: number;
  readonly modelHash: string;
  readonly testAccuracy: (number | null)[];
}

const fail = (kind: VerifyTrainingKind, message: string, extra: Record<string, unknown> = {}): never => {
  throw new TrainingVerifyError(kind, message, extra);
};
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

function readClaims(dir: string): Claims {
  const path = join(dir, RUN_FILES.run);
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (e) {
    return fail("RunDirInvalid", `${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (not a zkvm train run directory?)" : (e as Error).message}`);
  }
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const config = obj(j.config);
  const plan = obj(j.plan);
  const layers = config.layers;
  const c = {
    config: typeof config.name === "string" ? config.name : null,
    layers: Array.isArray(layers) && layers.every(isInt) ? (layers as number[]) : null,
    batch: config.batch, lrRaw: config.lrRaw, seed: config.seed,
    datasetSamples: j.datasetSamples === undefined ? null : j.datasetSamples,
    epochs: plan.epochs, samplesPerEpoch: plan.samplesPerEpoch, evalSamples: plan.evalSamples,
    modelHash: j.modelHash,
    testAccuracy: Array.isArray(j.epochs) ? (j.epochs as unknown[]).map((e) => (typeof obj(e).testAccuracy === "number" ? (obj(e).testAccuracy as number) : null)) : [],
  };
  const bad = (what: string): never => fail("RunDirInvalid", `${path}: missing or invalid ${what}`);
  if (c.layers === null || c.layers.length < 2) bad("config.layers");
  for (const k of ["batch", "lrRaw", "seed", "epochs", "samplesPerEpoch", "evalSamples"] as const) if (!isInt(c[k]) || (c[k] as number) < 0) bad(k);
  if (c.datasetSamples !== null && !isInt(c.datasetSamples)) bad("datasetSamples");
  if (typeof c.modelHash !== "string" || !/^[0-9a-f]{64}$/.test(c.modelHash)) bad("modelHash");
  if ((c.batch as number) < 1 || (c.epochs as number) < 1) bad("batch / epochs");
  return c as Claims;
}

interface ReceiptJournal {
  readonly file: string;
  readonly journal: MnistJournal;
  readonly dev: boolean;
  readonly cycles: number;
}

/** Verifies every receipt of receipts/ against the image ID and decodes its journal. */
function readReceipts(dir: string, imageId: string, allowDev: boolean): ReceiptJournal[] {
  const rdir = join(dir, RECEIPTS_DIR);
  let names: string[];
  try {
    names = readdirSync(rdir).filter((n) => n.endsWith(".receipt")).sort();
  } catch {
    return fail("RunDirInvalid", `${rdir}: no receipts directory (was the run trained with --prove?)`);
  }
  if (names.length === 0) fail("RunDirInvalid", `${rdir}: no receipts`);
  return names.map((name) => {
    const file = `${RECEIPTS_DIR}/${name}`;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(join(dir, file)));
    } catch (e) {
      return fail("RunDirInvalid", `${file}: ${(e as Error).message}`, { file });
    }
    const v = verify(bytes, imageId, { allowDev });
    if (!v.valid) {
      if (v.error.kind === "DevReceipt") fail("DevReceipt", `${file} is a dev receipt (no proof); pass --allow-dev to check the chain of dev receipts anyway`, { file });
      fail("ReceiptInvalid", `${file}: [${v.error.kind}] ${v.error.message}`, { file, receiptError: v.error.kind });
    }
    const ok = v as Extract<typeof v, { valid: true }>;
    if (ok.exitCode !== 0) fail("ReceiptInvalid", `${file}: the guest exited with code ${ok.exitCode}`, { file });
    let journal: MnistJournal;
    try {
      journal = decodeJournal(ok.journal);
    } catch (e) {
      return fail("JournalInvalid", `${file}: ${(e as Error).message}`, { file });
    }
    return { file, journal, dev: ok.dev, cycles: ok.cycles };
  });
}

const sameLayers = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function verifyTrainingDir(dir: string, imageId: string, opts: { allowDev?: boolean } = {}): VerifiedTrainingWithModel {
  const t0 = performance.now();
  const c = readClaims(dir);
  const rs = readReceipts(dir, imageId, opts.allowDev === true);
  const trains = rs.filter((r): r is ReceiptJournal & { journal: TrainJournal } => r.journal.mode === "train");
  const evals = rs.filter((r): r is ReceiptJournal & { journal: EvalJournal } => r.journal.mode === "eval");
  if (trains.length === 0) fail("CoverageMismatch", "no training receipts");

  // 3. hyper-parameters: every receipt's are the claimed ones (hence they agree across receipts)
  const N = c.datasetSamples ?? trains[0]!.journal.samples;
  for (const { file, journal: j } of trains) {
    const diffs: string[] = [];
    if (!sameLayers(j.layers, c.layers)) diffs.push(`layers [${j.layers}] ≠ [${c.layers}]`);
    if (j.batch !== c.batch) diffs.push(`batch ${j.batch} ≠ ${c.batch}`);
    if (j.lrRaw !== c.lrRaw) diffs.push(`learning rate raw ${j.lrRaw} ≠ ${c.lrRaw}`);
    if (j.seed !== c.seed >>> 0) diffs.push(`seed ${j.seed} ≠ ${c.seed}`);
    if (j.samples !== N) diffs.push(`dataset size ${j.samples} ≠ ${N}`);
    if (diffs.length > 0) fail("HyperParamMismatch", `${file}: ${diffs.join(", ")} (run.json)`, { file });
  }
  for (const { file, journal: j } of evals) {
    if (!sameLayers(j.layers, c.layers) || j.samples !== c.evalSamples || j.batch !== 0 || j.lrRaw !== 0 || j.seed !== 0 || j.startBatch !== 0 || j.numBatches !== 0) {
      fail("HyperParamMismatch", `${file}: evaluation of layers [${j.layers}] on ${j.samples} test images; run.json: [${c.layers}] on ${c.evalSamples}`, { file });
    }
  }

  // 4. overlaps (a receipt of other batches swapped in, or one receipt twice)
  const sorted = [...trains].sort((a, b) => a.journal.startBatch - b.journal.startBatch || (a.file < b.file ? -1 : 1));
  for (let i = 0; i < sorted.length; i++) {
    const j = sorted[i]!.journal;
    if (j.numBatches < 1 || j.samplesTrained !== j.numBatches * j.batch) {
      fail("CoverageMismatch", `${sorted[i]!.file}: ${j.numBatches} batches, ${j.samplesTrained} samples trained`, { file: sorted[i]!.file });
    }
    const prev = sorted[i - 1];
    if (prev !== undefined && j.startBatch < prev.journal.startBatch + prev.journal.numBatches) {
      fail("CoverageMismatch", `${prev.file} (batches ${prev.journal.startBatch}..${prev.journal.startBatch + prev.journal.numBatches - 1}) and ${sorted[i]!.file} ` +
        `(batches ${j.startBatch}..${j.startBatch + j.numBatches - 1}) overlap`, { file: sorted[i]!.file });
    }
  }

  // 5. the chain of weight hashes, in batch order
  const initHash = toHex(paramsHash(initParams(c.layers, c.seed)));
  let hash = initHash;
  sorted.forEach(({ file, journal: j }, i) => {
    // The first run may have been given its weights (weightsSource 1) instead of initialising them: the guest's
    // start hash is the SHA-256 of the weights it trains from either way, so the start hash below pins them to
    // the seed's initialisation, which this check recomputes; the given weights cannot be anything else.
    if (j.startHash !== hash) {
      fail("ChainBroken", `${file} (batches ${j.startBatch}..${j.startBatch + j.numBatches - 1}) starts from weights ${j.startHash}, ` +
        `${i === 0 ? "not the seed's initial weights" : `not where ${sorted[i - 1]!.file} ended`} ${hash}`, { file });
    }
    hash = j.endHash;
  });

  // 6. coverage: exactly the claimed batches of each epoch
  const B = c.batch;
  const bpe = Math.floor(N / B);
  const perEpoch = c.samplesPerEpoch / B;
  if (!Number.isInteger(perEpoch) || perEpoch < 1 || perEpoch > bpe) fail("CoverageMismatch", `run.json claims ${c.samplesPerEpoch} samples per epoch, not a whole number of batches in 1..${bpe}`);
  const epochEnd: string[] = [];
  let k = 0;
  for (let e = 0; e < c.epochs; e++) {
    let cursor = e * bpe;
    const end = e * bpe + perEpoch;
    while (cursor < end) {
      const r = sorted[k];
      if (r === undefined || r.journal.startBatch !== cursor || cursor + r.journal.numBatches > end) {
        fail("CoverageMismatch", `epoch ${e + 1} should train global batches ${e * bpe}..${end - 1}; ` +
          (r === undefined ? `no receipt covers batch ${cursor}` : `${r.file} covers ${r.journal.startBatch}..${r.journal.startBatch + r.journal.numBatches - 1}`), r === undefined ? {} : { file: r.file });
      }
      cursor += r!.journal.numBatches;
      k++;
    }
    epochEnd.push(sorted[k - 1]!.journal.endHash);
  }
  if (k !== sorted.length) fail("CoverageMismatch", `${sorted.length - k} training receipt(s) beyond the ${c.epochs} claimed epoch(s), from ${sorted[k]!.file}`, { file: sorted[k]!.file });

  // 7. evaluation receipts: one per epoch, on that epoch's weights, with the reported accuracy
  const testAccuracy: number[] = [];
  if (evals.length > 0) {
    if (evals.length !== c.epochs) fail("EvalMismatch", `${evals.length} evaluation receipts for ${c.epochs} epochs`);
    for (let e = 0; e < c.epochs; e++) {
      const hits = evals.filter((r) => r.journal.startHash === epochEnd[e]);
      if (hits.length !== 1) fail("EvalMismatch", `${hits.length} evaluation receipts evaluate the weights after epoch ${e + 1} (${epochEnd[e]})`);
      const j = hits[0]!.journal;
      if (j.evaluated !== c.evalSamples || j.correct > j.evaluated) fail("EvalMismatch", `${hits[0]!.file}: ${j.correct} of ${j.evaluated} correct, ${c.evalSamples} test images claimed`, { file: hits[0]!.file });
      const acc = (100 * j.correct) / j.evaluated;
      if (c.testAccuracy[e] !== acc) fail("EvalMismatch", `${hits[0]!.file}: test accuracy ${acc} % after epoch ${e + 1}, run.json reports ${c.testAccuracy[e] ?? "none"}`, { file: hits[0]!.file });
      testAccuracy.push(acc);
    }
  }

  // 8. the model file is the chain's end
  const modelPath = join(dir, RUN_FILES.model);
  let model: Uint8Array;
  try {
    model = new Uint8Array(readFileSync(modelPath));
  } catch (e) {
    return fail("ModelHashMismatch", `${modelPath}: ${(e as Error).message}`);
  }
  const np = paramCount(c.layers);
  if (model.length !== 4 * np) fail("ModelHashMismatch", `${modelPath} has ${model.length} bytes; layers [${c.layers}] need ${4 * np}`);
  const modelHash = createHash("sha256").update(model).digest("hex");
  if (modelHash !== hash) fail("ModelHashMismatch", `${modelPath} hashes to ${modelHash}; the receipts' chain ends at ${hash}`);
  if (c.modelHash !== hash) fail("ModelHashMismatch", `run.json claims model hash ${c.modelHash}; the receipts' chain ends at ${hash}`);
  const params = paramsFromBytes(model);

  return {
    valid: true, dir, imageId, dev: rs.some((r) => r.dev), config: c.config, layers: c.layers, batch: c.batch, lrRaw: c.lrRaw, seed: c.seed,
    datasetSamples: N, epochs: c.epochs, samplesPerEpoch: c.samplesPerEpoch, trainReceipts: trains.length, evalReceipts: evals.length,
    batches: c.epochs * perEpoch, samplesTrained: c.epochs * c.samplesPerEpoch, initHash, modelHash, testAccuracy,
    cycles: rs.reduce((a, r) => a + r.cycles, 0), verifyMs: Math.round(performance.now() - t0), params,
  };
}
