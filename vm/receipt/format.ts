// Binary receipt container (docs/receipt.md §2): little endian, strict — every count bounded before it is
// used, known versions only, no trailing bytes. Parsing only; what the fields mean is checked in verify.ts.
//
//   "ZKVMRCPT" · u32 receiptVersion · u32 kind (0 STARK, 1 dev, 2 segmented STARK) · u32 airVersion
//   statement: imageId (32) · journalDigest (32) · u32 journalLen · journal · u32 exitCode (i32 bits) · u32 cycles
//   image:     memoryRoot (32) · u32 configLen · configBytes · u32 codeWords · code (u32 each)
//   kind 0 only: params (6 × u32: logBlowup, numQueries, logFoldingArity, logFinalLen, powBits, zk ∈ {0,1})
//                · memory: u32 pageCount · pageCount × (u32 index, strictly increasing · u8 hasData ∈ {0,1}
//                  · 4096 bytes if hasData, never all zero) · u32 siblingCount · siblingCount × 32 bytes
//                · u32 proofLen (≥ 1) · proof (verifier/proof.ts "ZKSP" encoding)
//   kind 2: as kind 0 up to the memory opening, then u32 partCount (2 … MAX_SEGMENTS + 1) · partCount ×
//                (u32 proofLen ≥ 1 · proof): the memory proof, then one proof per segment, in order
//
// A dev receipt simply ends after the image: flipping its kind to 0 leaves a STARK receipt without
// parameters and proof, which fails as truncated (Malformed).
import { ByteReader, ByteWriter } from "../../verifier/bytes.ts";
import { isVerifierError } from "../../verifier/errors.ts";
import type { StarkParams } from "../../verifier/params.ts";
import { INSTR_WORDS } from "../isa.ts";
import { ReceiptError } from "./errors.ts";
import { MEMORY_TREE_DEPTH, PAGE_BYTES } from "../image/image-id.ts";

export const RECEIPT_MAGIC = new Uint8Array([0x5a, 0x4b, 0x56, 0x4d, 0x52, 0x43, 0x50, 0x54]); // "ZKVMRCPT"
/** 2: kind 2 carries each segment's table mask (docs/receipt.md); a version-1 receipt is refused, never misread. */
export const RECEIPT_VERSION = 2;
export const RECEIPT_KIND = { stark: 0, dev: 1, segments: 2 } as const;
export type ReceiptKind = "stark" | "dev" | "segments";
/** Segments one receipt may carry (2^27 cycles in segments of ≥ 2^15). */
export const MAX_SEGMENTS = 1 << 12;

/** Bounds of the parser (docs/receipt.md §2): a journal of 16 MiB, 2^22 instructions, a 64 MiB proof. */
export const MAX_JOURNAL_BYTES = 1 << 24;
export const MAX_CONFIG_BYTES = 1 << 24;
export const MAX_INSTRUCTIONS = 1 << 22;
export const MAX_PROOF_BYTES = 1 << 26;
/** Touched pages one receipt may open: 2^16 × 4 KiB = 256 MiB of initial memory. */
export const MAX_RECEIPT_PAGES = 1 << 16;

export interface Statement {
  /** 32 bytes */
  readonly imageId: Uint8Array;
  readonly journalDigest: Uint8Array;
  readonly journal: Uint8Array;
  /** i32 as the guest passed it to EXIT */
  readonly exitCode: number;
  readonly cycles: number;
}

export interface ImageParts {
  readonly memoryRoot: Uint8Array;
  readonly configBytes: Uint8Array;
  readonly code: Uint32Array;
}

/** The initial-memory pages a run touched, opened against the image's memory root (docs/receipt.md §2.2). */
export interface MemoryOpening {
  readonly pages: readonly { readonly index: number; readonly page: Uint8Array }[];
  readonly siblings: readonly Uint8Array[];
}

export interface Receipt {
  readonly kind: ReceiptKind;
  readonly airVersion: number;
  readonly statement: Statement;
  readonly image: ImageParts;
  /** kind "stark" only */
  readonly params?: StarkParams;
  readonly memory?: MemoryOpening;
  readonly proof?: Uint8Array;
  /** kind "segments" only: the memory proof, then one proof per segment (docs/vm-air.md §11) */
  readonly proofs?: readonly Uint8Array[];
  /** kind "segments" only: per segment, which of the program's coprocessor tables its proof holds (a bit mask in
   *  vm/air/air.ts `coprocessorTables` order; < 2^MAX_COPROCESSOR_TABLES) */
  readonly segmentTables?: readonly number[];
}

