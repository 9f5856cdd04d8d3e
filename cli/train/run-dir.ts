// Writes a training run's directory: the model, its hash, the journals, report.md, SVG plots, run.json.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paramsHash, paramsToBytes, toHex } from "../mnist/model.ts";
import { TrainError } from "./errors.ts";
import type { TrainOutcome } from "./orchestrate.ts";
import { RECEIPTS_DIR } from "./receipts.ts";
import { accuracyChart, lossChart, reportMarkdown } from "./report.ts";

export const RUN_FILES = {
  model: "model.bin",
  modelHash: "model.sha256",
  journals: "journals.jsonl",
  report: "report.md",
  accuracyPlot: "accuracy.svg",
  lossPlot: "loss.svg",
  run: "run.json",
} as const;

/** The one-object summary printed by `zkvm train --json` (accuracies in percent). */
export interface TrainSummary {
  readonly config: string;
  readonly imageId: string;
  readonly epochs: number;
  /** The batch size trained with: the config's, or --batch. */
  readonly batch: number;
  readonly samples: number; // training samples per epoch
  readonly testAccuracy: number;
  readonly floatTestAccuracy: number | null;
  readonly modelHash: string;
  readonly cyclesPerSample: number | null;
  readonly receipts: number;
  /** null: execute mode (no receipts); "dev": dev receipts, NO proof (the runs are unproven); "stark". */
  readonly receiptKind: "dev" | "stark" | null;
  readonly proveMs: number;
  readonly verifyMs: number;
}

/** The receipts of a run (training and evaluation runs), their kind and summed prove / verify times. */
export function receiptTotals(o: TrainOutcome): { receipts: number; receiptKind: "dev" | "stark" | null; proveMs: number; verifyMs: number } {
  const rs = o.runs.flatMap((r) => (r.receipt !== undefined ? [r.receipt] : []));
  return {
    receipts: rs.length,
    receiptKind: o.plan.prove === "none" ? null : o.plan.prove,
    proveMs: Math.round(rs.reduce((a, r) => a + r.proveMs, 0)),
    verifyMs: Math.round(rs.reduce((a, r) => a + r.verifyMs, 0)),
  };
}

export function summary(o: TrainOutcome): TrainSummary {
  const last = o.epochs[o.epochs.length - 1]!;
  return {
    config: o.plan.config.name, imageId: o.imageId, epochs: o.plan.epochs, batch: o.plan.config.batch, samples: o.plan.samplesPerEpoch,
    testAccuracy: last.testAccuracy, floatTestAccuracy: last.floatTestAccuracy, modelHash: o.modelHash,
    cyclesPerSample: o.cyclesPerSample === null ? null : Math.round(o.cyclesPerSample),
    ...receiptTotals(o),
  };
}

export interface RunMeta {
  readonly buildMs: number;
  readonly imageReused: boolean;
  readonly imagePath: string;
  readonly totalSeconds: number;
  readonly argv: readonly string[];
}

export function writeRunDir(dir: string, o: TrainOutcome, meta: RunMeta): void {
  // The model file must be exactly what the chain ends with; refuse to write anything else.
  const h = toHex(paramsHash(o.finalParams));
  if (h !== o.modelHash) throw new TrainError("WeightHashMismatch", `final weights hash to ${h}, the chain ends at ${o.modelHash}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, RUN_FILES.model), paramsToBytes(o.finalParams));
    writeFileSync(join(dir, RUN_FILES.modelHash), `${o.modelHash}  ${RUN_FILES.model}\n`);
    writeFileSync(join(dir, RUN_FILES.journals), o.runs.map((r) => JSON.stringify(r)).join("\n") + "\n");
    writeFileSync(join(dir, RUN_FILES.report), reportMarkdown(o, meta));
    writeFileSync(join(dir, RUN_FILES.accuracyPlot), accuracyChart(o));
    writeFileSync(join(dir, RUN_FILES.lossPlot), lossChart(o));
    const { config, ...plan } = o.plan;
    writeFileSync(join(dir, RUN_FILES.run), JSON.stringify({
      summary: summary(o),
      config, plan, datasetSamples: o.datasetSamples,
      receipts: {
        ...receiptTotals(o), dir: o.plan.prove === "none" ? null : RECEIPTS_DIR,
        ...(o.plan.prove === "dev" ? { unproven: true, note: "dev receipts carry no proof: they record each run's statement (image ID, journal, exit code, cycles) only" } : {}),
      },
      image: { id: o.imageId, cache: meta.imagePath, reused: meta.imageReused, buildMs: meta.buildMs },
      modelFile: RUN_FILES.model, modelHash: o.modelHash, samplesTrained: o.samplesTrained,
      cyclesPerSample: o.cyclesPerSample, epochs: o.epochs, totalSeconds: meta.totalSeconds, argv: meta.argv,
    }, null, 2) + "\n");
  } catch (e) {
    if (e instanceof TrainError) throw e;
    throw new TrainError("OutputError", `cannot write the run directory ${dir}: ${(e as Error).message}`);
  }
}
