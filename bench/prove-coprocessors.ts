/**
 * npm run bench:cop [-- --n 784,4096,16384 --json --no-zk --fast-prove]
 * Proves a run of one DOT and one AXPY over n-element Q16.16 vectors (the MNIST guest's two hot instructions:
 * a neuron's weighted sum, a parameter update), end to end (execute → trace → STARK → receipt → verify).
 * Prints cycles, the DOT/AXPY/CPU table heights, prove seconds, cycles/s, receipt bytes, verify ms, peak RSS.
 */
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { buildVmTrace, TABLE, tableIndex } from "../vm/air/index.ts";

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const json = args.includes("--json");
const sizes = (opt("n") ?? "784,4096").split(",").map(Number);
// the receipt prover's own choice of parameters (compact ones for small LDEs), as `zkvm prove` makes it
const proveOpts = { zk: !args.includes("--no-zk"), fastProve: args.includes("--fast-prove") };

function program(n: number) {
  const X = 64, Y = X + 4 * n + 64;
  const x = Int32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 131072) - 65536);
  const y = Int32Array.from({ length: n }, (_, i) => ((i * 40503) % 65536) - 32768);
  // r0 = DOT(x, y, n, 1, 1, 0, 16); AXPY(y, x, n, 1, 1, r0 >> 8, 16); EXIT r0
  const instrs: AsmInstr[] = [
    ["CONST", 10, X], ["CONST", 11, Y], ["CONST", 12, n], ["CONST", 13, 1], ["CONST", 14, 1], ["CONST", 15, 0], ["CONST", 16, 0], ["CONST", 17, 16],
    ["DOT", 0, 10],
    ["CONST", 20, Y], ["CONST", 21, X], ["CONST", 22, n], ["CONST", 23, 1], ["CONST", 24, 1], ["SHRSI", 25, 0, 8], ["CONST", 26, 16],
    ["AXPY", 20],
    ["EXIT", 0],
  ];
  const pages = Math.ceil((Y + 4 * n) / 65536);
  return asmProgram(instrs, { initialPages: pages, segments: [{ addr: X, bytes: new Uint8Array(x.buffer) }, { addr: Y, bytes: new Uint8Array(y.buffer) }] });
}

for (const n of sizes) {
  const p = program(n);
  const t = buildVmTrace(p);
  const heights = { cpu: t.traces[TABLE.cpu]![0]!.length, dot: t.traces[tableIndex(p.code, "dot")]![0]!.length, axpy: t.traces[tableIndex(p.code, "axpy")]![0]!.length, boundary: t.traces[TABLE.boundary]![0]!.length };
  const before = process.memoryUsage().rss;
  const r = await proveReceipt(p, new Uint8Array(), proveOpts);
  const peakMiB = Math.round(Math.max(before, process.memoryUsage().rss, (process.resourceUsage().maxRSS ?? 0) * 1024) / 2 ** 20);
  let s = performance.now();
  const v = verifyReceipt(r.receipt, r.imageId);
  const cold = performance.now() - s;
  s = performance.now();
  verifyReceipt(r.receipt, r.imageId);
  const warm = performance.now() - s;
  if (!v.valid) throw new Error(`receipt did not verify: ${JSON.stringify(v.error)}`);
  const row = { n, cycles: r.cycles, heights, zk: proveOpts.zk, proveS: +(r.proveMs / 1000).toFixed(2), cyclesPerS: Math.round(r.cycles / (r.proveMs / 1000)), receiptBytes: r.receipt.length, verifyMsCold: +cold.toFixed(1), verifyMsWarm: +warm.toFixed(1), peakRssMiB: peakMiB, securityBits: v.securityBits };
  if (json) console.log(JSON.stringify(row));
  else console.log(`n = ${n}: ${r.cycles} cycles (CPU ${heights.cpu}, DOT ${heights.dot}, AXPY ${heights.axpy}, BOUNDARY ${heights.boundary} rows), prove ${row.proveS} s (${row.cyclesPerS} cycles/s), receipt ${row.receiptBytes} B, verify ${row.verifyMsCold} ms cold / ${row.verifyMsWarm} ms warm, peak RSS ${peakMiB} MiB, ${row.securityBits} bits`);
}
await closeSharedPool();
await closeQuotientPool();
