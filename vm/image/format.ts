// Binary image format, version 1 (docs/image-format.md). All integers u32 little endian unless noted;
// a string is u32 byte length + UTF-8; an array is u32 count + elements. Fields in this fixed order:
//
//   magic "ZKVMIMG\0" (8 bytes) · formatVersion · programVersion
//   code        u32 word count (multiple of 4) + words
//   entryPc · globalSlots · globalsInit[globalSlots]
//   functions   count + (name, pc, sig, paramSlots, resultSlots, saveSlot, frameSlots)
//   signatures  count + strings
//   table       count + i32 entries (−1 = null)
//   memory      initialPages · maxPages
//   segments    count + (name (empty = the module's own), addr, length, bytes, zero padding to 4)
//   sourceMap   u32 present (0/1) [+ files: count + strings, entries: count + (pc, fileIdx, line)]
//   wasm        u32 length + bytes
//
// The parser is strict: every length is checked against the remaining bytes, every cross-reference
// against its target, and nothing may follow the last field.

import { PROGRAM_VERSION, WASM_PAGE_BYTES, type FunctionInfo, type Program, type Segment, type SourceMap } from "../program.ts";
import { INSTR_WORDS } from "../isa.ts";
import { ImageError } from "./errors.ts";

export const IMAGE_MAGIC = new Uint8Array([0x5a, 0x4b, 0x56, 0x4d, 0x49, 0x4d, 0x47, 0x00]); // "ZKVMIMG\0"
export const IMAGE_FORMAT_VERSION = 1;
/** The VM's largest memory (vm/compiler MAX_PAGES). */
const MAX_PAGES = 65535;

