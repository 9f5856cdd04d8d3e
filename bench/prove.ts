/**
 * npm run bench:prove [-- --sizes 12,14,16 --json --no-zk --fast-prove --segment-cycles N --params '{"logBlowup":2,"numQueries":43}' --save DIR]
 * --save DIR writes each receipt and image ID as DIR/mixed-<k>.receipt / .id (for `npm run bench:verify -- --load DIR
 * --guests mixed-16`).
 * Parameters: the receipt prover's default (vm/receipt/prove.ts receiptParams: COMPACT_PARAMS when secure at the
 * run's size), DEFAULT_PARAMS with --fast-prove, or DEFAULT_PARAMS with the --params JSON overrides.
 * Proves VM runs end to end (execute → trace → STARK → receipt → verify) for a guest whose loop mixes the
 * provable families (ADD/SUB, comparisons, SELECT, XOR, MUL, i64 add/compare, word and byte loads/stores,
 * branches), at about 2^k cycles per size.
 * Prints prove seconds, cycles/s, receipt bytes, verify ms (cold and warm median of 3), peak RSS, security bits.
 * One proof per run by default (sizes up to 2^20 cycles); --segment-cycles N proves in segments (joint proofs).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { DEFAULT_PARAMS } from "../verifier/params.ts";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes("--json");
const sizes = (opt("sizes") ?? "12,14,16").split(",").map(Number);
const zk = !args.includes("--no-zk");
const explicit = opt("params") !== undefined ? { ...DEFAULT_PARAMS, zk, ...JSON.parse(opt("params")!) } : undefined;
const segmentCycles = opt("segment-cycles") !== undefined ? Number(opt("segment-cycles")) : undefined;
const proveOpts = { ...(explicit !== undefined ? { params: explicit } : { zk, fastProve: args.includes("--fast-prove") }), ...(segmentCycles !== undefined ? { segmentCycles } : {}) };

/** The loop body: a running sum through memory (word and byte), a comparison, a select, a subtraction, a
 *  XOR and a product, a 64-bit addition and comparison; CYCLES_PER_ITERATION cycles (ADD64/LTU64 take 2). */
const BODY: AsmInstr[] = [
  ["LOAD32", 4, 2, 0], ["ADD", 4, 4, 0], ["STORE32", 2, 4, 0],
  ["LTUI", 5, 4, 1000], ["SELECT", 1, 4, 5], ["SUB", 6, 4, 3], ["GES", 7, 6, 1], ["ADD", 1, 1, 7],
  ["XOR", 9, 4, 1], ["MULI", 9, 9, 0x9e3779b9], ["STORE8", 2, 9, 5], ["LOAD8U", 10, 2, 5], ["ADD", 1, 1, 10],
  ["ADD64", 12, 12, 14], ["LTU64", 11, 12, 14], ["ADD", 1, 1, 11],
  ["EQZ", 8, 0], ["ADDI", 0, 0, -1],
];
const CYCLES_PER_ITERATION = BODY.length + 2 + 1; // + ADD64 and LTU64's second rows, + BRNZ
function mixedLoop(iterations: number): AsmInstr[] {
  return [
    ["CONST", 0, iterations], ["CONST", 1, 0], ["CONST", 2, 256], ["CONST", 3, 7],
    ["CONST64", 12, 0xfffffff0, 0], ["CONST64", 14, 0x12345678, 0],
    /* 6 */ ...BODY,
    ["BRNZ", 0, 6],
    ["EXIT", 1],
  ];
}

const rows: Record<string, unknown>[] = [];
for (const k of sizes) {
  const program = asmProgram(mixedLoop(Math.max(1, Math.floor((2 ** k - 8) / CYCLES_PER_ITERATION))), { initialPages: 1 });
  const before = process.memoryUsage().rss;
  const r = await proveReceipt(program, new Uint8Array(), proveOpts);
  if (opt("save") !== undefined) {
    mkdirSync(opt("save")!, { recursive: true });
    writeFileSync(join(opt("save")!, `mixed-${k}.receipt`), r.receipt);
    writeFileSync(join(opt("save")!, `mixed-${k}.id`), r.imageId);
  }
  const peakMiB = Math.round(Math.max(before, process.memoryUsage().rss, (process.resourceUsage().maxRSS ?? 0) * 1024) / 2 ** 20);
  let t = performance.now();
  const v = verifyReceipt(r.receipt, r.imageId);
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) { t = performance.now(); verifyReceipt(r.receipt, r.imageId); warm.push(performance.now() - t); }
  warm.sort((a, b) => a - b);
  if (!v.valid) throw new Error(`receipt did not verify: ${JSON.stringify(v.error)}`);
  const row = {
    logCycles: k, cycles: r.cycles, segments: r.segments, zk, proveS: +(r.proveMs / 1000).toFixed(2), cyclesPerS: Math.round(r.cycles / (r.proveMs / 1000)),
    receiptBytes: r.receipt.length, verifyMsCold: +cold.toFixed(1), verifyMsWarm: +warm[1]!.toFixed(1), peakRssMiB: peakMiB, securityBits: v.securityBits,
  };
  rows.push(row);
  if (json) console.log(JSON.stringify(row));
  else console.log(`2^${k}: ${r.cycles} cycles (${r.segments} segment${r.segments === 1 ? "" : "s"}), prove ${row.proveS} s (${row.cyclesPerS} cycles/s), receipt ${row.receiptBytes} B, verify ${row.verifyMsCold} ms cold / ${row.verifyMsWarm} ms warm, peak RSS ${peakMiB} MiB, ${row.securityBits} bits`);
}
await closeSharedPool();
await closeQuotientPool();
