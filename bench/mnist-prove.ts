/**
 * npm run bench:mnist-prove [-- MODE LAYERS N [zk|nozk] [SEGMENT_CYCLES]]   (default: eval 784,16,10 2 zk)
 * A real STARK proof of a run of the MNIST training guest (the image with the 55 MB dataset embedded), small enough
 * for one proof (2^20 cycles) on this machine:
 *   eval  — test accuracy on the first N test images, weights initialised host-side (the guest's integer init);
 *   train — one SGD step: one batch of N training samples (N a power of two; the sample order from the seed, as in
 *           `zkvm train`), lr 0.2, from the same initial weights; the journal commits the weights' hashes before
 *           and after, so the receipt proves the update.
 * With SEGMENT_CYCLES the run is proven in segments (joint proofs, one part's commitments in memory at a time).
 * Prints cycles, the journal, prove seconds, receipt bytes, peak RSS and the verification.
 */
import { loadMnist } from "../cli/mnist/idx.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { buildMnistImage } from "../cli/mnist/image.ts";
import { encodeInput, decodeJournal, type GuestRequest } from "../cli/mnist/guest-io.ts";
import { initParams } from "../cli/mnist/model.ts";
import { execute } from "../vm/api.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { DEFAULT_PARAMS } from "../verifier/params.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";

const mode = process.argv[2] === "train" ? "train" : "eval";
const layers = (process.argv[3] ?? "784,16,10").split(",").map(Number);
const n = Number(process.argv[4] ?? 2);
const zk = process.argv[5] !== "nozk";
const segmentCycles = process.argv[6] !== undefined ? Number(process.argv[6]) : undefined;
const SEED = 7;
const req: GuestRequest = mode === "eval"
  ? { mode, layers, batch: 0, lrRaw: 0, seed: 0, samples: n, startBatch: 0, numBatches: 0, params: initParams(layers, SEED) }
  : { mode, layers, batch: n, lrRaw: Math.round(0.2 * 65536), seed: SEED, samples: 60000, startBatch: 0, numBatches: 1, params: initParams(layers, SEED) };
const img = await buildMnistImage(packSegments(loadMnist("train"), loadMnist("test")));
const input = encodeInput(req);
const run = execute(img.image, input, { log: () => {} });
console.log(mode, JSON.stringify(layers), "n", n, "cycles", run.cycles, "journal", JSON.stringify(decodeJournal(run.journal), (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
const t0 = Date.now();
const MiB = (b: number): number => Math.round(b / 2 ** 20);
function logPart(phase: string, k: number, total: number): void {
  const m = process.memoryUsage();
  console.log(`  ${phase} ${k}/${total} at ${((Date.now() - t0) / 1000).toFixed(1)} s: rss ${MiB(m.rss)} MiB, heap ${MiB(m.heapUsed)}, external ${MiB(m.external)}, arrayBuffers ${MiB(m.arrayBuffers)}`);
}
const r = await proveReceipt(img.image.program, input, { params: { ...DEFAULT_PARAMS, zk }, ...(segmentCycles !== undefined ? { segmentCycles } : {}), onPart: logPart });
console.log("proved in", (Date.now() - t0) / 1000, "s;", r.segments, "segment(s); receipt", r.receipt.length, "bytes; maxRSS MiB", Math.round(process.resourceUsage().maxRSS / 1024));
const t1 = performance.now();
const v = verifyReceipt(r.receipt, r.imageId);
console.log("verify", JSON.stringify({ valid: v.valid, ms: +(performance.now() - t1).toFixed(1), ...(v.valid ? { bits: v.securityBits } : { error: v.error }) }));
await closeSharedPool(); await closeQuotientPool();
