// `npm run fuzz:vm [-- --seeds N] [-- --start S] [-- --reduce]`: many more random programs than the
// differential test, VM vs V8. Prints every mismatching seed (with a minimised program when --reduce)
// and exits 1 if there was any.
import { generateWat, Rng } from "../test/differential-gen.ts";
import { runInV8, runInVm, sameOutcome, watToWasm } from "../test/differential-harness.ts";

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seeds = opt("--seeds", 5000);
const start = opt("--start", 1_000_000);
const reduce = args.includes("--reduce");

function inputFor(seed: number): Uint8Array {
  const r = new Rng(seed * 7919);
  const input = new Uint8Array(r.int(2) === 0 ? 0 : r.int(96));
  for (let i = 0; i < input.length; i++) input[i] = r.int(256);
  return input;
}

function mismatches(wat: string, input: Uint8Array): boolean {
  try {
    const wasm = watToWasm(wat);
    return !sameOutcome(runInV8(wasm, input), runInVm(wasm, input));
  } catch {
    return false;
  }
}

/** Greedy line-wise minimisation of main's body, keeping the mismatch. */
function minimise(wat: string, input: Uint8Array): string {
  let lines = wat.split("\n");
  const first = lines.findIndex((l) => l.includes("(local $c0 i32)")) + 1;
  const keep = (l: string) => /\(i32\.const 11|\$commit|^\s*\(data|^\s*\)$/.test(l);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = first; i < lines.length; i++) {
      if (keep(lines[i]!)) continue;
      const t = [...lines.slice(0, i), ...lines.slice(i + 1)];
      if (mismatches(t.join("\n"), input)) {
        lines = t;
        changed = true;
        i--;
      }
    }
  }
  return lines.join("\n");
}

let cycles = 0;
let bad = 0;
const kinds: Record<string, number> = {};
const t0 = Date.now();
for (let seed = start; seed < start + seeds; seed++) {
  const wat = generateWat(seed, { statements: 16 });
  const input = inputFor(seed);
  const wasm = watToWasm(wat);
  const v8 = runInV8(wasm, input);
  const vm = runInVm(wasm, input);
  cycles += vm.cycles;
  const k = v8.status === "exit" ? "exit" : v8.kind;
  kinds[k] = (kinds[k] ?? 0) + 1;
  if (!sameOutcome(v8, vm)) {
    bad++;
    console.log(`MISMATCH seed ${seed}: v8 ${JSON.stringify(v8).slice(0, 200)} vm ${JSON.stringify(vm).slice(0, 200)}`);
    if (reduce) console.log(minimise(wat, input));
  }
}
console.log(JSON.stringify({ seeds, start, mismatches: bad, vmCycles: cycles, outcomes: kinds, seconds: (Date.now() - t0) / 1000 }));
process.exit(bad === 0 ? 0 : 1);
