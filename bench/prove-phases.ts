/**
 * node --no-liftoff --import tsx bench/prove-phases.ts [--sizes 12,14,16] [--no-zk] [--params JSON overrides]
 * The bench:prove guest (a mixed loop of ≈ 2^k cycles) proven with the STARK prover directly: per size the
 * prover's phase timings, the table shape (heights, widths, aux widths, LDE size), proof bytes, CPU seconds.
 */
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { DEFAULT_PARAMS } from "../verifier/params.ts";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";

const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const sizes = (opt("sizes") ?? "12,14,16").split(",").map(Number);
const params = { ...DEFAULT_PARAMS, zk: !args.includes("--no-zk"), ...(opt("params") ? JSON.parse(opt("params")!) : {}) };

function mixedLoop(iterations: number): AsmInstr[] {
  return [
    ["CONST", 0, iterations], ["CONST", 1, 0], ["CONST", 2, 256], ["CONST", 3, 7],
    ["LOAD32", 4, 2, 0], ["ADD", 4, 4, 0], ["STORE32", 2, 4, 0],
    ["LTUI", 5, 4, 1000], ["SELECT", 1, 4, 5], ["SUB", 6, 4, 3], ["GES", 7, 6, 1], ["ADD", 1, 1, 7],
    ["ADDI", 2, 2, 4], ["SUBI", 2, 2, 4], ["EQZ", 8, 0], ["ADDI", 0, 0, -1],
    ["BRNZ", 0, 4],
    ["EXIT", 1],
  ];
}

for (const k of sizes) {
  const program = asmProgram(mixedLoop(Math.max(1, Math.floor((2 ** k - 6) / 13))), { initialPages: 1 });
  let t = performance.now();
  const tr = buildVmTrace(program);
  const traceMs = performance.now() - t;
  const air = vmAir(program, tr.pages, tr.journal);
  const sym = symbolicAir(air);
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const r = await prove(air, tr.traces, tr.publics, { params });
  const proveMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  t = performance.now();
  const v = verify(air, r.bytes, tr.publics, { params });
  const verifyMs = performance.now() - t;
  if (!v.ok) throw new Error(JSON.stringify(v));
  const tables = sym.tables.map((s, i) => `${s.name}:2^${r.shape.logHeights[i]} w${s.width}+${s.auxWidth}x4 d${s.maxDegree ?? "?"}`);
  console.log(JSON.stringify({
    logCycles: k, cycles: tr.cycles, traceMs: Math.round(traceMs), proveMs: Math.round(proveMs), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1),
    logLde: r.shape.logLde, bytes: r.bytes.length, verifyMs: Math.round(verifyMs), timings: r.timings, tables,
    rssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  }));
}
await closeSharedPool();
await closeQuotientPool();
