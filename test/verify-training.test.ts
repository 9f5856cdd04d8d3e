// Receipts of training (issue 7): `zkvm train --prove --dev`, `zkvm verify-training`, `zkvm aggregate`.
// Small exp1 runs (2 epochs × 128 samples, 1 batch per receipt, 100 test images) with dev receipts: they
// take seconds where STARK receipts take minutes per run (test/train-stark.test.ts proves one tiny run), and
// the chain checks read only the receipts' statements, the same in both kinds. Each tampering of a run
// directory must be refused with its own typed kind, by verify-training and by aggregate.

import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner, noStack, oneJson, type Run } from "./cli-runner.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { encodeInput } from "../cli/mnist/guest-io.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { initParams, paramsFromBytes } from "../cli/mnist/model.ts";
import { aggregateRuns, averageParams } from "../cli/train/aggregate.ts";
import { cachedMnistImage, type CachedImage } from "../cli/train/image-cache.ts";
import { makePlan, train } from "../cli/train/orchestrate.ts";
import { checkProvable, makeRunProver } from "../cli/train/receipts.ts";
import { writeRunDir } from "../cli/train/run-dir.ts";
import { TrainingVerifyError, verifyTrainingDir } from "../cli/train/verify-training.ts";
import { prove } from "../vm/api.ts";
import { imageIdFromParts } from "../vm/image/image-id.ts";
import { decodeReceipt, encodeReceipt } from "../vm/receipt/format.ts";

const tmp = mkdtempSync(join(tmpdir(), "zkvm-vtrain-"));
const cache = join(tmp, "cache");
const trainSet = loadMnist("train");
const testSet = loadMnist("test");
let img: CachedImage;
const zkvm = cliRunner(tmp);

const A = join(tmp, "run-a"); // seed 0, one prover
const B = join(tmp, "run-b"); // seed 1, two prover threads
const C = join(tmp, "run-c"); // seed 2, --batch 2 instead of the config's 64
const small = ["--config", "exp1", "--samples", "128", "--eval-samples", "100", "--epochs", "2", "--batches-per-run", "1", "--no-float", "--cache-dir", cache];
let outA: Record<string, unknown>;
let outB: Record<string, unknown>;
let outC: Record<string, unknown>;
let tooLong: Run;

// Each variant is a copy of run A with one thing changed, and the kind it must be refused with.
const cases: [string, string, (dir: string) => void | Promise<void>][] = [
  ["a receipt of other batches swapped in", "CoverageMismatch", (d) => cpSync(receipt(d, "train-000002"), receipt(d, "train-000001"))],
  ["a tampered model file", "ModelHashMismatch", (d) => {
    const m = readFileSync(join(d, "model.bin"));
    m[1000] ^= 1;
    writeFileSync(join(d, "model.bin"), m);
  }],
  ["a middle receipt deleted", "ChainBroken", (d) => rmSync(receipt(d, "train-000001"))],
  ["the last training receipt deleted", "CoverageMismatch", (d) => rmSync(receipt(d, "train-000003"))],
  ["a receipt under another image ID (its image's memory differs)", "ReceiptInvalid", (d) => {
    const r = decodeReceipt(new Uint8Array(readFileSync(receipt(d, "train-000002"))));
    const memoryRoot = Uint8Array.from(r.image.memoryRoot);
    memoryRoot[0] ^= 1;
    const other = imageIdFromParts(r.image.code, memoryRoot, r.image.configBytes).imageId;
    const statement = { ...r.statement, imageId: Uint8Array.from(Buffer.from(other, "hex")) };
    writeFileSync(receipt(d, "train-000002"), encodeReceipt({ ...r, statement, image: { ...r.image, memoryRoot } }));
  }],
  ["a truncated receipt", "ReceiptInvalid", (d) => {
    const b = readFileSync(receipt(d, "eval-0002"));
    writeFileSync(receipt(d, "eval-0002"), b.subarray(0, b.length - 7));
  }],
  ["a receipt of the same batches from other weights (another chain)", "ChainBroken", async (d) => {
    // batch 1 of the same config and seed, but started from other weights
    const req = { mode: "train" as const, layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 0, samples: 60000, startBatch: 1, numBatches: 1, params: initParams([784, 64, 10], 99) };
    const p = await prove(img.image.program, encodeInput(req), { dev: true, maxCycles: 2 ** 27 - 1 });
    writeFileSync(receipt(d, "train-000001"), p.receipt);
  }],
  ["a first receipt given weights other than the seed's (those of seed 99)", "ChainBroken", async (d) => {
    const req = { mode: "train" as const, layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 0, samples: 60000, startBatch: 0, numBatches: 1, params: initParams([784, 64, 10], 99) };
    const p = await prove(img.image.program, encodeInput(req), { dev: true, maxCycles: 2 ** 27 - 1 });
    writeFileSync(receipt(d, "train-000000"), p.receipt);
  }],
  ["a receipt of another seed", "HyperParamMismatch", (d) => cpSync(receipt(B, "train-000001"), receipt(d, "train-000001"))],
  ["run.json claiming another batch size", "HyperParamMismatch", (d) => {
    const run = JSON.parse(readFileSync(join(d, "run.json"), "utf8")) as { config: { batch: number } };
    run.config.batch = 32;
    writeFileSync(join(d, "run.json"), JSON.stringify(run));
  }],
  ["an evaluation receipt of another run", "EvalMismatch", (d) => cpSync(receipt(B, "eval-0001"), receipt(d, "eval-0001"))],
];
const dirs = new Map<string, string>();