/** Coprocessor tables a program may have (DOT, AXPY, SHA256): the parser's bound on a segment's table mask. */
export const MAX_COPROCESSOR_TABLES = 3;

export function encodeReceipt(r: Receipt): Uint8Array {
  const w = new ByteWriter(1024 + (r.proof?.length ?? 0) + (r.proofs ?? []).reduce((n, p) => n + p.length + 4, 0) + r.image.code.length * 4 + r.image.configBytes.length);
  w.bytes(RECEIPT_MAGIC);
  w.u32(RECEIPT_VERSION);
  w.u32(RECEIPT_KIND[r.kind]);
  w.u32(r.airVersion);
  const s = r.statement;
  w.digest(s.imageId);
  w.digest(s.journalDigest);
  w.u32(s.journal.length);
  w.bytes(s.journal);
  w.u32(s.exitCode >>> 0);
  w.u32(s.cycles);
  w.digest(r.image.memoryRoot);
  w.u32(r.image.configBytes.length);
  w.bytes(r.image.configBytes);
  w.u32(r.image.code.length);
  for (const x of r.image.code) w.u32(x);
  if (r.kind === "stark" || r.kind === "segments") {
    const p = r.params, mem = r.memory;
    const proofs = r.kind === "stark" ? (r.proof === undefined ? undefined : [r.proof]) : r.proofs;
    if (p === undefined || proofs === undefined || mem === undefined) throw new RangeError("a STARK receipt needs params, memory pages and its proofs");
    if (r.kind === "segments" && (proofs.length < 2 || proofs.length > MAX_SEGMENTS + 1)) throw new RangeError(`a segmented receipt carries 2 … ${MAX_SEGMENTS + 1} proofs`);
    for (const v of [p.logBlowup, p.numQueries, p.logFoldingArity, p.logFinalLen, p.powBits, p.zk ? 1 : 0]) w.u32(v);
    w.u32(mem.pages.length);
    for (const pg of mem.pages) {
      const data = pg.page.some((x) => x !== 0);
      w.u32(pg.index);
      w.u8(data ? 1 : 0);
      if (data) w.bytes(pg.page);
    }
    w.u32(mem.siblings.length);
    for (const sib of mem.siblings) w.digest(sib);
    if (r.kind === "segments") {
      const masks = r.segmentTables;
      if (masks === undefined || masks.length !== proofs.length - 1 || masks.some((m) => !Number.isInteger(m) || m < 0 || m >= 1 << MAX_COPROCESSOR_TABLES)) throw new RangeError("a segmented receipt needs one table mask (0 … 7) per segment");
      w.u32(proofs.length);
      proofs.forEach((proof, i) => {
        if (i > 0) w.u8(masks[i - 1]!);
        w.u32(proof.length);
        w.bytes(proof);
      });
    } else {
      w.u32(proofs[0]!.length);
      w.bytes(proofs[0]!);
    }
  }
  return w.finish();
}

/** Strict parse. Throws ReceiptError (Malformed, TrailingBytes, UnsupportedVersion). */
export function decodeReceipt(bytes: Uint8Array): Receipt {
  if (!(bytes instanceof Uint8Array)) throw new ReceiptError("InvalidArgument", "a receipt must be bytes (Uint8Array)");
  try {
    return read(new ByteReader(bytes));
  } catch (e) {
    if (isVerifierError(e)) throw new ReceiptError(e.kind, `receipt: ${e.message}`);
    throw e;
  }
}

