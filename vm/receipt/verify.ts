// Receipt verification (docs/receipt.md §3): what a holder of only the image ID runs. Browser-safe (no Node
// built-ins): the STARK verifier, the image-ID hashing and the VM AIR's constraints — never the executor.
//
// Order of checks, first failure wins, each a typed error:
//   1. parse the container                      (Malformed, TrailingBytes, UnsupportedVersion)
//   2. dev receipt                               (DevReceipt unless allowDev)
//   3. AIR version known                         (UnsupportedVersion)
//   4. image: the receipt's code, memory root and config hash to its image ID, which is the one pinned
//      (ImageIdMismatch); the config parses completely — head, functions, signatures, call_indirect table —
//      and agrees with the code                  (Malformed)
//   5. statement: journal digest, cycle bound, journal shorter than the run             (StatementMismatch)
//   6. the opened memory pages hash to the image's memory root and lie in its initial memory (MemoryMismatch);
//      the AIR of this code and these pages     (UnprovableImage)
//   7. the STARK proof against the statement as public inputs (the verifier's own kinds: InsecureParams,
//      MerklePath, OodMismatch, LogupSumNonZero, ...)
import { lapTimer, verifyJointOrThrow, verifyOrThrow, type Lap, type VerifyTiming } from "../../verifier/stark.ts";
import { isVerifierError } from "../../verifier/errors.ts";
import { sha256 } from "../../verifier/sha256.ts";
import type { Air } from "../../verifier/air.ts";
import { vmAirOfRun, vmProgramAir, vmSegmentedAirs, VM_AIR_VERSION, type AirProgram, type SegmentedAirs, type VmProgramAir } from "../air/air.ts";
import { vmPublics, type SegmentPosition } from "../air/publics.ts";
import { VmAirError } from "../air/buses.ts";
import { TREE_PAGES_PER_WASM_PAGE } from "../air/memory-pages.ts";
import { memoryRootFromPages, imageIdFromParts, parseConfig, parseImageId, toHex, type ImageId } from "../image/image-id.ts";
import { INSTR_WORDS } from "../isa.ts";
import { ReceiptError, type ReceiptErrorInfo } from "./errors.ts";
import { decodeReceipt, type Receipt } from "./format.ts";

/** Longest provable execution (docs/vm-air.md D11: timestamps 4·clk + 4 < 2^29). */
export const MAX_CYCLES = 2 ** 27;

export interface VerifyReceiptOptions {
  /** accept a dev-mode receipt (no proof); the result then says `dev: true` */
  readonly allowDev?: boolean;
  /** minimum conjectured security bits (default 100) */
  readonly minSecurityBits?: number;
  /** optional profiling hook (phase, ms), as verifier/stark.ts VerifyOptions.timing; receipt phases are "receipt/…" */
  readonly timing?: VerifyTiming;
}

export interface VerifiedReceipt {
  readonly valid: true;
  readonly imageId: ImageId;
  readonly journal: Uint8Array;
  readonly exitCode: number;
  readonly cycles: number;
  readonly segments: number;
  /** conjectured security of the proof; 0 for a dev receipt */
  readonly securityBits: number;
  readonly dev: boolean;
}

export type VerifyReceiptResult = VerifiedReceipt | { readonly valid: false; readonly error: ReceiptErrorInfo };

/** Verifies a receipt against a pinned image ID (hex). Never throws. */
export function verifyReceipt(bytes: Uint8Array, imageId: string, opts: VerifyReceiptOptions = {}): VerifyReceiptResult {
  try {
    return verifyReceiptOrThrow(bytes, imageId, opts);
  } catch (e) {
    if (e instanceof ReceiptError) return { valid: false, error: e.toJSON() };
    if (isVerifierError(e)) return { valid: false, error: e.toJSON() };
    return { valid: false, error: { kind: "Internal", message: e instanceof Error ? e.message : String(e) } };
  }
}

