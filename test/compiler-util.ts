// Helpers for the compiler tests: build WASM from AssemblyScript (asc API) or from WAT (binaryen), run
// it in V8 with the guest ABI's I/O imports, and run the compiled Program in our executor, so a test
// can compare the two engines.

import asc from "assemblyscript/asc";
import binaryen from "binaryen";
import { compileWasm } from "../vm/compiler/index.ts";
import { execute } from "../vm/executor/index.ts";
import { isVmError } from "../vm/errors.ts";
import type { Program } from "../vm/program.ts";

export interface AscOutput {
  wasm: Uint8Array;
  sourceMap: string;
}

/** Compile AssemblyScript sources (file name → text; the entry is the first) with --runtime stub. */
export async function compileAsc(files: Record<string, string>, extraArgs: string[] = []): Promise<AscOutput> {
  const entry = Object.keys(files)[0]!;
  const out: Record<string, Uint8Array | string> = {};
  let stderr = "";
  const { error } = await asc.main(
    [entry, "--runtime", "stub", "-O3", "--sourceMap", "--outFile", "out.wasm", ...extraArgs],
    {
      readFile: (name: string) => (name in files ? files[name]! : null),
      writeFile: (name: string, data: Uint8Array | string) => { out[name] = data; },
      listFiles: () => [],
      stdout: { write: () => true } as never,
      stderr: { write: (s: string) => { stderr += s; return true; } } as never,
    },
  );
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr}`);
  const wasm = out["out.wasm"];
  const map = out["out.wasm.map"];
  if (!(wasm instanceof Uint8Array) || map === undefined) throw new Error("asc produced no output");
  return { wasm, sourceMap: typeof map === "string" ? map : new TextDecoder().decode(map) };
}

/** WAT text → WASM binary (binaryen; all features enabled so sign-ext and bulk memory parse). */
export function wat(text: string): Uint8Array {
  const m = binaryen.parseText(text);
  try {
    m.setFeatures(binaryen.Features.All);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

export type RunOutcome =
  | { ok: true; exitCode: number; journal: string }
  | { ok: false; kind: string };

class Exit {
  constructor(readonly code: number) {}
}

const V8_TRAPS: [RegExp, string][] = [
  [/unreachable/i, "Unreachable"],
  [/divi(de|sion) by zero|remainder by zero/i, "DivideByZero"],
  [/integer overflow|divide result unrepresentable/i, "DivisionOverflow"],
  [/table index|null function|signature mismatch|function signature/i, "IndirectCallMismatch"],
  [/out of bounds/i, "MemoryOutOfBounds"],
  [/call stack/i, "CallStackOverflow"],
];

/** Run in V8 with the I/O imports of the guest ABI. */
export function runV8(wasm: Uint8Array, input: Uint8Array = new Uint8Array()): RunOutcome {
  let mem: WebAssembly.Memory | undefined;
  let pos = 0;
  const journal: number[] = [];
  const bytes = () => new Uint8Array(mem!.buffer);
  const imports = {
    zkvm: {
      read: (p: number, n: number) => {
        if (pos + n > input.length) throw new Exit(-1000);
        bytes().set(input.subarray(pos, pos + n), p >>> 0);
        pos += n;
      },
      input_len: () => input.length - pos,
      commit: (p: number, n: number) => { journal.push(...bytes().subarray(p >>> 0, (p >>> 0) + n)); },
      exit: (c: number) => { throw new Exit(c); },
      log: () => {},
    },
    env: { abort: () => { throw new Exit(-2000); } },
  };
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(wasm)), imports as unknown as WebAssembly.Imports);
    mem = inst.exports.memory as WebAssembly.Memory;
    if (typeof inst.exports._start === "function") (inst.exports._start as () => void)();
    (inst.exports.main as () => void)();
    return { ok: true, exitCode: 0, journal: Buffer.from(journal).toString("hex") };
  } catch (e) {
    if (e instanceof Exit) {
      if (e.code === -1000) return { ok: false, kind: "InputExhausted" };
      if (e.code === -2000) return { ok: false, kind: "Abort" };
      return { ok: true, exitCode: e.code, journal: Buffer.from(journal).toString("hex") };
    }
    const msg = String((e as Error).message ?? e);
    for (const [re, kind] of V8_TRAPS) if (re.test(msg)) return { ok: false, kind };
    if (e instanceof RangeError) return { ok: false, kind: "CallStackOverflow" };
    throw e;
  }
}

/** Run a compiled Program in our executor. */
export function runVm(p: Program, input: Uint8Array = new Uint8Array(), maxCycles = 50_000_000): RunOutcome & { cycles?: number } {
  try {
    const r = execute(p, input, { maxCycles, log: () => {} });
    return { ok: true, exitCode: r.exitCode, journal: Buffer.from(r.journal).toString("hex"), cycles: r.cycles };
  } catch (e) {
    if (isVmError(e)) return { ok: false, kind: e.kind };
    throw e;
  }
}

/** Compile + run in both engines. */
export function both(wasm: Uint8Array, input?: Uint8Array): { vm: RunOutcome; v8: RunOutcome; program: Program } {
  const program = compileWasm(wasm);
  const vm = runVm(program, input);
  const { cycles: _c, ...vmOutcome } = vm as RunOutcome & { cycles?: number };
  return { vm: vmOutcome as RunOutcome, v8: runV8(wasm, input), program };
}
