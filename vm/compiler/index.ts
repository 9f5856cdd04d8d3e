// compileWasm: an integer-only WASM module (as asc emits it, or any wasm32 producer) → Program.
//
// Pipeline: V8 validates the module (exact WASM typing rules, no console noise) → our decoder keeps
// every instruction's byte offset → floats rejected with their source line → imports checked against
// the guest ABI → each function translated (vm/compiler/translate.ts) → calls relocated, entry stub,
// globals, table, memory segments and the pc → source line map assembled.

import { PROGRAM_VERSION, WASM_PAGE_BYTES, type FunctionInfo, type Program, type Segment, type SourceMap } from "../program.ts";
import { abiSignature, GUEST_ABI } from "./abi.ts";
import { Emitter } from "./emitter.ts";
import { CompileError } from "./errors.ts";
import { checkNoFloats } from "./float-check.ts";
import { lookupOffset, parseSourceMap, type ByteSourceMap } from "./source-map.ts";
import { translateFunction, type ImportIntrinsic, type ModuleContext } from "./translate.ts";
import { decodeWasm, type FuncType, type WasmModule } from "./wasm-decode.ts";

export { CompileError, type CompileErrorKind } from "./errors.ts";

export interface CompileOptions {
  /** asc's source map (JSON string or parsed object) for the same binary: gives FloatNotAllowed its
   * source line and the Program its pc → line map. */
  readonly sourceMap?: unknown;
  /** Rewrites source-map paths (e.g. to make them relative to the guest's folder). */
  readonly mapPath?: (path: string) => string;
}

/** Memory pages the VM supports at most (4 GiB would overflow u32 effective-address checks). */
export const MAX_PAGES = 65535;

const sigString = (t: FuncType): string => `(${t.params.join(",")})->(${t.results.join(",")})`;

export function compileWasm(wasm: Uint8Array, opts: CompileOptions = {}): Program {
  try {
    return compile(wasm, opts);
  } catch (e) {
    if (e instanceof CompileError) throw e;
    // A bug of ours, not of the guest: still a typed error, never a host stack trace.
    throw new CompileError("InternalError", `compiler failure: ${(e as Error)?.message ?? String(e)}`);
  }
}

