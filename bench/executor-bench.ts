// `npm run bench:vm`: executor speed in cycles (trace rows) per second on tight loops.
// Not a test: it only prints numbers. Usage: npm run bench:vm [-- --json] [-- --iterations N]
import { asmProgram } from "../vm/executor/asm.ts";
import { execute } from "../vm/executor/index.ts";
import type { Program } from "../vm/program.ts";
import asc from "assemblyscript/asc";
import { compileWasm } from "../vm/compiler/index.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const itArg = args.indexOf("--iterations");
const iterations = itArg >= 0 ? Number(args[itArg + 1]) : 20_000_000;

interface Case { name: string; program: Program }

const cases: Case[] = [
  {
    // 3 instructions per iteration: the minimal counted loop.
    name: "counted loop (SUBI, ADD, BRNZ)",
    program: asmProgram([
      ["CONST", 0, iterations],
      ["CONST", 1, 0],
      ["SUBI", 0, 0, 1],
      ["ADD", 1, 1, 0],
      ["BRNZ", 0, 2],
      ["EXIT", 1],
    ]),
  },
  {
    // A memory-bound loop: load, multiply-add, store, pointer bump, compare, branch (i32 + i64).
    name: "memory + i64 loop (LOAD32, MUL, ADD64, STORE32, ...)",
    program: asmProgram([
      ["CONST", 0, Math.floor(iterations / 8)], // r0 = counter
      ["CONST", 1, 0], // r1 = pointer
      ["CONST64", 2, 0, 0], // R2 = acc
      ["LOAD32", 4, 1, 0], // r4 = M[r1]
      ["MULI", 5, 4, 3],
      ["ADDI", 5, 5, 1],
      ["EXT32S64", 6, 5],
      ["ADD64", 2, 2, 6],
      ["STORE32", 1, 5, 0],
      ["ADDI", 1, 1, 4],
      ["ANDI", 1, 1, 0xfffc],
      ["SUBI", 0, 0, 1],
      ["BRNZ", 0, 3],
      ["EXIT", 2],
    ]),
  },
];

// DOT coprocessor throughput: 784-element dot products (an MNIST input row), 1 + n rows each.
const dots = Math.max(1, Math.floor(iterations / 785 / 2));
cases.push({
  name: "DOT n=784 (coprocessor rows)",
  program: asmProgram(
    [
      ["CONST", 0, dots], // counter
      ["CONST", 1, 0], // xp
      ["CONST", 2, 4096], // yp
      ["CONST", 3, 784], // n
      ["CONST", 4, 1], // sx
      ["CONST", 5, 1], // sy
      ["CONST64", 6, 0, 0], // acc
      ["CONST", 8, 16], // shift
      ["DOT", 9, 1],
      ["SUBI", 0, 0, 1],
      ["BRNZ", 0, 8],
      ["EXIT", 9],
    ],
    { initialPages: 1 },
  ),
});

// A real compiled guest: AssemblyScript (-O3, runtime stub) → WASM → our compiler.
async function compiledLoop(): Promise<Program> {
  const src = `@external("zkvm", "commit") declare function commit(ptr: usize, len: usize): void;
export function main(): void {
  let s: u32 = 1;
  for (let i: u32 = 0; i < ${Math.floor(iterations / 4)}; i++) { s = (s ^ i) + (s >>> 3); }
  store<u32>(0, s);
  commit(0, 4);
}`;
  const out: Record<string, Uint8Array | string> = {};
  const r = await asc.main(["g.ts", "--outFile", "g.wasm", "--runtime", "stub", "-O3", "--initialMemory", "1"], {
    readFile: (n: string) => (n === "g.ts" ? src : null),
    writeFile: (n: string, c: Uint8Array | string) => {
      out[n] = c;
    },
    listFiles: () => [],
  });
  if (r.error) throw r.error;
  return compileWasm(out["g.wasm"] as Uint8Array);
}
cases.push({ name: "compiled AssemblyScript loop (xor, add, shift, compare, branch)", program: await compiledLoop() });

// Wall-clock and CPU time: on a shared machine the CPU-time rate is the steadier figure.
const results: { name: string; cycles: number; seconds: number; cyclesPerSecond: number; cpuSeconds?: number; cyclesPerCpuSecond?: number }[] = [];
for (const { name, program } of cases) {
  try {
    execute(program, new Uint8Array(0), { maxCycles: 1e6 }); // warm-up: stops at the limit on purpose
  } catch {
    /* CycleLimit expected */
  }
  let best = Infinity;
  let bestCpu = Infinity;
  let cycles = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    try {
      cycles = execute(program, new Uint8Array(0)).cycles;
    } finally {
      const cpu = process.cpuUsage(c0);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
      bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
    }
  }
  results.push({ name, cycles, seconds: best, cyclesPerSecond: cycles / best, cpuSeconds: bestCpu, cyclesPerCpuSecond: cycles / bestCpu });
}
// Tracing mode cost (per-instruction callback), on the first case, for comparison.
{
  const small = asmProgram([["CONST", 0, 1_000_000], ["CONST", 1, 0], ["SUBI", 0, 0, 1], ["ADD", 1, 1, 0], ["BRNZ", 0, 2], ["EXIT", 1]]);
  let steps = 0;
  const t0 = process.hrtime.bigint();
  const r = execute(small, new Uint8Array(0), { trace: { step: () => void steps++ } });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  results.push({ name: `trace mode (callback per instruction, ${steps} steps)`, cycles: r.cycles, seconds: sec, cyclesPerSecond: r.cycles / sec });
}
if (json) for (const r of results) console.log(JSON.stringify(r));
else {
  for (const r of results) {
    const cpu = r.cyclesPerCpuSecond !== undefined ? ` (${(r.cyclesPerCpuSecond / 1e6).toFixed(1)} M per CPU-second)` : "";
    console.log(`${r.name}: ${r.cycles} cycles in ${r.seconds.toFixed(3)} s = ${(r.cyclesPerSecond / 1e6).toFixed(1)} M cycles/s${cpu}`);
  }
}
