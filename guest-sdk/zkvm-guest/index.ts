// zkvm-guest: the guest SDK, `import { readU32, commitU32, ... } from "zkvm-guest"`.
//
// Everything here is a thin layer over the guest ABI (docs/guest-abi.md): the `zkvm.*` imports the
// compiler lowers to ISA instructions and the reference WASM engine implements in JS. Returning from
// `export function main(): void` halts with exit code 0.
//
// Data segments (`zkvm build --data NAME=FILE`) are found through a directory the build places at
// DATA_DIRECTORY in linear memory (docs/image-format.md, "Data directory"); dataPtr/dataLen search it
// by name in plain code: no host call, no copy, no parsing of the segment itself.

// ---------------------------------------------------------------------------------------------------
// The raw ABI (module "zkvm"). Exported so advanced guests can call them directly.

/** Copies the next `len` bytes of private input to memory at `ptr`; traps InputExhausted if fewer remain. */
@external("zkvm", "read")
export declare function read(ptr: usize, len: i32): void;

/** Bytes of private input not yet read. */
@external("zkvm", "input_len")
export declare function inputLen(): i32;

/** Appends memory [ptr, ptr + len) to the public journal. */
@external("zkvm", "commit")
export declare function commit(ptr: usize, len: i32): void;

@external("zkvm", "exit")
declare function zkvmExit(code: i32): void;

@external("zkvm", "log")
declare function zkvmLog(ptr: usize, len: i32): void;

// ---------------------------------------------------------------------------------------------------
// Input and journal

/** 8 bytes of static scratch for the u32/u64 helpers (never on the heap, so no allocation per call). */
const scratch: usize = memory.data(8);

/** The next 4 bytes of private input as a little-endian u32. */
export function readU32(): u32 {
  read(scratch, 4);
  return load<u32>(scratch);
}

/** The next 8 bytes of private input as a little-endian u64. */
export function readU64(): u64 {
  read(scratch, 8);
  return load<u64>(scratch);
}

/** The next `n` bytes of private input in a new array. */
export function readBytes(n: i32): Uint8Array {
  const out = new Uint8Array(n);
  read(out.dataStart, n);
  return out;
}

/** Fills `dst` from the private input (no allocation). */
export function readInto(dst: Uint8Array): void {
  read(dst.dataStart, dst.length);
}

/** Appends `v` to the journal as 4 little-endian bytes. */
export function commitU32(v: u32): void {
  store<u32>(scratch, v);
  commit(scratch, 4);
}

/** Appends `v` to the journal as 8 little-endian bytes. */
export function commitU64(v: u64): void {
  store<u64>(scratch, v);
  commit(scratch, 8);
}

/** Appends the bytes of `b` to the journal. */
export function commitBytes(b: Uint8Array): void {
  commit(b.dataStart, b.length);
}

/** Halts the guest with `code` (never returns). */
export function exit(code: i32): void {
  zkvmExit(code);
  unreachable();
}

/** Prints `message` (UTF-8) on the host's stderr. Not committed and not proven: for debugging only. */
export function log(message: string): void {
  const buf = String.UTF8.encode(message);
  zkvmLog(changetype<usize>(buf), buf.byteLength);
}

// ---------------------------------------------------------------------------------------------------
// Data segments

/** Fixed address of the data directory written by `zkvm build` (docs/image-format.md). */
export const DATA_DIRECTORY: usize = 16;
/** "ZKDD" little endian: marks a directory (absent = the image has no directory, e.g. hand-made). */
const DIRECTORY_MAGIC: u32 = 0x44444b5a;
const ENTRY_BYTES: usize = 16;

/** Address of the directory entry for `name`, or 0 if there is none. */
function findEntry(name: string): usize {
  if (load<u32>(DATA_DIRECTORY) != DIRECTORY_MAGIC) return 0;
  const count = load<u32>(DATA_DIRECTORY, 4);
  const n = name.length;
  const chars = changetype<usize>(name);
  for (let i: u32 = 0; i < count; i++) {
    const e = DATA_DIRECTORY + 8 + <usize>i * ENTRY_BYTES;
    if (load<u32>(e, 4) != <u32>n) continue;
    // Names are ASCII (the build enforces it), stored one byte per character.
    const np = <usize>load<u32>(e);
    let same = true;
    for (let k = 0; k < n; k++) {
      if (<u32>load<u8>(np + <usize>k) != <u32>load<u16>(chars + (<usize>k << 1))) {
        same = false;
        break;
      }
    }
    if (same) return e;
  }
  return 0;
}

/** True if the image holds a data segment called `name`. */
export function hasData(name: string): bool {
  return findEntry(name) != 0;
}

/** Address of the data segment `name` (embedded with `--data NAME=FILE`); aborts if there is none. */
export function dataPtr(name: string): usize {
  const e = findEntry(name);
  if (e == 0) throw new Error("no data segment named " + name);
  return <usize>load<u32>(e, 8);
}

/** Length in bytes of the data segment `name`; aborts if there is none. */
export function dataLen(name: string): usize {
  const e = findEntry(name);
  if (e == 0) throw new Error("no data segment named " + name);
  return <usize>load<u32>(e, 12);
}

// ---------------------------------------------------------------------------------------------------
// Further modules of the SDK (fixed point, coprocessor intrinsics) are re-exported below.

// Q16.16 fixed point: `import { fx } from "zkvm-guest"` (asc 0.28 has no `export * as`, hence two lines).
import * as fx from "./fx";
export { fx };

// The raw fixed-point and coprocessor instructions (intrinsics.ts), for guests whose inner loops call
// DOT / AXPY / SHA-256 on their own buffers rather than through `fx`.
export { fxmul, dot, axpy, sha256Compress } from "./intrinsics";
