// Static facts the executor derives from a Program once, before running it: per-opcode base cycle
// costs (from vm/isa.ts, the single source of truth), how far above fp any instruction can reach in
// the frame stack, and a structural check that rejects images the dispatch loop must not trust.

import { ISA, INSTR_WORDS, MNEMONIC_BY_OPCODE, type InstrSpec, type OperandKind } from "../isa.ts";
import { FRAME } from "../isa.ts";
import type { Program } from "../program.ts";
import { VmError } from "../errors.ts";

/** Base rows per opcode (index = opcode, 0 = invalid opcode). Per-unit costs are added by the loop. */
export const BASE_CYCLES: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (const spec of Object.values(ISA) as InstrSpec[]) t[spec.op] = spec.cycles.rows;
  return t;
})();

/** Slots above fp an operand of this kind can touch (0 = not a slot operand). */
function operandReach(kind: OperandKind, v: number, spec: InstrSpec): number {
  switch (kind) {
    case "dst":
    case "src":
    case "rw":
      return v + 1;
    case "dst64":
    case "src64":
      return v + 2;
    case "args":
      return v + (spec.argSlots ?? 0);
    case "save":
      return v + FRAME.saveSlots;
    default:
      return 0;
  }
}

export interface ProgramLayout {
  /** Max over all instructions of the highest slot (relative to fp) they touch, plus one. */
  readonly slotReach: number;
  /** Number of instructions. */
  readonly instructions: number;
  /** Per table entry: callee pc, save slot and signature id (−1 pc = null entry). */
  readonly tablePc: Int32Array;
  readonly tableSave: Int32Array;
  readonly tableSig: Int32Array;
}

function invalidImage(message: string): VmError {
  return new VmError("InvalidImage", message);
}

/**
 * Checks what the dispatch loop relies on and computes the layout. Instructions with an unknown opcode
 * are allowed here (WASM semantics: they trap InvalidInstruction only if executed).
 */
export function analyzeProgram(p: Program): ProgramLayout {
  const code = p.code;
  if (code.length % INSTR_WORDS !== 0) throw invalidImage(`code length ${code.length} is not a multiple of ${INSTR_WORDS}`);
  const n = code.length / INSTR_WORDS;
  if (!(Number.isInteger(p.entryPc) && p.entryPc >= 0 && p.entryPc < n)) throw invalidImage(`entry pc ${p.entryPc} outside code`);
  if (p.globalsInit.length !== p.globalSlots) throw invalidImage("globalsInit length differs from globalSlots");
  let reach = 0;
  for (let pc = 0; pc < n; pc++) {
    const w = pc * INSTR_WORDS;
    const m = MNEMONIC_BY_OPCODE[code[w]!];
    if (m === undefined) continue;
    const spec: InstrSpec = ISA[m];
    const ops = [code[w + 1]!, code[w + 2]!, code[w + 3]!];
    const kinds = [spec.a, spec.b, spec.c];
    for (let i = 0; i < 3; i++) {
      const k = kinds[i]!;
      const v = ops[i]!;
      if (k === "global" && v >= p.globalSlots) throw invalidImage(`pc ${pc}: global slot ${v} ≥ ${p.globalSlots}`);
      if (k === "pc" && v >= n) throw invalidImage(`pc ${pc}: branch target ${v} outside code`);
      reach = Math.max(reach, operandReach(k, v, spec));
    }
    // CALL writes the callee's save slots at fp + b + c; CALLI at fp + b + (callee save slot).
    if (m === "CALL") reach = Math.max(reach, ops[1]! + ops[2]! + FRAME.saveSlots);
  }
  const fnCount = p.functions.length;
  let maxSave = 0;
  for (const f of p.functions) {
    if (!(f.pc >= 0 && f.pc < n)) throw invalidImage(`function ${f.name}: pc ${f.pc} outside code`);
    maxSave = Math.max(maxSave, f.saveSlot + FRAME.saveSlots, f.frameSlots);
  }
  const tablePc = new Int32Array(p.table.length).fill(-1);
  const tableSave = new Int32Array(p.table.length);
  const tableSig = new Int32Array(p.table.length).fill(-1);
  for (let i = 0; i < p.table.length; i++) {
    const fi = p.table[i]!;
    if (fi === -1) continue;
    if (!(fi >= 0 && fi < fnCount)) throw invalidImage(`table entry ${i}: function ${fi} does not exist`);
    const f = p.functions[fi]!;
    tablePc[i] = f.pc;
    tableSave[i] = f.saveSlot;
    tableSig[i] = f.sig;
  }
  // CALLI frames: fp' = fp + b with the callee's own save slot and frame size on top.
  let maxCalliFrame = 0;
  for (let pc = 0; pc < n; pc++) {
    if (MNEMONIC_BY_OPCODE[code[pc * INSTR_WORDS]!] === "CALLI") maxCalliFrame = Math.max(maxCalliFrame, code[pc * INSTR_WORDS + 2]!);
  }
  reach = Math.max(reach, maxCalliFrame + maxSave);
  if (p.memory.initialPages > p.memory.maxPages) throw invalidImage("initial memory pages exceed the maximum");
  return { slotReach: reach, instructions: n, tablePc, tableSave, tableSig };
}