/** Same as verifyReceipt but throws ReceiptError (or the STARK verifier's VerifierError). */
export function verifyReceiptOrThrow(bytes: Uint8Array, imageId: string, opts: VerifyReceiptOptions = {}): VerifiedReceipt {
  const pinned = typeof imageId === "string" ? parseImageId(imageId) : undefined;
  if (pinned === undefined) throw new ReceiptError("InvalidArgument", `image ID must be 64 hex digits, got ${JSON.stringify(String(imageId)).slice(0, 80)}`);
  const lap = lapTimer(opts.timing);
  // 1–3
  const r = decodeReceipt(bytes);
  lap?.("receipt/parse");
  if (r.kind === "dev" && opts.allowDev !== true) throw new ReceiptError("DevReceipt", "a dev-mode receipt carries no proof (it was produced by `zkvm prove --dev`); pass allowDev / --allow-dev to accept it anyway");
  if (r.airVersion !== VM_AIR_VERSION) throw new ReceiptError("UnsupportedVersion", `receipt proven against VM AIR v${r.airVersion}; this verifier knows v${VM_AIR_VERSION}`);
  // 4. the image the proof is about is the one pinned
  const claimed = toHex(r.statement.imageId) as ImageId;
  if (claimed !== pinned) throw new ReceiptError("ImageIdMismatch", `receipt is for image ${claimed}, expected ${pinned}`);
  let image = knownImage(pinned, r);
  if (image === undefined) {
    const rebuilt = imageIdFromParts(r.image.code, r.image.memoryRoot, r.image.configBytes).imageId;
    if (rebuilt !== pinned) throw new ReceiptError("ImageIdMismatch", `the receipt's code, memory root and config hash to ${rebuilt}, not to its image ID ${pinned}`);
    image = rememberImage(pinned, r);
  }
  lap?.("receipt/image-id");
  // the whole config: the head for the statement and public tables, the functions and call_indirect table for TABLEFN
  const head = parseConfig(r.image.configBytes);
  if (head === undefined || head.instructions !== r.image.code.length / INSTR_WORDS || head.entryPc >= head.instructions) {
    throw new ReceiptError("Malformed", "receipt: the image config is malformed or disagrees with the code");
  }
  // 5. statement
  const s = r.statement;
  if (toHex(sha256(s.journal)) !== toHex(s.journalDigest)) throw new ReceiptError("StatementMismatch", "journal digest is not SHA-256 of the journal");
  if (s.cycles < 1 || s.cycles >= MAX_CYCLES) throw new ReceiptError("StatementMismatch", `cycle count ${s.cycles} outside [1, 2^27)`);
  const result = { valid: true as const, imageId: pinned, journal: s.journal, exitCode: s.exitCode, cycles: s.cycles, segments: 1 };
  if (r.kind === "dev") return { ...result, segments: 0, securityBits: 0, dev: true };
  if (s.journal.length >= s.cycles) throw new ReceiptError("StatementMismatch", `a journal of ${s.journal.length} bytes needs more than ${s.cycles} cycles (one per committed byte)`);
  // 6–7
  const program: AirProgram = { code: r.image.code, entryPc: head.entryPc, globalSlots: head.globalSlots, globalsInit: head.globalsInit, memPages: head.initialPages, maxPages: head.maxPages, functions: head.functions, table: head.table };
  lap?.("receipt/config-statement");
  checkMemoryOpening(r, program.memPages);
  lap?.("receipt/memory-pages");
  const securityBits = verifyProof(r, program, image, opts, lap);
  return { ...result, segments: r.kind === "segments" ? r.proofs!.length - 1 : 1, securityBits, dev: false };
}

/**
 * A segmented receipt (docs/vm-air.md §11): N + 1 joint proofs sharing their LogUp challenges — the memory proof,
 * then segments 0 … N − 1 in order. The verifier sets every part's position itself (the first segment starts at
 * the public entry state, only the last may EXIT, the others end in a handoff), so the chain of STATE records can
 * only run from the entry to the EXIT with clocks increasing; dropping, reordering or duplicating a part changes
 * the global digest, and the buses balance over all parts only.
 */
function verifySegments(r: Receipt, program: AirProgram, base: VmProgramAir, opts: VerifyReceiptOptions): number {
  const s = r.statement;
  const n = r.proofs!.length - 1;
  const airs = vmSegmentedAirs(base, program.code, r.memory!.pages, s.journal);
  const publics = (seg: SegmentPosition): number[] => vmPublics(s.imageId, program.entryPc, program.globalSlots, s.exitCode, s.cycles, s.journal, program.memPages, program.maxPages, seg);
  const parts = [
    { air: airs.memory, proof: r.proofs![0]!, publics: publics({ index: n, first: false, last: false }) },
    ...r.proofs!.slice(1).map((proof, k) => ({ air: segmentAir(airs, r.segmentTables![k]!, k), proof, publics: publics({ index: k, first: k === 0, last: k === n - 1 }) })),
  ];
  return verifyJointOrThrow(parts, { params: r.params!, ...(opts.minSecurityBits !== undefined ? { minSecurityBits: opts.minSecurityBits } : {}) });
}

/** A segment's AIR from the table mask the receipt gives it; a mask naming a table the program lacks is refused. */
function segmentAir(airs: SegmentedAirs, tables: number, k: number): Air {
  if ((tables & ~airs.allSegmentTables) !== 0) throw new ReceiptError("Malformed", `segment ${k}: table mask ${tables} names coprocessor tables this program does not have (mask of all: ${airs.allSegmentTables})`);
  return airs.segment(tables);
}

