// Image ID: the SHA-256 commitment a receipt binds (docs/image-format.md, "Image ID").
//
//   imageId    = SHA-256("zkvm/image-id/v1" ‖ codeRoot ‖ memoryRoot ‖ configHash)
//   codeRoot   = Merkle root over the instructions (leaf i = hashLeaf(code[4i..4i+4]))
//   memoryRoot = Merkle root over the 2^20 pages of 4 KiB of the 32-bit address space (leaf = hashLeaf of
//                the page's 1024 u32le words; absent pages are zero pages, so sparse images hash in time
//                proportional to their content)
//   configHash = SHA-256("zkvm/config/v1" ‖ u32le fields: entry, globals, memory limits, functions'
//                frame layout and signature ids, signatures, call_indirect table)
//
// Merkle hashing is the project's (docs/architecture.md): leaf = SHA-256(0x00 ‖ bytes), node =
// SHA-256(0x01 ‖ l ‖ r). A proof can open one page of initial memory with 20 sibling digests instead of
// rehashing the image. Not bound: function names, the source map, the embedded WASM copy (they do not
// change what the program computes).
//
// Pure: imports no Node built-in, so the verifier side can compute it in a browser.

import { sha256, sha256Parts } from "../../verifier/sha256.ts";
import { PROGRAM_VERSION, type FunctionInfo, type Program } from "../program.ts";
import { INSTR_WORDS } from "../isa.ts";

/** Lower-case hex of the 32-byte image ID. */
export type ImageId = string & { readonly __brand: "ImageId" };

/** Bytes per page of the memory tree. */
export const PAGE_BYTES = 4096;
/** log2(2^32 / PAGE_BYTES): the memory tree covers the whole 32-bit address space. */
export const MEMORY_TREE_DEPTH = 20;

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);
const enc = new TextEncoder();
const ID_TAG = enc.encode("zkvm/image-id/v1");
const CONFIG_TAG = enc.encode("zkvm/config/v1");

export const hashNode = (l: Uint8Array, r: Uint8Array): Uint8Array => sha256Parts(NODE, l, r);
export const hashPage = (page: Uint8Array): Uint8Array => sha256Parts(LEAF, page);

/** emptyMemory[k] = root of a subtree of 2^k zero pages. */
export const EMPTY_MEMORY_SUBTREE: readonly Uint8Array[] = (() => {
  const out = [hashPage(new Uint8Array(PAGE_BYTES))];
  for (let k = 1; k <= MEMORY_TREE_DEPTH; k++) out.push(hashNode(out[k - 1]!, out[k - 1]!));
  return out;
})();

export interface ImageIdParts {
  readonly codeRoot: Uint8Array;
  readonly memoryRoot: Uint8Array;
  readonly configHash: Uint8Array;
  readonly imageId: ImageId;
}

export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/** The 32 bytes of an image ID. */
export function imageIdBytes(id: ImageId): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Parses a 64-digit hex image ID (case-insensitive); undefined if malformed. */
export function parseImageId(s: string): ImageId | undefined {
  return /^[0-9a-fA-F]{64}$/.test(s) ? (s.toLowerCase() as ImageId) : undefined;
}

/** The 4 KiB pages any segment covers (page index → its bytes); pages absent from the map are zero. */
export function imagePages(segments: Program["segments"]): Map<number, Uint8Array> {
  const pages = new Map<number, Uint8Array>();
  for (const s of segments) {
    let off = 0;
    while (off < s.bytes.length) {
      const addr = s.addr + off;
      const idx = Math.floor(addr / PAGE_BYTES);
      const inPage = addr - idx * PAGE_BYTES;
      const n = Math.min(PAGE_BYTES - inPage, s.bytes.length - off);
      let page = pages.get(idx);
      if (page === undefined) {
        page = new Uint8Array(PAGE_BYTES);
        pages.set(idx, page);
      }
      page.set(s.bytes.subarray(off, off + n), inPage);
      off += n;
    }
  }
  return pages;
}

/** Hashes of the pages covered by `segments` (page index → leaf hash). Zero pages hash like absent ones. */
export function pageLeaves(segments: Program["segments"]): Map<number, Uint8Array> {
  const pages = imagePages(segments);
  const leaves = new Map<number, Uint8Array>();
  for (const [idx, page] of pages) leaves.set(idx, hashPage(page));
  return leaves;
}

