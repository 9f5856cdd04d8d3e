// MNIST benchmarks (never run by `npm test`):
//   npm run bench:mnist -- accuracy [--config exp1] [--epochs N] [--samples N] [--which fixed|float|both]
//                                   [--state PATH] [--until E] [--json]
//       trains the exact Q16.16 emulator and/or the float64 reference on the real training set with the
//       same init and sample order, prints test accuracy (10k images) and mean loss per epoch, samples/s.
//   npm run bench:mnist -- guest [--config exp1] [--batches N] [--json]
//       runs the training guest in V8 (asc build, VM host functions) for N batches, checks the final weight
//       hash against the emulator, and reports coprocessor rows (MACs) per training sample and samples/s.
//   npm run bench:mnist -- vm [--config exp1] [--batches N] [--at G] [--json]
//       builds the training image with the toolchain (vm/api.ts build, MNIST as --data) and runs it in OUR VM for N
//       batches starting at global batch G (the emulator trains up to G first, so the state is realistic),
//       checks the weight hash against the emulator and reports cycles per training sample: the cycles of
//       the run minus those of the same run with 0 batches (start-up and the two weight hashes).
//   npm run bench:mnist -- eval [--config exp1] [--state PATH] [--test-samples M] [--json]
//       evaluates the emulator's checkpoint PATH.fixed.json (from `accuracy --state PATH`) IN THE VM
//       (evaluation mode of the guest) on the test set and checks the count against the emulator.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { CONFIGS, isConfigName, macsPerSample, type TrainConfig } from "../cli/mnist/config.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { evaluateFixed, FixedTrainer } from "../cli/mnist/fixed-reference.ts";
import { evaluateFloat, FloatTrainer } from "../cli/mnist/float-reference.ts";
import { decodeJournal, encodeInput, type EvalJournal, type TrainJournal } from "../cli/mnist/guest-io.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { paramsHash, toHex } from "../cli/mnist/model.ts";
import { compileGuestForV8, runGuestV8 } from "../cli/mnist/v8-runner.ts";
import { buildMnistImage, runMnistGuest } from "../cli/mnist/image.ts";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : dflt;
}
const json = process.argv.includes("--json");
const cmd = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "accuracy";
const cfgName = arg("config", "exp1");
if (!isConfigName(cfgName)) {
  console.error(JSON.stringify({ error: { kind: "InvalidConfig", message: `unknown config ${cfgName}` } }));
  process.exit(2);
}
const cfg: TrainConfig = { ...CONFIGS[cfgName], seed: Number(arg("seed", "0")) };
const train = loadMnist("train");
const test = loadMnist("test");
const say = (s: string) => { if (!json) console.log(s); };

/**
 * Checkpoint of a long run, so a 10-epoch run can be split into CPU-bounded pieces:
 * `--state PATH` loads PATH.<kind>.json if present (continuing after its epoch) and rewrites it after
 * every epoch.
 */
interface Checkpoint {
  config: string;
  seed: number;
  samples: number;
  epoch: number;
  params: number[];
}

function loadCheckpoint(path: string | undefined, samples: number): Checkpoint | undefined {
  if (path === undefined || !existsSync(path)) return undefined;
  const c = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
  if (c.config !== cfg.name || c.seed !== cfg.seed || c.samples !== samples) throw new Error(`${path} belongs to another run`);
  return c;
}

