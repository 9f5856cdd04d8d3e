// The Program: what the compiler produces, the image format serializes and the executor runs.
// Plain data only (typed arrays, numbers, strings), so it serializes without surprises.
//
// Frame-stack address space (registers): absolute slots [0, globalSlots) hold the globals (initialised
// from globalsInit); execution starts at pc = entryPc with fp = globalSlots. Linear memory is a separate
// byte-addressed space of memory.initialPages · 64 KiB, zero except for the segments.

import { disassembleOne, INSTR_WORDS } from "./isa.ts";

export const PROGRAM_VERSION = 1;
export const WASM_PAGE_BYTES = 65536;

export interface FunctionInfo {
  /** Export name, WASM name-section name, or `f<index>`. Informational (disassembly, errors). */
  readonly name: string;
  /** pc of the first instruction. */
  readonly pc: number;
  /** Signature id (index into Program.signatures). */
  readonly sig: number;
  /** Slots [0, paramSlots) of the frame hold the arguments on entry. */
  readonly paramSlots: number;
  /** Slots [0, resultSlots) hold the results at RET. */
  readonly resultSlots: number;
  /** Save slot s = max(paramSlots, resultSlots): slot s holds the return pc, s + 1 the caller's fp. */
  readonly saveSlot: number;
  /** Slots the frame uses (params, save slots, locals, operand-stack temporaries): fp + frameSlots is
   * the highest slot any instruction of the function touches, plus one. */
  readonly frameSlots: number;
}

export interface Segment {
  /** Byte address in linear memory. */
  readonly addr: number;
  readonly bytes: Uint8Array;
  /** Name given with `--data NAME=FILE`, absent for the module's own data segments. */
  readonly name?: string;
}

/**
 * pc → source location, run-length: entry i covers pcs [pcs[i], pcs[i+1]). pcs is strictly increasing.
 * fileIdx indexes files; line is 1-based, 0 = unknown.
 */
export interface SourceMap {
  readonly files: string[];
  readonly pcs: Uint32Array;
  readonly fileIdx: Uint32Array;
  readonly lines: Uint32Array;
}

export interface Program {
  readonly version: typeof PROGRAM_VERSION;
  /** INSTR_WORDS u32 words per instruction: [opcode, a, b, c]. */
  readonly code: Uint32Array;
  /** First instruction executed (the entry stub: start function, then main, then EXIT 0). */
  readonly entryPc: number;
  /** Number of absolute global slots; also the initial fp. */
  readonly globalSlots: number;
  /** Initial values of the global slots, length globalSlots. */
  readonly globalsInit: Uint32Array;
  readonly functions: FunctionInfo[];
  /** Canonical signature strings, e.g. "(i32,i64)->(i32)"; CALLI compares ids. */
  readonly signatures: string[];
  /** call_indirect table: entry → index into functions, or −1 for a null entry. */
  readonly table: Int32Array;
  readonly memory: { readonly initialPages: number; readonly maxPages: number };
  /** Initial linear memory content; segments may not overlap each other. */
  readonly segments: Segment[];
  readonly sourceMap?: SourceMap;
}

export function instructionCount(p: Program): number {
  return p.code.length / INSTR_WORDS;
}

/** Source location of a pc, if the program carries a source map covering it. */
export function sourceLocation(p: Program, pc: number): { file: string; line: number } | undefined {
  const sm = p.sourceMap;
  if (sm === undefined || sm.pcs.length === 0) return undefined;
  // Last entry with pcs[i] ≤ pc (binary search).
  let lo = 0;
  let hi = sm.pcs.length - 1;
  if (pc < sm.pcs[0]!) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sm.pcs[mid]! <= pc) lo = mid;
    else hi = mid - 1;
  }
  const line = sm.lines[lo]!;
  if (line === 0) return undefined;
  return { file: sm.files[sm.fileIdx[lo]!]!, line };
}

/**
 * Assembly listing of a whole program: a `name:` line before each function's first instruction, one
 * line per instruction (`pc  MNEMONIC operands`), and `; file:line` when the source line changes.
 */
export function disassemble(p: Program): string {
  const starts = new Map<number, string>();
  for (const f of p.functions) starts.set(f.pc, f.name);
  const out: string[] = [];
  let lastLoc = "";
  for (let pc = 0; pc < instructionCount(p); pc++) {
    if (pc === p.entryPc) out.push("<entry>:");
    const name = starts.get(pc);
    if (name !== undefined) out.push(`${name}:`);
    const loc = sourceLocation(p, pc);
    const locStr = loc ? `${loc.file}:${loc.line}` : "";
    const text = `${String(pc).padStart(6)}  ${disassembleOne(p.code, pc)}`;
    out.push(locStr && locStr !== lastLoc ? `${text.padEnd(44)} ; ${locStr}` : text);
    if (locStr) lastLoc = locStr;
  }
  return out.join("\n");
}