/** Root of the sparse memory tree given the non-default leaves. */
export function memoryRoot(leaves: Map<number, Uint8Array>): Uint8Array {
  let level = leaves;
  for (let k = 0; k < MEMORY_TREE_DEPTH; k++) {
    const empty = EMPTY_MEMORY_SUBTREE[k]!;
    const next = new Map<number, Uint8Array>();
    for (const idx of level.keys()) {
      const parent = idx >>> 1;
      if (next.has(parent)) continue;
      const l = level.get(parent * 2) ?? empty;
      const r = level.get(parent * 2 + 1) ?? empty;
      next.set(parent, hashNode(l, r));
    }
    level = next;
  }
  return level.get(0) ?? EMPTY_MEMORY_SUBTREE[MEMORY_TREE_DEPTH]!;
}

/**
 * Hashes `leaves` (page index → leaf hash) up to the root, asking `sibling(level, index)` for every node it
 * needs but does not have — level by level from the leaves, in increasing index order, so the prover (which
 * knows the whole tree) and the verifier (which reads the siblings from a receipt) walk the same sequence.
 * Undefined when `sibling` has none.
 */
function foldMemoryTree(leaves: Map<number, Uint8Array>, sibling: (level: number, index: number) => Uint8Array | undefined): Uint8Array | undefined {
  let level = leaves;
  for (let k = 0; k < MEMORY_TREE_DEPTH; k++) {
    const next = new Map<number, Uint8Array>();
    for (const idx of [...level.keys()].sort((a, b) => a - b)) {
      const parent = idx >>> 1;
      if (next.has(parent)) continue;
      const l = level.get(2 * parent) ?? sibling(k, 2 * parent);
      if (l === undefined) return undefined;
      const r = level.get(2 * parent + 1) ?? sibling(k, 2 * parent + 1);
      if (r === undefined) return undefined;
      next.set(parent, hashNode(l, r));
    }
    level = next;
  }
  return level.get(0);
}

/** The sibling digests that open pages `indices` (distinct) of a program's initial memory together. */
export function memoryMultiProof(segments: Program["segments"], indices: readonly number[]): Uint8Array[] {
  const levels: Map<number, Uint8Array>[] = [pageLeaves(segments)];
  for (let k = 0; k < MEMORY_TREE_DEPTH; k++) {
    const next = new Map<number, Uint8Array>();
    const empty = EMPTY_MEMORY_SUBTREE[k]!;
    for (const idx of levels[k]!.keys()) {
      const parent = idx >>> 1;
      if (!next.has(parent)) next.set(parent, hashNode(levels[k]!.get(2 * parent) ?? empty, levels[k]!.get(2 * parent + 1) ?? empty));
    }
    levels.push(next);
  }
  const out: Uint8Array[] = [];
  const start = new Map(indices.map((i) => [i, levels[0]!.get(i) ?? EMPTY_MEMORY_SUBTREE[0]!] as const));
  foldMemoryTree(start, (k, i) => {
    const h = levels[k]!.get(i) ?? EMPTY_MEMORY_SUBTREE[k]!;
    out.push(h);
    return h;
  });
  return out;
}

/** The memory root that pages (distinct indices) and their multi-proof siblings hash to; undefined when the
 *  sibling count is not exactly what the pages need. */
export function memoryRootFromPages(pages: readonly { readonly index: number; readonly page: Uint8Array }[], siblings: readonly Uint8Array[]): Uint8Array | undefined {
  if (pages.length === 0) return undefined;
  let used = 0;
  const root = foldMemoryTree(new Map(pages.map((p) => [p.index, hashPage(p.page)] as const)), () => siblings[used++]);
  return root !== undefined && used === siblings.length ? root : undefined;
}

/** An opening of one page of initial memory against the memory root (siblings from the leaf up). */
export interface PageOpening {
  readonly pageIndex: number;
  readonly page: Uint8Array;
  readonly siblings: readonly Uint8Array[];
}