/** The touched pages are the image's: they rebuild its memory root, and lie inside its initial memory. */
function checkMemoryOpening(r: Receipt, memPages: number): void {
  const m = r.memory!;
  const limit = memPages * TREE_PAGES_PER_WASM_PAGE;
  for (const p of m.pages) if (p.index >= limit) throw new ReceiptError("MemoryMismatch", `memory page ${p.index} lies outside the image's ${memPages} initial 64 KiB pages`);
  if (m.pages.length === 0) {
    if (m.siblings.length !== 0) throw new ReceiptError("MemoryMismatch", "memory siblings without any opened page");
    return;
  }
  const root = memoryRootFromPages(m.pages, m.siblings);
  if (root === undefined) throw new ReceiptError("MemoryMismatch", `${m.siblings.length} memory siblings are not what ${m.pages.length} opened pages need`);
  if (toHex(root) !== toHex(r.image.memoryRoot)) throw new ReceiptError("MemoryMismatch", "the opened memory pages do not hash to the image's memory root");
}

/**
 * Images seen before, with what is derived from them. An entry records that these exact code, memory root and
 * config bytes hash to this image ID (so a receipt carrying the same bytes needs no re-hash), and, once built, the
 * program-derived tables of the VM AIR: decoding the code into the public PROGRAM table (and the symbolic and
 * compiled forms the STARK verifier memoises per table object) is most of a warm verify otherwise, and a verifier
 * typically checks many receipts of one image (`zkvm train --prove`: hundreds). A hit requires byte-for-byte equal
 * code, config and memory root, so the cache depends on nothing but equality of the inputs. Bounded: at most
 * IMAGE_CACHE_ENTRIES images and IMAGE_CACHE_WORDS code words in all, least recently used evicted first.
 */
interface KnownImage {
  readonly code: Uint32Array;
  readonly config: Uint8Array;
  readonly memoryRoot: Uint8Array;
  base: VmProgramAir | undefined;
}
const IMAGE_CACHE_ENTRIES = 8;
const IMAGE_CACHE_WORDS = 1 << 20;
const imageCache = new Map<string, KnownImage>();

function equalArrays(a: Uint32Array | Uint8Array, b: Uint32Array | Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function knownImage(id: string, r: Receipt): KnownImage | undefined {
  const e = imageCache.get(id);
  if (e === undefined || !equalArrays(e.code, r.image.code) || !equalArrays(e.config, r.image.configBytes) || !equalArrays(e.memoryRoot, r.image.memoryRoot)) return undefined;
  imageCache.delete(id); // most recently used last
  imageCache.set(id, e);
  return e;
}

/** Records that the receipt's image parts hash to `id` (the caller has just checked it). */
function rememberImage(id: string, r: Receipt): KnownImage {
  const e: KnownImage = { code: r.image.code.slice(), config: r.image.configBytes.slice(), memoryRoot: r.image.memoryRoot.slice(), base: undefined };
  if (e.code.length > IMAGE_CACHE_WORDS) return e;
  imageCache.delete(id);
  imageCache.set(id, e);
  let words = 0;
  for (const x of imageCache.values()) words += x.code.length;
  for (const [k, x] of imageCache) {
    if (imageCache.size <= IMAGE_CACHE_ENTRIES && words <= IMAGE_CACHE_WORDS) break;
    imageCache.delete(k);
    words -= x.code.length;
  }
  return e;
}

function verifyProof(r: Receipt, program: AirProgram, image: KnownImage, opts: VerifyReceiptOptions, lap?: Lap): number {
  let air;
  try {
    image.base ??= vmProgramAir(program); // from this image's code and config (equal to the receipt's)
    if (r.kind === "segments") return verifySegments(r, program, image.base, opts);
    air = vmAirOfRun(image.base, r.memory!.pages, r.statement.journal);
  } catch (e) {
    if (e instanceof VmAirError) throw new ReceiptError("UnprovableImage", e.message);
    throw e;
  }
  const s = r.statement;
  const publics = vmPublics(s.imageId, program.entryPc, program.globalSlots, s.exitCode, s.cycles, s.journal, program.memPages, program.maxPages);
  lap?.("receipt/vm-air");
  return verifyOrThrow(air, r.proof!, publics, {
    params: r.params!,
    ...(opts.minSecurityBits !== undefined ? { minSecurityBits: opts.minSecurityBits } : {}),
    ...(opts.timing !== undefined ? { timing: opts.timing } : {}),
  });
}
