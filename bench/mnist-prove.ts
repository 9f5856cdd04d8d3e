/**
 * npm run bench:mnist-prove [-- LAYERS SAMPLES [nozk]]   (default 784,16,10 2)
 * A real STARK proof of the MNIST training guest (the image with the 55 MB dataset embedded): evaluation mode on
 * the first SAMPLES test images with weights initialised host-side (the same integer init as the guest's), so the
 * run fits one proof (2^20 cycles; a training batch does not, segments are not built yet). Prints cycles, the
 * journal, prove seconds, receipt bytes, peak RSS and the verification.
 */
import { loadMnist } from "../cli/mnist/idx.ts";
import { packSegments } from "../cli/mnist/dataset.ts";
import { buildMnistImage } from "../cli/mnist/image.ts";
import { encodeInput, decodeJournal } from "../cli/mnist/guest-io.ts";
import { initParams } from "../cli/mnist/model.ts";
import { execute } from "../vm/api.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { DEFAULT_PARAMS } from "../verifier/params.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
const layers = (process.argv[2] ?? "784,16,10").split(",").map(Number);
const samples = Number(process.argv[3] ?? 2);
const zk = process.argv[4] !== "nozk";
const img = await buildMnistImage(packSegments(loadMnist("train"), loadMnist("test")));
const input = encodeInput({ mode: "eval", layers, batch: 0, lrRaw: 0, seed: 0, samples, startBatch: 0, numBatches: 0, params: initParams(layers, 7) });
const run = execute(img.image, input, { log: () => {} });
console.log("cycles", run.cycles, "journal", JSON.stringify(decodeJournal(run.journal)));
const t0 = Date.now();
const r = await proveReceipt(img.image.program, input, { params: { ...DEFAULT_PARAMS, zk } });
console.log("proved in", (Date.now() - t0) / 1000, "s; receipt", r.receipt.length, "bytes; maxRSS MiB", Math.round(process.resourceUsage().maxRSS / 1024));
const t1 = performance.now();
const v = verifyReceipt(r.receipt, r.imageId);
console.log("verify", JSON.stringify({ valid: v.valid, ms: +(performance.now() - t1).toFixed(1), ...(v.valid ? { bits: v.securityBits } : { error: v.error }) }));
await closeSharedPool(); await closeQuotientPool();