/** Opens page `pageIndex` (address pageIndex · PAGE_BYTES) of a program's initial memory. */
export function openMemoryPage(segments: Program["segments"], pageIndex: number): PageOpening {
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= 2 ** MEMORY_TREE_DEPTH) throw new RangeError(`page index ${pageIndex} outside the address space`);
  const page = new Uint8Array(PAGE_BYTES);
  const lo = pageIndex * PAGE_BYTES;
  for (const s of segments) {
    const a = Math.max(lo, s.addr);
    const b = Math.min(lo + PAGE_BYTES, s.addr + s.bytes.length);
    if (a < b) page.set(s.bytes.subarray(a - s.addr, b - s.addr), a - lo);
  }
  // one page's multi-proof is its authentication path, leaf to root
  const siblings = memoryMultiProof(segments, [pageIndex]);
  return { pageIndex, page, siblings };
}

/** Checks a page opening against a memory root (what a verifier holding only the root does). */
export function verifyMemoryPage(root: Uint8Array, o: PageOpening): boolean {
  if (o.page.length !== PAGE_BYTES || o.siblings.length !== MEMORY_TREE_DEPTH) return false;
  if (!Number.isInteger(o.pageIndex) || o.pageIndex < 0 || o.pageIndex >= 2 ** MEMORY_TREE_DEPTH) return false;
  let h = hashPage(o.page);
  let idx = o.pageIndex;
  for (const sib of o.siblings) {
    if (sib.length !== 32) return false;
    h = idx & 1 ? hashNode(sib, h) : hashNode(h, sib);
    idx >>>= 1;
  }
  return h.length === root.length && h.every((b, i) => b === root[i]);
}

/** Merkle root over the instructions, padded to a power of two with all-zero instructions. */
export function codeRoot(code: Uint32Array): Uint8Array {
  const n = code.length / INSTR_WORDS;
  let width = 1;
  while (width < n) width *= 2;
  const bytes = new Uint8Array(code.buffer, code.byteOffset, code.byteLength);
  const leafBytes = INSTR_WORDS * 4;
  const le = isLittleEndian();
  let level: Uint8Array[] = [];
  const zeroLeaf = hashPage(new Uint8Array(leafBytes));
  for (let i = 0; i < width; i++) {
    if (i >= n) { level.push(zeroLeaf); continue; }
    level.push(hashPage(le ? bytes.subarray(i * leafBytes, (i + 1) * leafBytes) : u32le(code.subarray(i * INSTR_WORDS, (i + 1) * INSTR_WORDS))));
  }
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashNode(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}

function u32le(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(4 * i, words[i]! >>> 0, true);
  return out;
}

/** Canonical encoding of everything besides code and memory that decides what the program computes. */
export function configBytes(p: Program): Uint8Array {
  const w: number[] = [PROGRAM_VERSION, p.code.length / INSTR_WORDS, p.entryPc, p.globalSlots, ...p.globalsInit];
  w.push(p.memory.initialPages, p.memory.maxPages, p.functions.length);
  for (const f of p.functions) w.push(f.pc, f.sig, f.paramSlots, f.resultSlots, f.saveSlot, f.frameSlots);
  w.push(p.signatures.length);
  const parts: Uint8Array[] = [];
  const sigBytes = p.signatures.map((s) => enc.encode(s));
  for (const b of sigBytes) w.push(b.length);
  w.push(p.table.length, ...Array.from(p.table, (x) => x >>> 0));
  parts.push(u32le(w), ...sigBytes);
  let len = 0;
  for (const q of parts) len += q.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const q of parts) { out.set(q, o); o += q.length; }
  return out;
}

/** All parts of the image ID of a program. */
export function imageIdParts(p: Program): ImageIdParts {
  return imageIdFromParts(p.code, memoryRoot(pageLeaves(p.segments)), configBytes(p));
}

/** The image ID from what a receipt carries: the code, the memory root and the config bytes (a verifier
 *  rebuilds the ID this way instead of trusting a claimed one). */
export function imageIdFromParts(code: Uint32Array, memRoot: Uint8Array, config: Uint8Array): ImageIdParts {
  const root = codeRoot(code);
  const configHash = sha256Parts(CONFIG_TAG, config);
  const id = toHex(sha256Parts(ID_TAG, root, memRoot, configHash)) as ImageId;
  return { codeRoot: root, memoryRoot: memRoot, configHash, imageId: id };
}

/** The leading fields of `configBytes` (parseConfig reads them with the rest). */
export interface ConfigHead {
  readonly instructions: number;
  readonly entryPc: number;
  readonly globalSlots: number;
  readonly globalsInit: Uint32Array;
  readonly initialPages: number;
  readonly maxPages: number;
}

