// Host side of the guest I/O ABI (module `zkvm`: read, input_len, commit, log, exit; module `env`:
// abort). Shared by our VM executor and the V8 reference engine so both fault the same way.
//
// Checking order (both engines): pointer/length are unsigned u32; the memory range [ptr, ptr+len) is
// bounds-checked first (MemoryOutOfBounds), then the input tape (InputExhausted).

import { VmError, type VmErrorKind } from "./errors.ts";
import { axpy, dotBig, fxmul, sha256Compress } from "./intrinsics.ts";

function checkRange(op: string, mem: Uint8Array, ptr: number, len: number): void {
  if (ptr + len > mem.length) {
    throw new VmError(
      "MemoryOutOfBounds",
      `${op}: range [${ptr}, ${ptr + len}) outside memory of ${mem.length} bytes`,
      { op, address: ptr, size: len, memorySize: mem.length },
    );
  }
}

/**
 * Private input, consumed front to back. `position` is the only state, so recording it is enough to
 * replay any window of a run deterministically (see docs/executor.md).
 */
export class InputTape {
  readonly bytes: Uint8Array;
  position = 0;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  remaining(): number {
    return this.bytes.length - this.position;
  }
  /** zkvm.read(ptr, len): copies the next len bytes into mem[ptr..ptr+len). */
  read(mem: Uint8Array, ptr: number, len: number): void {
    ptr >>>= 0;
    len >>>= 0;
    checkRange("read", mem, ptr, len);
    if (len > this.remaining()) {
      throw new VmError(
        "InputExhausted",
        `read of ${len} bytes but only ${this.remaining()} bytes of input remain`,
        { requested: len, remaining: this.remaining() },
      );
    }
    mem.set(this.bytes.subarray(this.position, this.position + len), ptr);
    this.position += len;
  }
}

/** Public journal: the bytes a guest commits, in order. */
export class Journal {
  private buf = new Uint8Array(64);
  private len = 0;
  /** zkvm.commit(ptr, len) */
  commit(mem: Uint8Array, ptr: number, len: number): void {
    ptr >>>= 0;
    len >>>= 0;
    checkRange("commit", mem, ptr, len);
    if (this.len + len > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.len + len) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(mem.subarray(ptr, ptr + len), this.len);
    this.len += len;
  }
  get length(): number {
    return this.len;
  }
  /** A copy of the committed bytes. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export type LogSink = (message: string) => void;

/** Default log sink: the host's stderr (not committed, not proven). */
export const stderrLog: LogSink = (message) => {
  process.stderr.write(message.endsWith("\n") ? message : message + "\n");
};

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf16 = new TextDecoder("utf-16le", { fatal: false });

/** zkvm.log(ptr, len): UTF-8 bytes → string (invalid sequences become U+FFFD, never a host error). */
export function decodeLog(mem: Uint8Array, ptr: number, len: number): string {
  ptr >>>= 0;
  len >>>= 0;
  checkRange("log", mem, ptr, len);
  return utf8.decode(mem.subarray(ptr, ptr + len));
}

/**
 * An AssemblyScript string at ptr: UTF-16LE code units, byte length as u32 at ptr − 4. Returns null
 * for a null pointer or a header/body outside memory (abort must still report, so never throws).
 */
export function decodeAsString(mem: Uint8Array, ptr: number): string | null {
  ptr >>>= 0;
  if (ptr < 4 || ptr > mem.length) return null;
  const byteLen =
    (mem[ptr - 4]! | (mem[ptr - 3]! << 8) | (mem[ptr - 2]! << 16) | (mem[ptr - 1]! << 24)) >>> 0;
  if (ptr + byteLen > mem.length) return null;
  return utf16.decode(mem.subarray(ptr, ptr + (byteLen & ~1)));
}

/** env.abort(msg, file, line, column) → the typed Abort error (a failed assert or an AS `throw`). */
export function abortError(mem: Uint8Array, msgPtr: number, filePtr: number, line: number, column: number): VmError {
  const message = decodeAsString(mem, msgPtr);
  const file = decodeAsString(mem, filePtr);
  const where = file !== null ? ` at ${file}:${line >>> 0}:${column >>> 0}` : "";
  const err = new VmError("Abort", `abort: ${message ?? "(no message)"}${where}`, {
    abortMessage: message ?? undefined,
    file: file ?? undefined,
    line: line >>> 0,
    column: column >>> 0,
  });
  return err;
}

/**
 * Thrown by the V8 reference engine's `zkvm.exit` import to unwind out of WASM (exit never returns).
 * Not an error: the engine catches it and reports the exit code.
 */
export class GuestExit {
  readonly code: number;
  constructor(code: number) {
    this.code = code | 0;
  }
}

/** The I/O state of one run, as used by both engines. */
export class HostIo {
  readonly input: InputTape;
  readonly journal = new Journal();
  readonly log: LogSink;
  constructor(input: Uint8Array, log: LogSink = stderrLog) {
    this.input = new InputTape(input);
    this.log = log;
  }
  inputLen(): number {
    return this.input.remaining();
  }
}

/**
 * The `zkvm` and `env` import objects for running a guest's WASM in V8 (the reference engine) with
 * exactly the host functions our VM implements. `memory` is called on every access because
 * memory.grow replaces the buffer. zkvm.exit throws GuestExit; faults throw VmError.
 */
export function wasmHostImports(io: HostIo, memory: () => WebAssembly.Memory): WebAssembly.Imports {
  const u8 = (): Uint8Array => new Uint8Array(memory().buffer);
  const dv = (): DataView => new DataView(memory().buffer);
  return {
    zkvm: {
      read: (p: number, n: number) => io.input.read(u8(), p, n),
      input_len: () => io.inputLen(),
      commit: (p: number, n: number) => io.journal.commit(u8(), p, n),
      exit: (code: number) => {
        throw new GuestExit(code);
      },
      log: (p: number, n: number) => io.log(decodeLog(u8(), p, n)),
      fxmul: (a: number, b: number) => fxmul(a, b),
      dot: (xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number) =>
        dotBig(dv(), xp, yp, n, sx, sy, acc, shift),
      axpy: (yp: number, xp: number, n: number, sy: number, sx: number, a: number, shift: number) =>
        axpy(dv(), yp, xp, n, sy, sx, a, shift),
      sha256_compress: (state: number, block: number) => sha256Compress(dv(), state, block),
    },
    env: {
      abort: (msg: number, file: number, line: number, col: number) => {
        throw abortError(u8(), msg, file, line, col);
      },
    },
  };
}

/**
 * The VmError kind of a trap raised by V8 while running guest WASM (WebAssembly.RuntimeError messages,
 * or the RangeError of JS stack exhaustion), or undefined if `e` is not a guest trap.
 */
export function vmErrorKindOfWasmTrap(e: unknown): VmErrorKind | undefined {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return "CallStackOverflow";
  if (!(e instanceof WebAssembly.RuntimeError)) return undefined;
  const m = e.message;
  if (/unreachable/.test(m)) return "Unreachable";
  if (/table/.test(m) && /out of bounds/.test(m)) return "IndirectCallMismatch";
  if (/signature mismatch|null function/.test(m)) return "IndirectCallMismatch";
  if (/out of bounds/.test(m)) return "MemoryOutOfBounds";
  if (/unrepresentable/.test(m)) return "DivisionOverflow";
  if (/by zero/.test(m)) return "DivideByZero";
  return undefined;
}
