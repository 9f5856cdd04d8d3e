// A tiny assembler for hand-written programs (executor tests and benchmarks): mnemonics from vm/isa.ts,
// operands as numbers (negative immediates are stored as two's complement words).

import { INSTR_WORDS, Op, type Mnemonic } from "../isa.ts";
import { PROGRAM_VERSION, type FunctionInfo, type Program, type Segment } from "../program.ts";

export type AsmInstr = readonly [Mnemonic, number?, number?, number?];

export function assemble(instrs: readonly AsmInstr[]): Uint32Array {
  const code = new Uint32Array(instrs.length * INSTR_WORDS);
  instrs.forEach(([m, a = 0, b = 0, c = 0], i) => {
    code[i * INSTR_WORDS] = Op[m];
    code[i * INSTR_WORDS + 1] = a >>> 0;
    code[i * INSTR_WORDS + 2] = b >>> 0;
    code[i * INSTR_WORDS + 3] = c >>> 0;
  });
  return code;
}

export interface AsmProgramOptions {
  globals?: number[];
  functions?: FunctionInfo[];
  signatures?: string[];
  table?: number[];
  initialPages?: number;
  maxPages?: number;
  segments?: Segment[];
  entryPc?: number;
}

/** A Program around hand-assembled code; execution starts at entryPc (default 0) with fp = globals. */
export function asmProgram(instrs: readonly AsmInstr[], o: AsmProgramOptions = {}): Program {
  const globals = o.globals ?? [];
  return {
    version: PROGRAM_VERSION,
    code: assemble(instrs),
    entryPc: o.entryPc ?? 0,
    globalSlots: globals.length,
    globalsInit: Uint32Array.from(globals.map((g) => g >>> 0)),
    functions: o.functions ?? [],
    signatures: o.signatures ?? [],
    table: Int32Array.from(o.table ?? []),
    memory: { initialPages: o.initialPages ?? 1, maxPages: o.maxPages ?? 16 },
    segments: o.segments ?? [],
  };
}