/** Bound on global slots read from untrusted config bytes (the image parser has the same one). */
export const MAX_CONFIG_GLOBALS = 1 << 20;

/** A function's layout as the config bytes carry it (no name: names are not part of the image ID). */
export type ConfigFunction = Omit<FunctionInfo, "name">;

/** Everything `configBytes` encodes that a verifier reads: the head, the functions' layout, the number of
 *  signatures and the call_indirect table (the signature strings themselves are only hashed). */
export interface ParsedConfig extends ConfigHead {
  readonly functions: readonly ConfigFunction[];
  readonly signatureCount: number;
  /** call_indirect table: index into functions, −1 = null */
  readonly table: Int32Array;
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses config bytes completely and strictly (the inverse of `configBytes`): known program version, every count
 * bounded by the bytes that remain, entry pc and function pcs inside the code, signature ids below the number of
 * signatures, table entries −1 or an existing function, signatures valid UTF-8, and no trailing bytes — the same
 * rules the image parser (vm/image/format.ts) applies to these fields. Undefined if malformed. Browser-safe.
 */
export function parseConfig(config: Uint8Array): ParsedConfig | undefined {
  const dv = new DataView(config.buffer, config.byteOffset, config.byteLength);
  let pos = 0;
  const left = (): number => config.length - pos;
  const u = (): number | undefined => {
    if (left() < 4) return undefined;
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  /** A count of items of ≥ `minBytes` bytes each that must fit in what remains. */
  const count = (minBytes: number): number | undefined => {
    const n = u();
    return n !== undefined && n * minBytes <= left() ? n : undefined;
  };
  if (u() !== PROGRAM_VERSION) return undefined;
  const instructions = u(), entryPc = u(), globalSlots = count(4);
  if (instructions === undefined || entryPc === undefined || globalSlots === undefined) return undefined;
  if (instructions === 0 || entryPc >= instructions || globalSlots > MAX_CONFIG_GLOBALS) return undefined;
  const globalsInit = new Uint32Array(globalSlots);
  for (let i = 0; i < globalSlots; i++) globalsInit[i] = u()!;
  const initialPages = u(), maxPages = u(), nFunctions = count(24);
  if (initialPages === undefined || maxPages === undefined || nFunctions === undefined) return undefined;
  const functions: ConfigFunction[] = [];
  for (let i = 0; i < nFunctions; i++) {
    const [pc, sig, paramSlots, resultSlots, saveSlot, frameSlots] = [u()!, u()!, u()!, u()!, u()!, u()!];
    if (pc >= instructions) return undefined;
    functions.push({ pc, sig, paramSlots, resultSlots, saveSlot, frameSlots });
  }
  const signatureCount = count(4);
  if (signatureCount === undefined) return undefined;
  const sigLengths: number[] = [];
  for (let i = 0; i < signatureCount; i++) sigLengths.push(u()!);
  for (const f of functions) if (f.sig >= signatureCount) return undefined;
  const tableLength = count(4);
  if (tableLength === undefined) return undefined;
  const table = new Int32Array(tableLength);
  for (let i = 0; i < tableLength; i++) {
    const e = u()! | 0;
    if (e < -1 || e >= nFunctions) return undefined;
    table[i] = e;
  }
  // the signature strings follow the words, back to back, and end the config exactly
  for (const n of sigLengths) {
    if (n > left()) return undefined;
    try {
      utf8Strict.decode(config.subarray(pos, pos + n));
    } catch {
      return undefined;
    }
    pos += n;
  }
  if (left() !== 0) return undefined;
  return { instructions, entryPc, globalSlots, globalsInit, initialPages, maxPages, functions, signatureCount, table };
}

const cache = new WeakMap<Program, ImageId>();

/** The image ID of a program (memoised per Program object; programs are immutable). */
export function computeImageId(p: Program): ImageId {
  let id = cache.get(p);
  if (id === undefined) {
    id = imageIdParts(p).imageId;
    cache.set(p, id);
  }
  return id;
}

/** SHA-256 of arbitrary bytes as hex (journal digests and the like). */
export function sha256Hex(b: Uint8Array): string {
  return toHex(sha256(b));
}
