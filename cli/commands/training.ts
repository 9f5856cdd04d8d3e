// `zkvm verify-training` and `zkvm aggregate` (issue 7; docs/cli.md, docs/mnist.md "Receipts of training"):
// thin layers over cli/train/verify-training.ts and cli/train/aggregate.ts.
import { resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { parseImageId } from "../../vm/image/image-id.ts";
import { EXIT, guarded, printJson, UsageError } from "../output.ts";

const pinnedId = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  const id = parseImageId(String(v));
  if (id === undefined) throw new UsageError("--image-id must be 64 hex digits");
  return id;
};

const DEV_WARNING = "DEV receipts: NO proof; only the consistency of the runs' claimed statements was checked, nothing is proven";

interface VerifyTrainingArgs { dir: string; "image-id": string; "allow-dev"?: boolean; json?: boolean }

export const verifyTrainingCommand: CommandModule<object, VerifyTrainingArgs> = {
  command: "verify-training <dir>",
  describe: "Check a `zkvm train --prove` run directory: every receipt, their chain, coverage, evaluations, the model file",
  builder: (y) =>
    (y as Argv)
      .positional("dir", { type: "string", demandOption: true, describe: "run directory (train --prove -o DIR)" })
      .option("image-id", { type: "string", demandOption: true, requiresArg: true, describe: "the training image's ID (64 hex digits) every receipt must be for" })
      .option("allow-dev", { type: "boolean", default: false, describe: "accept dev receipts (no proof)" })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" }) as unknown as Argv<VerifyTrainingArgs>,
  handler: guarded(async (a: VerifyTrainingArgs) => {
    const imageId = pinnedId(a["image-id"])!;
    const { verifyTrainingDir, TrainingVerifyError } = await import("../train/verify-training.ts");
    let r;
    try {
      r = verifyTrainingDir(resolve(a.dir), imageId, { allowDev: a["allow-dev"] === true });
    } catch (e) {
      if (!(e instanceof TrainingVerifyError)) throw e;
      if (a.json) printJson({ valid: false, error: e.toJSON() });
      else process.stderr.write(`INVALID [${e.kind}]: ${e.message}\n`);
      process.exitCode = EXIT.failed;
      return;
    }
    const { params: _params, ...summary } = r;
    if (a.json) {
      printJson(summary);
      return;
    }
    process.stdout.write([
      `valid${r.dev ? ` (${DEV_WARNING})` : ""}`,
      `image ID        ${r.imageId}`,
      `config          ${r.config ?? "?"}: layers [${r.layers.join(", ")}], batch ${r.batch}, lr raw ${r.lrRaw}, seed ${r.seed}, N ${r.datasetSamples}`,
      `training        ${r.epochs} epoch(s) × ${r.samplesPerEpoch} samples = ${r.batches} batches in ${r.trainReceipts} receipts, chained from ${r.initHash}`,
      `evaluation      ${r.evalReceipts === 0 ? "no evaluation receipts" : `${r.evalReceipts} receipts, test accuracy ${r.testAccuracy.map((x) => x.toFixed(2)).join(" / ")} %`}`,
      `model hash      ${r.modelHash} (= model.bin)`,
      `cycles          ${r.cycles}`,
      `checked in      ${(r.verifyMs / 1000).toFixed(2)} s`,
    ].join("\n") + "\n");
  }),
};

interface AggregateArgs { dirs: string[]; out: string; "image-id"?: string; "allow-dev"?: boolean; json?: boolean }

export const aggregateCommand: CommandModule<object, AggregateArgs> = {
  command: "aggregate <dirs..>",
  describe: "Average the models of several verified training runs (paper §5.5); writes the averaged model",
  builder: (y) =>
    (y as Argv)
      .positional("dirs", { type: "string", array: true, demandOption: true, describe: "run directories (train --prove), at least two" })
      .option("out", { alias: "o", type: "string", demandOption: true, requiresArg: true, describe: "averaged model file to write (model.bin layout)" })
      .option("image-id", { type: "string", requiresArg: true, describe: "the training image's ID; without it, the ID the run directories name (must agree; pins nothing)" })
      .option("allow-dev", { type: "boolean", default: false, describe: "accept runs with dev receipts (no proof)" })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" }) as unknown as Argv<AggregateArgs>,
  handler: guarded(async (a: AggregateArgs) => {
    const dirs = a.dirs.map((d) => resolve(String(d)));
    if (dirs.length < 2) throw new UsageError("aggregate needs at least two run directories");
    const pinned = pinnedId(a["image-id"]);
    const { aggregateRuns, unpinnedImageId } = await import("../train/aggregate.ts");
    const imageId = pinned ?? unpinnedImageId(dirs);
    const r = aggregateRuns(dirs, imageId, resolve(a.out), { allowDev: a["allow-dev"] === true });
    const out = { ...r, imagePinned: pinned !== undefined };
    if (a.json) {
      printJson(out);
      return;
    }
    process.stdout.write(`${r.modelHash}  ${a.out}\n`);
    process.stderr.write([
      `averaged ${r.runs.length} runs (seeds ${r.runs.map((x) => x.seed).join(", ")}), ${r.params} parameters, layers [${r.layers.join(", ")}]; rounding: ${r.rounding}`,
      ...(pinned === undefined ? [`image ID ${imageId} taken from the run directories (not pinned: pass --image-id)`] : []),
      ...(r.dev ? [`WARNING: ${DEV_WARNING}`] : []),
    ].join("\n") + "\n");
  }),
};
