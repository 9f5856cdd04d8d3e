// Decoding happens in the verifier, not in the circuit (docs/vm-air.md D2): this pure function turns the
// public code into the public columns of the PROGRAM table. Prover and verifier both call it, so the CPU's
// decode columns need no constraints of their own: the FETCH lookup forces them to equal these values.
//
// Subset of AIR v4 (PROVABLE_MNEMONICS): CONST, CONST64, ADD/ADDI, SUB/SUBI, ADD64/SUB64, the 32-bit comparisons
// (EQ … GEU, their immediate forms, EQZ), SELECT, JMP, BRNZ, BRZ, EXIT, MOV, GGET, GSET, CALL, RET, LOAD32,
// STORE32, MEMSIZE, READ, COMMIT, INPUTLEN, CALLI, and more (PROVABLE_MNEMONICS is the full list). Every other
// opcode (TRAP and ABORT included) decodes with no family flag, so it can never be a real CPU row: a program is
// provable as long as its runs never execute one.

import { INSTR_WORDS, MNEMONIC_BY_OPCODE, Op } from "../../isa.ts";
import type { Program } from "../../program.ts";
import { MIN_TABLE_HEIGHT, VmAirError } from "../buses.ts";
import { P as FIELD_P } from "../../../verifier/fp.ts";

/** Slot, pc and frame operands must fit one field element comfortably (docs/vm-air.md §3). */
export const MAX_SMALL_OPERAND = 2 ** 24;

/** The decoded public columns, in FETCH tuple order. `exists` is appended separately (not fetched). */
export const DECODE_FIELDS = [
  "pc", "opcode", "a", "b0", "b1", "c0", "c1",
  "fConst", "fAdd", "fAddi", "fJmp", "fBrnz", "fExit",
  "en0", "en1", "en2", "off0", "off1", "off2",
  "selC", "aliasC", "immC",
  "fMov", "fCall", "fRet", "abs0", "abs2", "wr1",
  "fSub", "fCmp", "sgn", "cK", "cZ", "cOne", "fBrz", "fSel", "fConst64",
  "fLoad", "fStore", "fMemsize", "en3", "wr3", "valAlias",
  "fRead", "fCommit", "fInLen", "is64",
  "fBit", "bitA", "bitN", "fMul", "mulLo", "mulHi", "fFill", "rd2", "fLdB", "ld16", "fStB", "fZext", "fSext", "fCmpLo", "fEqz64", "fShift", "fShiftA", "shDir", "shLo", "shHi", "shR",
  "fDivU", "fDivS", "isRem", "isDivS",
  "fShl64", "fShr64", "fSar64", "fRotl64", "fRotr64", "sh64", "fSh64Hi", "en1sh", "fMul64", "fMul64Hi",
  "fCalli", "fClz", "fCtz", "fPop", "fCopy", "fDivU64", "fDiv64Hi", "fExt8", "fExt16", "sgnLd", "fClz64", "fCtz64", "fPop64", "fDivS64", "fDivS64Hi", "fBrt", "fLog", "ext64", "st16", "fFx", "fGrow", "fDot", "fAxpy", "fSha",
] as const;
export type DecodeField = (typeof DECODE_FIELDS)[number];
export type DecodedRow = Record<DecodeField, number>;

const lo16 = (w: number): number => (w >>> 0) & 0xffff;
const hi16 = (w: number): number => (w >>> 0) >>> 16;

function small(v: number, what: string, pc: number): number {
  if (v >>> 0 >= MAX_SMALL_OPERAND) throw new VmAirError("UnprovableImage", `pc ${pc}: ${what} operand ${v >>> 0} ≥ 2^24`);
  return v >>> 0;
}

/**
 * Decodes one instruction into its public program-table row. An instruction this AIR version cannot prove
 * decodes like TRAP, with no family flag: the CPU's "one family per real row" rule then forbids executing it,
 * while the rest of the program stays provable (a guest links code it never runs: allocators, error paths).
 * The trace builder names the instruction if a run does execute it (`unprovableReason`).
 */
export function decodeInstruction(code: Uint32Array, pc: number): DecodedRow {
  try {
    return decodeSupported(code, pc);
  } catch (e) {
    if (!(e instanceof UnsupportedOpcode)) throw e;
    const w = pc * INSTR_WORDS;
    return emptyRow(pc, code[w]!, code[w + 2]!, code[w + 3]!);
  }
}

