// Decoding happens in the verifier, not in the circuit (docs/vm-air.md D2): this pure function turns the
// public code into the public columns of the PROGRAM table. Prover and verifier both call it, so the CPU's
// decode columns need no constraints of their own: the FETCH lookup forces them to equal these values.
//
// Prototype subset: CONST, ADD, ADDI, JMP, BRNZ, EXIT, MOV, GGET, GSET, CALL, RET, and TRAP (decoded with no
// family flag, so it can never be a real CPU row). Any other opcode is refused with UnprovableImage.

import { INSTR_WORDS, MNEMONIC_BY_OPCODE, Op } from "../../isa.ts";
import type { Program } from "../../program.ts";
import { VmAirError } from "../buses.ts";

/** Slot, pc and frame operands must fit one field element comfortably (docs/vm-air.md §3). */
export const MAX_SMALL_OPERAND = 2 ** 24;

/** The decoded public columns, in FETCH tuple order. `exists` is appended separately (not fetched). */
export const DECODE_FIELDS = [
  "pc", "opcode", "a", "b0", "b1", "c0", "c1",
  "fConst", "fAdd", "fAddi", "fJmp", "fBrnz", "fExit",
  "en0", "en1", "en2", "off0", "off1", "off2",
  "selC", "aliasC", "immC",
  "fMov", "fCall", "fRet", "abs0", "abs2", "wr1",
] as const;
export type DecodeField = (typeof DECODE_FIELDS)[number];
export type DecodedRow = Record<DecodeField, number>;

const lo16 = (w: number): number => (w >>> 0) & 0xffff;
const hi16 = (w: number): number => (w >>> 0) >>> 16;

function small(v: number, what: string, pc: number): number {
  if (v >>> 0 >= MAX_SMALL_OPERAND) throw new VmAirError("UnprovableImage", `pc ${pc}: ${what} operand ${v >>> 0} ≥ 2^24`);
  return v >>> 0;
}

/** Decodes one instruction into its public program-table row. */
export function decodeInstruction(code: Uint32Array, pc: number): DecodedRow {
  const w = pc * INSTR_WORDS;
  const [op, a, b, c] = [code[w]!, code[w + 1]!, code[w + 2]!, code[w + 3]!];
  const r: DecodedRow = {
    pc, opcode: op, a: 0, b0: lo16(b), b1: hi16(b), c0: lo16(c), c1: hi16(c),
    fConst: 0, fAdd: 0, fAddi: 0, fJmp: 0, fBrnz: 0, fExit: 0,
    en0: 0, en1: 0, en2: 0, off0: 0, off1: 0, off2: 0, selC: 0, aliasC: 0, immC: 0,
    fMov: 0, fCall: 0, fRet: 0, abs0: 0, abs2: 0, wr1: 0,
  };
  switch (op) {
    case Op.CONST:
      r.fConst = 1; r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.ADD:
    case Op.ADDI: {
      if (op === Op.ADD) r.fAdd = 1; else r.fAddi = 1;
      r.en0 = 1; r.off0 = small(b, "src", pc);
      r.en2 = 1; r.off2 = small(a, "dst", pc);
      if (op === Op.ADDI) r.immC = 1;
      else if (c >>> 0 === b >>> 0) r.aliasC = 1; // same slot twice: read once (docs/vm-air.md §3, alias_c_b)
      else { r.selC = 1; r.en1 = 1; r.off1 = small(c, "src", pc); }
      break;
    }
    case Op.JMP:
      r.fJmp = 1; r.a = small(a, "pc", pc);
      break;
    case Op.BRNZ:
      r.fBrnz = 1; r.en0 = 1; r.off0 = small(a, "src", pc); small(b, "pc", pc);
      break;
    case Op.EXIT:
      r.fExit = 1; r.en0 = 1; r.off0 = small(a, "src", pc);
      break;
    case Op.MOV:
    case Op.GGET:
    case Op.GSET:
      // r[a] = r[b], with the global side addressed absolutely (abs ports ignore fp)
      r.fMov = 1; r.en0 = 1; r.off0 = small(b, "src", pc); r.en2 = 1; r.off2 = small(a, "dst", pc);
      if (op === Op.GGET) r.abs0 = 1;
      if (op === Op.GSET) r.abs2 = 1;
      break;
    case Op.CALL: {
      // fp' = fp + b; slot fp'+c = pc + 1 (port 2), slot fp'+c+1 = fp (port 1, a write here); pc = a
      r.fCall = 1; r.a = small(a, "pc", pc);
      const save = small(b, "frame", pc) + small(c, "save", pc);
      r.en2 = 1; r.off2 = save;
      r.en1 = 1; r.wr1 = 1; r.off1 = save + 1;
      break;
    }
    case Op.RET:
      r.fRet = 1; r.en0 = 1; r.off0 = small(a, "save", pc); r.en1 = 1; r.off1 = r.off0 + 1;
      break;
    case Op.TRAP:
      break; // no family flag: Σ flags = is_real forbids a real TRAP row (a trap has no receipt)
    default:
      throw new UnsupportedOpcode(op, pc);
  }
  return r;
}

/** The instructions this AIR version proves (TRAP decodes, but no real row can execute it). */
export const PROVABLE_MNEMONICS = ["CONST", "ADD", "ADDI", "JMP", "BRNZ", "EXIT", "MOV", "GGET", "GSET", "CALL", "RET"] as const;

class UnsupportedOpcode extends Error {
  constructor(
    readonly op: number,
    readonly pc: number,
  ) {
    super(`opcode 0x${op.toString(16)} at pc ${pc}`);
  }
}

const opName = (op: number): string => MNEMONIC_BY_OPCODE[op] ?? `0x${op.toString(16)}`;

export interface ProgramColumns {
  readonly height: number;
  /** One array per DECODE_FIELDS entry, then `exists`; each of length `height` (public, periodic). */
  readonly columns: readonly number[][];
}

/** Public PROGRAM-table columns of a whole program, padded to a power of two ≥ 4 with `exists = 0` rows. */
export function decodeProgram(p: Pick<Program, "code">): ProgramColumns {
  const n = p.code.length / INSTR_WORDS;
  let height = 4;
  while (height < n) height *= 2;
  const columns = [...DECODE_FIELDS, "exists"].map(() => new Array<number>(height).fill(0));
  // One error naming every unsupported instruction (with its count and first pc), not just the first.
  const unsupported = new Map<number, { count: number; pc: number }>();
  for (let pc = 0; pc < n; pc++) {
    let row: DecodedRow;
    try {
      row = decodeInstruction(p.code, pc);
    } catch (e) {
      if (!(e instanceof UnsupportedOpcode)) throw e;
      const u = unsupported.get(e.op);
      if (u) u.count++;
      else unsupported.set(e.op, { count: 1, pc });
      continue;
    }
    DECODE_FIELDS.forEach((f, j) => (columns[j]![pc] = row[f]));
    columns[DECODE_FIELDS.length]![pc] = 1;
  }
  if (unsupported.size > 0) {
    const list = [...unsupported].map(([op, u]) => `${opName(op)} ×${u.count} (first at pc ${u.pc})`).join(", ");
    throw new VmAirError("UnprovableImage", `this VM AIR cannot prove ${list}; it proves ${PROVABLE_MNEMONICS.join(", ")} (run with --dev to execute without a proof)`);
  }
  // Padding rows keep pc distinct (pc = row index) so a padding tuple never equals a real one.
  for (let i = n; i < height; i++) columns[0]![i] = i;
  return { height, columns };
}