function compile(wasm: Uint8Array, opts: CompileOptions): Program {
  // V8 validates first (exact WASM typing rules, silent), so everything below sees a valid module.
  const bytes = new Uint8Array(wasm); // an ArrayBuffer-backed copy, as the WebAssembly API wants
  if (!WebAssembly.validate(bytes)) {
    let why = "";
    try {
      new WebAssembly.Module(bytes);
    } catch (e) {
      why = `: ${(e as Error).message}`;
    }
    throw new CompileError("InvalidWasm", `invalid WASM module${why}`);
  }
  const m = decodeWasm(wasm);
  const map = opts.sourceMap !== undefined ? parseSourceMap(opts.sourceMap) : undefined;
  const nImports = m.imports.filter((i) => i.kind === "func").length;
  const exportName = new Map<number, string>();
  for (const e of m.exports) if (e.kind === "func" && !exportName.has(e.index)) exportName.set(e.index, e.name);
  const funcName = (idx: number): string => exportName.get(idx) ?? m.names.get(idx) ?? `f${idx}`;

  checkNoFloats(m, map, funcName);

  // Imports: functions of the guest ABI only, with their exact signatures.
  const intrinsics: ImportIntrinsic[] = [];
  for (const imp of m.imports) {
    const key = `${imp.module}.${imp.name}`;
    if (imp.kind !== "func") throw new CompileError("UnsupportedImport", `import ${key} (${imp.kind}) is not part of the guest ABI; only zkvm.* and env.abort functions may be imported`);
    const abi = GUEST_ABI[key];
    if (abi === undefined) throw new CompileError("UnsupportedImport", `import ${key} is not part of the guest ABI (docs/architecture.md); allowed: ${Object.keys(GUEST_ABI).join(", ")}`);
    const sig = sigString(m.types[imp.typeIdx]!);
    if (sig !== abiSignature(abi)) throw new CompileError("UnsupportedImport", `import ${key} has signature ${sig}, the guest ABI requires ${abiSignature(abi)}`);
    intrinsics.push(abi.intrinsic);
  }
  if (m.tables.length > 1 || m.memories.length > 1) throw new CompileError("UnsupportedFeature", "several tables or memories");
  if (m.data.some((d) => d.passive)) throw new CompileError("UnsupportedFeature", "passive data segments (memory.init) are not supported");

  const main = m.exports.find((e) => e.name === "main");
  if (main === undefined || main.kind !== "func") throw new CompileError("MissingMain", "the module must export a function `main` (no parameters, no result)");
  const funcImports = m.imports.filter((i) => i.kind === "func");
  const typeOfFunc = (f: number): number => {
    const t = f < nImports ? funcImports[f]?.typeIdx : m.funcTypes[f - nImports];
    if (t === undefined || m.types[t] === undefined) throw new CompileError("InvalidWasm", `function ${f} out of range`);
    return t;
  };
  const typeOf = (f: number): FuncType => m.types[typeOfFunc(f)]!;
  if (main.index < nImports) throw new CompileError("MissingMain", "`main` must be defined in the module, not imported");
  if (sigString(typeOf(main.index)) !== "()->()") throw new CompileError("MissingMain", `\`main\` must take no parameters and return nothing, found ${sigString(typeOf(main.index))}`);
  const starts: number[] = [];
  if (m.start !== undefined) starts.push(m.start);
  const underscoreStart = m.exports.find((e) => e.name === "_start" && e.kind === "func");
  if (underscoreStart && !starts.includes(underscoreStart.index)) starts.push(underscoreStart.index);
  for (const s of starts) {
    if (s < nImports || sigString(typeOf(s)) !== "()->()") throw new CompileError("UnsupportedFeature", "the start function must be a defined function with no parameters and no result");
  }

  // Signatures: structurally equal types share an id (call_indirect compares structurally).
  const sigIds = new Map<string, number>();
  const signatures: string[] = [];
  const sigIdOfType = (ti: number): number => {
    const s = sigString(m.types[ti]!);
    let id = sigIds.get(s);
    if (id === undefined) { id = signatures.length; signatures.push(s); sigIds.set(s, id); }
    return id;
  };

  // Globals: absolute slots.
  const globalSlot: number[] = [];
  const globalInit: number[] = [];
  for (const g of m.globals) {
    globalSlot.push(globalInit.length);
    if (!("lo" in g.init)) throw new CompileError("UnsupportedFeature", "global initialised from another global (imported globals are not supported)");
    globalInit.push(g.init.lo);
    if (g.type === "i64") globalInit.push(g.init.hi);
  }

  const slotsOf = (ts: readonly string[]): number => ts.reduce((s, t) => s + (t === "i64" ? 2 : 1), 0);
  const saveSlotOf = (f: number): number => { const t = typeOf(f); return Math.max(slotsOf(t.params), slotsOf(t.results)); };
  const ctx: ModuleContext = {
    types: m.types,
    funcType: typeOfFunc,
    importOf: (f) => (f < nImports ? intrinsics[f] : undefined),
    saveSlotOf,
    sigIdOf: sigIdOfType,
    global: (i) => {
      const g = m.globals[i];
      if (g === undefined) throw new CompileError("InvalidWasm", `global ${i} out of range`);
      return { slot: globalSlot[i]!, ty: g.type === "i64" ? "i64" : "i32" };
    },
    funcName,
  };

  const em = new Emitter();
  // Entry stub: start functions, main, EXIT 0. Its frame is at fp = globalSlots; callee frames start there.
  const stubCalls: { pc: number; f: number }[] = [];
  for (const s of [...starts, main.index]) stubCalls.push({ pc: em.emit("CALL", s, 0, saveSlotOf(s)), f: s });
  em.emit("CONST", 0, 0);
  em.emit("EXIT", 0);

  const functions: FunctionInfo[] = [];
  const pcOf = new Map<number, number>();
  const allFixups: number[] = [];
  for (let i = 0; i < m.bodies.length; i++) {
    const f = nImports + i;
    const body = m.bodies[i]!;
    const t = translateFunction(em, ctx, f, body.locals, body.code);
    pcOf.set(f, t.pc);
    allFixups.push(...t.callFixups);
    functions.push({
      name: funcName(f),
      pc: t.pc,
      sig: sigIdOfType(m.funcTypes[i]!),
      paramSlots: t.paramSlots,
      resultSlots: t.resultSlots,
      saveSlot: t.saveSlot,
      frameSlots: t.frameSlots,
    });
  }
  for (const pc of allFixups) em.patch(pc, 1, pcOf.get(em.field(pc, 1))!);
  for (const c of stubCalls) em.patch(c.pc, 1, pcOf.get(c.f)!);
  const { code, offsets } = em.finish();

  // call_indirect table: entries are indices into `functions`.
  const tableSize = m.tables[0]?.min ?? 0;
  const table = new Int32Array(tableSize).fill(-1);
  for (const seg of m.elems) {
    if (seg.offset + seg.funcs.length > tableSize) throw new CompileError("InvalidWasm", "element segment outside the table");
    seg.funcs.forEach((f, j) => {
      if (f < nImports) throw new CompileError("UnsupportedFeature", "an imported function in the call_indirect table");
      table[seg.offset + j] = f - nImports;
    });
  }

  const mem = m.memories[0] ?? { min: 0, max: 0 };
  const maxPages = Math.min(mem.max ?? MAX_PAGES, MAX_PAGES);
  if (mem.min > maxPages) throw new CompileError("UnsupportedFeature", `initial memory of ${mem.min} pages exceeds the VM's ${MAX_PAGES}`);
  const segments = layoutSegments(m, mem.min * WASM_PAGE_BYTES);

  return {
    version: PROGRAM_VERSION,
    code,
    entryPc: 0,
    globalSlots: globalInit.length,
    globalsInit: Uint32Array.from(globalInit),
    functions,
    signatures,
    table,
    memory: { initialPages: mem.min, maxPages },
    segments,
    ...(map ? { sourceMap: buildSourceMap(offsets, map, opts.mapPath) } : {}),
  };
}