function read(r: ByteReader): Receipt {
  const magic = r.bytes(RECEIPT_MAGIC.length, "magic");
  if (!magic.every((b, i) => b === RECEIPT_MAGIC[i])) throw new ReceiptError("Malformed", "not a zkvm receipt (bad magic)");
  const version = r.u32("receipt version");
  if (version !== RECEIPT_VERSION) throw new ReceiptError("UnsupportedVersion", `receipt format version ${version} (this verifier reads ${RECEIPT_VERSION})`);
  const kindCode = r.u32("kind");
  const kind: ReceiptKind | undefined = kindCode === RECEIPT_KIND.stark ? "stark" : kindCode === RECEIPT_KIND.dev ? "dev" : kindCode === RECEIPT_KIND.segments ? "segments" : undefined;
  if (kind === undefined) throw new ReceiptError("Malformed", `unknown receipt kind ${kindCode}`);
  const airVersion = r.u32("AIR version");
  const imageId = r.digest("image ID");
  const journalDigest = r.digest("journal digest");
  const journal = r.bytes(r.count("journal length", MAX_JOURNAL_BYTES), "journal");
  const exitCode = r.u32("exit code") | 0;
  const cycles = r.u32("cycles");
  const memoryRoot = r.digest("memory root");
  const configBytes = r.bytes(r.count("config length", MAX_CONFIG_BYTES), "config");
  const words = r.count("code words", MAX_INSTRUCTIONS * INSTR_WORDS, INSTR_WORDS);
  if (words % INSTR_WORDS !== 0) throw new ReceiptError("Malformed", `code of ${words} words is not a whole number of ${INSTR_WORDS}-word instructions`);
  const code = new Uint32Array(words);
  for (let i = 0; i < words; i++) code[i] = r.u32("code");
  const statement: Statement = { imageId, journalDigest, journal, exitCode, cycles };
  const image: ImageParts = { memoryRoot, configBytes, code };
  if (kind === "dev") {
    r.end();
    return { kind, airVersion, statement, image };
  }
  const [logBlowup, numQueries, logFoldingArity, logFinalLen, powBits, zk] = [0, 1, 2, 3, 4, 5].map(() => r.u32("params")) as [number, number, number, number, number, number];
  if (zk > 1) throw new ReceiptError("Malformed", `params: zk flag ${zk} is not 0 or 1`);
  const params: StarkParams = { logBlowup, numQueries, logFoldingArity, logFinalLen, powBits, zk: zk === 1 };
  const memory = readMemory(r);
  if (kind === "segments") {
    const parts = r.count("proof count", MAX_SEGMENTS + 1, 2);
    const proofs: Uint8Array[] = [];
    const segmentTables: number[] = [];
    for (let i = 0; i < parts; i++) {
      if (i > 0) {
        const mask = r.u8("segment tables");
        if (mask >= 1 << MAX_COPROCESSOR_TABLES) throw new ReceiptError("Malformed", `segment ${i - 1}: table mask ${mask} ≥ ${1 << MAX_COPROCESSOR_TABLES}`);
        segmentTables.push(mask);
      }
      proofs.push(r.bytes(r.count("proof length", MAX_PROOF_BYTES, 1), "proof"));
    }
    r.end();
    return { kind, airVersion, statement, image, params, memory, proofs, segmentTables };
  }
  const proof = r.bytes(r.count("proof length", MAX_PROOF_BYTES, 1), "proof");
  r.end();
  return { kind, airVersion, statement, image, params, memory, proof };
}

function readMemory(r: ByteReader): MemoryOpening {
  const n = r.count("memory page count", MAX_RECEIPT_PAGES);
  const pages: { index: number; page: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const index = r.u32("page index");
    if (i > 0 && index <= pages[i - 1]!.index) throw new ReceiptError("Malformed", `memory pages out of order: page ${index} after page ${pages[i - 1]!.index}`);
    const hasData = r.u8("page flag");
    if (hasData > 1) throw new ReceiptError("Malformed", `page ${index}: flag ${hasData} is not 0 (zero page) or 1 (data)`);
    const page = hasData === 1 ? r.bytes(PAGE_BYTES, "page") : new Uint8Array(PAGE_BYTES);
    if (hasData === 1 && page.every((x) => x === 0)) throw new ReceiptError("Malformed", `page ${index}: an all-zero page must be encoded as a zero page`);
    pages.push({ index, page });
  }
  const siblings: Uint8Array[] = [];
  const m = r.count("memory sibling count", Math.max(n, 1) * MEMORY_TREE_DEPTH);
  for (let i = 0; i < m; i++) siblings.push(r.digest("memory sibling"));
  return { pages, siblings };
}
