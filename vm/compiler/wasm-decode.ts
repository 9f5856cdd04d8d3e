// A small WASM binary decoder for the subset the compiler translates (MVP + sign-extension + bulk
// memory). It keeps every instruction's byte offset in the module, because AssemblyScript's source map
// maps module byte offsets to guest source lines. Float and SIMD instructions are decoded (so the float
// check can name them and their line), never translated.

import { CompileError } from "./errors.ts";

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref";

export interface FuncType {
  readonly params: ValType[];
  readonly results: ValType[];
}

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly kind: "func" | "table" | "memory" | "global";
  /** Type index for a function import. */
  readonly typeIdx: number;
}

export interface Instr {
  /** Opcode; 0xFC-prefixed ones are 0xFC00 + sub-opcode, SIMD ones 0xFD00 + sub-opcode. */
  readonly op: number;
  /** Byte offset of the opcode in the module. */
  readonly off: number;
  /** First immediate: index (local/global/func/label/type), memarg offset, i32 const, i64 const lo. */
  readonly a: number;
  /** Second immediate: i64 const hi. */
  readonly b: number;
  /** Block type for block/loop/if. */
  readonly bt?: FuncType;
  /** br_table: label depths, default last. */
  readonly targets?: number[];
}

export interface FuncBody {
  readonly locals: ValType[];
  readonly code: Instr[];
  /** Byte offset of the body (its local declarations) in the module. */
  readonly off: number;
}

export interface GlobalDef {
  readonly type: ValType;
  readonly mutable: boolean;
  /** Initial value (lo, hi words) from a constant expression; `fromGlobal` if it is global.get. */
  readonly init: { lo: number; hi: number } | { fromGlobal: number };
  readonly off: number;
}

export interface DataSegment {
  readonly passive: boolean;
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface ElemSegment {
  readonly offset: number;
  readonly funcs: number[];
}

export interface WasmModule {
  readonly types: FuncType[];
  readonly imports: Import[];
  /** Type index of each defined (non-imported) function. */
  readonly funcTypes: number[];
  readonly tables: { min: number; max?: number }[];
  readonly memories: { min: number; max?: number }[];
  readonly globals: GlobalDef[];
  readonly exports: { name: string; kind: "func" | "table" | "memory" | "global"; index: number }[];
  readonly start?: number;
  readonly elems: ElemSegment[];
  readonly bodies: FuncBody[];
  readonly data: DataSegment[];
  /** Function names from the name section (function index space). */
  readonly names: Map<number, string>;
}

const VALTYPES: Record<number, ValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };
const EXTERN_KINDS = ["func", "table", "memory", "global"] as const;

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos: number,
    readonly end: number,
  ) {
    this.pos = pos;
  }
  fail(what: string): never {
    throw new CompileError("InvalidWasm", `malformed module at byte ${this.pos}: ${what}`);
  }
  byte(): number {
    if (this.pos >= this.end) this.fail("unexpected end");
    return this.buf[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) this.fail("u32 LEB128 out of range");
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 28) this.fail("u32 LEB128 too long");
    }
  }
  /** Signed LEB128 of up to `bits` bits, returned as a BigInt. */
  sleb(bits: number): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; ; i++) {
      if (i >= Math.ceil(bits / 7)) this.fail("signed LEB128 too long");
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= 1n << shift;
        return BigInt.asIntN(bits, result);
      }
    }
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail("unexpected end");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name(): string {
    const n = this.u32();
    return new TextDecoder("utf-8", { fatal: false }).decode(this.bytes(n));
  }
  valtype(): ValType {
    const b = this.byte();
    const t = VALTYPES[b];
    if (t === undefined) this.fail(`unknown value type 0x${b.toString(16)}`);
    return t;
  }
  limits(): { min: number; max?: number } {
    const flag = this.byte();
    const min = this.u32();
    if (flag === 0) return { min };
    if (flag === 1) return { min, max: this.u32() };
    if (flag === 2 || flag === 3) this.fail("shared memory is not supported");
    this.fail(`unsupported limits flag ${flag}`);
  }
}

/** Decode a constant expression (global init / segment offset). */
function constExpr(r: Reader): { lo: number; hi: number } | { fromGlobal: number } | { float: true } {
  const op = r.byte();
  let v: { lo: number; hi: number } | { fromGlobal: number } | { float: true };
  switch (op) {
    case 0x41: {
      const x = Number(r.sleb(32));
      v = { lo: x >>> 0, hi: x < 0 ? 0xffffffff : 0 };
      break;
    }
    case 0x42: {
      const x = BigInt.asUintN(64, r.sleb(64));
      v = { lo: Number(x & 0xffffffffn), hi: Number(x >> 32n) };
      break;
    }
    case 0x43: r.bytes(4); v = { float: true }; break;
    case 0x44: r.bytes(8); v = { float: true }; break;
    case 0x23: v = { fromGlobal: r.u32() }; break;
    default: r.fail(`unsupported constant expression opcode 0x${op.toString(16)}`);
  }
  if (r.byte() !== 0x0b) r.fail("constant expression not terminated by end");
  return v;
}