/** A built guest: the program our VM runs plus the WASM module it came from (for `--engine wasm`). */
export interface Image {
  readonly program: Program;
  /** The module given to the compiler, without the build's data segments (the wasm engine adds them). */
  readonly wasm: Uint8Array;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

class Writer {
  private chunks: Uint8Array[] = [];
  private words: number[] = [];
  private flushWords(): void {
    if (this.words.length === 0) return;
    const b = new Uint8Array(this.words.length * 4);
    const dv = new DataView(b.buffer);
    this.words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
    this.chunks.push(b);
    this.words = [];
  }
  u32(v: number): void {
    this.words.push(v);
  }
  u32s(a: ArrayLike<number>): void {
    this.flushWords();
    const b = new Uint8Array(a.length * 4);
    const dv = new DataView(b.buffer);
    for (let i = 0; i < a.length; i++) dv.setUint32(4 * i, a[i]! >>> 0, true);
    this.chunks.push(b);
  }
  bytes(b: Uint8Array): void {
    this.flushWords();
    this.chunks.push(b);
  }
  str(s: string): void {
    const b = utf8.encode(s);
    this.u32(b.length);
    this.bytes(b);
  }
  finish(): Uint8Array {
    this.flushWords();
    let n = 0;
    for (const c of this.chunks) n += c.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

export function serializeImage(image: Image): Uint8Array {
  const p = image.program;
  const w = new Writer();
  w.bytes(IMAGE_MAGIC);
  w.u32(IMAGE_FORMAT_VERSION);
  w.u32(p.version);
  w.u32(p.code.length);
  w.u32s(p.code);
  w.u32(p.entryPc);
  w.u32(p.globalSlots);
  w.u32s(p.globalsInit);
  w.u32(p.functions.length);
  for (const f of p.functions) {
    w.str(f.name);
    for (const v of [f.pc, f.sig, f.paramSlots, f.resultSlots, f.saveSlot, f.frameSlots]) w.u32(v);
  }
  w.u32(p.signatures.length);
  for (const s of p.signatures) w.str(s);
  w.u32(p.table.length);
  w.u32s(p.table);
  w.u32(p.memory.initialPages);
  w.u32(p.memory.maxPages);
  w.u32(p.segments.length);
  for (const s of p.segments) {
    w.str(s.name ?? "");
    w.u32(s.addr);
    w.u32(s.bytes.length);
    w.bytes(s.bytes);
    const pad = (4 - (s.bytes.length % 4)) % 4;
    if (pad) w.bytes(new Uint8Array(pad));
  }
  const sm = p.sourceMap;
  w.u32(sm ? 1 : 0);
  if (sm) {
    w.u32(sm.files.length);
    for (const f of sm.files) w.str(f);
    w.u32(sm.pcs.length);
    for (let i = 0; i < sm.pcs.length; i++) { w.u32(sm.pcs[i]!); w.u32(sm.fileIdx[i]!); w.u32(sm.lines[i]!); }
  }
  w.u32(image.wasm.length);
  w.bytes(image.wasm);
  return w.finish();
}

class Reader {
  private pos: number;
  private readonly dv: DataView;
  constructor(private readonly buf: Uint8Array, start: number) {
    this.pos = start;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get offset(): number {
    return this.pos;
  }
  private need(n: number, what: string): void {
    if (n > this.buf.length - this.pos) throw new ImageError("Truncated", `image truncated in ${what} (needs ${n} bytes at offset ${this.pos}, ${this.buf.length - this.pos} left)`, this.pos);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** A count of elements of at least `minBytes` each: rejected early if the file cannot hold them. */
  count(what: string, minBytes: number): number {
    const n = this.u32(what);
    if (n * minBytes > this.buf.length - this.pos) throw new ImageError("Truncated", `${what}: count ${n} exceeds the remaining ${this.buf.length - this.pos} bytes`, this.pos - 4);
    return n;
  }
  u32s(n: number, what: string): Uint32Array {
    this.need(n * 4, what);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.dv.getUint32(this.pos + 4 * i, true);
    this.pos += n * 4;
    return out;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    // A copy, so the image does not keep the whole file alive through one segment.
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  str(what: string): string {
    const n = this.count(what, 1);
    const at = this.pos;
    const b = this.bytes(n, what);
    try {
      return utf8Strict.decode(b);
    } catch {
      throw new ImageError("InvalidImage", `${what}: invalid UTF-8`, at);
    }
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new ImageError("TrailingBytes", `${this.buf.length - this.pos} unexpected bytes after the image`, this.pos);
  }
}

const invalid = (msg: string, offset?: number): never => {
  throw new ImageError("InvalidImage", msg, offset);
};

export function parseImage(buf: Uint8Array): Image {
  if (buf.length < IMAGE_MAGIC.length || IMAGE_MAGIC.some((b, i) => buf[i] !== b)) {
    throw new ImageError("BadMagic", "not a zkvm image (bad magic)", 0);
  }
  const r = new Reader(buf, IMAGE_MAGIC.length);
  const fmt = r.u32("format version");
  if (fmt !== IMAGE_FORMAT_VERSION) throw new ImageError("UnsupportedVersion", `image format version ${fmt}, this build reads version ${IMAGE_FORMAT_VERSION}`, 8);
  const pv = r.u32("program version");
  if (pv !== PROGRAM_VERSION) throw new ImageError("UnsupportedVersion", `program version ${pv}, this build reads version ${PROGRAM_VERSION}`, 12);

  const codeWords = r.count("code", 4);
  if (codeWords === 0 || codeWords % INSTR_WORDS !== 0) invalid(`code of ${codeWords} words is not a non-empty multiple of ${INSTR_WORDS}`);
  const code = r.u32s(codeWords, "code");
  const nInstr = codeWords / INSTR_WORDS;
  const entryPc = r.u32("entry");
  if (entryPc >= nInstr) invalid(`entry pc ${entryPc} outside the code (${nInstr} instructions)`);
  const globalSlots = r.count("globals", 4);
  const globalsInit = r.u32s(globalSlots, "globals");

  const nFunctions = r.count("functions", 28);
  const functions: FunctionInfo[] = [];
  for (let i = 0; i < nFunctions; i++) {
    const name = r.str("function name");
    const [pc, sig, paramSlots, resultSlots, saveSlot, frameSlots] = Array.from(r.u32s(6, "function"));
    if (pc! >= nInstr) invalid(`function ${name}: pc ${pc} outside the code`);
    functions.push({ name, pc: pc!, sig: sig!, paramSlots: paramSlots!, resultSlots: resultSlots!, saveSlot: saveSlot!, frameSlots: frameSlots! });
  }
  const nSigs = r.count("signatures", 4);
  const signatures: string[] = [];
  for (let i = 0; i < nSigs; i++) signatures.push(r.str("signature"));
  for (const f of functions) if (f.sig >= nSigs) invalid(`function ${f.name}: signature ${f.sig} out of range`);
  const tableLen = r.count("table", 4);
  const table = new Int32Array(r.u32s(tableLen, "table").buffer);
  for (const t of table) if (t < -1 || t >= nFunctions) invalid(`table entry ${t} is not a function`);

  const initialPages = r.u32("memory");
  const maxPages = r.u32("memory");
  if (initialPages > maxPages || maxPages > MAX_PAGES) invalid(`memory limits ${initialPages}..${maxPages} pages are invalid (max ${MAX_PAGES})`);
  const memBytes = initialPages * WASM_PAGE_BYTES;

  const nSegs = r.count("segments", 12);
  const segments: Segment[] = [];
  let lastEnd = 0;
  for (let i = 0; i < nSegs; i++) {
    const at = r.offset;
    const name = r.str("segment name");
    const addr = r.u32("segment");
    const len = r.count("segment", 1);
    const bytes = r.bytes(len, "segment");
    r.bytes((4 - (len % 4)) % 4, "segment padding").forEach((b) => b !== 0 && invalid("non-zero segment padding", at));
    if (addr + len > memBytes) invalid(`segment at ${addr} (${len} bytes) outside the initial memory of ${memBytes} bytes`, at);
    if (addr < lastEnd) invalid(`segment at ${addr} overlaps the previous one or is out of order`, at);
    lastEnd = addr + len;
    segments.push(name === "" ? { addr, bytes } : { addr, bytes, name });
  }

  let sourceMap: SourceMap | undefined;
  const hasMap = r.u32("source map flag");
  if (hasMap > 1) invalid(`source map flag ${hasMap}`);
  if (hasMap === 1) {
    const nFiles = r.count("source files", 4);
    const files: string[] = [];
    for (let i = 0; i < nFiles; i++) files.push(r.str("source file"));
    const n = r.count("source map", 12);
    const flat = r.u32s(n * 3, "source map");
    const pcs = new Uint32Array(n);
    const fileIdx = new Uint32Array(n);
    const lines = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      pcs[i] = flat[3 * i]!;
      fileIdx[i] = flat[3 * i + 1]!;
      lines[i] = flat[3 * i + 2]!;
      if (i > 0 && pcs[i]! <= pcs[i - 1]!) invalid("source map pcs are not strictly increasing");
      if (fileIdx[i]! >= nFiles) invalid(`source map file index ${fileIdx[i]} out of range`);
    }
    sourceMap = { files, pcs, fileIdx, lines };
  }
  const wasmLen = r.count("wasm", 1);
  const wasm = r.bytes(wasmLen, "wasm");
  r.end();

  const program: Program = {
    version: PROGRAM_VERSION,
    code,
    entryPc,
    globalSlots,
    globalsInit,
    functions,
    signatures,
    table,
    memory: { initialPages, maxPages },
    segments,
    ...(sourceMap ? { sourceMap } : {}),
  };
  return { program, wasm };
}