/** The library check's error kind for a directory (or "valid"). */
const kindOf = (dir: string, id: string = img.imageId, allowDev = true): string => {
  try {
    verifyTrainingDir(dir, id, { allowDev });
    return "valid";
  } catch (e) {
    if (!(e instanceof TrainingVerifyError)) throw e;
    return e.kind;
  }
};
const variant = (name: string, change: (dir: string) => void, from = A): string => {
  const dir = join(tmp, name);
  cpSync(from, dir, { recursive: true });
  change(dir);
  return dir;
};
const receipt = (dir: string, label: string): string => join(dir, "receipts", `${label}.receipt`);

beforeAll(async () => {
  img = await cachedMnistImage(packSegments(trainSet, testSet), cache);
  const [a, b, c, l] = await Promise.all([
    zkvm(["train", ...small, "--prove", "--dev", "-o", A, "--json"]),
    zkvm(["train", ...small, "--seed", "1", "--prove", "--dev", "--workers", "2", "-o", B, "--json"]),
    // 2 batches of 2 (the config's learning rate), one per receipt, then 4 test images
    zkvm(["train", "--config", "exp1", "--batch", "2", "--samples", "4", "--batches-per-run", "1", "--eval-samples", "4", "--epochs", "1", "--seed", "2",
      "--no-float", "--cache-dir", cache, "--prove", "--dev", "-o", C, "--json"]),
    zkvm(["train", "--config", "exp1", "--cache-dir", cache, "--prove", "--dev", "-o", join(tmp, "run-long"), "--json"]), // all 10,000 test images
  ]);
  for (const r of [a, b, c]) {
    noStack(r);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }
  outA = oneJson(a);
  outB = oneJson(b);
  outC = oneJson(c);
  tooLong = l;
  let i = 0;
  for (const [name, , change] of cases) {
    const dir = join(tmp, `variant-${i++}`);
    cpSync(A, dir, { recursive: true });
    await change(dir);
    dirs.set(name, dir);
  }
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("zkvm train --prove", () => {
  it("--dev: one dev receipt per guest run, counted and timed in the summary, indexed in journals.jsonl, marked unproven", () => {
    // 2 epochs × 2 batches, 1 per receipt → 4 training receipts, plus one evaluation receipt per epoch
    expect(outA).toMatchObject({ receipts: 6, receiptKind: "dev", imageId: img.imageId });
    expect(outA.proveMs as number).toBeGreaterThan(0);
    expect(outA.verifyMs as number).toBeGreaterThan(0);
    const lines = readFileSync(join(A, "journals.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; receipt?: { receipt: string; dev: boolean } });
    expect(lines.map((l) => l.receipt?.receipt)).toEqual([
      "receipts/train-000000.receipt", "receipts/train-000001.receipt", "receipts/eval-0001.receipt",
      "receipts/train-000002.receipt", "receipts/train-000003.receipt", "receipts/eval-0002.receipt"]);
    expect(lines.every((l) => l.receipt?.dev === true)).toBe(true);
    const run = JSON.parse(readFileSync(join(A, "run.json"), "utf8")) as { receipts: Record<string, unknown>; summary: unknown };
    expect(run.receipts).toMatchObject({ receipts: 6, receiptKind: "dev", unproven: true, dir: "receipts" });
    expect(run.summary).toEqual(outA);
    expect(readFileSync(join(A, "report.md"), "utf8")).toMatch(/DEV receipts — NO PROOF, the runs are UNPROVEN/);
  });
  it("--workers 2 proves in two threads: same chain checks, receipts for every run", () => {
    expect(outB).toMatchObject({ receipts: 6, receiptKind: "dev" });
    expect(outB.modelHash).not.toBe(outA.modelHash); // another seed
  });
  it("--batch 2: the run's batch size in the summary, run.json and report; every journal's batch is 2", () => {
    expect(outC).toMatchObject({ config: "exp1", batch: 2, samples: 4, receipts: 3, receiptKind: "dev" });
    const run = JSON.parse(readFileSync(join(C, "run.json"), "utf8")) as { config: Record<string, unknown>; plan: Record<string, unknown> };
    expect(run.config).toMatchObject({ name: "exp1", batch: 2, lrRaw: 13107, seed: 2 }); // the config's learning rate
    expect(run.plan).toMatchObject({ samplesPerEpoch: 4, evalSamples: 4, prove: "dev", segmentCycles: null, initInGuest: true });
    expect(readFileSync(join(C, "report.md"), "utf8")).toMatch(/batch 2 \(--batch; the config's is 64\), learning rate 0\.2/);
    const lines = readFileSync(join(C, "journals.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string; samples?: number; startBatch?: number });
    expect(lines.filter((l) => l.kind === "train").map((l) => [l.startBatch, l.samples])).toEqual([[0, 2], [1, 2]]);
  });
  it("STARK mode is no longer refused: the training image has no instruction the VM AIR cannot prove", () => {
    expect(() => checkProvable(img, "stark")).not.toThrow();
  });
  it("an evaluation too long for one receipt (2^27 cycles) is refused before training, naming the largest --eval-samples → RunTooLong", () => {
    noStack(tooLong);
    expect(tooLong.status).toBe(1);
    const e = oneJson(tooLong).error as { kind: string; message: string };
    expect(e.kind).toBe("RunTooLong");
    expect(e.message).toMatch(/--eval-samples \d+ or less/);
  });
});

describe("zkvm verify-training", () => {
  it("a dev-receipt run verifies with --allow-dev, and is refused without it (DevReceipt)", async () => {
    const [ok, refused, text] = await Promise.all([
      zkvm(["verify-training", A, "--image-id", img.imageId, "--allow-dev", "--json"]),
      zkvm(["verify-training", A, "--image-id", img.imageId, "--json"]),
      zkvm(["verify-training", B, "--image-id", img.imageId, "--allow-dev"]),
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(oneJson(ok)).toMatchObject({
      valid: true, dev: true, imageId: img.imageId, layers: [784, 64, 10], seed: 0, epochs: 2, samplesPerEpoch: 128,
      trainReceipts: 4, evalReceipts: 2, batches: 4, modelHash: outA.modelHash, testAccuracy: [expect.any(Number), outA.testAccuracy],
    });
    expect(refused.status).toBe(1);
    expect(oneJson(refused)).toMatchObject({ valid: false, error: { kind: "DevReceipt" } });
    expect(text.status).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(/^valid \(DEV receipts: NO proof/);
  });

  it("a --batch 2 run verifies with its batch size; the same run claiming the config's batch 64 → HyperParamMismatch", async () => {
    const r = await zkvm(["verify-training", C, "--image-id", img.imageId, "--allow-dev", "--json"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(oneJson(r)).toMatchObject({ valid: true, dev: true, config: "exp1", batch: 2, lrRaw: 13107, seed: 2, epochs: 1, samplesPerEpoch: 4,
      trainReceipts: 2, evalReceipts: 1, batches: 2, samplesTrained: 4, modelHash: outC.modelHash });
    const claims64 = variant("c-batch-64", (d) => {
      const run = JSON.parse(readFileSync(join(d, "run.json"), "utf8")) as { config: { batch: number }; plan: { samplesPerEpoch: number } };
      run.config.batch = 64;
      run.plan.samplesPerEpoch = 64; // one whole batch of 64, so that only the receipts' batch size disagrees
      writeFileSync(join(d, "run.json"), JSON.stringify(run));
    }, C);
    const t = await zkvm(["verify-training", claims64, "--image-id", img.imageId, "--allow-dev", "--json"]);
    expect(t.status).toBe(1);
    expect(oneJson(t)).toMatchObject({ valid: false, error: { kind: "HyperParamMismatch", message: expect.stringMatching(/batch 2 ≠ 64/) } });
  });

  it("a first receipt given the seed's initial weights (as STARK mode does) instead of initialising them verifies", async () => {
    const dir = join(tmp, "given-init");
    cpSync(A, dir, { recursive: true });
    const req = { mode: "train" as const, layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 0, samples: 60000, startBatch: 0, numBatches: 1, params: initParams([784, 64, 10], 0) };
    const p = await prove(img.image.program, encodeInput(req), { dev: true, maxCycles: 2 ** 27 - 1 });
    writeFileSync(receipt(dir, "train-000000"), p.receipt);
    expect(readFileSync(receipt(dir, "train-000000"))).not.toEqual(readFileSync(receipt(A, "train-000000"))); // weightsSource 1, fewer cycles
    expect(kindOf(dir)).toBe("valid");
  });

  it.each(cases)("%s → %s (library)", (name, kind) => {
    expect(kindOf(dirs.get(name)!)).toBe(kind);
  });

  it("the CLI reports each with its kind, status 1, one JSON object (and the receipt's own kind inside ReceiptInvalid)", async () => {
    const runs = await Promise.all(cases.map(([name]) => zkvm(["verify-training", dirs.get(name)!, "--image-id", img.imageId, "--allow-dev", "--json"])));
    runs.forEach((r, i) => {
      noStack(r);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(oneJson(r)).toMatchObject({ valid: false, error: { kind: cases[i]![1] } });
    });
    const byName = (n: string) => (oneJson(runs[cases.findIndex((c) => c[0] === n)]!).error as { receiptError?: string });
    expect(byName("a truncated receipt").receiptError).toBe("Malformed");
    expect(byName("a receipt under another image ID (its image's memory differs)").receiptError).toBe("ImageIdMismatch");
  });

  it("the whole run against another pinned image ID → ReceiptInvalid (ImageIdMismatch); a bad --image-id is a usage error", async () => {
    expect(kindOf(A, "ab".repeat(32))).toBe("ReceiptInvalid");
    const r = await zkvm(["verify-training", A, "--image-id", "xyz", "--json"]);
    expect(r.status).toBe(2);
    expect(oneJson(r)).toMatchObject({ error: { kind: "InvalidArgument" } });
  });

  it("a directory that is not a proven run → RunDirInvalid", () => {
    expect(kindOf(join(tmp, "nowhere"))).toBe("RunDirInvalid");
    expect(kindOf(variant("no-receipts", (d) => rmSync(join(d, "receipts"), { recursive: true })))).toBe("RunDirInvalid");
  });
});

describe("zkvm aggregate", () => {
  /** The element-wise mean, rounded to nearest with ties toward +∞, in plain double arithmetic (exact here). */
  const expectedMean = (ms: Int32Array[]): Int32Array => Int32Array.from(ms[0]!, (_, i) => {
    const sum = ms.reduce((s, m) => s + m[i]!, 0);
    const q = sum / ms.length;
    const f = Math.floor(q);
    return q - f >= 0.5 ? f + 1 : f;
  });

  it("two verified runs of different seeds → the element-wise rounded mean, its SHA-256 printed", async () => {
    const out = join(tmp, "avg.bin");
    const r = await zkvm(["aggregate", A, B, "-o", out, "--image-id", img.imageId, "--allow-dev", "--json"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const o = oneJson(r);
    const bytes = readFileSync(out);
    expect(o).toMatchObject({ params: 50890, layers: [784, 64, 10], dev: true, imagePinned: true, modelHash: createHash("sha256").update(bytes).digest("hex") });
    expect((o.runs as { seed: number }[]).map((x) => x.seed)).toEqual([0, 1]);
    const models = [A, B].map((d) => paramsFromBytes(new Uint8Array(readFileSync(join(d, "model.bin")))));
    const got = paramsFromBytes(new Uint8Array(bytes));
    expect(Array.from(got)).toEqual(Array.from(expectedMean(models)));
    expect(got.some((v, i) => v !== models[0]![i])).toBe(true);
    // without --allow-dev the dev receipts are refused
    const refused = await zkvm(["aggregate", A, B, "-o", join(tmp, "never.bin"), "--image-id", img.imageId, "--json"]);
    expect(refused.status).toBe(1);
    expect(oneJson(refused)).toMatchObject({ error: { kind: "DevReceipt" } });
  });

  it("averages a --batch run like any other; refuses it when run.json claims another batch (HyperParamMismatch)", () => {
    const r = aggregateRuns([C, B], img.imageId, join(tmp, "avg-c.bin"), { allowDev: true });
    expect(r.runs.map((x) => x.seed)).toEqual([2, 1]);
    const claims4 = variant("c-batch-4", (d) => {
      const run = JSON.parse(readFileSync(join(d, "run.json"), "utf8")) as { config: { batch: number } };
      run.config.batch = 4; // 4 samples per epoch are still one whole batch of 4
      writeFileSync(join(d, "run.json"), JSON.stringify(run));
    }, C);
    expect(() => aggregateRuns([claims4, B], img.imageId, join(tmp, "never.bin"), { allowDev: true })).toThrow(
      expect.objectContaining({ kind: "HyperParamMismatch", extra: expect.objectContaining({ dir: claims4 }) }));
  });

  it("refuses a run that does not verify, with the same kind and the run's directory", () => {
    for (const [name, kind] of [
      ["a receipt of other batches swapped in", "CoverageMismatch"], ["a tampered model file", "ModelHashMismatch"], ["a middle receipt deleted", "ChainBroken"],
      ["a receipt under another image ID (its image's memory differs)", "ReceiptInvalid"], ["a truncated receipt", "ReceiptInvalid"],
    ] as const) {
      const dir = dirs.get(name)!;
      let err: unknown;
      try {
        aggregateRuns([B, dir], img.imageId, join(tmp, "never.bin"), { allowDev: true });
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(TrainingVerifyError);
      expect((err as TrainingVerifyError).kind, name).toBe(kind);
      expect((err as TrainingVerifyError).toJSON().dir).toBe(dir);
    }
  });

  it("refuses two runs of the same seed (ShardOverlap) and runs of different architectures (ArchitectureMismatch)", async () => {
    expect(() => aggregateRuns([A, variant("a-copy", () => undefined)], img.imageId, join(tmp, "never.bin"), { allowDev: true })).toThrow(
      expect.objectContaining({ kind: "ShardOverlap" }));
    // a tiny exp2 run (other layers), trained and proven in-process
    const dir = join(tmp, "run-exp2");
    const plan = makePlan({ config: "exp2", epochs: 1, samples: 128, evalSamples: 10, batchesPerRun: 1, float: false, prove: true, dev: true, seed: 5 }, 60000, 10000);
    const prover = makeRunProver(img, dir, { mode: "dev", segmentCycles: null }, 1);
    const o = await train(img, plan, trainSet, testSet, { executor: prover.executor });
    writeRunDir(dir, o, { buildMs: 0, imageReused: true, imagePath: img.path, totalSeconds: 0, argv: [] });
    expect(kindOf(dir)).toBe("valid");
    expect(() => aggregateRuns([A, dir], img.imageId, join(tmp, "never.bin"), { allowDev: true })).toThrow(expect.objectContaining({ kind: "ArchitectureMismatch" }));
  });
});

describe("averageParams", () => {
  it("rounds the integer mean to nearest, ties toward +infinity, exactly at the i32 extremes", () => {
    const v = (...xs: number[]) => Int32Array.from(xs);
    expect(Array.from(averageParams([v(3, -3, 1, -1, 2), v(0, 0, 0, 0, 2)]))).toEqual([2, -1, 1, 0, 2]); // 1.5→2, −1.5→−1, .5→1, −.5→0
    expect(Array.from(averageParams([v(1), v(0), v(0)]))).toEqual([0]); // 1/3
    expect(Array.from(averageParams([v(2), v(0), v(0)]))).toEqual([1]); // 2/3
    expect(Array.from(averageParams([v(-2), v(0), v(0)]))).toEqual([-1]); // −2/3
    expect(Array.from(averageParams([v(1), v(1), v(0), v(0)]))).toEqual([1]); // .5
    expect(Array.from(averageParams([v(-1), v(-1), v(0), v(0)]))).toEqual([0]); // −.5
    const MAX = 2 ** 31 - 1;
    const MIN = -(2 ** 31);
    expect(Array.from(averageParams([v(MAX, MIN, MIN), v(MAX, MIN, MAX)]))).toEqual([MAX, MIN, 0]); // −0.5 → 0
  });
});
