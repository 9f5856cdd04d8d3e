// buildGuest: a guest (AssemblyScript entry file or integer-only .wasm) plus `--data` blobs → Image.
//
//   .ts   : data directory + blobs laid out from address 16 up, asc compiled with --memoryBase above
//           them (vm/build/asc.ts), then compileWasm.
//   .wasm : compileWasm on the module as given; with --data, the directory goes at address 16 (must not
//           overlap the module's own data) and the blobs above the module's initial memory, which grows
//           to hold them.
// Data bytes are never turned into source code: they are copied into the image as they are.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { compileWasm } from "../compiler/index.ts";
import { WASM_PAGE_BYTES, type Program, type Segment } from "../program.ts";
import { serializeImage, type Image } from "../image/format.ts";
import { compileAssemblyScript } from "./asc.ts";
import { alignUp, checkDataNames, DATA_DIRECTORY, directorySize, layoutData, type DataBlob } from "./data-layout.ts";
import { BuildError } from "./errors.ts";

export { BuildError, isBuildError, type BuildErrorKind } from "./errors.ts";
export { SDK_PATH } from "./asc.ts";
export { DATA_DIRECTORY, DATA_ALIGN, DIRECTORY_SEGMENT } from "./data-layout.ts";

/** A data segment: from a file (`--data NAME=FILE`) or from bytes already in memory. */
export type DataInput = { readonly name: string; readonly file: string } | { readonly name: string; readonly bytes: Uint8Array };

export interface BuildOptions {
  readonly data?: readonly DataInput[];
  /** Also write the serialized image to this path. */
  readonly out?: string;
}

/** The VM's memory limit in pages (vm/compiler MAX_PAGES). */
const MAX_PAGES = 65535;

/** Parses a `NAME=FILE` argument. */
export function parseDataSpec(spec: string): { name: string; file: string } {
  const eq = spec.indexOf("=");
  if (eq <= 0 || eq === spec.length - 1) throw new BuildError("InvalidDataSpec", `--data expects NAME=FILE, got "${spec}"`);
  const name = spec.slice(0, eq);
  checkDataNames([{ name }]);
  return { name, file: spec.slice(eq + 1) };
}

function readBinary(path: string, what: string): Uint8Array {
  try {
    if (!statSync(path).isFile()) throw new Error("not a regular file");
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new BuildError("FileNotFound", `${what} ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`, path);
  }
}

function loadBlobs(data: readonly DataInput[]): DataBlob[] {
  checkDataNames(data);
  return data.map((d) => ("bytes" in d ? { name: d.name, bytes: d.bytes } : { name: d.name, bytes: readBinary(d.file, `data file for "${d.name}"`) }));
}

/** Merges segment lists into address order, rejecting overlaps. */
function mergeSegments(a: readonly Segment[], b: readonly Segment[]): Segment[] {
  const all = [...a, ...b].sort((x, y) => x.addr - y.addr);
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1]!;
    if (all[i]!.addr < prev.addr + prev.bytes.length) {
      throw new BuildError("DataLayoutConflict", `memory segment at ${all[i]!.addr} overlaps the one at ${prev.addr} (${prev.bytes.length} bytes); a .wasm guest given --data must leave bytes ${DATA_DIRECTORY}.. free for the data directory`);
    }
  }
  return all;
}

function withMemory(p: Program, extra: readonly Segment[], end: number): Program {
  const pages = Math.max(p.memory.initialPages, Math.ceil(end / WASM_PAGE_BYTES));
  if (pages > MAX_PAGES || pages > p.memory.maxPages) {
    throw new BuildError("DataTooLarge", `data needs ${pages} memory pages, the module allows ${Math.min(p.memory.maxPages, MAX_PAGES)}`);
  }
  return { ...p, memory: { initialPages: pages, maxPages: p.memory.maxPages }, segments: mergeSegments(p.segments, extra) };
}

async function buildAssemblyScript(entry: string, blobs: DataBlob[]): Promise<Image> {
  const dirEnd = DATA_DIRECTORY + directorySize(blobs.map((b) => b.name));
  const layout = layoutData(blobs, dirEnd);
  const memoryBase = alignUp(Math.max(layout.end, dirEnd), 64);
  const { wasm, sourceMap } = await compileAssemblyScript(entry, { memoryBase });
  const program = compileWasm(wasm, { sourceMap });
  return { program: withMemory(program, layout.segments, layout.end), wasm };
}

function buildWasm(entry: string, blobs: DataBlob[]): Image {
  const wasm = readBinary(entry, "guest module");
  const program = compileWasm(wasm);
  if (blobs.length === 0) return { program, wasm };
  const exportsMemory = WebAssembly.Module.exports(new WebAssembly.Module(new Uint8Array(wasm))).some((e) => e.kind === "memory");
  if (!exportsMemory) throw new BuildError("UnsupportedInput", "a .wasm guest given --data must export its memory (the reference engine writes the data into it)");
  const layout = layoutData(blobs, program.memory.initialPages * WASM_PAGE_BYTES);
  return { program: withMemory(program, layout.segments, layout.end), wasm };
}

/** Builds a guest into an image (and writes it to `opts.out` if given). */
export async function buildGuest(entryFile: string, opts: BuildOptions = {}): Promise<Image> {
  const entry = resolve(entryFile);
  const ext = extname(entry).toLowerCase();
  if (ext !== ".ts" && ext !== ".wasm") throw new BuildError("UnsupportedInput", `guest must be an AssemblyScript .ts file or a .wasm module, got ${entryFile}`);
  try {
    if (!statSync(entry).isFile()) throw new Error();
  } catch {
    throw new BuildError("FileNotFound", `guest ${entryFile}: no such file`, entryFile);
  }
  const blobs = loadBlobs(opts.data ?? []);
  const image = ext === ".ts" ? await buildAssemblyScript(entry, blobs) : buildWasm(entry, blobs);
  if (opts.out !== undefined) writeImageFile(opts.out, image);
  return image;
}

export function writeImageFile(path: string, image: Image): void {
  try {
    writeFileSync(path, serializeImage(image));
  } catch (e) {
    throw new BuildError("FileNotFound", `cannot write ${path}: ${(e as Error).message}`, path);
  }
}
