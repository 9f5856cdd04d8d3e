// One parallel prover of `zkvm train --prove --workers N` (cli/train/receipts.ts): loads the training image
// from the image cache file once, then proves each input it is sent (STARK mode: in segments of the
// settings' size) and replies with the receipt bytes.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { errorInfo, parseImage } from "../../vm/api.ts";
import type { ProveStep } from "./orchestrate.ts";
import { proveInput, type ProveSettings } from "./receipts.ts";

const port = parentPort;
if (port === null) throw new Error("cli/train/prove-worker.ts must run in a worker thread");
const { imagePath, settings } = workerData as { imagePath: string; settings: ProveSettings };
const image = parseImage(new Uint8Array(readFileSync(imagePath)));

port.on("message", (m: { id: number; input: Uint8Array; progress: boolean }) => {
  void (async () => {
    try {
      // Progress steps go to the parent as they happen (a few per segment), tagged with the job's id.
      const onStep = m.progress ? (step: ProveStep): void => port.postMessage({ id: m.id, step }) : undefined;
      const r = await proveInput(image, new Uint8Array(m.input), settings, onStep);
      port.postMessage({ id: m.id, ok: r }, [r.receipt.buffer as ArrayBuffer]);
    } catch (e) {
      const info = errorInfo(e) ?? { kind: "WorkerFailed", message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ id: m.id, error: { kind: info.kind, message: info.message } });
    }
  })();
});
