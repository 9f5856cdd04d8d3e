/**
 * npm run bench:verify [-- --runs 20 --guests fib,data-blob --json --save DIR --load DIR --fast-prove --params JSON]
 *
 * Proves real VM runs once (the example guests, built with the real toolchain and proven through vm/api.ts like
 * the tests and the CLI), then verifies each receipt: once cold (first verify in this process: AIR
 * construction, JIT warm-up), then N times warm, with a per-phase breakdown from the verifiers' optional timing
 * hooks (verifier/stark.ts and vm/receipt/verify.ts `timing`; performance.now() deltas, no console output in the
 * verifier). Also prints what the receipt is made of (receipt/proof sections, opened values per table, Merkle
 * digests per round, FRI layers, memory pages).
 *
 *   --save DIR   write each receipt and its image ID to DIR (so a later run can skip proving: --load DIR)
 *   proving parameters: the receipt prover's default (COMPACT_PARAMS when secure at the run's size), DEFAULT_PARAMS
 *   with --fast-prove, or --params: JSON overrides of DEFAULT_PARAMS, e.g. '{"logFoldingArity":4}'
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, prove, verify } from "../vm/api.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { DEFAULT_PARAMS, type StarkParams } from "../verifier/params.ts";
import { decodeReceipt } from "../vm/receipt/format.ts";
import { receiptSizeBreakdown } from "./receipt-size.ts";

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes("--json");
const runs = Number(opt("runs") ?? 20);
const guests = (opt("guests") ?? "fib,data-blob").split(",");
const saveDir = opt("save");
const loadDir = opt("load");
const explicit: StarkParams | undefined = opt("params") !== undefined ? { ...DEFAULT_PARAMS, ...JSON.parse(opt("params")!) } : undefined;
const proveOpts = explicit !== undefined ? { params: explicit } : { fastProve: args.includes("--fast-prove") };

const EX = join(import.meta.dirname, "../guests/examples");
const u32 = (v: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const INPUTS: Record<string, Uint8Array> = {
  fib: u32(50),
  "data-blob": new Uint8Array(0),
  input: Uint8Array.of(5, 0, 0, 0, 10, 20, 30, 40, 50, 99, 98),
  sha256: new Uint8Array(100).map((_, i) => (i * 29 + 3) & 0xff),
  sort: Uint8Array.of(3, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0),
  "table-sum": new Uint8Array(0),
};

interface Item { name: string; receipt: Uint8Array; imageId: string; proveMs?: number; cycles?: number }

async function obtain(name: string): Promise<Item> {
  if (loadDir !== undefined && existsSync(join(loadDir, `${name}.receipt`))) {
    return { name, receipt: new Uint8Array(readFileSync(join(loadDir, `${name}.receipt`))), imageId: readFileSync(join(loadDir, `${name}.id`), "utf8").trim() };
  }
  const dir = mkdtempSync(join(tmpdir(), "zkvm-vprof-"));
  writeFileSync(join(dir, "blob.bin"), new Uint8Array(777).map((_, i) => (i * 131 + 7) & 0xff));
  const data = name === "data-blob" ? [{ name: "blob", file: join(dir, "blob.bin") }] : [];
  const { image } = await build(join(EX, `${name}.ts`), { data });
  const r = await prove(image.program, INPUTS[name] ?? new Uint8Array(0), proveOpts);
  if (saveDir !== undefined) {
    mkdirSync(saveDir, { recursive: true });
    writeFileSync(join(saveDir, `${name}.receipt`), r.receipt);
    writeFileSync(join(saveDir, `${name}.id`), r.imageId);
  }
  return { name, receipt: r.receipt, imageId: r.imageId, proveMs: r.proveMs, cycles: r.cycles };
}

const items: Item[] = [];
for (const g of guests) items.push(await obtain(g));
await closeSharedPool();
await closeQuotientPool();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const out: Record<string, unknown>[] = [];
for (const it of items) {
  // cold: the first verify of this receipt in this process (the first item also pays the JIT warm-up)
  const coldPhases: Record<string, number> = {};
  let t = performance.now();
  const v = verify(it.receipt, it.imageId, { timing: (p, ms) => { coldPhases[p] = (coldPhases[p] ?? 0) + ms; } });
  const cold = performance.now() - t;
  if (!v.valid) throw new Error(`${it.name}: receipt did not verify: ${JSON.stringify(v.error)}`);
  const totals: number[] = [];
  const phases: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const cur: Record<string, number> = {};
    t = performance.now();
    const w = verify(it.receipt, it.imageId, { timing: (p, ms) => { cur[p] = (cur[p] ?? 0) + ms; } });
    totals.push(performance.now() - t);
    if (!w.valid) throw new Error(`${it.name}: warm verify failed`);
    for (const [k, ms] of Object.entries(cur)) (phases[k] ??= []).push(ms);
  }
  // plain warm runs without the hook (its overhead is a few performance.now() calls, but measure it honestly)
  const plain: number[] = [];
  for (let i = 0; i < runs; i++) { t = performance.now(); verify(it.receipt, it.imageId); plain.push(performance.now() - t); }
  const breakdown = Object.fromEntries(Object.entries(phases).map(([k, xs]) => [k, +median(xs).toFixed(3)]));
  const size = receiptSizeBreakdown(decodeReceipt(it.receipt));
  const row = {
    guest: it.name, cycles: v.cycles, receiptBytes: it.receipt.length, proveMs: it.proveMs, securityBits: v.securityBits,
    verifyMsCold: +cold.toFixed(2), verifyMsWarm: +median(plain).toFixed(2), verifyMsWarmMin: +Math.min(...plain).toFixed(2),
    coldPhases: Object.fromEntries(Object.entries(coldPhases).map(([k, ms]) => [k, +ms.toFixed(3)])), warmPhases: breakdown, size,
  };
  out.push(row);
  if (json) { console.log(JSON.stringify(row)); continue; }
  console.log(`\n== ${it.name}: ${v.cycles} cycles, receipt ${it.receipt.length} B${it.proveMs !== undefined ? `, proved in ${(it.proveMs / 1000).toFixed(1)} s` : ""}, ${v.securityBits} bits`);
  console.log(`verify: cold ${cold.toFixed(1)} ms, warm median ${median(plain).toFixed(2)} ms (min ${Math.min(...plain).toFixed(2)}) over ${runs} runs`);
  const sum = Object.values(breakdown).reduce((a, b) => a + b, 0);
  console.log("warm phase breakdown (median ms):              cold (ms):");
  for (const [k, ms] of Object.entries(breakdown).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${k.padEnd(22)} ${ms.toFixed(3).padStart(8)}  ${((100 * ms) / sum).toFixed(1).padStart(5)} %      ${(coldPhases[k] ?? 0).toFixed(2).padStart(8)}`);
  }
  console.log("receipt composition (bytes):");
  for (const [k, b] of Object.entries(size)) console.log(`  ${k.padEnd(34)} ${String(b).padStart(8)}`);
}
if (json) console.log(JSON.stringify({ summary: out.map((r) => ({ guest: r.guest, receiptBytes: r.receiptBytes, cold: r.verifyMsCold, warm: r.verifyMsWarm })) }));
