// `npm run bench:vm`: executor speed in cycles (trace rows) per second on tight loops.
// Not a test: it only prints numbers. Usage: npm run bench:vm [-- --json] [-- --iterations N]
import { asmProgram } from "../vm/executor/asm.ts";
import { execute } from "../vm/executor/index.ts";
import type { Program } from "../vm/program.ts";

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

const results: { name: string; cycles: number; seconds: number; cyclesPerSecond: number }[] = [];
for (const { name, program } of cases) {
  try {
    execute(program, new Uint8Array(0), { maxCycles: 1e6 }); // warm-up: stops at the limit on purpose
  } catch {
    /* CycleLimit expected */
  }
  let best = Infinity;
  let cycles = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    try {
      cycles = execute(program, new Uint8Array(0)).cycles;
    } finally {
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  results.push({ name, cycles, seconds: best, cyclesPerSecond: cycles / best });
}
if (json) for (const r of results) console.log(JSON.stringify(r));
else for (const r of results) console.log(`${r.name}: ${r.cycles} cycles in ${r.seconds.toFixed(3)} s = ${(r.cyclesPerSecond / 1e6).toFixed(1)} M cycles/s`);
