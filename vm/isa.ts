// The zkVM register ISA: the single source of truth for every instruction (opcode number, mnemonic,
// operand layout, cycle cost in trace rows, register/memory accesses per row, semantics). The compiler
// emits it, the executor interprets it, docs/ISA.md is generated from it (scripts/gen-isa-doc.ts) and
// the VM AIR will constrain it.
//
// Machine model (details in docs/ISA.md):
// - 32-bit words. Every instruction is 4 u32 words [opcode, a, b, c]; pc counts instructions, so the
//   program table row of an instruction is (pc, opcode, a, b, c).
// - Registers are frame-pointer-relative 32-bit slots in a frame-stack address space separate from
//   linear memory: r[x] is slot fp + x. i64 values are slot pairs, lo at x and hi at x + 1.
// - Globals live at absolute slots [0, globalSlots) of the same frame-stack space: g[x] is slot x.
// - Linear memory is WASM's: byte addressed, little endian, bounds-checked against its current size.
// - Immediates are raw u32 words; a signed immediate is its two's complement (read as imm | 0).

/** How an operand field is read. */
export type OperandKind =
  | "none" // field unused, must be 0
  | "dst" // i32 slot written: r[x]
  | "src" // i32 slot read: r[x]
  | "dst64" // i64 slot pair written: r[x], r[x+1]
  | "src64" // i64 slot pair read: r[x], r[x+1]
  | "rw" // i32 slot read then written (SELECT)
  | "imm" // u32 immediate
  | "pc" // absolute instruction index
  | "global" // absolute global slot index g[x]
  | "frame" // callee frame offset: new fp = fp + x
  | "save" // slot of the callee frame holding the return pc (return fp at x + 1)
  | "sig" // signature id (index into Program.signatures)
  | "args"; // first slot of a fixed-size block of argument slots read by the instruction

/**
 * Cycle cost in trace rows: `rows` CPU/coprocessor rows, plus one row per unit of a dynamic quantity
 * (`perUnit`) read from an argument slot at run time (e.g. DOT costs 1 + n).
 */
export interface CycleCost {
  readonly rows: number;
  readonly perUnit?: "n" | "len";
}

export interface InstrSpec {
  readonly op: number;
  readonly a: OperandKind;
  readonly b: OperandKind;
  readonly c: OperandKind;
  readonly cycles: CycleCost;
  /** Register (slot) accesses over all the instruction's rows, reads + writes. */
  readonly regAccesses: number;
  /** Aligned linear-memory words touched by the base rows (bulk instructions add words per unit). */
  readonly memWords: number;
  /** Number of argument slots of an `args` operand. */
  readonly argSlots?: number;
  readonly group: InstrGroup;
  readonly semantics: string;
}

export type InstrGroup = "control" | "move" | "alu32" | "alu32imm" | "alu64" | "memory" | "coprocessor" | "host";

const c1: CycleCost = { rows: 1 };
const c2: CycleCost = { rows: 2 };

// Helpers that keep the table below readable. The key of each entry is the mnemonic.
function bin32(op: number, sem: string): InstrSpec {
  return { op, a: "dst", b: "src", c: "src", cycles: c1, regAccesses: 3, memWords: 0, group: "alu32", semantics: `r[a] = ${sem.replaceAll("Y", "r[c]")}` };
}
function bin32i(op: number, sem: string): InstrSpec {
  return { op, a: "dst", b: "src", c: "imm", cycles: c1, regAccesses: 2, memWords: 0, group: "alu32imm", semantics: `r[a] = ${sem.replaceAll("Y", "c")}` };
}
function un32(op: number, sem: string): InstrSpec {
  return { op, a: "dst", b: "src", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "alu32", semantics: `r[a] = ${sem}` };
}
// i64 binary ops: 6 slot accesses, spread over 2 rows (row 1: lo halves, row 2: hi halves; carries,
// borrows and partial products pass between the rows in auxiliary columns).
function bin64(op: number, sem: string, rows = 2): InstrSpec {
  return { op, a: "dst64", b: "src64", c: "src64", cycles: { rows }, regAccesses: 6, memWords: 0, group: "alu64", semantics: `R[a] = ${sem}` };
}
function cmp64(op: number, sem: string): InstrSpec {
  return { op, a: "dst", b: "src64", c: "src64", cycles: c2, regAccesses: 5, memWords: 0, group: "alu64", semantics: `r[a] = ${sem} ? 1 : 0` };
}
function shift64(op: number, sem: string): InstrSpec {
  return { op, a: "dst64", b: "src64", c: "src", cycles: c2, regAccesses: 5, memWords: 0, group: "alu64", semantics: `R[a] = ${sem} (shift amount r[c] mod 64; the hi slot of the i64 amount is never read)` };
}
function load(op: number, sem: string, memWords: number): InstrSpec {
  return { op, a: "dst", b: "src", c: "imm", cycles: c1, regAccesses: 2, memWords, group: "memory", semantics: `r[a] = ${sem} at ea = r[b] + c (u32 + u32, no wrap); trap MemoryOutOfBounds unless ea + size ≤ memory bytes` };
}
function store(op: number, sem: string, memWords: number): InstrSpec {
  return { op, a: "src", b: "src", c: "imm", cycles: c1, regAccesses: 2, memWords, group: "memory", semantics: `${sem} at ea = r[a] + c (u32 + u32, no wrap); trap MemoryOutOfBounds unless ea + size ≤ memory bytes` };
}

