// Runs one WASM module in both engines — our compiler + VM executor, and V8 with the same host
// functions (vm/intrinsics.ts, vm/host-io.ts) — and reduces each run to a comparable Outcome.
import binaryen from "binaryen";
import { compileWasm } from "../vm/compiler/index.ts";
import { execute } from "../vm/executor/index.ts";
import { isVmError, type VmErrorKind } from "../vm/errors.ts";
import { axpy, dotBig, fxmul, sha256Compress } from "../vm/intrinsics.ts";
import { GuestExit, HostIo, abortError, decodeLog } from "../vm/host-io.ts";

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

/** V8 trap messages → our error kinds (what the reference engine must report). */
export function kindOfV8Error(e: unknown): VmErrorKind | "HostError" {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return "CallStackOverflow";
  if (!(e instanceof WebAssembly.RuntimeError)) return "HostError";
  const m = e.message;
  if (/unreachable/.test(m)) return "Unreachable";
  if (/out of bounds/.test(m) && /table/.test(m)) return "IndirectCallMismatch";
  if (/memory access out of bounds|out of bounds memory/.test(m)) return "MemoryOutOfBounds";
  if (/divide by zero|remainder by zero|divide result unrepresentable/.test(m)) {
    return /unrepresentable/.test(m) ? "DivisionOverflow" : "DivideByZero";
  }
  if (/signature mismatch|null function/.test(m)) return "IndirectCallMismatch";
  return "HostError";
}

/** The reference engine: the same WASM in V8, host functions from the shared modules. */
export function runInV8(wasm: Uint8Array, input: Uint8Array): Outcome {
  const io = new HostIo(input, () => {});
  let memory: WebAssembly.Memory | undefined;
  const mem = (): Uint8Array => new Uint8Array(memory!.buffer);
  const dv = (): DataView => new DataView(memory!.buffer);
  const imports = {
    zkvm: {
      read: (p: number, n: number) => io.input.read(mem(), p, n),
      input_len: () => io.inputLen(),
      commit: (p: number, n: number) => io.journal.commit(mem(), p, n),
      exit: (code: number) => {
        throw new GuestExit(code);
      },
      log: (p: number, n: number) => io.log(decodeLog(mem(), p, n)),
      fxmul: (a: number, b: number) => fxmul(a, b),
      dot: (xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number) => dotBig(dv(), xp, yp, n, sx, sy, acc, shift),
      axpy: (yp: number, xp: number, n: number, sy: number, sx: number, a: number, shift: number) => axpy(dv(), yp, xp, n, sy, sx, a, shift),
      sha256_compress: (st: number, blk: number) => sha256Compress(dv(), st, blk),
    },
    env: {
      abort: (msg: number, file: number, line: number, col: number) => {
        throw abortError(mem(), msg, file, line, col);
      },
    },
  };
  try {
    const module = new WebAssembly.Module(new Uint8Array(wasm)); // ArrayBuffer-backed copy
    const instance = new WebAssembly.Instance(module, imports as unknown as WebAssembly.Imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    const start = instance.exports._start as (() => void) | undefined;
    if (start) start();
    (instance.exports.main as () => void)();
    return { status: "exit", exitCode: 0, journal: hex(io.journal.bytes()) };
  } catch (e) {
    if (e instanceof GuestExit) return { status: "exit", exitCode: e.code, journal: hex(io.journal.bytes()) };
    if (isVmError(e)) return { status: "trap", kind: e.kind, message: e.message };
    return { status: "trap", kind: kindOfV8Error(e), message: String((e as Error).message) };
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
