// Runs the training guest in V8 with JS host functions for the zkvm imports, sharing their exact
// semantics with the VM (vm/intrinsics.ts for dot/axpy/sha256_compress, vm/host-io.ts for input,
// journal and abort). It tests the guest against the emulator independently of the toolchain's
// compiler and executor (cli/mnist/image.ts is the real path), and counts coprocessor rows (Σ n of
// DOT/AXPY calls = MACs).
//
// Data segments: the guest is compiled against the real SDK (guest-sdk/zkvm-guest), whose dataPtr/dataLen
// read the data directory at DATA_DIRECTORY. As `zkvm build` does, the host lays the directory and the
// segments out below asc's --memoryBase (vm/build/data-layout.ts) and writes them into memory before
// `main` runs; here the base is one fixed address above any MNIST layout, so one compilation serves
// every set of segments.
//
// The asc compiler is imported lazily (compileEntry): loading it costs ~10 s under tsx, and the real
// build path (cli/mnist/image.ts, `zkvm train`) imports this module for GUEST_ENTRY only.

import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { axpy, dotBig, sha256Compress } from "../../vm/intrinsics.ts";
import { abortError, GuestExit, HostIo } from "../../vm/host-io.ts";
import { VmError } from "../../vm/errors.ts";
import { DATA_DIRECTORY, directorySize, layoutData } from "../../vm/build/data-layout.ts";
import { SDK_PATH } from "../../vm/build/asc.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const GUEST_DIR = join(ROOT, "guests", "mnist-train");
export const GUEST_ENTRY = join(GUEST_DIR, "main.ts");
/** Test entry exporting the guest's integer math (not part of the training image). */
export const GUEST_TEST_EXPORTS = join(GUEST_DIR, "test-exports.ts");
/** Where asc's static data starts: above the directory and segments (the full MNIST set needs ≈ 55 MB). */
const V8_MEMORY_BASE = 64 << 20;

export class GuestBuildError extends Error {
  readonly kind = "GuestBuildFailed";
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

const cache = new Map<string, Promise<Uint8Array>>();

/** Compiles the training guest (or another entry of its folder) with asc --runtime stub -O3; memoised. */
export function compileGuestForV8(entry: string = GUEST_ENTRY): Promise<Uint8Array> {
  let p = cache.get(entry);
  if (p === undefined) {
    p = compileEntry(entry);
    cache.set(entry, p);
  }
  return p;
}

async function compileEntry(entry: string): Promise<Uint8Array> {
  const { default: asc } = await import("assemblyscript/asc");
  let stderr = "";
  let wasm: Uint8Array | undefined;
  const { error } = await asc.main(
    [relative(process.cwd(), entry), "--runtime", "stub", "-O3", "--path", relative(process.cwd(), SDK_PATH), "--memoryBase", String(V8_MEMORY_BASE), "--outFile", "mnist.wasm"],
    {
      writeFile: (name: string, data: Uint8Array | string) => {
        if (name.endsWith("mnist.wasm") && data instanceof Uint8Array) wasm = data;
      },
      stdout: { write: () => true } as never,
      stderr: { write: (s: string) => { stderr += s; return true; } } as never,
    },
  );
  if (error || wasm === undefined) throw new GuestBuildError(`asc failed: ${error?.message ?? "no output"}\n${stderr}`);
  return wasm;
}

export interface V8RunResult {
  readonly exitCode: number;
  readonly journal: Uint8Array;
  /** Σ n over DOT calls (one coprocessor row per element). */
  readonly dotRows: number;
  readonly dotCalls: number;
  readonly axpyRows: number;
  readonly axpyCalls: number;
  readonly shaCalls: number;
}

/** Runs `main` of the guest with `input` and named data segments. Guest faults throw a VmError. */
export async function runGuestV8(wasm: Uint8Array, input: Uint8Array, segments: ReadonlyMap<string, Uint8Array>): Promise<V8RunResult> {
  const io = new HostIo(input, () => {});
  let memory: WebAssembly.Memory | undefined;
  let view: DataView | undefined;
  const dv = (): DataView => {
    const buf = memory!.buffer;
    if (view === undefined || view.buffer !== buf) view = new DataView(buf);
    return view;
  };
  const bytes = () => new Uint8Array(memory!.buffer);
  const blobs = [...segments].map(([name, b]) => ({ name, bytes: b }));
  const layout = layoutData(blobs, DATA_DIRECTORY + directorySize(blobs.map((b) => b.name)));
  if (layout.end > V8_MEMORY_BASE) throw new VmError("InvalidImage", `data segments need ${layout.end} bytes, above the harness's memory base ${V8_MEMORY_BASE}`);
  const stats = { dotRows: 0, dotCalls: 0, axpyRows: 0, axpyCalls: 0, shaCalls: 0 };
  const imports = {
    zkvm: {
      read: (p: number, n: number) => io.input.read(bytes(), p, n),
      input_len: () => io.inputLen(),
      commit: (p: number, n: number) => io.journal.commit(bytes(), p, n),
      exit: (code: number) => { throw new GuestExit(code); },
      log: () => {},
      fxmul: () => { throw new VmError("InvalidInstruction", "fxmul is not used by this guest"); },
      dot: (xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number) => {
        stats.dotRows += n;
        stats.dotCalls++;
        return dotBig(dv(), xp, yp, n, sx, sy, acc, shift);
      },
      axpy: (yp: number, xp: number, n: number, sy: number, sx: number, a: number, shift: number) => {
        stats.axpyRows += n;
        stats.axpyCalls++;
        axpy(dv(), yp, xp, n, sy, sx, a, shift);
      },
      sha256_compress: (s: number, b: number) => {
        stats.shaCalls++;
        sha256Compress(dv(), s, b);
      },
    },
    env: {
      abort: (m: number, f: number, l: number, c: number) => { throw abortError(bytes(), m, f, l, c); },
    },
  };
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>), imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  for (const seg of layout.segments) bytes().set(seg.bytes, seg.addr);
  let exitCode = 0;
  try {
    (instance.exports.main as () => void)();
  } catch (e) {
    if (e instanceof GuestExit) exitCode = e.code;
    else if (e instanceof VmError) throw e;
    else if (e instanceof WebAssembly.RuntimeError) throw new VmError(/out of bounds/.test(e.message) ? "MemoryOutOfBounds" : "Unreachable", e.message);
    else throw e;
  }
  return { exitCode, journal: io.journal.bytes(), ...stats };
}
