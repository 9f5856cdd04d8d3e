// `npm run bench:fx`: cycles (trace rows: CPU + coprocessor) per fx operation, per MAC in a 784-long dot
// product (row and column walks) and per weight in an AXPY update, measured in our VM on
// guests/fx-all/bench.ts; the same runs in the V8 reference engine must commit the same checksum.
// Usage: npm run bench:fx [-- --json] [-- --count N]

import { build, execute, type Image } from "../vm/api.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const countArg = args.indexOf("--count");
const COUNT = countArg >= 0 ? Number(args[countArg + 1]) : 2000;

interface Op { id: number; name: string; /** Elements per call for per-element figures. */ per?: number; unit?: string }

const OPS: Op[] = [
  { id: 1, name: "add" }, { id: 2, name: "sub" }, { id: 3, name: "mul (fxmul)" }, { id: 4, name: "mulSat" },
  { id: 5, name: "addSat" }, { id: 6, name: "div" }, { id: 7, name: "sqrt" }, { id: 8, name: "exp" },
  { id: 9, name: "ln" }, { id: 10, name: "sigmoid" }, { id: 11, name: "tanh" }, { id: 12, name: "relu" },
  { id: 13, name: "abs" }, { id: 14, name: "min" }, { id: 15, name: "toIntRound" }, { id: 16, name: "fromInt" },
  { id: 17, name: "dot 784, row walk", per: 784, unit: "MAC" },
  { id: 18, name: "dot 784, column walk (stride 64)", per: 784, unit: "MAC" },
  { id: 19, name: "axpy 784 (stride 64)", per: 784, unit: "weight" },
  { id: 20, name: "softmax over 10", per: 10, unit: "element" },
  { id: 21, name: "argmax over 10", per: 10, unit: "element" },
];

function input(op: number, count: number): Uint8Array {
  return new Uint8Array(new Uint32Array([op, count]).buffer);
}

function run(image: Image, op: number, count: number): { cycles: number; checksum: string } {
  const vm = execute(image, input(op, count), { engine: "vm" });
  const wasm = execute(image, input(op, count), { engine: "wasm" });
  const a = Buffer.from(vm.journal).toString("hex");
  const b = Buffer.from(wasm.journal).toString("hex");
  if (a !== b) throw new Error(`op ${op}: VM journal ${a} differs from V8 journal ${b}`);
  return { cycles: vm.cycles!, checksum: a };
}

const { image } = await build(new URL("../guests/fx-all/bench.ts", import.meta.url).pathname);
// Fixed cost (setup) and the loop's own cost per iteration, both subtracted from every op. The empty
// loop still combines its two operands with one ALU instruction (so that they are computed at all),
// which is added back: figures are ±2 cycles (the compiler may schedule operand code differently).
const setup = run(image, 0, 0).cycles;
const loop = (run(image, 0, COUNT).cycles - setup) / COUNT - 1;
const rows: { op: string; cyclesPerCall: number; perElement?: number; unit?: string }[] = [];
for (const op of OPS) {
  const count = op.per !== undefined && op.per > 100 ? Math.max(1, Math.floor(COUNT / 20)) : COUNT;
  const total = run(image, op.id, count).cycles - setup;
  const perCall = total / count - loop;
  rows.push({ op: op.name, cyclesPerCall: perCall, ...(op.per !== undefined ? { perElement: perCall / op.per, unit: op.unit } : {}) });
}

if (json) {
  console.log(JSON.stringify({ loopCyclesPerIteration: loop, count: COUNT, ops: rows }));
} else {
  console.log(`fx cycles per operation (VM, loop overhead of ${loop.toFixed(1)} cycles/iteration subtracted; V8 agrees on every checksum)`);
  for (const r of rows) {
    const per = r.perElement !== undefined ? `   ${r.perElement.toFixed(3)} per ${r.unit}` : "";
    console.log(`  ${r.op.padEnd(34)} ${r.cyclesPerCall.toFixed(1).padStart(8)}${per}`);
  }
}
