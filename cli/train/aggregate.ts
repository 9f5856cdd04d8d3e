// `zkvm aggregate <run-dir>... -o <model>` (paper §5.5): model averaging of independently trained runs.
// Every run directory must pass `verify-training` (cli/train/verify-training.ts); the runs must have the
// same architecture and be distinct shards (below); the output is the element-wise mean of their
// parameters in Q16.16, in the layout of model.bin.
//
// Rounding: out_i = ⌊(2·Σ_r p_r,i + k) / (2k)⌋ for k runs, i.e. the integer mean rounded to nearest with
// ties toward +∞ (exactly the recipe's R(a, s) = (a + 2^(s−1)) >> s when k is a power of two; ties occur
// only for even k). Computed exactly (BigInt); the mean of i32 values is an i32.
//
// "Disjoint shards": the training guest has no parameter that selects a subset of the training images —
// every run trains on the first N images, in a seed-keyed order. Two runs with the same seed and the same
// hyper-parameters train the very same batches from the same initial weights (verify-training requires
// every run to start at batch 0 from its seed's initialisation), so aggregate requires pairwise DIFFERENT
// SEEDS (else ShardOverlap). That makes the runs independent (different initial weights and sample orders)
// but NOT disjoint in data: the runs see the same images. Disjoint data would need a data-offset field in
// the guest input; that is not enforced because it does not exist.

import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paramsToBytes } from "../mnist/model.ts";
import { RUN_FILES } from "./run-dir.ts";
import { TrainingVerifyError, verifyTrainingDir, type VerifiedTrainingWithModel } from "./verify-training.ts";

export type AggregateErrorKind = "ArchitectureMismatch" | "ShardOverlap" | "ImageIdMismatch" | "OutputError";

export class AggregateError extends Error {
  constructor(
    readonly kind: AggregateErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "AggregateError";
  }
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export const ROUNDING = "nearest, ties toward +infinity: floor((2*sum + k) / (2k))";

/** floor(a / b) for b > 0 (BigInt division truncates toward zero). */
const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

/** The element-wise mean of k ≥ 1 equally long parameter vectors, rounded as documented above. */
export function averageParams(models: readonly Int32Array[]): Int32Array {
  if (models.length === 0) throw new RangeError("averageParams: no models");
  const n = models[0]!.length;
  if (models.some((m) => m.length !== n)) throw new RangeError("averageParams: models of different sizes");
  const k = BigInt(models.length);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0n;
    for (const m of models) sum += BigInt(m[i]!);
    out[i] = Number(floorDiv(2n * sum + k, 2n * k));
  }
  return out;
}

export interface AggregateResult {
  readonly out: string;
  readonly modelHash: string;
  readonly params: number;
  readonly layers: number[];
  readonly imageId: string;
  /** True if any input run has dev receipts: then NOTHING about the inputs is proven. */
  readonly dev: boolean;
  readonly rounding: string;
  readonly runs: { dir: string; seed: number; modelHash: string; receipts: number; dev: boolean; testAccuracy: number | null }[];
}

/**
 * Without --image-id: the image ID the run directories' run.json name, which must all agree. This pins
 * nothing (run.json is the prover's claim); a verifier should pass the image ID it trusts.
 */
export function unpinnedImageId(dirs: readonly string[]): string {
  let id: string | undefined;
  for (const dir of dirs) {
    let got: unknown;
    try {
      got = (JSON.parse(readFileSync(join(dir, RUN_FILES.run), "utf8")) as { image?: { id?: unknown } }).image?.id;
    } catch (e) {
      throw new TrainingVerifyError("RunDirInvalid", `${dir}: cannot read ${RUN_FILES.run}: ${(e as Error).message}`, { dir });
    }
    if (typeof got !== "string" || !/^[0-9a-f]{64}$/.test(got)) throw new TrainingVerifyError("RunDirInvalid", `${dir}: ${RUN_FILES.run} names no image ID`, { dir });
    if (id !== undefined && got !== id) throw new AggregateError("ImageIdMismatch", `${dir} was trained with image ${got}, ${dirs[0]} with ${id}`);
    id = got;
  }
  return id!;
}

/** Verifies every run (TrainingVerifyError with the failing run's `dir`), checks them, writes the mean. */
export function aggregateRuns(dirs: readonly string[], imageId: string, out: string, opts: { allowDev?: boolean } = {}): AggregateResult {
  const runs: VerifiedTrainingWithModel[] = dirs.map((dir) => {
    try {
      return verifyTrainingDir(dir, imageId, opts);
    } catch (e) {
      if (e instanceof TrainingVerifyError) throw new TrainingVerifyError(e.kind, `${dir}: ${e.message}`, { ...e.extra, dir });
      throw e;
    }
  });
  const a = runs[0]!;
  for (const r of runs.slice(1)) {
    if (r.layers.length !== a.layers.length || r.layers.some((w, i) => w !== a.layers[i])) {
      throw new AggregateError("ArchitectureMismatch", `${r.dir} has layers [${r.layers}], ${a.dir} has [${a.layers}]`);
    }
  }
  const bySeed = new Map<number, string>();
  for (const r of runs) {
    const other = bySeed.get(r.seed);
    if (other !== undefined) {
      throw new AggregateError("ShardOverlap", `${other} and ${r.dir} both use seed ${r.seed}: they start from the same initial weights and train the same batches in the same order as far as both go (shards must differ in seed)`);
    }
    bySeed.set(r.seed, r.dir);
  }
  const mean = averageParams(runs.map((r) => r.params));
  const bytes = paramsToBytes(mean);
  try {
    writeFileSync(out, bytes);
  } catch (e) {
    throw new AggregateError("OutputError", `cannot write ${out}: ${(e as Error).message}`);
  }
  return {
    out, modelHash: createHash("sha256").update(bytes).digest("hex"), params: mean.length, layers: a.layers, imageId,
    dev: runs.some((r) => r.dev), rounding: ROUNDING,
    runs: runs.map((r) => ({
      dir: r.dir, seed: r.seed, modelHash: r.modelHash, receipts: r.trainReceipts + r.evalReceipts, dev: r.dev,
      testAccuracy: r.testAccuracy.length > 0 ? r.testAccuracy[r.testAccuracy.length - 1]! : null,
    })),
  };
}