/**
 * The instruction set. Opcode map: 0x00 invalid (zeroed code never decodes), 0x01–0x0F control,
 * 0x10–0x1F moves/globals, 0x20–0x3F i32 ALU, 0x40–0x5F the same ALU ops with an immediate c
 * (opcode = register form + 0x20), 0x60–0x6F i32 unary, 0x70–0x9F i64, 0xA0–0xBF memory,
 * 0xC0–0xCF coprocessors (fixed point, DOT, AXPY, SHA-256), 0xD0–0xDF host I/O, 0xE0–0xFF reserved.
 */
export const ISA = {
  // ---- control -------------------------------------------------------------------------------
  TRAP: { op: 0x01, a: "none", b: "none", c: "none", cycles: c1, regAccesses: 0, memWords: 0, group: "control", semantics: "trap Unreachable (WASM unreachable)" },
  JMP: { op: 0x02, a: "pc", b: "none", c: "none", cycles: c1, regAccesses: 0, memWords: 0, group: "control", semantics: "pc = a" },
  BRNZ: { op: 0x03, a: "src", b: "pc", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "control", semantics: "pc = r[a] ≠ 0 ? b : pc + 1" },
  BRZ: { op: 0x04, a: "src", b: "pc", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "control", semantics: "pc = r[a] = 0 ? b : pc + 1" },
  BRTABLE: { op: 0x05, a: "src", b: "imm", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "control", semantics: "pc = pc + 1 + min(r[a] as u32, b); the b + 1 following instructions are the jump table (JMPs), the last one the default" },
  CALL: { op: 0x06, a: "pc", b: "frame", c: "save", cycles: c1, regAccesses: 2, memWords: 0, group: "control", semantics: "fp' = fp + b; slot fp'+c = pc + 1; slot fp'+c+1 = fp; fp = fp'; pc = a" },
  CALLI: { op: 0x07, a: "src", b: "frame", c: "sig", cycles: c1, regAccesses: 3, memWords: 0, group: "control", semantics: "e = table[r[a] as u32] (trap IndirectCallMismatch if out of range, null, or e.sig ≠ c); then CALL e.pc, b, e.saveSlot" },
  RET: { op: 0x08, a: "save", b: "none", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "control", semantics: "pc = r[a]; fp = r[a+1] (results were left in slots 0.. of the frame)" },
  // ---- moves and globals ---------------------------------------------------------------------
  MOV: { op: 0x10, a: "dst", b: "src", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "move", semantics: "r[a] = r[b]" },
  CONST: { op: 0x11, a: "dst", b: "imm", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "move", semantics: "r[a] = b" },
  CONST64: { op: 0x12, a: "dst64", b: "imm", c: "imm", cycles: c1, regAccesses: 2, memWords: 0, group: "move", semantics: "r[a] = b; r[a+1] = c" },
  GGET: { op: 0x13, a: "dst", b: "global", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "move", semantics: "r[a] = g[b]" },
  GSET: { op: 0x14, a: "global", b: "src", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "move", semantics: "g[a] = r[b]" },
  SELECT: { op: 0x15, a: "rw", b: "src", c: "src", cycles: c1, regAccesses: 3, memWords: 0, group: "move", semantics: "if r[c] = 0 then r[a] = r[b] (WASM select with the first operand already in r[a])" },
  // ---- i32 ALU, register forms (0x20–0x3F) -----------------------------------------------------
  ADD: bin32(0x20, "r[b] + Y mod 2^32"),
  SUB: bin32(0x21, "r[b] − Y mod 2^32"),
  MUL: bin32(0x22, "r[b] · Y mod 2^32"),
  DIVS: bin32(0x23, "r[b] / Y signed, truncating; trap DivideByZero if Y = 0, DivisionOverflow if −2^31 / −1"),
  DIVU: bin32(0x24, "r[b] / Y unsigned; trap DivideByZero if Y = 0"),
  REMS: bin32(0x25, "r[b] rem Y signed (sign of dividend; −2^31 rem −1 = 0); trap DivideByZero if Y = 0"),
  REMU: bin32(0x26, "r[b] rem Y unsigned; trap DivideByZero if Y = 0"),
  AND: bin32(0x27, "r[b] & Y"),
  OR: bin32(0x28, "r[b] | Y"),
  XOR: bin32(0x29, "r[b] ^ Y"),
  SHL: bin32(0x2a, "r[b] << (Y mod 32)"),
  SHRS: bin32(0x2b, "r[b] >> (Y mod 32) arithmetic"),
  SHRU: bin32(0x2c, "r[b] >>> (Y mod 32) logical"),
  ROTL: bin32(0x2d, "r[b] rotated left by Y mod 32"),
  ROTR: bin32(0x2e, "r[b] rotated right by Y mod 32"),
  EQ: bin32(0x2f, "r[b] = Y ? 1 : 0"),
  NE: bin32(0x30, "r[b] ≠ Y ? 1 : 0"),
  LTS: bin32(0x31, "r[b] < Y signed ? 1 : 0"),
  LTU: bin32(0x32, "r[b] < Y unsigned ? 1 : 0"),
  GTS: bin32(0x33, "r[b] > Y signed ? 1 : 0"),
  GTU: bin32(0x34, "r[b] > Y unsigned ? 1 : 0"),
  LES: bin32(0x35, "r[b] ≤ Y signed ? 1 : 0"),
  LEU: bin32(0x36, "r[b] ≤ Y unsigned ? 1 : 0"),
  GES: bin32(0x37, "r[b] ≥ Y signed ? 1 : 0"),
  GEU: bin32(0x38, "r[b] ≥ Y unsigned ? 1 : 0"),
  // ---- i32 ALU, immediate forms (0x40–0x5F = register form + 0x20) ---------------------------
  ADDI: bin32i(0x40, "r[b] + Y mod 2^32"),
  SUBI: bin32i(0x41, "r[b] − Y mod 2^32"),
  MULI: bin32i(0x42, "r[b] · Y mod 2^32"),
  DIVSI: bin32i(0x43, "r[b] / Y signed (traps as DIVS)"),
  DIVUI: bin32i(0x44, "r[b] / Y unsigned (traps as DIVU)"),
  REMSI: bin32i(0x45, "r[b] rem Y signed (traps as REMS)"),
  REMUI: bin32i(0x46, "r[b] rem Y unsigned (traps as REMU)"),
  ANDI: bin32i(0x47, "r[b] & Y"),
  ORI: bin32i(0x48, "r[b] | Y"),
  XORI: bin32i(0x49, "r[b] ^ Y"),
  SHLI: bin32i(0x4a, "r[b] << (Y mod 32)"),
  SHRSI: bin32i(0x4b, "r[b] >> (Y mod 32) arithmetic"),
  SHRUI: bin32i(0x4c, "r[b] >>> (Y mod 32) logical"),
  ROTLI: bin32i(0x4d, "r[b] rotated left by Y mod 32"),
  ROTRI: bin32i(0x4e, "r[b] rotated right by Y mod 32"),
  EQI: bin32i(0x4f, "r[b] = Y ? 1 : 0"),
  NEI: bin32i(0x50, "r[b] ≠ Y ? 1 : 0"),
  LTSI: bin32i(0x51, "r[b] < Y signed ? 1 : 0"),
  LTUI: bin32i(0x52, "r[b] < Y unsigned ? 1 : 0"),
  GTSI: bin32i(0x53, "r[b] > Y signed ? 1 : 0"),
  GTUI: bin32i(0x54, "r[b] > Y unsigned ? 1 : 0"),
  LESI: bin32i(0x55, "r[b] ≤ Y signed ? 1 : 0"),
  LEUI: bin32i(0x56, "r[b] ≤ Y unsigned ? 1 : 0"),
  GESI: bin32i(0x57, "r[b] ≥ Y signed ? 1 : 0"),
  GEUI: bin32i(0x58, "r[b] ≥ Y unsigned ? 1 : 0"),
  // ---- i32 unary (0x60–0x6F) -----------------------------------------------------------------
  EQZ: un32(0x60, "r[b] = 0 ? 1 : 0"),
  CLZ: un32(0x61, "count of leading zero bits of r[b] (32 if 0)"),
  CTZ: un32(0x62, "count of trailing zero bits of r[b] (32 if 0)"),
  POPCNT: un32(0x63, "count of one bits of r[b]"),
  EXT8S: un32(0x64, "sign-extend the low 8 bits of r[b]"),
  EXT16S: un32(0x65, "sign-extend the low 16 bits of r[b]"),
  // ---- i64 (0x70–0x9F); R[x] is the pair r[x] (lo) + 2^32·r[x+1] (hi) --------------------------
  ADD64: bin64(0x70, "R[b] + R[c] mod 2^64"),
  SUB64: bin64(0x71, "R[b] − R[c] mod 2^64"),
  MUL64: bin64(0x72, "R[b] · R[c] mod 2^64"),
  DIVS64: bin64(0x73, "R[b] / R[c] signed, truncating; trap DivideByZero if R[c] = 0, DivisionOverflow if −2^63 / −1", 4),
  DIVU64: bin64(0x74, "R[b] / R[c] unsigned; trap DivideByZero if R[c] = 0", 4),
  REMS64: bin64(0x75, "R[b] rem R[c] signed (−2^63 rem −1 = 0); trap DivideByZero if R[c] = 0", 4),
  REMU64: bin64(0x76, "R[b] rem R[c] unsigned; trap DivideByZero if R[c] = 0", 4),
  AND64: bin64(0x77, "R[b] & R[c]"),
  OR64: bin64(0x78, "R[b] | R[c]"),
  XOR64: bin64(0x79, "R[b] ^ R[c]"),
  SHL64: shift64(0x7a, "R[b] << n"),
  SHRS64: shift64(0x7b, "R[b] >> n arithmetic"),
  SHRU64: shift64(0x7c, "R[b] >>> n logical"),
  ROTL64: shift64(0x7d, "R[b] rotated left by n"),
  ROTR64: shift64(0x7e, "R[b] rotated right by n"),
  EQ64: cmp64(0x7f, "R[b] = R[c]"),
  NE64: cmp64(0x80, "R[b] ≠ R[c]"),
  LTS64: cmp64(0x81, "R[b] < R[c] signed"),
  LTU64: cmp64(0x82, "R[b] < R[c] unsigned"),
  GTS64: cmp64(0x83, "R[b] > R[c] signed"),
  GTU64: cmp64(0x84, "R[b] > R[c] unsigned"),
  LES64: cmp64(0x85, "R[b] ≤ R[c] signed"),
  LEU64: cmp64(0x86, "R[b] ≤ R[c] unsigned"),
  GES64: cmp64(0x87, "R[b] ≥ R[c] signed"),
  GEU64: cmp64(0x88, "R[b] ≥ R[c] unsigned"),
  EQZ64: { op: 0x89, a: "dst", b: "src64", c: "none", cycles: c1, regAccesses: 3, memWords: 0, group: "alu64", semantics: "r[a] = R[b] = 0 ? 1 : 0" },
  CLZ64: { op: 0x8a, a: "dst64", b: "src64", c: "none", cycles: c2, regAccesses: 4, memWords: 0, group: "alu64", semantics: "R[a] = count of leading zero bits of R[b] (64 if 0)" },
  CTZ64: { op: 0x8b, a: "dst64", b: "src64", c: "none", cycles: c2, regAccesses: 4, memWords: 0, group: "alu64", semantics: "R[a] = count of trailing zero bits of R[b] (64 if 0)" },
  POPCNT64: { op: 0x8c, a: "dst64", b: "src64", c: "none", cycles: c2, regAccesses: 4, memWords: 0, group: "alu64", semantics: "R[a] = count of one bits of R[b]" },
  EXT8S64: { op: 0x8d, a: "dst64", b: "src", c: "none", cycles: c1, regAccesses: 3, memWords: 0, group: "alu64", semantics: "R[a] = sign-extension of the low 8 bits of r[b] (i64.extend8_s reads only the lo slot)" },
  EXT16S64: { op: 0x8e, a: "dst64", b: "src", c: "none", cycles: c1, regAccesses: 3, memWords: 0, group: "alu64", semantics: "R[a] = sign-extension of the low 16 bits of r[b]" },
  EXT32S64: { op: 0x8f, a: "dst64", b: "src", c: "none", cycles: c1, regAccesses: 3, memWords: 0, group: "alu64", semantics: "R[a] = sign-extension of r[b] (i64.extend_i32_s, i64.extend32_s)" },
  ZEXT64: { op: 0x90, a: "dst64", b: "src", c: "none", cycles: c1, regAccesses: 3, memWords: 0, group: "alu64", semantics: "R[a] = r[b] as u32 (i64.extend_i32_u)" },
  // ---- linear memory (0xA0–0xBF) ---------------------------------------------------------------
  LOAD8U: load(0xa0, "zero-extended byte M8[ea]", 1),
  LOAD8S: load(0xa1, "sign-extended byte M8[ea]", 1),
  LOAD16U: load(0xa2, "zero-extended M16[ea]", 2),
  LOAD16S: load(0xa3, "sign-extended M16[ea]", 2),
  LOAD32: load(0xa4, "M32[ea]", 2),
  STORE8: store(0xa5, "M8[ea] = r[b] & 0xff", 1),
  STORE16: store(0xa6, "M16[ea] = r[b] & 0xffff", 2),
  STORE32: store(0xa7, "M32[ea] = r[b]", 2),
  MEMSIZE: { op: 0xa8, a: "dst", b: "none", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "memory", semantics: "r[a] = current memory size in 64 KiB pages" },
  MEMGROW: { op: 0xa9, a: "dst", b: "src", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "memory", semantics: "r[a] = old size in pages and grow by r[b] pages (new pages zero), or r[a] = −1 if the result would exceed the maximum" },
  MEMCOPY: { op: 0xaa, a: "args", b: "none", c: "none", argSlots: 3, cycles: { rows: 1, perUnit: "len" }, regAccesses: 3, memWords: 0, group: "memory", semantics: "args (dst, src, len): copy len bytes from src to dst as if through a temporary buffer (overlap-safe); trap MemoryOutOfBounds unless both ranges fit; one row per byte" },
  MEMFILL: { op: 0xab, a: "args", b: "none", c: "none", argSlots: 3, cycles: { rows: 1, perUnit: "len" }, regAccesses: 3, memWords: 0, group: "memory", semantics: "args (dst, value, len): set len bytes at dst to value & 0xff; trap MemoryOutOfBounds unless the range fits; one row per byte" },
  // ---- coprocessors (0xC0–0xCF), semantics in docs/architecture.md ------------------------------
  FXMUL: { op: 0xc0, a: "dst", b: "src", c: "src", cycles: c1, regAccesses: 3, memWords: 0, group: "coprocessor", semantics: "r[a] = R(r[b]·r[c], 16) exact; trap FixedPointOverflow unless it fits i32" },
  DOT: { op: 0xc1, a: "dst", b: "args", c: "none", argSlots: 8, cycles: { rows: 1, perUnit: "n" }, regAccesses: 9, memWords: 0, group: "coprocessor", semantics: "args (xp, yp, n, sx, sy, acc.lo, acc.hi, shift): r[a] = R(acc + Σ x[i]·y[i] mod 2^64, shift); one DOT-table row per element (2 memory words each)" },
  AXPY: { op: 0xc2, a: "args", b: "none", c: "none", argSlots: 7, cycles: { rows: 1, perUnit: "n" }, regAccesses: 7, memWords: 0, group: "coprocessor", semantics: "args (yp, xp, n, sy, sx, a, shift): y[i] += R(a·x[i], shift) for i < n in order; one AXPY-table row per element (3 memory accesses each)" },
  SHA256: { op: 0xc3, a: "src", b: "src", c: "none", cycles: { rows: 65 }, regAccesses: 2, memWords: 0, group: "coprocessor", semantics: "compress the 64-byte block at r[b] (16 big-endian words) into the 8 little-endian u32 state words at r[a], in place; 1 CPU row + 64 SHA-256-table rows (24 memory words)" },
  // ---- host I/O (0xD0–0xDF) ----------------------------------------------------------------
  READ: { op: 0xd0, a: "src", b: "src", c: "none", cycles: { rows: 1, perUnit: "len" }, regAccesses: 2, memWords: 0, group: "host", semantics: "copy the next r[b] bytes of private input to memory at r[a]; trap MemoryOutOfBounds, then InputExhausted; one row per byte" },
  INPUTLEN: { op: 0xd1, a: "dst", b: "none", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "host", semantics: "r[a] = bytes of private input not yet read" },
  COMMIT: { op: 0xd2, a: "src", b: "src", c: "none", cycles: { rows: 1, perUnit: "len" }, regAccesses: 2, memWords: 0, group: "host", semantics: "append r[b] bytes of memory at r[a] to the public journal; trap MemoryOutOfBounds; one row per byte" },
  EXIT: { op: 0xd3, a: "src", b: "none", c: "none", cycles: c1, regAccesses: 1, memWords: 0, group: "host", semantics: "halt with exit code r[a]" },
  LOG: { op: 0xd4, a: "src", b: "src", c: "none", cycles: c1, regAccesses: 2, memWords: 0, group: "host", semantics: "write r[b] bytes of memory at r[a] to host stderr (not committed, not proven: a no-op in the proof)" },
  ABORT: { op: 0xd5, a: "args", b: "none", c: "none", argSlots: 4, cycles: c1, regAccesses: 4, memWords: 0, group: "host", semantics: "args (msg, file, line, col): trap Abort with AssemblyScript's message and file strings (UTF-16, byte length at ptr − 4), line and column" },
} as const satisfies Record<string, InstrSpec>;