function blockType(r: Reader, types: FuncType[]): FuncType {
  const b = r.buf[r.pos]!;
  if (b === 0x40) { r.pos++; return { params: [], results: [] }; }
  if (VALTYPES[b] !== undefined) { r.pos++; return { params: [], results: [VALTYPES[b]!] }; }
  const idx = Number(r.sleb(33));
  const t = types[idx];
  if (t === undefined) r.fail(`block type index ${idx} out of range`);
  return t;
}

function decodeCode(r: Reader, types: FuncType[]): Instr[] {
  const code: Instr[] = [];
  let depth = 1;
  while (depth > 0) {
    const off = r.pos;
    let op = r.byte();
    let a = 0;
    let b = 0;
    let bt: FuncType | undefined;
    let targets: number[] | undefined;
    switch (op) {
      case 0x02: case 0x03: case 0x04: bt = blockType(r, types); depth++; break;
      case 0x0b: depth--; break;
      case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0xd2:
        a = r.u32(); break;
      case 0x0e: {
        const n = r.u32();
        targets = [];
        for (let i = 0; i <= n; i++) targets.push(r.u32());
        break;
      }
      case 0x11: a = r.u32(); b = r.u32(); break;
      case 0x1c: { const n = r.u32(); for (let i = 0; i < n; i++) a = r.byte(); break; } // typed select: a = last type byte
      case 0x3f: case 0x40: r.byte(); break;
      case 0x41: a = Number(r.sleb(32)) >>> 0; break;
      case 0x42: {
        const x = BigInt.asUintN(64, r.sleb(64));
        a = Number(x & 0xffffffffn);
        b = Number(x >> 32n);
        break;
      }
      case 0x43: r.bytes(4); break;
      case 0x44: r.bytes(8); break;
      case 0xd0: r.byte(); break;
      case 0xfc: {
        const sub = r.u32();
        op = 0xfc00 + sub;
        if (sub === 8) { a = r.u32(); r.byte(); }
        else if (sub === 9) a = r.u32();
        else if (sub === 10) { r.byte(); r.byte(); }
        else if (sub === 11) r.byte();
        else if (sub > 17) r.fail(`unknown 0xFC opcode ${sub}`);
        else if (sub >= 12) { a = r.u32(); if (sub === 12 || sub === 14) b = r.u32(); }
        break;
      }
      case 0xfd: {
        // SIMD: rejected as a float instruction; its immediates are not decoded, so stop here.
        op = 0xfd00 + (r.u32() & 0xff);
        code.push({ op, off, a, b });
        return code;
      }
      default:
        if (op >= 0x28 && op <= 0x3e) { r.u32(); a = r.u32(); } // memarg: align, offset
        else if (!((op >= 0x45 && op <= 0xc4) || op <= 0x01 || op === 0x05 || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1))
          r.fail(`unknown opcode 0x${op.toString(16)}`);
    }
    code.push(bt ? { op, off, a, b, bt } : targets ? { op, off, a, b, targets } : { op, off, a, b });
  }
  if (r.pos !== r.end) r.fail("function body continues after its final end");
  return code;
}

