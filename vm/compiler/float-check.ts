// Floats are not allowed in guests (they are not provable cheaply and not deterministic across
// engines in NaN bits). Reject every f32/f64/v128 value type and instruction, naming the guest source
// line from the source map when there is one, else the function.

import { CompileError } from "./errors.ts";
import { lookupOffset, type ByteSourceMap } from "./source-map.ts";
import type { ValType, WasmModule } from "./wasm-decode.ts";

const isFloat = (t: ValType): boolean => t === "f32" || t === "f64" || t === "v128";

/** Opcodes that involve floats or SIMD. */
export function isFloatOpcode(op: number): boolean {
  return (
    op === 0x2a || op === 0x2b || op === 0x38 || op === 0x39 || op === 0x43 || op === 0x44 ||
    (op >= 0x5b && op <= 0x66) || (op >= 0x8b && op <= 0xa6) || (op >= 0xa8 && op <= 0xab) || (op >= 0xae && op <= 0xbf) ||
    (op >= 0xfc00 && op <= 0xfc07) || (op >= 0xfd00 && op <= 0xfdff)
  );
}

const OPNAMES: Record<number, string> = {
  0x2a: "f32.load", 0x2b: "f64.load", 0x38: "f32.store", 0x39: "f64.store", 0x43: "f32.const", 0x44: "f64.const",
  0xa8: "i32.trunc_f32_s", 0xa9: "i32.trunc_f32_u", 0xaa: "i32.trunc_f64_s", 0xab: "i32.trunc_f64_u",
  0xb2: "f32.convert_i32_s", 0xb3: "f32.convert_i32_u", 0xb4: "f32.convert_i64_s", 0xb5: "f32.convert_i64_u", 0xb6: "f32.demote_f64",
  0xb7: "f64.convert_i32_s", 0xb8: "f64.convert_i32_u", 0xb9: "f64.convert_i64_s", 0xba: "f64.convert_i64_u", 0xbb: "f64.promote_f32",
  0xbc: "i32.reinterpret_f32", 0xbd: "i64.reinterpret_f64", 0xbe: "f32.reinterpret_i32", 0xbf: "f64.reinterpret_i64",
};
function opName(op: number): string {
  if (OPNAMES[op]) return OPNAMES[op]!;
  if (op >= 0xfd00) return "a SIMD (v128) instruction";
  if (op >= 0xfc00) return "a saturating float truncation";
  if (op >= 0x5b && op <= 0x60) return "an f32 comparison";
  if (op >= 0x61 && op <= 0x66) return "an f64 comparison";
  if (op >= 0x8b && op <= 0x98) return "f32 arithmetic";
  return "f64 arithmetic";
}

export function checkNoFloats(m: WasmModule, map: ByteSourceMap | undefined, funcName: (idx: number) => string): void {
  const nImports = m.imports.filter((i) => i.kind === "func").length;
  const where = (off: number, func?: string): { file?: string; line?: number; func?: string } => {
    const loc = map ? lookupOffset(map, off) : undefined;
    return { ...(loc ?? {}), ...(func !== undefined ? { func } : {}) };
  };
  const at = (w: { file?: string; line?: number; func?: string }): string =>
    w.file !== undefined ? ` at ${w.file}:${w.line}` : w.func !== undefined ? ` in function ${w.func}` : "";

  // Instructions first: they carry the most precise source line.
  for (let i = 0; i < m.bodies.length; i++) {
    const body = m.bodies[i]!;
    const fname = funcName(nImports + i);
    for (const ins of body.code) {
      if (isFloatOpcode(ins.op)) {
        const w = where(ins.off, fname);
        throw new CompileError("FloatNotAllowed", `floating point is not allowed in guests: ${opName(ins.op)}${at(w)}`, w);
      }
    }
    const sig = m.types[m.funcTypes[i]!]!;
    const bad = [...sig.params, ...sig.results, ...body.locals].find(isFloat);
    if (bad !== undefined) {
      // The function's first instruction is the closest source line we have.
      const w = where(body.code[0]?.off ?? body.off, fname);
      throw new CompileError("FloatNotAllowed", `floating point is not allowed in guests: ${bad} value in function ${fname}${at(w)}`, w);
    }
  }
  for (const [gi, g] of m.globals.entries()) {
    if (isFloat(g.type)) throw new CompileError("FloatNotAllowed", `floating point is not allowed in guests: ${g.type} global #${gi}`);
  }
  for (const imp of m.imports) {
    if (imp.kind !== "func") continue;
    const t = m.types[imp.typeIdx];
    if (t && [...t.params, ...t.results].some(isFloat))
      throw new CompileError("FloatNotAllowed", `floating point is not allowed in guests: import ${imp.module}.${imp.name} has a float signature`);
  }
  for (const t of m.types) {
    const bad = [...t.params, ...t.results].find(isFloat);
    if (bad !== undefined) throw new CompileError("FloatNotAllowed", `floating point is not allowed in guests: a function type uses ${bad}`);
  }
}