export type Mnemonic = keyof typeof ISA;

/** Opcode numbers by mnemonic, for emitters and the executor's dispatch. */
export const Op: { readonly [K in Mnemonic]: (typeof ISA)[K]["op"] } = Object.fromEntries(
  Object.entries(ISA).map(([k, v]) => [k, v.op]),
) as { readonly [K in Mnemonic]: (typeof ISA)[K]["op"] };

/** Decode table: opcode → mnemonic (undefined = invalid instruction). */
export const MNEMONIC_BY_OPCODE: ReadonlyArray<Mnemonic | undefined> = (() => {
  const t: (Mnemonic | undefined)[] = new Array(256).fill(undefined);
  for (const [k, v] of Object.entries(ISA)) {
    if (t[v.op] !== undefined) throw new Error(`duplicate opcode 0x${v.op.toString(16)}`);
    t[v.op] = k as Mnemonic;
  }
  return t;
})();

/** Words per instruction in Program.code. */
export const INSTR_WORDS = 4;

/** Offset between an i32 ALU register-form opcode and its immediate form. */
export const IMM_FORM_DELTA = 0x20;

/** Frame layout shared by CALL/CALLI/RET and the compiler (see docs/ISA.md, calling convention). */
export const FRAME = {
  /** Slots reserved above the save slot: return pc, caller fp. */
  saveSlots: 2,
} as const;

