// The VM AIR for the prover: the constraints (vm/air/air.ts) plus the trace builders. The verifier imports
// vm/air/air.ts only.
import type { Program } from "../program.ts";
import { boundaryColumns } from "./boundary/trace.ts";
import { vmPublics } from "./publics.ts";
import { buildCpuRows, cpuColumns } from "./cpu/trace.ts";
import { decodeProgram } from "./program/decode.ts";
import { rangeTrace } from "./range/constraints.ts";
import { and8TraceCompact } from "./and8/constraints.ts";
import { pow2Trace } from "./pow2/constraints.ts";
import { bytePropTrace } from "./byteprop/constraints.ts";
import { globalsColumns } from "./globals/constraints.ts";
import { tableFnColumns } from "./tablefn/constraints.ts";
import { tableFnTrace } from "./tablefn/trace.ts";
import { dotColumns } from "./dot/trace.ts";
import { axpyColumns } from "./axpy/trace.ts";
import { sha256Columns } from "./sha256/trace.ts";
import { INSTR_WORDS } from "../isa.ts";
import { computeImageId, imageIdBytes, imagePages, PAGE_BYTES } from "../image/image-id.ts";
import { MEM_BASE } from "./cpu/columns.ts";
import { PAGE_WORDS, TREE_PAGES_PER_WASM_PAGE, type InitPage } from "./memory-pages.ts";

export { VmAirError } from "./buses.ts";
export { vmPublics } from "./publics.ts";
export { airProgramOf, coprocessorTables, tableIndex, vmAir, TABLE, VM_AIR_VERSION, type AirProgram, type CoprocessorTable } from "./air.ts";
import { coprocessorTables } from "./air.ts";
export type { InitPage } from "./memory-pages.ts";

export interface VmTrace {
  readonly traces: Uint32Array[][];
  /** The statement as public inputs (vm/air/cpu/columns.ts PUB). */
  readonly publics: number[];
  readonly exitCode: number;
  readonly cycles: number;
  readonly journal: Uint8Array;
  /** The initial memory pages the run touched (the AIR's public memory tuples; the receipt opens them). */
  readonly pages: InitPage[];
}

/** The image's pages `indices` (sorted, distinct); pages without data are zero pages. */
export function initPagesOf(p: Program, indices: readonly number[]): InitPage[] {
  const image = imagePages(p.segments);
  return indices.map((index) => ({ index, page: image.get(index) ?? new Uint8Array(PAGE_BYTES) }));
}

/** Memory pages holding a touched word (MEM-bus addresses ≥ MEM_BASE), in increasing order. */
export function touchedPages(addrs: Iterable<number>): number[] {
  const set = new Set<number>();
  for (const a of addrs) if (a >= MEM_BASE) set.add(Math.floor((a - MEM_BASE) / PAGE_WORDS));
  return [...set].sort((a, b) => a - b);
}

/** Executes the program and builds every table's trace. Throws VmError if the run traps, VmAirError if unsupported. */
export function buildVmTrace(p: Program, input: Uint8Array = new Uint8Array(0), maxCycles?: number): VmTrace {
  const prog = decodeProgram(p);
  const cpu = buildCpuRows(p, input, maxCycles);
  const mult = new Uint32Array(prog.height);
  for (const [pc, n] of cpu.fetches) mult[pc] = n;
  // the image's pages the run touched (grown memory above the initial pages starts zero: BOUNDARY's `grown` rows)
  const pages = initPagesOf(p, touchedPages(cpu.memory.keys()).filter((i) => i < p.memory.initialPages * TREE_PAGES_PER_WASM_PAGE));
  const boundary = boundaryColumns(cpu.memory, cpu.range, p.globalsInit, pages, p.memory.initialPages);
  const globals = new Uint32Array(globalsColumns(p).height);
  const tablefn = tableFnTrace(tableFnColumns(p, p.code.length / INSTR_WORDS), cpu.calls);
  return {
    // AND8 holds only the byte pairs the run looks up (each row is pinned to a valid (x, y, x & y) by its bits,
    // so any subset is sound; vm/air/and8/), padded to a power of two
    traces: [[mult], cpuColumns(cpu.rows), boundary, rangeTrace(cpu.range), [globals], and8TraceCompact(cpu.and8), pow2Trace(cpu.pow2), tablefn, bytePropTrace(cpu.byteprop), ...coprocessorTables(p.code).map((t) => (t === "dot" ? dotColumns(cpu.dot) : t === "axpy" ? axpyColumns(cpu.axpy) : sha256Columns(cpu.sha)))],
    publics: vmPublics(imageIdBytes(computeImageId(p)), p.entryPc, p.globalSlots, cpu.exitCode, cpu.cycles, cpu.journal, p.memory.initialPages, p.memory.maxPages),
    exitCode: cpu.exitCode,
    cycles: cpu.cycles,
    journal: cpu.journal,
    pages,
  };
}