export function decodeWasm(buf: Uint8Array): WasmModule {
  if (buf.length < 8 || buf[0] !== 0 || buf[1] !== 0x61 || buf[2] !== 0x73 || buf[3] !== 0x6d)
    throw new CompileError("InvalidWasm", "not a WASM module (bad magic)");
  if (buf[4] !== 1 || buf[5] !== 0 || buf[6] !== 0 || buf[7] !== 0) throw new CompileError("InvalidWasm", "unsupported WASM version");
  const m: {
    types: FuncType[]; imports: Import[]; funcTypes: number[]; tables: { min: number; max?: number }[];
    memories: { min: number; max?: number }[]; globals: GlobalDef[]; exports: WasmModule["exports"];
    start?: number; elems: ElemSegment[]; bodies: FuncBody[]; data: DataSegment[]; names: Map<number, string>;
  } = { types: [], imports: [], funcTypes: [], tables: [], memories: [], globals: [], exports: [], elems: [], bodies: [], data: [], names: new Map() };
  const top = new Reader(buf, 8, buf.length);
  while (top.pos < top.end) {
    const id = top.byte();
    const size = top.u32();
    const start = top.pos;
    if (start + size > buf.length) top.fail("section extends past the end");
    const r = new Reader(buf, start, start + size);
    top.pos = start + size;
    const count = id === 0 || id === 8 ? 0 : r.u32();
    switch (id) {
      case 0: {
        const name = r.name();
        if (name === "name") decodeNames(r, m.names);
        continue;
      }
      case 1:
        for (let i = 0; i < count; i++) {
          if (r.byte() !== 0x60) r.fail("function type expected");
          const params = Array.from({ length: r.u32() }, () => r.valtype());
          const results = Array.from({ length: r.u32() }, () => r.valtype());
          m.types.push({ params, results });
        }
        break;
      case 2:
        for (let i = 0; i < count; i++) {
          const module = r.name();
          const name = r.name();
          const k = r.byte();
          const kind = EXTERN_KINDS[k];
          if (kind === undefined) r.fail(`bad import kind ${k}`);
          let typeIdx = -1;
          if (kind === "func") typeIdx = r.u32();
          else if (kind === "table") { r.valtype(); r.limits(); }
          else if (kind === "memory") r.limits();
          else { r.valtype(); r.byte(); }
          m.imports.push({ module, name, kind, typeIdx });
        }
        break;
      case 3:
        for (let i = 0; i < count; i++) m.funcTypes.push(r.u32());
        break;
      case 4:
        for (let i = 0; i < count; i++) { r.valtype(); m.tables.push(r.limits()); }
        break;
      case 5:
        for (let i = 0; i < count; i++) m.memories.push(r.limits());
        break;
      case 6:
        for (let i = 0; i < count; i++) {
          const off = r.pos;
          const type = r.valtype();
          const mutable = r.byte() === 1;
          const init = constExpr(r);
          m.globals.push({ type, mutable, init: "float" in init ? { lo: 0, hi: 0 } : init, off });
        }
        break;
      case 7:
        for (let i = 0; i < count; i++) {
          const name = r.name();
          const kind = EXTERN_KINDS[r.byte()];
          if (kind === undefined) r.fail("bad export kind");
          m.exports.push({ name, kind, index: r.u32() });
        }
        break;
      case 8:
        m.start = r.u32();
        break;
      case 9:
        for (let i = 0; i < count; i++) {
          const flags = r.u32();
          if (flags !== 0) throw new CompileError("UnsupportedFeature", `element segment kind ${flags} (only active function tables with an i32.const offset)`);
          const off = constExpr(r);
          if (!("lo" in off)) throw new CompileError("UnsupportedFeature", "element segment offset must be i32.const");
          const n = r.u32();
          m.elems.push({ offset: off.lo, funcs: Array.from({ length: n }, () => r.u32()) });
        }
        break;
      case 10:
        for (let i = 0; i < count; i++) {
          const size = r.u32();
          const off = r.pos;
          const br = new Reader(buf, off, off + size);
          r.pos = off + size;
          const locals: ValType[] = [];
          const groups = br.u32();
          for (let g = 0; g < groups; g++) {
            const n = br.u32();
            const t = br.valtype();
            if (locals.length + n > 50000) br.fail("too many locals");
            for (let j = 0; j < n; j++) locals.push(t);
          }
          m.bodies.push({ locals, code: decodeCode(br, m.types), off });
        }
        break;
      case 11:
        for (let i = 0; i < count; i++) {
          const flags = r.u32();
          if (flags === 1) { const n = r.u32(); m.data.push({ passive: true, offset: 0, bytes: r.bytes(n) }); continue; }
          if (flags === 2 && r.u32() !== 0) r.fail("data segment for a memory other than 0");
          if (flags > 2) r.fail(`bad data segment flags ${flags}`);
          const off = constExpr(r);
          if (!("lo" in off)) throw new CompileError("UnsupportedFeature", "data segment offset must be i32.const");
          const n = r.u32();
          m.data.push({ passive: false, offset: off.lo, bytes: r.bytes(n) });
        }
        break;
      case 12:
        break; // data count
      default:
        throw new CompileError("UnsupportedFeature", `unsupported section id ${id}`);
    }
    if (r.pos !== r.end) r.fail(`section ${id} has trailing bytes`);
  }
  if (m.funcTypes.length !== m.bodies.length) throw new CompileError("InvalidWasm", "function and code section sizes differ");
  return m;
}

function decodeNames(r: Reader, names: Map<number, string>): void {
  try {
    while (r.pos < r.end) {
      const id = r.byte();
      const size = r.u32();
      const end = r.pos + size;
      if (id === 1) {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          const idx = r.u32();
          names.set(idx, r.name());
        }
      }
      r.pos = end;
    }
  } catch {
    // A malformed name section only costs us nicer function names.
  }
}