export function specOf(opcode: number): InstrSpec | undefined {
  const m = MNEMONIC_BY_OPCODE[opcode];
  return m === undefined ? undefined : ISA[m];
}

function fmtOperand(kind: OperandKind, v: number): string | undefined {
  switch (kind) {
    case "none": return undefined;
    case "dst": case "src": case "rw": return `r${v}`;
    case "dst64": case "src64": return `R${v}`;
    case "imm": return `${v | 0}`;
    case "pc": return `@${v}`;
    case "global": return `g${v}`;
    case "frame": return `fp+${v}`;
    case "save": return `save=${v}`;
    case "sig": return `sig${v}`;
    case "args": return `r${v}..`;
  }
}

/** One instruction in assembly form, e.g. `ADDI r3, r2, -1`. */
export function disassembleOne(code: Uint32Array, pc: number): string {
  const w = pc * INSTR_WORDS;
  const opcode = code[w]!;
  const spec = specOf(opcode);
  if (spec === undefined) return `.word 0x${opcode.toString(16)}, ${code[w + 1]}, ${code[w + 2]}, ${code[w + 3]}`;
  const ops = [fmtOperand(spec.a, code[w + 1]!), fmtOperand(spec.b, code[w + 2]!), fmtOperand(spec.c, code[w + 3]!)].filter(
    (x): x is string => x !== undefined,
  );
  return `${MNEMONIC_BY_OPCODE[opcode]}${ops.length ? " " + ops.join(", ") : ""}`;
}

/** Static cycle cost of an instruction when it has no per-unit part (else its base rows). */
export function baseCycles(opcode: number): number {
  return specOf(opcode)?.cycles.rows ?? 0;
}
