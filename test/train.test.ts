// `zkvm train` (execute mode) end to end: the real CLI on a small exp1 run, the run directory it
// writes, bad arguments, and the orchestrator's chain checks against tampered journals.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner, noStack, oneJson } from "./cli-runner.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { decodeJournal, type TrainJournal } from "../cli/mnist/guest-io.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { runMnistGuest } from "../cli/mnist/image.ts";
import { initParams, paramsHash, toHex } from "../cli/mnist/model.ts";
import { TrainError } from "../cli/train/errors.ts";
import { cachedMnistImage, type CachedImage } from "../cli/train/image-cache.ts";
import { makePlan, train, type GuestRunner, type RunRecord, type TrainRunRecord } from "../cli/train/orchestrate.ts";

const tmp = mkdtempSync(join(tmpdir(), "zkvm-train-"));
const cache = join(tmp, "cache");
const trainSet = loadMnist("train");
const testSet = loadMnist("test");
let img: CachedImage;
const zkvm = cliRunner(tmp);
const readRuns = (dir: string): RunRecord[] =>
  readFileSync(join(dir, "journals.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunRecord);

writeFileSync(join(tmp, "model.bin-not-a-dir"), "a file where a directory is needed");
const stale = join(cache, `mnist-train-${"ab".repeat(16)}.zkimg`);

beforeAll(async () => {
  // An image of older sources, to be pruned when the current one is built.
  mkdirSync(cache, { recursive: true });
  writeFileSync(stale, "old image");
  // Builds the image once into this file's own cache; every CLI run below reuses it.
  img = await cachedMnistImage(packSegments(trainSet, testSet), cache);
  expect(img.reused).toBe(false);
  expect(existsSync(stale)).toBe(false);
  expect(existsSync(img.path)).toBe(true);
});

// The cached image is 55 MB: do not leave it in /tmp.
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("zkvm train --json (exp1, 2 epochs of 512 samples, 500 test images)", () => {
  const dir = join(tmp, "run-a");
  let out: Record<string, unknown>;

  beforeAll(async () => {
    const r = await zkvm(["train", "--config", "exp1", "--samples", "512", "--eval-samples", "500", "--epochs", "2",
      "-o", dir, "--cache-dir", cache, "--json"]);
    noStack(r);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    out = oneJson(r);
  });

  it("prints exactly the summary object", () => {
    expect(Object.keys(out).sort()).toEqual(
      ["config", "imageId", "epochs", "batch", "samples", "testAccuracy", "floatTestAccuracy", "modelHash", "cyclesPerSample", "receipts", "receiptKind", "proveMs", "verifyMs"].sort());
    expect(out).toMatchObject({ config: "exp1", imageId: img.imageId, epochs: 2, samples: 512, receipts: 0, receiptKind: null, proveMs: 0, verifyMs: 0 });
    expect(out.modelHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("learns: test accuracy well above chance, close to the float64 reference", () => {
    const acc = out.testAccuracy as number;
    expect(acc).toBeGreaterThan(50); // chance is 10 %
    expect(acc).toBeLessThanOrEqual(100);
    expect(Math.abs(acc - (out.floatTestAccuracy as number))).toBeLessThan(3);
    // Per-sample cost: at least the recipe's MACs, and within the documented overhead (seed init, run start-up).
    expect(out.cyclesPerSample as number).toBeGreaterThan(103_067);
    expect(out.cyclesPerSample as number).toBeLessThan(200_000);
  });

  it("the model file hashes to the last journal's end hash, and the journals form an unbroken chain", () => {
    const model = readFileSync(join(dir, "model.bin"));
    const h = createHash("sha256").update(model).digest("hex");
    expect(h).toBe(out.modelHash);
    expect(readFileSync(join(dir, "model.sha256"), "utf8").split(/\s+/)[0]).toBe(h);
    const runs = readRuns(dir);
    const trains = runs.filter((r): r is TrainRunRecord => r.kind === "train");
    expect(trains).toHaveLength(4); // 2 epochs × 8 batches, 4 batches per run
    expect(trains[trains.length - 1]!.endHash).toBe(h);
    expect(trains[0]!.startHash).toBe(toHex(paramsHash(initParams([784, 64, 10], 0))));
    const bpe = Math.floor(60000 / 64);
    expect(trains.map((r) => [r.startBatch, r.endBatch])).toEqual([[0, 4], [4, 8], [bpe, bpe + 4], [bpe + 4, bpe + 8]]);
    for (let i = 0; i < trains.length; i++) {
      // The stored journal bytes say the same as the record (the record is not trusted on its own).
      const j = decodeJournal(Uint8Array.from(Buffer.from(trains[i]!.journal, "hex"))) as TrainJournal;
      expect([j.startBatch, j.startBatch + j.numBatches, j.startHash, j.endHash]).toEqual(
        [trains[i]!.startBatch, trains[i]!.endBatch, trains[i]!.startHash, trains[i]!.endHash]);
      if (i > 0) expect(j.startHash).toBe(trains[i - 1]!.endHash);
    }
    const evals = runs.filter((r) => r.kind === "eval");
    expect(evals.map((e) => e.kind === "eval" && e.modelHash)).toEqual([trains[1]!.endHash, trains[3]!.endHash]);
    expect(evals.every((e) => e.kind === "eval" && e.evaluated === 500)).toBe(true);
  });

  it("writes report.md, the SVG plots and run.json", () => {
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toContain(String(out.modelHash));
    expect(report.split("\n").filter((l) => /^\| [12] \|/.test(l))).toHaveLength(2); // one table row per epoch
    for (const f of ["accuracy.svg", "loss.svg"]) {
      const svg = readFileSync(join(dir, f), "utf8");
      expect(svg.startsWith("<svg ")).toBe(true);
      expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
      expect(svg.match(/<path /g)).toHaveLength(2); // fixed and float series
    }
    const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as { summary: unknown; image: { reused: boolean } };
    expect(run.summary).toEqual(out);
    expect(run.image.reused).toBe(true);
  });

  it("grouping batches differently gives the same weights (one batch per run, wasm engine, no float)", async () => {
    const dir2 = join(tmp, "run-b");
    const r = await zkvm(["train", "--config", "exp1", "--samples", "256", "--eval-samples", "20", "--epochs", "1",
      "--batches-per-run", "1", "--engine", "wasm", "--no-float", "-o", dir2, "--cache-dir", cache, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const o = oneJson(r);
    expect(o.floatTestAccuracy).toBeNull();
    expect(o.cyclesPerSample).toBeNull(); // the wasm engine counts no cycles
    const first = readRuns(join(tmp, "run-a"))[0] as TrainRunRecord; // batches 0..3 in one run
    expect(o.modelHash).toBe(first.endHash);
    expect(readRuns(dir2).filter((x) => x.kind === "train")).toHaveLength(4);
  });
});

describe("bad arguments: one typed line, non-zero exit, nothing written", () => {
  // (The other range checks are unit tests of makePlan in test/train-units.test.ts; CLI start-up is slow.)
  it("unknown config (--json), --epochs 0 (text); an unwritable -o fails before training", async () => {
    const [a, b, c] = await Promise.all([
      zkvm(["train", "--config", "exp9", "--json"]),
      zkvm(["train", "--config", "exp1", "--epochs", "0", "-o", join(tmp, "never")]),
      zkvm(["train", "--config", "exp1", "-o", join(tmp, "model.bin-not-a-dir", "x"), "--cache-dir", cache, "--json"]),
    ]);
    noStack(c);
    expect(c.status).toBe(1);
    expect(oneJson(c)).toMatchObject({ error: { kind: "OutputError" } });
    for (const r of [a, b]) {
      noStack(r);
      expect(r.status).toBe(2);
    }
    expect(oneJson(a)).toMatchObject({ error: { kind: "InvalidArgument" } });
    expect((oneJson(a).error as { message: string }).message).toMatch(/exp9/);
    expect(b.stdout).toBe("");
    expect(b.stderr.trim().split("\n")[0]).toMatch(/^error \[InvalidArgument\]: --epochs must be an integer in 1\.\.\d+, got 0$/);
    expect(b.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(tmp, "never"))).toBe(false);
  });
});

describe("the orchestrator refuses a journal that does not chain", () => {
  const plan = () => makePlan({ config: "exp1", epochs: 1, samples: 192, evalSamples: 10, batchesPerRun: 1, float: false }, 60000, 10000);
  /** The real guest, with run number `at`'s decoded journal altered. */
  const tamper = (at: number, change: (j: TrainJournal) => Partial<TrainJournal>): GuestRunner => {
    let n = 0;
    return (i, req, engine) => {
      const r = runMnistGuest(i, req, engine);
      if (req.mode !== "train" || n++ !== at) return r;
      return { ...r, journal: { ...(r.journal as TrainJournal), ...change(r.journal as TrainJournal) } };
    };
  };
  const failure = async (runGuest: GuestRunner): Promise<TrainError> => {
    try {
      await train(img, plan(), trainSet, testSet, { runGuest });
    } catch (e) {
      expect(e).toBeInstanceOf(TrainError);
      return e as TrainError;
    }
    throw new Error("training did not fail");
  };

  it("accepts the untampered chain", async () => {
    const o = await train(img, plan(), trainSet, testSet);
    expect(o.runs.filter((r) => r.kind === "train")).toHaveLength(3);
    expect(toHex(paramsHash(o.finalParams))).toBe(o.modelHash);
  });
  it("reports every epoch but the last through onEpoch, with the chain's hash at that point", async () => {
    const seen: { epochs: number; hash: string; runs: number }[] = [];
    const p = makePlan({ config: "exp1", epochs: 3, samples: 64, evalSamples: 10, batchesPerRun: 1, float: false }, 60000, 10000);
    const o = await train(img, p, trainSet, testSet, { onEpoch: (s) => seen.push({ epochs: s.plan.epochs, hash: s.modelHash, runs: s.runs.length }) });
    const trains = o.runs.filter((r): r is TrainRunRecord => r.kind === "train");
    expect(trains.map((r) => r.startBatch)).toEqual([0, 937, 1874]);
    expect(seen).toEqual([{ epochs: 1, hash: trains[0]!.endHash, runs: 2 }, { epochs: 2, hash: trains[1]!.endHash, runs: 4 }]);
    expect(o.epochs).toHaveLength(3);
    expect(o.modelHash).toBe(trains[2]!.endHash);
  });
  it("a start hash that is not the previous end hash → ChainBroken", async () => {
    const e = await failure(tamper(1, () => ({ startHash: "00".repeat(32) })));
    expect(e.kind).toBe("ChainBroken");
    expect(e.message).toMatch(/run 1 \(batches 1\.\.1\)/);
  });
  it("a first run that does not start from the seed's weights → ChainBroken", async () => {
    expect((await failure(tamper(0, (j) => ({ startHash: j.endHash })))).kind).toBe("ChainBroken");
  });
  it("an end hash the emulator's weights do not have → WeightHashMismatch", async () => {
    expect((await failure(tamper(2, (j) => ({ endHash: j.startHash })))).kind).toBe("WeightHashMismatch");
  });
  it("a journal for other batches than requested → JournalMismatch", async () => {
    expect((await failure(tamper(1, (j) => ({ startBatch: j.startBatch + 1 })))).kind).toBe("JournalMismatch");
  });
});

describe("image cache", () => {
  it("a corrupt cached image is a typed ImageCacheError, not a crash (runs last: it breaks the cache)", async () => {
    writeFileSync(img.path, "not an image");
    await expect(cachedMnistImage(packSegments(trainSet, testSet), cache)).rejects.toMatchObject({ kind: "ImageCacheError" });
  });
});
