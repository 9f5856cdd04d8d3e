// Placement of `--data NAME=FILE` segments in guest memory (docs/image-format.md, "Data directory").
//
// The directory always sits at DATA_DIRECTORY (a fixed low address the SDK knows):
//   u32 magic "ZKDD" · u32 count · count × { u32 namePtr, u32 nameLen, u32 ptr, u32 len } · names (ASCII)
// Segment bytes go at `dataBase` and above, each aligned to DATA_ALIGN, in the order given. For
// AssemblyScript guests dataBase follows the directory and asc's --memoryBase is set above the last
// segment; for plain .wasm guests dataBase is the module's initial memory size.

import type { Segment } from "../program.ts";
import { BuildError } from "./errors.ts";

export const DATA_DIRECTORY = 16;
export const DIRECTORY_MAGIC = 0x44444b5a; // "ZKDD"
/** Name of the directory's own segment in the image (data names cannot contain '@'). */
export const DIRECTORY_SEGMENT = "@directory";
/** Alignment of every data segment (a cache line; lets guests read any scalar type aligned). */
export const DATA_ALIGN = 64;
const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export interface DataBlob {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface DataLayout {
  /** The directory segment followed by the data segments, in address order. */
  readonly segments: Segment[];
  /** End of the directory (first free byte after it). */
  readonly directoryEnd: number;
  /** First free byte after the last data segment. */
  readonly end: number;
}

export const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Size in bytes of the directory for these names. */
export function directorySize(names: readonly string[]): number {
  return 8 + 16 * names.length + names.reduce((s, n) => s + n.length, 0);
}

export function checkDataNames(blobs: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const b of blobs) {
    if (!NAME_RE.test(b.name)) throw new BuildError("InvalidDataSpec", `data segment name "${b.name}" must be 1–64 characters of [A-Za-z0-9_.-]`);
    if (seen.has(b.name)) throw new BuildError("InvalidDataSpec", `data segment "${b.name}" given twice`);
    seen.add(b.name);
  }
}

/**
 * Lays out the directory at DATA_DIRECTORY and the blobs from `dataBase` (≥ the directory's end) up.
 * The blobs' bytes are referenced, not copied.
 */
export function layoutData(blobs: readonly DataBlob[], dataBase: number): DataLayout {
  checkDataNames(blobs);
  const names = blobs.map((b) => b.name);
  const dirEnd = DATA_DIRECTORY + directorySize(names);
  if (dataBase < dirEnd) throw new BuildError("InternalError", `data base ${dataBase} below the directory end ${dirEnd}`);
  const dir = new Uint8Array(dirEnd - DATA_DIRECTORY);
  const dv = new DataView(dir.buffer);
  dv.setUint32(0, DIRECTORY_MAGIC, true);
  dv.setUint32(4, blobs.length, true);
  let namePtr = DATA_DIRECTORY + 8 + 16 * blobs.length;
  let ptr = alignUp(dataBase, DATA_ALIGN);
  const segments: Segment[] = [{ addr: DATA_DIRECTORY, bytes: dir, name: DIRECTORY_SEGMENT }];
  blobs.forEach((b, i) => {
    const e = 8 + 16 * i;
    dv.setUint32(e, namePtr, true);
    dv.setUint32(e + 4, b.name.length, true);
    dv.setUint32(e + 8, ptr, true);
    dv.setUint32(e + 12, b.bytes.length, true);
    for (let k = 0; k < b.name.length; k++) dir[namePtr - DATA_DIRECTORY + k] = b.name.charCodeAt(k);
    namePtr += b.name.length;
    // Empty segments get an address but no bytes in the image (segments are non-empty ranges).
    if (b.bytes.length > 0) segments.push({ addr: ptr, bytes: b.bytes, name: b.name });
    ptr = alignUp(ptr + b.bytes.length, DATA_ALIGN);
  });
  if (ptr > 0xffff_0000) throw new BuildError("DataTooLarge", `data segments need ${ptr} bytes of memory, more than the 4 GiB address space`);
  return { segments, directoryEnd: dirEnd, end: ptr };
}