/** Active data segments as non-overlapping ranges (later segments win where they overlap, as in WASM). */
function layoutSegments(m: WasmModule, memBytes: number): Segment[] {
  const segs = m.data.filter((d) => d.bytes.length > 0);
  for (const d of segs) {
    if (d.offset + d.bytes.length > memBytes) throw new CompileError("InvalidWasm", `data segment at ${d.offset} (${d.bytes.length} bytes) outside the initial memory`);
  }
  const order = segs.map((_, i) => i).sort((a, b) => segs[a]!.offset - segs[b]!.offset);
  const out: Segment[] = [];
  let group: number[] = [];
  let groupEnd = -1;
  const flush = (): void => {
    if (!group.length) return;
    if (group.length === 1) { const d = segs[group[0]!]!; out.push({ addr: d.offset, bytes: d.bytes }); }
    else {
      const start = Math.min(...group.map((i) => segs[i]!.offset));
      const bytes = new Uint8Array(groupEnd - start);
      for (const i of [...group].sort((a, b) => a - b)) bytes.set(segs[i]!.bytes, segs[i]!.offset - start);
      out.push({ addr: start, bytes });
    }
    group = [];
  };
  for (const i of order) {
    const d = segs[i]!;
    if (d.offset >= groupEnd) flush();
    group.push(i);
    groupEnd = Math.max(groupEnd, d.offset + d.bytes.length);
  }
  flush();
  return out;
}

/** Run-length pc → (file, line) from the instruction byte offsets and the module's source map. */
function buildSourceMap(offsets: Int32Array, map: ByteSourceMap, mapPath?: (p: string) => string): SourceMap {
  const files: string[] = [];
  const fileId = new Map<string, number>();
  const pcs: number[] = [];
  const fidx: number[] = [];
  const lines: number[] = [];
  let lastF = -1;
  let lastL = -1;
  for (let pc = 0; pc < offsets.length; pc++) {
    const off = offsets[pc]!;
    const loc = off >= 0 ? lookupOffset(map, off) : undefined;
    let f = 0;
    let l = 0;
    if (loc) {
      const path = mapPath ? mapPath(loc.file) : loc.file;
      let id = fileId.get(path);
      if (id === undefined) { id = files.length; files.push(path); fileId.set(path, id); }
      f = id;
      l = loc.line;
    }
    if (f !== lastF || l !== lastL) { pcs.push(pc); fidx.push(f); lines.push(l); lastF = f; lastL = l; }
  }
  if (files.length === 0) files.push("?");
  return { files, pcs: Uint32Array.from(pcs), fileIdx: Uint32Array.from(fidx), lines: Uint32Array.from(lines) };
}