async function accuracy(): Promise<void> {
  const epochs = Number(arg("epochs", "1"));
  const samples = Number(arg("samples", "60000"));
  const which = arg("which", "both");
  const state = arg("state", "");
  const until = Number(arg("until", String(cfg.epochs))); // never train past this epoch (default: the config's)
  const spec = { ...cfg, samples };
  interface Run {
    name: string;
    batchesPerEpoch: number;
    startEpoch: number;
    trainBatches(s: number, n: number): number;
    /** Emulator operations that needed BigInt (sums ≥ 2^53); 0 for the float run. */
    fallbacks(): number;
    evaluate(): number;
    params(): number[];
  }
  const runs: Run[] = [];
  const statePath = (kind: string) => (state === "" ? undefined : `${state}.${kind}.json`);
  if (which !== "float") {
    const ck = loadCheckpoint(statePath("fixed"), samples);
    const fx = new FixedTrainer(spec, train, ck && Int32Array.from(ck.params));
    runs.push({
      name: "fixed", batchesPerEpoch: fx.batchesPerEpoch, startEpoch: ck?.epoch ?? 0,
      trainBatches: (s, n) => fx.trainBatches(s, n).meanLossRaw / 65536, fallbacks: () => fx.bigIntFallbacks,
      evaluate: () => evaluateFixed(spec.layers, fx.params, test), params: () => Array.from(fx.params),
    });
  }
  if (which !== "fixed") {
    const ck = loadCheckpoint(statePath("float"), samples);
    const fl = new FloatTrainer(spec, train, ck && Float64Array.from(ck.params));
    runs.push({
      name: "float", batchesPerEpoch: fl.batchesPerEpoch, startEpoch: ck?.epoch ?? 0,
      trainBatches: (s, n) => fl.trainBatches(s, n), fallbacks: () => 0,
      evaluate: () => evaluateFloat(spec.layers, fl.params, test), params: () => Array.from(fl.params),
    });
  }
  say(`${cfg.name} ${JSON.stringify(cfg.layers)} batch ${cfg.batch} lr ${cfg.lr} seed ${cfg.seed}, ${samples} training samples, ${epochs} epoch(s)`);
  for (const t of runs) {
    for (let e = t.startEpoch; e < t.startEpoch + epochs && e < until; e++) {
      const t0 = performance.now();
      const loss = t.trainBatches(e * t.batchesPerEpoch, t.batchesPerEpoch);
      const ms = performance.now() - t0;
      const correct = t.evaluate();
      const row = {
        kind: t.name, epoch: e + 1, meanLoss: Number(loss.toFixed(5)), testAccuracy: correct / 100,
        samplesPerSecond: Math.round((t.batchesPerEpoch * cfg.batch) / (ms / 1000)), trainMs: Math.round(ms),
        bigIntFallbacks: t.fallbacks(),
      };
      if (json) console.log(JSON.stringify({ config: cfg.name, samples, ...row })); // one line per epoch, streamed
      say(`${t.name.padEnd(5)} epoch ${e + 1}: loss ${row.meanLoss}  test ${row.testAccuracy.toFixed(2)}%  ${row.samplesPerSecond} samples/s`);
      const path = statePath(t.name);
      if (path !== undefined) {
        const ck: Checkpoint = { config: cfg.name, seed: cfg.seed, samples, epoch: e + 1, params: t.params() };
        writeFileSync(path, JSON.stringify(ck));
      }
    }
  }
}

async function guest(): Promise<void> {
  const batches = Number(arg("batches", "4"));
  const samples = Number(arg("samples", "60000"));
  const wasm = await compileGuestForV8();
  const segs = new Map(packSegments(train, test).map((s) => [s.name, s.bytes]));
  const req = { mode: "train" as const, ...cfg, samples, startBatch: 0, numBatches: batches };
  const t0 = performance.now();
  const r = await runGuestV8(wasm, encodeInput(req), segs);
  const ms = performance.now() - t0;
  const j = decodeJournal(r.journal) as TrainJournal;
  const em = new FixedTrainer({ ...cfg, samples }, train);
  em.trainBatches(0, batches);
  const match = j.endHash === toHex(paramsHash(em.params));
  const n = batches * cfg.batch;
  const out = {
    config: cfg.name, batches, samplesTrained: n, weightHashMatchesEmulator: match,
    coprocessorRowsPerSample: Math.round((r.dotRows + r.axpyRows) / n),
    instructionCallsPerSample: Math.round((r.dotCalls + r.axpyCalls) / n),
    recipeMacsPerSample: Math.round(macsPerSample(cfg.layers, cfg.batch)),
    v8SamplesPerSecond: Math.round(n / (ms / 1000)), meanLoss: Number(j.meanLossRaw) / 65536, endHash: j.endHash,
  };
  if (json) console.log(JSON.stringify(out));
  else for (const [k, v] of Object.entries(out)) console.log(`${k}: ${v}`);
  if (!match) process.exitCode = 1;
}

