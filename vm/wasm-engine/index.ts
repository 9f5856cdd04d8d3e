// Reference engine: runs an image's embedded WASM module in V8 with the same host functions as our VM
// (vm/host-io.ts, vm/intrinsics.ts), so both engines can be compared run for run.
//
// Memory set-up matches the VM's initial memory: after instantiation the memory grows to the image's
// initial pages and the build's segments (data directory and --data blobs, the named segments) are
// copied in; then `_start` (AssemblyScript's top-level code, exported by the build) and `main` run.
// V8 traps are mapped to the VM's error kinds. Cycles are not counted here (V8 runs native code).

import { GuestExit, HostIo, vmErrorKindOfWasmTrap, wasmHostImports, type LogSink } from "../host-io.ts";
import { VmError, isVmError } from "../errors.ts";
import { WASM_PAGE_BYTES } from "../program.ts";
import type { Image } from "../image/format.ts";

export interface WasmRunOptions {
  /** Where zkvm.log output goes (default: process.stderr). */
  readonly log?: LogSink;
}

export interface WasmRunResult {
  readonly exitCode: number;
  readonly journal: Uint8Array;
}

const moduleCache = new WeakMap<Uint8Array, WebAssembly.Module>();

function compiledModule(wasm: Uint8Array): WebAssembly.Module {
  let m = moduleCache.get(wasm);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(new Uint8Array(wasm));
    } catch (e) {
      throw new VmError("InvalidImage", `embedded WASM module is invalid: ${(e as Error).message}`);
    }
    moduleCache.set(wasm, m);
  }
  return m;
}

/** Runs the image's WASM on `input`; throws VmError on a guest fault (same kinds as the VM). */
export function executeWasm(image: Image, input: Uint8Array, opts: WasmRunOptions = {}): WasmRunResult {
  const io = new HostIo(input, opts.log);
  let memory: WebAssembly.Memory | undefined;
  const getMemory = (): WebAssembly.Memory => {
    if (memory === undefined) throw new VmError("InvalidImage", "the guest called the host before its memory was available (a WASM start section using I/O)");
    return memory;
  };
  const imports = wasmHostImports(io, getMemory);
  try {
    const instance = new WebAssembly.Instance(compiledModule(image.wasm), imports);
    const exp = instance.exports;
    memory = exp.memory instanceof WebAssembly.Memory ? exp.memory : undefined;
    loadSegments(image, memory);
    const start = exp._start;
    const main = exp.main;
    if (typeof main !== "function") throw new VmError("InvalidImage", "embedded WASM module exports no main function");
    if (typeof start === "function") (start as () => void)();
    (main as () => void)();
    return { exitCode: 0, journal: io.journal.bytes() };
  } catch (e) {
    if (e instanceof GuestExit) return { exitCode: e.code, journal: io.journal.bytes() };
    throw toVmError(e);
  }
}

function loadSegments(image: Image, memory: WebAssembly.Memory | undefined): void {
  const extra = image.program.segments.filter((s) => s.name !== undefined);
  if (extra.length === 0) return;
  if (memory === undefined) throw new VmError("InvalidImage", "image has data segments but its WASM module exports no memory");
  const want = image.program.memory.initialPages;
  const have = memory.buffer.byteLength / WASM_PAGE_BYTES;
  if (want > have) {
    try {
      memory.grow(want - have);
    } catch {
      throw new VmError("InvalidImage", `cannot grow the WASM memory to ${want} pages for the data segments`);
    }
  }
  const bytes = new Uint8Array(memory.buffer);
  for (const s of extra) bytes.set(s.bytes, s.addr);
}

function toVmError(e: unknown): VmError {
  if (isVmError(e)) return e;
  const kind = vmErrorKindOfWasmTrap(e);
  if (kind !== undefined) return new VmError(kind, `${(e as Error).message} (in the WASM reference engine)`);
  // Integer overflow traps (i32.trunc of floats) cannot occur: guests are float-free.
  return new VmError("InvalidInstruction", `WASM reference engine: ${(e as Error)?.message ?? String(e)}`);
}
