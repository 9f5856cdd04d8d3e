// `zkvm train --config exp1|exp2|exp3a|exp3b …`: trains the MNIST MLP by executing the training guest;
// with --prove each guest run also gets a receipt (cli/train/receipts.ts): a STARK receipt proven in
// segments of --segment-cycles, or with --dev a dev receipt (no proof). Orchestration:
// cli/train/orchestrate.ts; the run directory: cli/train/run-dir.ts; usage: docs/cli.md and docs/mnist.md.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { printJson, reportError, UsageError } from "../output.ts";
import { TrainError } from "../train/errors.ts";
import type { TrainOutcome } from "../train/orchestrate.ts";
import { Schedule } from "../mnist/schedule.ts";

interface TrainArgs {
  config: string;
  epochs?: number;
  samples?: number;
  seed?: number;
  "eval-samples"?: number;
  "batches-per-run"?: number;
  batch?: number;
  engine: string;
  float: boolean;
  out?: string;
  "cache-dir"?: string;
  prove: boolean;
  dev: boolean;
  workers?: number;
  "segment-cycles"?: number;
  zk: boolean;
  json: boolean;
}

const stamp = (): string => new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: "train",
  describe: "Train an MNIST MLP (paper Table 2 config) by executing the training guest; writes model, journals, report",
  builder: (y) =>
    (y as Argv)
      .option("config", { type: "string", demandOption: true, choices: ["exp1", "exp2", "exp3a", "exp3b"], describe: "Table 2 configuration" })
      .option("epochs", { type: "number", requiresArg: true, describe: "epochs (default: the config's)" })
      .option("samples", { type: "number", requiresArg: true, describe: "train on the first N samples of each epoch's order (rounded down to whole batches; default 60,000)" })
      .option("seed", { type: "number", requiresArg: true, describe: "seed of the initial weights and the sample order (default 0)" })
      .option("eval-samples", { type: "number", requiresArg: true, describe: "evaluate on the first N test images (default 10,000)" })
      .option("batches-per-run", { type: "number", requiresArg: true, describe: "batches per guest run (= per receipt with --prove; default 4)" })
      .option("batch", { type: "number", requiresArg: true, describe: "batch size instead of the config's (a power of two ≤ 4,096; the learning rate stays the config's)" })
      .option("engine", { type: "string", default: "vm", choices: ["vm", "wasm"], describe: "vm: our executor (counts cycles); wasm: V8 reference" })
      .option("float", { type: "boolean", default: true, describe: "also train the float64 reference (--no-float to skip)" })
      .option("out", { alias: "o", type: "string", requiresArg: true, describe: "run directory (default runs/<config>-<timestamp>)" })
      .option("cache-dir", { type: "string", requiresArg: true, describe: "where the built training image is cached (default node_modules/.cache/zkvm-train)" })
      .option("prove", { type: "boolean", default: false, describe: "write a receipt for every guest run (receipts/ in the run directory)" })
      .option("dev", { type: "boolean", default: false, describe: "with --prove: dev receipts (NO proof, only each run's statement; instant) instead of STARK receipts (hours for a full epoch)" })
      .option("workers", { type: "number", requiresArg: true, describe: "with --prove: parallel provers (worker threads; default 1; each STARK prover needs its own memory: ≈ 4.5 GiB peak for an exp1 batch of 64)" })
      .option("segment-cycles", { type: "number", requiresArg: true, describe: "with --prove (STARK): prove each run in segments of about N cycles (integer in [16, 2^27]; default 2^17 = 131,072)" })
      .option("zk", { type: "boolean", default: true, describe: "with --prove (STARK): zero knowledge (--no-zk: ≈ 10 % less proving time and memory; the weights it may leak follow from the public seed anyway)" })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" }) as unknown as Argv<TrainArgs>,
  handler: async (a: TrainArgs) => {
    try {
      await runTrain(a);
    } catch (e) {
      // A bad option value found by makePlan exits with the usage status, like one found by yargs.
      reportError(e instanceof TrainError && e.kind === "InvalidArgument" ? new UsageError(e.message) : e, a.json);
    }
  },
};