async function vm(): Promise<void> {
  const batches = Number(arg("batches", "2"));
  const at = Number(arg("at", "0"));
  const samples = Number(arg("samples", "60000"));
  const spec = { ...cfg, samples };
  const tb = performance.now();
  const img = await buildMnistImage(packSegments(train, test));
  const buildMs = performance.now() - tb;
  const em = new FixedTrainer(spec, train);
  if (at > 0) em.trainBatches(0, at);
  const params = Int32Array.from(em.params);
  const req = { mode: "train" as const, ...spec, startBatch: at, params };
  const base = runMnistGuest(img, { ...req, numBatches: 0 });
  const t0 = performance.now();
  const r = runMnistGuest(img, { ...req, numBatches: batches });
  const ms = performance.now() - t0;
  em.trainBatches(at, batches);
  const j = r.journal as TrainJournal;
  const n = batches * cfg.batch;
  const cycles = r.cycles ?? 0;
  const baseCycles = base.cycles ?? 0;
  const out = {
    config: cfg.name, startBatch: at, batches, samplesTrained: n,
    weightHashMatchesEmulator: j.endHash === toHex(paramsHash(em.params)),
    imageId: img.imageId, buildMs: Math.round(buildMs),
    cyclesPerSample: Math.round((cycles - baseCycles) / n), fixedCycles: baseCycles, totalCycles: cycles,
    recipeMacsPerSample: Math.round(macsPerSample(cfg.layers, cfg.batch)),
    vmMillionCyclesPerSecond: Number((cycles / ms / 1000).toFixed(1)),
  };
  if (json) console.log(JSON.stringify(out));
  else for (const [k, v] of Object.entries(out)) console.log(`${k}: ${v}`);
  if (!out.weightHashMatchesEmulator) process.exitCode = 1;
}

async function evalInVm(): Promise<void> {
  const state = arg("state", "");
  const count = Number(arg("test-samples", "10000"));
  const ck = loadCheckpoint(state === "" ? undefined : `${state}.fixed.json`, Number(arg("samples", "60000")));
  const params = ck === undefined ? new FixedTrainer({ ...cfg, samples: cfg.batch }, train).params : Int32Array.from(ck.params);
  const img = await buildMnistImage(packSegments(train, test));
  const t0 = performance.now();
  const r = runMnistGuest(img, { mode: "eval", layers: cfg.layers, batch: 0, lrRaw: 0, seed: 0, samples: count, startBatch: 0, numBatches: 0, params });
  const ms = performance.now() - t0;
  const j = r.journal as EvalJournal;
  const emulator = evaluateFixed(cfg.layers, params, test, count);
  const out = {
    config: cfg.name, trainedEpochs: ck?.epoch ?? 0, modelHash: j.startHash, evaluated: j.evaluated,
    testAccuracy: (100 * j.correct) / j.evaluated, matchesEmulator: j.correct === emulator,
    cyclesPerTestImage: Math.round((r.cycles ?? 0) / count), vmMs: Math.round(ms),
  };
  if (json) console.log(JSON.stringify(out));
  else for (const [k, v] of Object.entries(out)) console.log(`${k}: ${v}`);
  if (!out.matchesEmulator) process.exitCode = 1;
}

await (cmd === "guest" ? guest() : cmd === "vm" ? vm() : cmd === "eval" ? evalInVm() : accuracy());