/** Why the instruction at pc cannot be proven by this AIR version, or undefined if it can (TRAP and ABORT
 *  decode, and only the executor's trap stops a run that reaches them). */
export function unprovableReason(code: Uint32Array, pc: number): string | undefined {
  try {
    decodeSupported(code, pc);
    return undefined;
  } catch (e) {
    if (!(e instanceof UnsupportedOpcode)) throw e;
    return `${opName(e.op)}${e.why ? ` (${e.why})` : ""}`;
  }
}

/** The distinct instructions of `code` this AIR version cannot prove, with their counts (TRAP and ABORT left
 *  out): a static view for tools that want to warn before running (a run proves as long as it never executes
 *  one of them). */
export function unprovableInstructions(code: Uint32Array): { mnemonic: string; count: number }[] {
  const counts = new Map<string, number>();
  for (let pc = 0; pc < code.length / INSTR_WORDS; pc++) {
    const why = unprovableReason(code, pc);
    if (why !== undefined) counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  return [...counts].map(([mnemonic, count]) => ({ mnemonic, count }));
}

function emptyRow(pc: number, op: number, b: number, c: number): DecodedRow {
  const r = Object.fromEntries(DECODE_FIELDS.map((f) => [f, 0])) as DecodedRow;
  r.pc = pc; r.opcode = op; r.b0 = lo16(b); r.b1 = hi16(b); r.c0 = lo16(c); r.c1 = hi16(c);
  return r;
}

function decodeSupported(code: Uint32Array, pc: number): DecodedRow {
  const w = pc * INSTR_WORDS;
  const [op, a, b, c] = [code[w]!, code[w + 1]!, code[w + 2]!, code[w + 3]!];
  const r = emptyRow(pc, op, b, c);
  /** Sources r[b] (port 0) and r[c] (port 1, or the immediate, or r[b] again when c = b). */
  const binary = (imm: boolean): void => {
    r.en0 = 1; r.off0 = small(b, "src", pc);
    r.en2 = 1; r.off2 = small(a, "dst", pc);
    if (imm) r.immC = 1;
    else if (c >>> 0 === b >>> 0) r.aliasC = 1; // same slot twice: read once (docs/vm-air.md §3, alias_c_b)
    else { r.selC = 1; r.en1 = 1; r.off1 = small(c, "src", pc); }
  };
  /** r[a] = M[r[b] + c]: port 0 reads the base, port 3 the memory word, port 2 writes r[a]. */
  const load = (): void => {
    r.en0 = 1; r.off0 = small(b, "src", pc); r.immC = 1; r.en3 = 1;
    r.en2 = 1; r.off2 = small(a, "dst", pc);
  };
  /** M[r[a] + c] = r[b]: port 0 reads the base, port 1 the value (or the base again when b = a), port 3 writes. */
  const store = (): void => {
    r.en0 = 1; r.off0 = small(a, "src", pc); r.immC = 1; r.en3 = 1; r.wr3 = 1;
    if (b >>> 0 === a >>> 0) r.valAlias = 1;
    else { r.en1 = 1; r.off1 = small(b, "src", pc); }
  };
  const cmp64 = CMP64[op];
  if (cmp64 !== undefined) {
    // two rows: row 0 (fCmpLo) subtracts the lo words unsigned and writes nothing; the hi row becomes a
    // comparison row (HI_ROW_DELTA: fCmp, port 2 on, still at slot a) over the hi words with row 0's borrow and
    // zero flag carried in
    r.fCmpLo = 1; r.is64 = 1; r.sgn = cmp64.signed ? 1 : 0;
    [r.cK, r.cZ, r.cOne] = [fe(cmp64.k), fe(cmp64.z), cmp64.one];
    binary(false);
    r.en2 = 0;
    return r;
  }
  if (op === Op.EQZ64) {
    // one row: both halves of R[b] (ports 0 and 1), r[a] = [both zero]
    r.fEqz64 = 1;
    r.en0 = 1; r.off0 = small(b, "src", pc); r.en1 = 1; r.off1 = r.off0 + 1;
    r.en2 = 1; r.off2 = small(a, "dst", pc);
    return r;
  }
  const cmp = CMP[op];
  if (cmp !== undefined) {
    // r[a] = cK·[B < C] + cZ·[B = C] + c1 over the borrow and zero flag of B − C (signed: top bits flipped)
    r.fCmp = 1; r.sgn = cmp.signed ? 1 : 0;
    [r.cK, r.cZ, r.cOne] = [fe(cmp.k), fe(cmp.z), cmp.one];
    if (op === Op.EQZ) { binary(true); r.c0 = 0; r.c1 = 0; } // EQZ = EQ with C = 0 (field c is unused)
    else binary(cmp.imm);
    return r;
  }
  switch (op) {
    case Op.CONST:
      r.fConst = 1; r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.ADD:
    case Op.ADDI:
      if (op === Op.ADD) r.fAdd = 1; else r.fAddi = 1;
      binary(op === Op.ADDI);
      break;
    case Op.SUB:
    case Op.SUBI:
      r.fSub = 1;
      binary(op === Op.SUBI);
      break;
    case Op.ADD64:
    case Op.SUB64:
    case Op.AND64:
    case Op.OR64:
    case Op.XOR64:
      // two rows (docs/vm-air.md §7): row 0 the lo words, row 1 (a `hi` row, not fetched: it copies this row's
      // decode with every slot offset + 1) the hi words, with the carry/borrow of row 0 for ADD64/SUB64 (the
      // bitwise forms work on each half alone). The destination's lo slot must not be a source's hi slot
      // (a = b + 1 or a = c + 1): row 0 would overwrite what row 1 reads. The compiler never emits such partial
      // overlaps (docs/ISA.md); an image that does is not provable.
      if (a >>> 0 === (b >>> 0) + 1 || a >>> 0 === (c >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      if (op === Op.ADD64) r.fAdd = 1;
      else if (op === Op.SUB64) r.fSub = 1;
      else {
        r.fBit = 1;
        [r.bitA, r.bitN] = op === Op.AND64 ? [0, 1] : op === Op.OR64 ? [1, fe(-1)] : [1, fe(-2)];
      }
      r.is64 = 1;
      binary(false);
      break;
    case Op.SHL64:
    case Op.SHRU64:
    case Op.SHRS64:
    case Op.ROTL64:
    case Op.ROTR64: {
      // by n = r[c] mod 64 = 32·h + s: row 0 multiplies B's lo word (~B's for a negative SHRS64) by the POW2
      // value, the hi row (fSh64Hi, HI_ROW_DELTA) the hi word by the same; row 0 combines the four product words
      // into both result words (the hi one through the next row). The amount's hi slot is never read.
      if (a >>> 0 === (b >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      if (op === Op.SHL64) r.fShl64 = 1;
      else if (op === Op.SHRU64) r.fShr64 = 1;
      else if (op === Op.SHRS64) r.fSar64 = 1;
      else if (op === Op.ROTL64) r.fRotl64 = 1;
      else r.fRotr64 = 1;
      r.shDir = op === Op.SHL64 || op === Op.ROTL64 ? 0 : 1;
      r.is64 = 1; r.sh64 = 1;
      binary(false);
      r.en1sh = r.en1; // the hi row turns port 1 off (when the amount has a port of its own)
      break;
    }
    case Op.DIVU64:
    case Op.REMU64:
      // two rows (4 cycles, as the ISA costs it: the hi row's clock jumps by 3): row 0 holds q's and d's lo bytes
      // and r's lo limbs, the hi row their hi parts; row 0 checks q·d + r = n as a 128-bit integer identity by the
      // 8 × 8 byte convolution across both rows (every output byte at or above 2^64 must vanish) and r < d
      if (a >>> 0 === (b >>> 0) + 1 || a >>> 0 === (c >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      r.fDivU64 = 1; r.is64 = 1; r.isRem = op === Op.REMU64 ? 1 : 0;
      binary(false);
      break;
    case Op.DIVS64:
    case Op.REMS64:
      // as DIVU64 on magnitudes (|n| = ~n + 1 and |d| = ~d + 1 for negative operands, signs from the hi words),
      // the result negated when its sign is set; DIVS64 of −2^63 by −1 (the executor traps) has no valid row
      if (a >>> 0 === (b >>> 0) + 1 || a >>> 0 === (c >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      r.fDivS64 = 1; r.is64 = 1; r.isRem = op === Op.REMS64 ? 1 : 0; r.isDivS = op === Op.DIVS64 ? 1 : 0;
      binary(false);
      break;
    case Op.MUL64:
      // two rows (docs/vm-air.md §7): row 0 the product of the lo words (its low word is r[a]), the hi row the
      // bytes of the hi words; row 0 adds the cross products lo·hi + hi·lo (mod 2^32) into the hi word
      if (a >>> 0 === (b >>> 0) + 1 || a >>> 0 === (c >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      r.fMul64 = 1; r.is64 = 1;
      binary(false);
      break;
    case Op.CLZ:
    case Op.CTZ:
    case Op.POPCNT:
      // per byte of r[b] one BYTEPROP lookup (kind, b_i, f(b_i), [b_i = 0]); CLZ/CTZ chain the zero flags
      if (op === Op.CLZ) r.fClz = 1; else if (op === Op.CTZ) r.fCtz = 1; else r.fPop = 1;
      r.en0 = 1; r.off0 = small(b, "src", pc); r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.CLZ64:
    case Op.CTZ64:
    case Op.POPCNT64:
      // two rows: row 0 counts in the lo word, the hi row (a 32-bit count row of the same kind, HI_ROW_DELTA) in
      // the hi word and writes 0 to r[a+1]; row 0 combines both counts into r[a] with the words' zero flags
      if (a >>> 0 === (b >>> 0) + 1) throw new UnsupportedOpcode(op, pc, "i64 operands overlapping by one slot");
      if (op === Op.CLZ64) r.fClz64 = 1; else if (op === Op.CTZ64) r.fCtz64 = 1; else r.fPop64 = 1;
      r.is64 = 1;
      r.en0 = 1; r.off0 = small(b, "src", pc); r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.ZEXT64:
    case Op.EXT32S64:
      // R[a] = r[b] zero- or sign-extended: port 2 writes the lo slot, port 1 (a write, as in CONST64) the hi
      if (op === Op.ZEXT64) r.fZext = 1; else r.fSext = 1;
      r.en0 = 1; r.off0 = small(b, "src", pc);
      r.en2 = 1; r.off2 = small(a, "dst", pc); r.en1 = 1; r.wr1 = 1; r.off1 = r.off2 + 1;
      break;
    case Op.AND:
    case Op.OR:
    case Op.XOR:
    case Op.ANDI:
    case Op.ORI:
    case Op.XORI: {
      // per byte: AND = n, OR = b + c − n, XOR = b + c − 2n with n = b & c from one AND8 lookup (§4.5 BIT)
      r.fBit = 1;
      const m = MNEMONIC_BY_OPCODE[op]!.replace(/I$/, "");
      [r.bitA, r.bitN] = m === "AND" ? [0, 1] : m === "OR" ? [1, fe(-1)] : [1, fe(-2)];
      binary(op === Op.ANDI || op === Op.ORI || op === Op.XORI);
      break;
    }
    case Op.MUL:
    case Op.MULI:
      // the byte product B·C (64 bits as four 16-bit limbs P0..P3); r[a] = its low word
      r.fMul = 1; r.mulLo = 1;
      binary(op === Op.MULI);
      break;
    case Op.SHLI:
    case Op.SHRUI:
    case Op.ROTLI:
    case Op.ROTRI: {
      // shifts by a constant are products by a public power of two: B << s = low(B·2^s), B >>> s =
      // high(B·2^(32−s)), rotations = low + high (the two halves never overlap, so the sum is exact)
      const sh = c & 31;
      const left = op === Op.SHLI || op === Op.ROTLI ? sh : (32 - sh) % 32;
      r.fMul = 1;
      binary(true);
      const k = 2 ** left;
      r.c0 = lo16(k); r.c1 = hi16(k);
      if (op === Op.SHLI) r.mulLo = 1;
      else if (op === Op.SHRUI) { if (sh === 0) r.mulLo = 1; else r.mulHi = 1; }
      else { r.mulLo = 1; r.mulHi = 1; }
      break;
    }
    case Op.SHL:
    case Op.SHRU:
    case Op.SHRS:
    case Op.ROTL:
    case Op.ROTR:
    case Op.SHRSI: {
      // by s = r[c] mod 32 (or c mod 32): a product of B (or ~B for a negative SHRS/SHRSI) by the POW2 value
      // 2^s (left) or 2^((32 − s) mod 32) (right); r[a] = shLo·low + shHi·high, where right shifts pick the low
      // word when s = 0 (shR: the selection follows the zero flag of s)
      if (op === Op.SHRS || op === Op.SHRSI) r.fShiftA = 1; else r.fShift = 1;
      binary(op === Op.SHRSI);
      const right = op === Op.SHRU || op === Op.SHRS || op === Op.ROTR || op === Op.SHRSI;
      r.shDir = right ? 1 : 0;
      if (op === Op.SHL) [r.shLo, r.shHi] = [1, 0];
      else if (op === Op.ROTL || op === Op.ROTR) [r.shLo, r.shHi] = [1, 1];
      else { [r.shLo, r.shHi] = [0, 1]; r.shR = 1; }
      break;
    }
    case Op.DOT:
      // one CPU row: sends COP(DOT, clk, fp + b, fp + a, next clk, msz) and jumps its clock by 1 + n; the DOT table
      // reads the 8 argument slots b..b+7 and writes r[a] (vm/air/dot/). The slots must stay below 2^24 like
      // every other offset, so b + 7 is bounded too.
      r.fDot = 1;
      r.off0 = small(b, "args", pc);
      small(b + 7, "args", pc);
      r.off2 = small(a, "dst", pc);
      break;
    case Op.AXPY:
      // as DOT: one CPU row sends COP(AXPY, clk, fp + a, next clk, msz); the AXPY table reads the 7 argument slots
      // a..a+6 and updates y in memory (vm/air/axpy/)
      r.fAxpy = 1;
      r.off0 = small(a, "args", pc);
      small(a + 6, "args", pc);
      break;
    case Op.SHA256:
      // one CPU row (65 cycles): port 0 reads the state pointer r[a], operand C the block pointer r[b] (port 1, or
      // r[a] again when b = a); the row sends COP(SHA256, clk, state limbs, block limbs, msz) and the SHA256
      // table does the 64 rounds, the reads and the write-back (vm/air/sha256/)
      r.fSha = 1;
      r.en0 = 1; r.off0 = small(a, "src", pc);
      if (b >>> 0 === a >>> 0) r.aliasC = 1;
      else { r.selC = 1; r.en1 = 1; r.off1 = small(b, "src", pc); }
      break;
    case Op.FXMUL:
      // r[a] = R(r[b]·r[c], 16) (Q16.16 product, round half up), trapping unless it fits i32: on magnitudes,
      // w = ⌊(|b|·|c| + 2^15 − [negative])/2^16⌋, r[a] = ±w, and r[a]'s sign bit must be the product's (or 0)
      r.fFx = 1;
      binary(false);
      break;
    case Op.DIVU:
    case Op.REMU:
    case Op.DIVS:
    case Op.REMS:
    case Op.DIVUI:
    case Op.REMUI:
    case Op.DIVSI:
    case Op.REMSI: {
      // on magnitudes (docs/vm-air.md §8): |n| = |q|·|d| + |r| as an integer, |r| < |d|, signs applied after
      const m = MNEMONIC_BY_OPCODE[op]!;
      const signed = m.startsWith("DIVS") || m.startsWith("REMS");
      const rem = m.startsWith("REM");
      if (signed) r.fDivS = 1; else r.fDivU = 1;
      r.isRem = rem ? 1 : 0;
      r.isDivS = signed && !rem ? 1 : 0;
      binary(m.endsWith("I"));
      break;
    }
    case Op.READ:
    case Op.COMMIT:
      // head row: port 0 reads the pointer r[a], port 1 the length r[b] (or r[a] again when b = a); then one
      // byte row per byte (docs/vm-air.md §9 BULK, here as CPU rows)
      if (op === Op.READ) r.fRead = 1; else r.fCommit = 1;
      r.en0 = 1; r.off0 = small(a, "src", pc);
      if (b >>> 0 === a >>> 0) r.aliasC = 1;
      else { r.selC = 1; r.en1 = 1; r.off1 = small(b, "src", pc); }
      break;
    case Op.MEMFILL:
    case Op.MEMCOPY: {
      // args (dst, value or src, len) in slots a, a+1, a+2: port 0 reads dst, port 1 len (operand C), port 2 the
      // middle argument (rd2: a read in the slot-write phase). Then MEMFILL has one byte row per byte like
      // READ/COMMIT; MEMCOPY per byte a read row (src) and a write row (dst) in one cycle, backwards when dst > src
      if (op === Op.MEMFILL) r.fFill = 1; else r.fCopy = 1;
      const base = small(a, "args", pc);
      r.en0 = 1; r.off0 = base;
      r.en1 = 1; r.selC = 1; r.off1 = base + 2;
      r.en2 = 1; r.rd2 = 1; r.off2 = base + 1;
      break;
    }
    case Op.INPUTLEN:
      r.fInLen = 1; r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.CONST64:
      // r[a] = b (port 2), r[a+1] = c (port 1 as a write)
      r.fConst64 = 1; r.en2 = 1; r.off2 = small(a, "dst", pc); r.en1 = 1; r.wr1 = 1; r.off1 = r.off2 + 1;
      break;
    case Op.LOAD32:
      r.fLoad = 1;
      load();
      break;
    case Op.STORE32:
      r.fStore = 1;
      store();
      break;
    case Op.EXT8S:
    case Op.EXT16S:
    case Op.EXT8S64:
    case Op.EXT16S64:
      // r[a] = the low byte / half of r[b], sign-extended (the 64-bit forms also write the sign to r[a+1] through
      // port 1, as CONST64 does)
      if (op === Op.EXT8S || op === Op.EXT8S64) r.fExt8 = 1; else r.fExt16 = 1;
      r.en0 = 1; r.off0 = small(b, "src", pc); r.en2 = 1; r.off2 = small(a, "dst", pc);
      if (op === Op.EXT8S64 || op === Op.EXT16S64) { r.ext64 = 1; r.en1 = 1; r.wr1 = 1; r.off1 = r.off2 + 1; }
      break;
    case Op.BRTABLE:
      // pc' = pc + 1 + min(r[a], b): the unsigned borrow of r[a] − b (as a comparison's row 0) picks the minimum
      r.fBrt = 1; r.en0 = 1; r.off0 = small(a, "src", pc); small(b, "table size", pc);
      r.immC = 1; r.c0 = lo16(b); r.c1 = hi16(b);
      break;
    case Op.LOG:
      // not proven as output (a no-op), but its bounds are: the executor traps unless ptr + len ≤ memory bytes
      r.fLog = 1; r.en0 = 1; r.off0 = small(a, "src", pc);
      if (b >>> 0 === a >>> 0) r.aliasC = 1;
      else { r.selC = 1; r.en1 = 1; r.off1 = small(b, "src", pc); }
      break;
    case Op.LOAD8U:
    case Op.LOAD16U:
    case Op.LOAD8S:
    case Op.LOAD16S:
      // r[a] = M8 / M16 at ea = r[b] + c, zero- or sign-extended: the word's bytes selected by the offset (a
      // 16-bit load must not span two words: offset 3 is not provable, the trace builder says so)
      r.fLdB = 1; r.ld16 = op === Op.LOAD16U || op === Op.LOAD16S ? 1 : 0; r.sgnLd = op === Op.LOAD8S || op === Op.LOAD16S ? 1 : 0;
      load();
      break;
    case Op.STORE8:
    case Op.STORE16:
      // M8 / M16[r[a] + c] = r[b]'s low byte / half: read-modify-write of the word's byte(s) at the offset (a
      // half must not span two words: offset 3 is not provable, the trace builder says so)
      r.fStB = 1; r.st16 = op === Op.STORE16 ? 1 : 0;
      store();
      break;
    case Op.MEMGROW:
      // r[a] = the old size in pages and grow by r[b], or r[a] = −1 when the result would pass the maximum
      r.fGrow = 1; r.en0 = 1; r.off0 = small(b, "src", pc); r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.MEMSIZE:
      r.fMemsize = 1; r.en2 = 1; r.off2 = small(a, "dst", pc);
      break;
    case Op.SELECT:
      // if r[c] = 0 then r[a] = r[b]: port 2 writes r[a] either way (its previous value when r[c] ≠ 0)
      r.fSel = 1;
      binary(false);
      break;
    case Op.JMP:
      r.fJmp = 1; r.a = small(a, "pc", pc);
      break;
    case Op.BRZ:
    case Op.BRNZ:
      if (op === Op.BRZ) r.fBrz = 1; else r.fBrnz = 1;
      r.en0 = 1; r.off0 = small(a, "src", pc); small(b, "pc", pc);
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
    case Op.CALLI: {
      // idx = r[a] (port 0); (idx, target pc, sig = c, save) is looked up in the public TABLEFN table, then as
      // CALL: fp' = fp + b, slot fp'+save = pc + 1 (port 2), slot fp'+save+1 = fp (port 1, a write). The save slot
      // comes from the lookup, so the ports' decode offsets are b and b + 1 and the CPU adds the dynamic `sv`.
      // The signature enters the lookup as its two canonical limbs c0, c1 (no bound on c needed)
      r.fCalli = 1;
      r.en0 = 1; r.off0 = small(a, "src", pc);
      const frame = small(b, "frame", pc);
      r.en2 = 1; r.off2 = frame;
      r.en1 = 1; r.wr1 = 1; r.off1 = frame + 1;
      break;
    }
    case Op.RET:
      r.fRet = 1; r.en0 = 1; r.off0 = small(a, "save", pc); r.en1 = 1; r.off1 = r.off0 + 1;
      break;
    case Op.TRAP:
    case Op.ABORT:
      // no family flag: Σ flags = is_real forbids a real TRAP/ABORT row (a trap has no receipt). AssemblyScript
      // puts ABORT behind every bounds and null check, so code that never takes them stays provable.
      break;
    default:
      throw new UnsupportedOpcode(op, pc);
  }
  return r;
}

/** Comparison coefficients: result = k·[B < C] + z·[B = C] + one (exclusive flags, so the result is 0 or 1). */
interface CmpSpec { readonly signed: boolean; readonly imm: boolean; readonly k: number; readonly z: number; readonly one: number }
const CMP_FORMS: Record<string, readonly [number, number, number]> = {
  EQ: [0, 1, 0], NE: [0, -1, 1], LT: [1, 0, 0], GE: [-1, 0, 1], GT: [-1, -1, 1], LE: [1, 1, 0],
};
const CMP: Record<number, CmpSpec> = (() => {
  const out: Record<number, CmpSpec> = {};
  for (const [name, [k, z, one]] of Object.entries(CMP_FORMS)) {
    const variants = name === "EQ" || name === "NE" ? [[name, false]] : [[`${name}S`, true], [`${name}U`, false]];
    for (const [m, signed] of variants as [string, boolean][]) {
      out[Op[m as keyof typeof Op]] = { signed, imm: false, k, z, one };
      out[Op[`${m}I` as keyof typeof Op]] = { signed, imm: true, k, z, one };
    }
  }
  out[Op.EQZ] = { signed: false, imm: true, k: 0, z: 1, one: 0 };
  return out;
})();
const CMP64: Record<number, CmpSpec> = (() => {
  const out: Record<number, CmpSpec> = {};
  for (const [name, [k, z, one]] of Object.entries(CMP_FORMS)) {
    const variants = name === "EQ" || name === "NE" ? [[name, false]] : [[`${name}S`, true], [`${name}U`, false]];
    for (const [m, signed] of variants as [string, boolean][]) out[Op[`${m}64` as keyof typeof Op]] = { signed, imm: false, k, z, one };
  }
  return out;
})();

/**
 * The decode of an i64 instruction's hi row, from its first row's (docs/vm-air.md §7): every enabled slot
 * offset + 1, and for a 64-bit comparison the row turns from fCmpLo into a comparison row that writes r[a].
 * Linear in the first row's columns: the CPU constrains nx(f) = f + delta_f on every field, and the trace
 * builder uses this same function.
 */
export const HI_ROW_DELTA: Partial<Record<DecodeField, readonly (readonly [DecodeField, number])[]>> = {
  off0: [["en0", 1]], off1: [["en1", 1]], off2: [["en2", 1]],
  en2: [["fCmpLo", 1]], fCmp: [["fCmpLo", 1]], fCmpLo: [["fCmpLo", -1]],
  // a 64-bit shift's hi row: only the hi word of B is read (port 1, the amount, is off), and it is a
  // fSh64Hi row whatever the form
  en1: [["en1sh", -1]], en1sh: [["en1sh", -1]], sh64: [["sh64", -1]], fSh64Hi: [["sh64", 1]],
  fMul64: [["fMul64", -1]], fMul64Hi: [["fMul64", 1]],
  fDivU64: [["fDivU64", -1]], fDiv64Hi: [["fDivU64", 1]], fDivS64: [["fDivS64", -1]], fDivS64Hi: [["fDivS64", 1]],
  fClz: [["fClz64", 1]], fClz64: [["fClz64", -1]], fCtz: [["fCtz64", 1]], fCtz64: [["fCtz64", -1]], fPop: [["fPop64", 1]], fPop64: [["fPop64", -1]],
  fShl64: [["fShl64", -1]], fShr64: [["fShr64", -1]], fSar64: [["fSar64", -1]], fRotl64: [["fRotl64", -1]], fRotr64: [["fRotr64", -1]],
};
export function hiRowDecode(d: DecodedRow): DecodedRow {
  const h = { ...d };
  for (const [f, terms] of Object.entries(HI_ROW_DELTA) as [DecodeField, readonly (readonly [DecodeField, number])[]][]) {
    for (const [g, k] of terms) h[f] += k * d[g];
  }
  return h;
}
/** A small signed coefficient as a canonical field element. */
const fe = (x: number): number => (x < 0 ? FIELD_P + x : x);

/** The instructions this AIR version proves (TRAP and ABORT decode, but no real row can execute them). */
export const PROVABLE_MNEMONICS = [
  "CONST", "CONST64", "ADD", "ADDI", "SUB", "SUBI", "EQ", "NE", "LTS", "LTU", "GTS", "GTU", "LES", "LEU", "GES", "GEU",
  "EQI", "NEI", "LTSI", "LTUI", "GTSI", "GTUI", "LESI", "LEUI", "GESI", "GEUI", "EQZ", "SELECT",
  "JMP", "BRNZ", "BRZ", "EXIT", "MOV", "GGET", "GSET", "CALL", "RET", "LOAD32", "STORE32", "MEMSIZE",
  "ADD64", "SUB64", "READ", "COMMIT", "INPUTLEN", "AND", "OR", "XOR", "ANDI", "ORI", "XORI", "MUL", "MULI",
  "SHLI", "SHRUI", "ROTLI", "ROTRI", "MEMFILL", "LOAD8U", "LOAD16U", "STORE8",
  "AND64", "OR64", "XOR64", "ZEXT64", "EXT32S64", "EQ64", "NE64", "LTS64", "LTU64", "GTS64", "GTU64", "LES64", "LEU64",
  "GES64", "GEU64", "EQZ64", "SHL", "SHRU", "SHRS", "ROTL", "ROTR", "SHRSI",
  "DIVU", "REMU", "DIVS", "REMS", "DIVUI", "REMUI", "DIVSI", "REMSI",
  "SHL64", "SHRU64", "SHRS64", "ROTL64", "ROTR64", "MUL64", "CALLI", "CLZ", "CTZ", "POPCNT", "MEMCOPY", "DIVU64", "REMU64", "EXT8S", "EXT16S", "LOAD8S", "LOAD16S", "CLZ64", "CTZ64", "POPCNT64", "DIVS64", "REMS64", "EXT8S64", "EXT16S64", "BRTABLE", "LOG", "STORE16", "FXMUL", "MEMGROW", "DOT", "AXPY", "SHA256",
] as const;

/** Opcodes that touch linear memory (their images must keep initial memory within MAX_PROVABLE_PAGES). */
export const MEMORY_OPCODES: ReadonlySet<number> = new Set([Op.MEMGROW, Op.LOAD32, Op.STORE32, Op.MEMSIZE, Op.READ, Op.COMMIT, Op.MEMFILL, Op.LOAD8U, Op.LOAD16U, Op.LOAD8S, Op.LOAD16S, Op.STORE8, Op.STORE16, Op.MEMCOPY]);

class UnsupportedOpcode extends Error {
  constructor(
    readonly op: number,
    readonly pc: number,
    readonly why?: string,
  ) {
    super(`opcode 0x${op.toString(16)} at pc ${pc}${why ? ` (${why})` : ""}`);
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
  let height = MIN_TABLE_HEIGHT;
  while (height < n) height *= 2;
  const columns = [...DECODE_FIELDS, "exists"].map(() => new Array<number>(height).fill(0));
  for (let pc = 0; pc < n; pc++) {
    const row = decodeInstruction(p.code, pc);
    DECODE_FIELDS.forEach((f, j) => (columns[j]![pc] = row[f]));
    columns[DECODE_FIELDS.length]![pc] = 1;
  }
  // Padding rows keep pc distinct (pc = row index) so a padding tuple never equals a real one.
  for (let i = n; i < height; i++) columns[0]![i] = i;
  return { height, columns };
}
