// MNIST benchmarks (never run by `npm test`):
//   npm run bench:mnist -- accuracy [--config exp1] [--epochs N] [--samples N] [--which fixed|float|both] [--json]
//       trains the exact Q16.16 emulator and/or the float64 reference on the real training set with the
//       same init and sample order, prints test accuracy (10k images) and mean loss per epoch, samples/s.
//   npm run bench:mnist -- guest [--config exp1] [--batches N] [--json]
//       runs the training guest in V8 (asc build, VM host functions) for N batches, checks the final weight
//       hash against the emulator, and reports coprocessor rows (MACs) per training sample and samples/s.

import { CONFIGS, isConfigName, macsPerSample, type TrainConfig } from "../cli/mnist/config.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { evaluateFixed, FixedTrainer } from "../cli/mnist/fixed-reference.ts";
import { evaluateFloat, FloatTrainer } from "../cli/mnist/float-reference.ts";
import { decodeJournal, encodeInput, type TrainJournal } from "../cli/mnist/guest-io.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { paramsHash, toHex } from "../cli/mnist/model.ts";
import { compileGuestForV8, runGuestV8 } from "../cli/mnist/v8-runner.ts";

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

async function accuracy(): Promise<void> {
  const epochs = Number(arg("epochs", "1"));
  const samples = Number(arg("samples", "60000"));
  const which = arg("which", "both");
  const spec = { ...cfg, samples };
  const rows: Record<string, unknown>[] = [];
  const runs: [string, { trainBatches(s: number, n: number): number; batchesPerEpoch: number }, () => number][] = [];
  if (which !== "float") {
    const fx = new FixedTrainer(spec, train);
    runs.push(["fixed", { trainBatches: (s, n) => fx.trainBatches(s, n).meanLossRaw / 65536, batchesPerEpoch: fx.batchesPerEpoch },
      () => evaluateFixed(spec.layers, fx.params, test)]);
  }
  if (which !== "fixed") {
    const fl = new FloatTrainer(spec, train);
    runs.push(["float", fl, () => evaluateFloat(spec.layers, fl.params, test)]);
  }
  say(`${cfg.name} ${JSON.stringify(cfg.layers)} batch ${cfg.batch} lr ${cfg.lr} seed ${cfg.seed}, ${samples} training samples, ${epochs} epoch(s)`);
  for (const [name, t, evaluate] of runs) {
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      const loss = t.trainBatches(e * t.batchesPerEpoch, t.batchesPerEpoch);
      const ms = performance.now() - t0;
      const correct = evaluate();
      const row = {
        kind: name, epoch: e + 1, meanLoss: Number(loss.toFixed(5)), testAccuracy: correct / 100,
        samplesPerSecond: Math.round((t.batchesPerEpoch * cfg.batch) / (ms / 1000)), trainMs: Math.round(ms),
      };
      rows.push(row);
      say(`${name.padEnd(5)} epoch ${e + 1}: loss ${row.meanLoss}  test ${row.testAccuracy.toFixed(2)}%  ${row.samplesPerSecond} samples/s`);
    }
  }
  if (json) console.log(JSON.stringify({ config: cfg.name, samples, epochs, rows }));
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

await (cmd === "guest" ? guest() : accuracy());
