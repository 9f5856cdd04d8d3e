// Runs one WASM module in both engines — our compiler + VM executor, and V8 with the same host
// functions (vm/intrinsics.ts, vm/host-io.ts) — and reduces each run to a comparable Outcome.
import binaryen from "binaryen";
import { compileWasm } from "../vm/compiler/index.ts";
import { execute } from "../vm/executor/index.ts";
import { isVmError, type VmErrorKind } from "../vm/errors.ts";
import { GuestExit, HostIo, vmErrorKindOfWasmTrap, wasmHostImports } from "../vm/host-io.ts";
import { executeWasm } from "../vm/wasm-engine/index.ts";

export type Outcome =
  | { status: "exit"; exitCode: number; journal: string }
  | { status: "trap"; kind: VmErrorKind | "HostError"; message: string };

const FEATURES =
  binaryen.Features.MVP | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt | binaryen.Features.SignExt | binaryen.Features.MutableGlobals;

/** WAT text → WASM binary (binaryen's parser; fails loudly on invalid text). */
export function watToWasm(wat: string): Uint8Array {
  const m = binaryen.parseText(wat);
  try {
    m.setFeatures(FEATURES);
    if (!m.validate()) throw new Error("generated WAT does not validate");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The reference engine: the same WASM in V8, host functions from vm/host-io.ts (shared with the VM). */
export function runInV8(wasm: Uint8Array, input: Uint8Array): Outcome {
  const io = new HostIo(input, () => {});
  let memory: WebAssembly.Memory | undefined;
  try {
    const module = new WebAssembly.Module(new Uint8Array(wasm)); // ArrayBuffer-backed copy
    const instance = new WebAssembly.Instance(module, wasmHostImports(io, () => memory!));
    memory = instance.exports.memory as WebAssembly.Memory;
    const start = instance.exports._start as (() => void) | undefined;
    if (start) start();
    (instance.exports.main as () => void)();
    return { status: "exit", exitCode: 0, journal: hex(io.journal.bytes()) };
  } catch (e) {
    if (e instanceof GuestExit) return { status: "exit", exitCode: e.code, journal: hex(io.journal.bytes()) };
    if (isVmError(e)) return { status: "trap", kind: e.kind, message: e.message };
    return { status: "trap", kind: vmErrorKindOfWasmTrap(e) ?? "HostError", message: String((e as Error).message) };
  }
}

/** The product's reference engine (vm/wasm-engine), on an image made of the compiled program + its WASM. */
export function runInWasmEngine(wasm: Uint8Array, input: Uint8Array): Outcome {
  try {
    const r = executeWasm({ program: compileWasm(wasm), wasm }, input, { log: () => {} });
    return { status: "exit", exitCode: r.exitCode, journal: hex(r.journal) };
  } catch (e) {
    if (isVmError(e)) return { status: "trap", kind: e.kind, message: e.message };
    throw e;
  }
}

export interface VmOutcomeExtra {
  cycles: number;
}

/** Our engine: compile to the register ISA and execute. */
export function runInVm(wasm: Uint8Array, input: Uint8Array, maxCycles = 50_000_000): Outcome & VmOutcomeExtra {
  const program = compileWasm(wasm);
  try {
    const r = execute(program, input, { maxCycles, log: () => {} });
    return { status: "exit", exitCode: r.exitCode, journal: hex(r.journal), cycles: r.cycles };
  } catch (e) {
    if (isVmError(e)) return { status: "trap", kind: e.kind, message: e.message, cycles: e.cycles ?? 0 };
    throw e;
  }
}

/** Outcomes compare equal when both exit with the same code and journal, or both trap with the same kind. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.status === "exit" && b.status === "exit") return a.exitCode === b.exitCode && a.journal === b.journal;
  if (a.status === "trap" && b.status === "trap") return a.kind === b.kind;
  return false;
}