async function runTrain(a: TrainArgs): Promise<void> {
  const t0 = performance.now();
  // The training pipeline is imported here, not at the top: every other `zkvm` command loads this module.
  const [{ packSegments }, { loadMnist }, { cachedMnistImage, DEFAULT_CACHE_DIR }, { makePlan, train }, { progressFor }, { RUN_FILES, summary, writeRunDir }, { checkEvalFits, checkProvable, makeRunProver }] =
    await Promise.all([
      import("../mnist/dataset.ts"), import("../mnist/idx.ts"), import("../train/image-cache.ts"), import("../train/orchestrate.ts"),
      import("../train/progress.ts"), import("../train/run-dir.ts"), import("../train/receipts.ts"),
    ]);
  for (const k of ["epochs", "samples", "seed", "eval-samples", "batches-per-run", "batch", "workers", "segment-cycles"] as const) {
    const v = a[k];
    if (v !== undefined && !Number.isFinite(v)) throw new UsageError(`--${k} must be a number`);
  }
  const trainSet = loadMnist("train");
  const testSet = loadMnist("test");
  // Validate everything before the (slow) image build.
  const plan = makePlan({
    config: a.config, epochs: a.epochs, samples: a.samples, seed: a.seed, evalSamples: a["eval-samples"], batch: a.batch,
    batchesPerRun: a["batches-per-run"], engine: a.engine, float: a.float, prove: a.prove, dev: a.dev, workers: a.workers,
    segmentCycles: a["segment-cycles"], zk: a.zk,
  }, trainSet.images.count, testSet.images.count);
  const dir = resolve(a.out ?? join("runs", `${plan.config.name}-${stamp()}`));
  // Fail before hours of training, not after: the run directory must be creatable (existing files are replaced).
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new TrainError("OutputError", `cannot create the run directory ${dir}: ${(e as Error).message}`);
  }
  const progress = progressFor(a.json);
  const say = (s: string): void => { if (!a.json) process.stderr.write(s + "\n"); };

  say(`building or loading the training image (cache: ${a["cache-dir"] ?? DEFAULT_CACHE_DIR})`);
  const img = await cachedMnistImage(packSegments(trainSet, testSet), resolve(a["cache-dir"] ?? DEFAULT_CACHE_DIR));
  say(`image ${img.imageId} (${img.reused ? "cached" : "built"}, ${(img.buildMs / 1000).toFixed(1)} s)`);
  say(`training ${plan.config.name}: ${plan.epochs} epoch(s) × ${plan.samplesPerEpoch} samples in batches of ${plan.config.batch}, engine ${plan.engine}` +
    (plan.prove === "none" ? "" : plan.prove === "dev" ? `, DEV receipts (no proof), ${plan.workers} prover(s)`
      : `, STARK receipts in segments of ${plan.segmentCycles!.toLocaleString("en-US")} cycles${plan.zk ? "" : " without zero knowledge"}, ${plan.workers} prover(s)`));
  const meta = () => ({ buildMs: img.buildMs, imageReused: img.reused, imagePath: img.path, totalSeconds: (performance.now() - t0) / 1000, argv: process.argv.slice(2) });
  if (plan.prove !== "none") {
    checkProvable(img, plan.prove);
    checkEvalFits(img, plan);
  }
  const prover = plan.prove === "none" ? undefined
    : makeRunProver(img, dir, { mode: plan.prove, segmentCycles: plan.segmentCycles, zk: plan.zk }, plan.workers, (label, step) => progress.proving?.(label, step));
  let outcome;
  try {
    // The run directory is rewritten after every epoch (plan.epochs there = epochs done so far).
    outcome = await train(img, plan, trainSet, testSet, {
      progress, onEpoch: (soFar) => writeRunDir(dir, soFar, meta()), ...(prover !== undefined ? { executor: prover.executor } : {}),
    });
  } finally {
    progress.finish();
    await prover?.close();
  }
  const finalMeta = meta();
  const totalSeconds = finalMeta.totalSeconds;
  writeRunDir(dir, outcome, finalMeta);
  const s = summary(outcome);
  if (a.json) {
    printJson(s);
    return;
  }
  const lines = outcome.epochs.map((e) =>
    `epoch ${String(e.epoch).padStart(3)}  loss ${e.trainLoss.toFixed(4)}  test ${e.testAccuracy.toFixed(2)} %` +
    (e.floatTestAccuracy === null ? "" : `  (float64 ${e.floatTestAccuracy.toFixed(2)} %)`) +
    `  ${e.trainSeconds.toFixed(1)} s`);
  process.stdout.write([
    ...lines,
    `test accuracy   ${s.testAccuracy.toFixed(2)} %${s.floatTestAccuracy === null ? "" : ` (float64 reference ${s.floatTestAccuracy.toFixed(2)} %)`}`,
    `cycles/sample   ${s.cyclesPerSample ?? "(not counted by the wasm engine)"}`,
    ...(s.receiptKind === null ? [] : [`receipts        ${s.receipts} ${s.receiptKind === "dev" ? "DEV receipts (NO proof: the runs are unproven)" : "STARK receipts"}, ` +
      `proving ${(s.proveMs / 1000).toFixed(1)} s, verifying ${(s.verifyMs / 1000).toFixed(1)} s`]),
    ...receiptCoverage(outcome, dir),
    `image ID        ${s.imageId}`,
    `model hash      ${s.modelHash}`,
    `run directory   ${dir} (${RUN_FILES.report}, ${RUN_FILES.model}, ${RUN_FILES.journals}, ${RUN_FILES.accuracyPlot})`,
    `time            ${totalSeconds.toFixed(1)} s`,
  ].join("\n") + "\n");
}

/** Which samples each receipt covers, by MNIST index (the seed's order: cli/mnist/schedule.ts), and what it proves. */
function receiptCoverage(outcome: TrainOutcome, dir: string): string[] {
  const c = outcome.plan.config;
  const schedule = new Schedule(c.seed, outcome.datasetSamples, c.batch);
  const out: string[] = [];
  const listed = (xs: readonly number[]): string => (xs.length <= 8 ? xs.join(", ") : `${xs.slice(0, 8).join(", ")}, … (${xs.length})`);
  for (const r of outcome.runs) {
    if (r.receipt === undefined) continue;
    const file = join(dir, r.receipt.receipt);
    if (r.kind === "train") {
      const samples: number[] = [];
      const buf = new Int32Array(c.batch);
      for (let g = r.startBatch; g < r.endBatch; g++) { schedule.batchSamples(g, buf); samples.push(...buf); }
      out.push(`  ${file}: epoch ${r.epoch}, global batch${r.endBatch - r.startBatch > 1 ? `es ${r.startBatch}–${r.endBatch - 1}` : ` ${r.startBatch}`}, ` +
        `training samples #${listed(samples)}; weights ${r.startHash.slice(0, 12)}… → ${r.endHash.slice(0, 12)}…`);
    } else {
      out.push(`  ${file}: evaluation after epoch ${r.epoch} of model ${r.modelHash.slice(0, 12)}… on test images #0–${r.evaluated - 1}: ${r.correct}/${r.evaluated} correct`);
    }
  }
  return out;
}
