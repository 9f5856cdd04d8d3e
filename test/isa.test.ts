// The ISA table (vm/isa.ts) is consistent, meets the provability budget it documents, and docs/ISA.md
// carries exactly the generated table.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { disassembleOne, IMM_FORM_DELTA, INSTR_WORDS, ISA, MNEMONIC_BY_OPCODE, Op, specOf, type InstrSpec, type Mnemonic } from "../vm/isa.ts";
import { isaMarkdownTable, ISA_TABLE_BEGIN, ISA_TABLE_END } from "../vm/isa-doc.ts";

const entries = Object.entries(ISA) as [Mnemonic, InstrSpec][];

const GROUP_RANGES: Record<InstrSpec["group"], [number, number]> = {
  control: [0x01, 0x0f], move: [0x10, 0x1f], alu32: [0x20, 0x6f], alu32imm: [0x40, 0x5f], alu64: [0x70, 0x9f],
  memory: [0xa0, 0xbf], coprocessor: [0xc0, 0xcf], host: [0xd0, 0xdf],
};

describe("ISA table", () => {
  it("opcodes are unique, non-zero, in their group's range, and decode back to their mnemonic", () => {
    const seen = new Set<number>();
    for (const [name, s] of entries) {
      expect(seen.has(s.op), name).toBe(false);
      seen.add(s.op);
      const [lo, hi] = GROUP_RANGES[s.group];
      expect(s.op >= lo && s.op <= hi, `${name} 0x${s.op.toString(16)} in ${s.group}`).toBe(true);
      expect(MNEMONIC_BY_OPCODE[s.op]).toBe(name);
      expect(Op[name]).toBe(s.op);
      expect(specOf(s.op)).toBe(s);
    }
    expect(specOf(0)).toBeUndefined();
    expect(specOf(0xff)).toBeUndefined();
  });

  it("every i32 ALU register form has its immediate form at opcode + 0x20 with the same semantics", () => {
    const reg = entries.filter(([, s]) => s.group === "alu32" && s.c === "src");
    expect(reg.length).toBe(25);
    for (const [name, s] of reg) {
      const imm = specOf(s.op + IMM_FORM_DELTA);
      expect(imm, name).toBeDefined();
      expect(MNEMONIC_BY_OPCODE[s.op + IMM_FORM_DELTA]).toBe(`${name}I`);
      expect(imm!.c).toBe("imm");
      expect([imm!.a, imm!.b, imm!.cycles.rows]).toEqual([s.a, s.b, s.cycles.rows]);
    }
  });

  it("stays within the provability budget: ≤ 3 slot accesses per row, ≤ 2 memory words, bounded argument blocks", () => {
    for (const [name, s] of entries) {
      expect(s.memWords, name).toBeLessThanOrEqual(2);
      const argBlock = [s.a, s.b, s.c].includes("args");
      if (argBlock) {
        expect(s.argSlots, name).toBeGreaterThan(0);
        expect(s.argSlots!, name).toBeLessThanOrEqual(8);
        expect(s.regAccesses, name).toBeLessThanOrEqual(s.argSlots! + 1);
      } else {
        expect(s.regAccesses, name).toBeLessThanOrEqual(3 * s.cycles.rows);
      }
      expect(s.cycles.rows, name).toBeGreaterThanOrEqual(1);
    }
  });

  it("disassembles every opcode with its operand kinds, and unknown words as data", () => {
    const code = new Uint32Array(entries.length * INSTR_WORDS);
    entries.forEach(([, s], i) => code.set([s.op, 3, 0xffffffff, 7], i * INSTR_WORDS));
    entries.forEach(([name], i) => expect(disassembleOne(code, i).startsWith(name)).toBe(true));
    expect(disassembleOne(Uint32Array.of(Op.ADDI, 3, 2, 0xffffffff), 0)).toBe("ADDI r3, r2, -1");
    expect(disassembleOne(Uint32Array.of(Op.CALL, 40, 12, 2), 0)).toBe("CALL @40, fp+12, save=2");
    expect(disassembleOne(Uint32Array.of(Op.ADD64, 4, 6, 8), 0)).toBe("ADD64 R4, R6, R8");
    expect(disassembleOne(Uint32Array.of(0xee, 1, 2, 3), 0)).toBe(".word 0xee, 1, 2, 3");
  });

  it("docs/ISA.md carries the table generated from vm/isa.ts (npx tsx scripts/gen-isa-doc.ts)", () => {
    const doc = readFileSync(new URL("../docs/ISA.md", import.meta.url), "utf8");
    const i = doc.indexOf(ISA_TABLE_BEGIN);
    const j = doc.indexOf(ISA_TABLE_END);
    expect(i).toBeGreaterThan(0);
    expect(doc.slice(i + ISA_TABLE_BEGIN.length, j)).toBe("\n" + isaMarkdownTable());
  });
});
