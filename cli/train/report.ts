// report.md and the SVG plots of a training run, from its outcome alone (pure functions).

import { CONFIGS, macsPerSample } from "../mnist/config.ts";
import type { TrainOutcome } from "./orchestrate.ts";
import { lineChart } from "./svg.ts";

const pct = (v: number | null): string => (v === null ? "–" : v.toFixed(2));
const num = (v: number | null, d = 0): string => (v === null ? "–" : v.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));

export function accuracyChart(o: TrainOutcome): string {
  const fixed = o.epochs.map((e) => [e.epoch, e.testAccuracy] as const);
  const float = o.epochs.flatMap((e) => (e.floatTestAccuracy === null ? [] : [[e.epoch, e.floatTestAccuracy] as const]));
  return lineChart({
    title: `${o.plan.config.name}: test accuracy per epoch (${o.plan.evalSamples} test images)`,
    xLabel: "epoch", yLabel: "test accuracy (%)",
    series: [
      { name: "Q16.16 (guest)", color: "#1f77b4", points: fixed },
      ...(float.length ? [{ name: "float64 reference", color: "#d62728", points: float }] : []),
    ],
  });
}

export function lossChart(o: TrainOutcome): string {
  const fixed = o.epochs.map((e) => [e.epoch, e.trainLoss] as const);
  const float = o.epochs.flatMap((e) => (e.floatTrainLoss === null ? [] : [[e.epoch, e.floatTrainLoss] as const]));
  return lineChart({
    title: `${o.plan.config.name}: mean training loss per epoch`,
    xLabel: "epoch", yLabel: "cross-entropy",
    series: [
      { name: "Q16.16 (guest)", color: "#1f77b4", points: fixed },
      ...(float.length ? [{ name: "float64 reference", color: "#d62728", points: float }] : []),
    ],
  });
}

export function reportMarkdown(o: TrainOutcome, meta: { buildMs: number; imageReused: boolean; totalSeconds: number }): string {
  const p = o.plan;
  const c = p.config;
  const trainRuns = o.runs.filter((r) => r.kind === "train").length;
  const last = o.epochs[o.epochs.length - 1]!;
  const lines = [
    `# zkvm train ${c.name}`,
    "",
    `Layers [${c.layers.join(", ")}], batch ${c.batch}${c.batch === CONFIGS[c.name].batch ? "" : ` (--batch; the config's is ${CONFIGS[c.name].batch})`}, learning rate ${c.lr} (Q16.16 raw ${c.lrRaw}), seed ${c.seed};`,
    `${p.epochs} epoch(s) of ${p.samplesPerEpoch.toLocaleString("en-US")} training samples (the first ones of each epoch's order),`,
    `test accuracy on the first ${p.evalSamples.toLocaleString("en-US")} test images, computed by the guest's evaluation mode.`,
    `Engine \`${p.engine}\`; ${trainRuns} training runs of ≤ ${p.batchesPerRun} batches each (${p.prove === "none" ? "one future receipt each" : p.prove === "dev" ? "one dev receipt each" : "one receipt each"}), chained by weight hashes.`,
    "",
    `- image ID \`${o.imageId}\` (${meta.imageReused ? "reused from the cache" : "built"} in ${(meta.buildMs / 1000).toFixed(1)} s)`,
    `- model hash (SHA-256 of model.bin) \`${o.modelHash}\` = the last training journal's end hash`,
    `- final test accuracy: **${pct(last.testAccuracy)} %** (Q16.16, in the guest)` + (last.floatTestAccuracy === null ? "" : `, float64 reference ${pct(last.floatTestAccuracy)} %`),
    `- cycles per training sample: ${num(o.cyclesPerSample)} (all training-run cycles, including per-run start-up and the in-guest seed initialisation, / samples); the recipe's multiply-accumulates: ${num(macsPerSample(c.layers, c.batch))}`,
    `- wall time: ${meta.totalSeconds.toFixed(1)} s`,
    ...receiptLines(o),
    "",
    "| epoch | train loss (fixed) | train loss (float) | test acc. fixed % | test acc. float % | cycles / sample | train s | of which guest s | eval s | float s |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...o.epochs.map((e) =>
      `| ${e.epoch} | ${e.trainLoss.toFixed(4)} | ${e.floatTrainLoss === null ? "–" : e.floatTrainLoss.toFixed(4)} | ${pct(e.testAccuracy)} | ${pct(e.floatTestAccuracy)} | ` +
      `${e.trainCycles === null ? "–" : num(e.trainCycles / e.samples)} | ${e.trainSeconds.toFixed(1)} | ${e.guestSeconds.toFixed(1)} | ${e.evalSeconds.toFixed(1)} | ${e.floatSeconds.toFixed(1)} |`),
    "",
    "train s = the guest's training runs plus the host's exact emulator replaying them (it supplies the weights for",
    "the next run, and they must hash to the guest's committed end hash); eval s = the guest's evaluation run;",
    "float s = float64 reference (training and evaluation).",
    "",
    "![test accuracy](accuracy.svg)",
    "",
    "![training loss](loss.svg)",
    "",
    "Files: `model.bin` (final Q16.16 parameters, little-endian i32), `model.sha256`, `journals.jsonl` (one line per",
    "guest run: batch range, start/end hash, mean loss, cycles, journal bytes), `run.json` (everything above).",
    "",
  ];
  return lines.join("\n");
}

function receiptLines(o: TrainOutcome): string[] {
  const rs = o.runs.flatMap((r) => (r.receipt !== undefined ? [r.receipt] : []));
  if (o.plan.prove === "none") return ["- receipts: none (execute mode; `--prove` writes one per guest run)"];
  const ms = (k: "proveMs" | "verifyMs"): string => (rs.reduce((a, r) => a + r[k], 0) / 1000).toFixed(1);
  const kb = (rs.reduce((a, r) => a + r.receiptBytes, 0) / 1024).toFixed(0);
  if (o.plan.prove === "dev") {
    return [
      `- receipts: **${rs.length} DEV receipts — NO PROOF, the runs are UNPROVEN** (\`receipts/\`, ${kb} KiB; produced in ${ms("proveMs")} s, checked in ${ms("verifyMs")} s).`,
      "  A dev receipt records a run's statement (image ID, journal, exit code, cycles) without a proof; `zkvm verify-training --allow-dev`",
      "  checks the chain they form, but only STARK receipts (`zkvm train --prove` without `--dev`) prove it.",
    ];
  }
  return [`- receipts: ${rs.length} STARK receipts, each run proven in segments of ${o.plan.segmentCycles?.toLocaleString("en-US") ?? "?"} cycles${o.plan.zk ? "" : " without zero knowledge"} ` +
    `(\`receipts/\`, ${kb} KiB; proving ${ms("proveMs")} s, verifying ${ms("verifyMs")} s); check with \`zkvm verify-training\``];
}
