// The library API of the toolchain: what `zkvm` (cli/main.ts) calls and what users import.
//
//   build(entry, { data, out })           → { image, imageId }
//   loadImage(path | bytes)                → Image                (ImageError / ApiError on bad input)
//   execute(image, input, { engine, maxCycles, log }) → { imageId, exitCode, cycles, journal }
//   inspect(image)                          → a summary (sizes, segments, roots of the image ID)
//   prove(image, input, { params, dev })   → { receipt, imageId, journal, exitCode, cycles, ... }  (vm/receipt)
//   verify(receipt, imageId | image, { allowDev }) → { valid: true, journal, ... } | { valid: false, error }
//   errorInfo(e)                            → the user-facing {kind, message, ...} of any thrown value
//
// Every failure is a typed error with {kind, message}: BuildError, CompileError, ImageError, VmError,
// or ApiError for the remaining cases (bad options, unreadable files).

import { readFileSync } from "node:fs";
import { buildGuest, type DataInput } from "./build/index.ts";
import { isBuildError } from "./build/errors.ts";
import { CompileError } from "./compiler/errors.ts";
import { execute as executeVm } from "./executor/index.ts";
import { isVmError } from "./errors.ts";
import type { LogSink } from "./host-io.ts";
import { isImageError } from "./image/errors.ts";
import { parseImage, serializeImage, type Image } from "./image/format.ts";
import { computeImageId, imageIdParts, toHex, type ImageId } from "./image/image-id.ts";
import { disassemble, instructionCount } from "./program.ts";
import { executeWasm } from "./wasm-engine/index.ts";
import { verifyReceipt, type VerifyReceiptOptions, type VerifyReceiptResult } from "./receipt/verify.ts";

export type { Image } from "./image/format.ts";
export type { ImageId } from "./image/image-id.ts";
export type { DataInput } from "./build/index.ts";
export { parseDataSpec } from "./build/index.ts";
export { serializeImage, parseImage, computeImageId };

export { proveReceipt as prove, type ProveReceiptOptions as ProveOptions, type ProveReceiptResult as ProveResult } from "./receipt/prove.ts";
export type { VerifyReceiptResult as VerifyResult, VerifyReceiptOptions as VerifyOptions } from "./receipt/verify.ts";

/** Verifies a receipt against a pinned image ID, or against the ID of an image. Never throws. */
export function verify(receipt: Uint8Array, expected: ImageId | string | Image, opts: VerifyReceiptOptions = {}): VerifyReceiptResult {
  const id = typeof expected === "string" ? expected : computeImageId(expected.program);
  return verifyReceipt(receipt, id, opts);
}

export type Engine = "vm" | "wasm";
export const ENGINES: readonly Engine[] = ["vm", "wasm"];

export type ApiErrorKind = "FileNotFound" | "InvalidArgument";

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  constructor(kind: ApiErrorKind, message: string) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
  }
  toJSON(): { kind: ApiErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export interface BuildResult {
  readonly image: Image;
  readonly imageId: ImageId;
}

export async function build(entryFile: string, opts: { data?: readonly DataInput[]; out?: string } = {}): Promise<BuildResult> {
  const image = await buildGuest(entryFile, opts);
  return { image, imageId: computeImageId(image.program) };
}

export function readInputFile(path: string, what: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ApiError("FileNotFound", `${what} ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message}`);
  }
}

/** Loads an image from a file path or from its bytes (strict parse). */
export function loadImage(source: string | Uint8Array): Image {
  return parseImage(typeof source === "string" ? readInputFile(source, "image") : source);
}

export interface ExecuteOptions {
  /** "vm" (default): our ISA executor; "wasm": the embedded WASM in V8 (reference, no cycle count). */
  readonly engine?: Engine;
  /** Cycle limit for the VM (trap CycleLimit beyond it). The wasm engine counts no cycles and ignores it. */
  readonly maxCycles?: number;
  readonly log?: LogSink;
}

export interface ExecutionResult {
  readonly imageId: ImageId;
  readonly engine: Engine;
  readonly exitCode: number;
  /** Trace rows (CPU + coprocessor) in the VM; null in the WASM engine, which does not count them. */
  readonly cycles: number | null;
  readonly journal: Uint8Array;
}

export function execute(image: Image, input: Uint8Array = new Uint8Array(), opts: ExecuteOptions = {}): ExecutionResult {
  const engine = opts.engine ?? "vm";
  if (!ENGINES.includes(engine)) throw new ApiError("InvalidArgument", `unknown engine "${String(engine)}" (vm or wasm)`);
  if (opts.maxCycles !== undefined && !(Number.isSafeInteger(opts.maxCycles) && opts.maxCycles > 0)) {
    throw new ApiError("InvalidArgument", `maxCycles must be a positive integer, got ${opts.maxCycles}`);
  }
  const imageId = computeImageId(image.program);
  const log = opts.log !== undefined ? { log: opts.log } : {};
  if (engine === "wasm") {
    const r = executeWasm(image, input, log);
    return { imageId, engine, exitCode: r.exitCode, cycles: null, journal: r.journal };
  }
  const r = executeVm(image.program, input, { ...log, ...(opts.maxCycles !== undefined ? { maxCycles: opts.maxCycles } : {}) });
  return { imageId, engine, exitCode: r.exitCode, cycles: r.cycles, journal: r.journal };
}

export interface ImageSummary {
  readonly imageId: ImageId;
  readonly codeRoot: string;
  readonly memoryRoot: string;
  readonly configHash: string;
  readonly instructions: number;
  readonly functions: number;
  readonly entryPc: number;
  readonly memory: { readonly initialPages: number; readonly maxPages: number };
  readonly segments: readonly { readonly name: string | null; readonly addr: number; readonly bytes: number }[];
  readonly dataSegments: readonly string[];
  readonly sourceFiles: readonly string[];
  readonly wasmBytes: number;
  readonly imageBytes: number;
}

export function inspect(image: Image): ImageSummary {
  const p = image.program;
  const parts = imageIdParts(p);
  return {
    imageId: parts.imageId,
    codeRoot: toHex(parts.codeRoot),
    memoryRoot: toHex(parts.memoryRoot),
    configHash: toHex(parts.configHash),
    instructions: instructionCount(p),
    functions: p.functions.length,
    entryPc: p.entryPc,
    memory: p.memory,
    segments: p.segments.map((s) => ({ name: s.name ?? null, addr: s.addr, bytes: s.bytes.length })),
    dataSegments: p.segments.filter((s) => s.name !== undefined && !s.name.startsWith("@")).map((s) => s.name!),
    sourceFiles: p.sourceMap?.files ?? [],
    wasmBytes: image.wasm.length,
    imageBytes: serializeImage(image).length,
  };
}

export function disassembleImage(image: Image): string {
  return disassemble(image.program);
}

/** The error kinds a user can meet, in the `{kind, message, ...}` shape, or undefined for a host bug. */
export function errorInfo(e: unknown): ({ kind: string; message: string } & Record<string, unknown>) | undefined {
  if (isVmError(e)) {
    const j: Record<string, unknown> = { ...e.toJSON() };
    const src = e.source;
    if (src !== undefined) {
      delete j.source;
      // An Abort carries the assertion's own file/line; otherwise the faulting pc's source line.
      if (j.file === undefined) j.file = src.file;
      if (j.line === undefined) j.line = src.line;
      if (j.file !== src.file || j.line !== src.line) { j.pcFile = src.file; j.pcLine = src.line; }
    }
    return j as { kind: string; message: string };
  }
  if (e instanceof CompileError || isBuildError(e) || isImageError(e) || e instanceof ApiError) {
    return e.toJSON() as { kind: string; message: string };
  }
  // Typed errors of modules above the toolchain (e.g. cli/mnist, cli/train) share the convention: an
  // Error with a string `kind`, optionally a toJSON with further fields. Anything else is a host bug.
  const kind = e instanceof Error ? (e as Error & { kind?: unknown }).kind : undefined;
  if (e instanceof Error && typeof kind === "string") {
    const toJSON = (e as Error & { toJSON?: () => unknown }).toJSON;
    const j = typeof toJSON === "function" ? toJSON.call(e) : undefined;
    const extra = j !== null && typeof j === "object" ? (j as Record<string, unknown>) : {};
    return { ...extra, kind, message: e.message };
  }
  return undefined;
}
