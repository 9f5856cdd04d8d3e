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
import { CPU_WIDTH, cpuCol, MEM_BASE } from "./cpu/columns.ts";
import { WHOLE_RUN, type SegmentPosition } from "./publics.ts";
import { DOT_COL } from "./dot/constraints.ts";
import { AXPY_COL } from "./axpy/constraints.ts";
import { SHA_COLS } from "./sha256/constraints.ts";
import { PAGE_WORDS, TREE_PAGES_PER_WASM_PAGE, type InitPage } from "./memory-pages.ts";

export { VmAirError } from "./buses.ts";
export { vmPublics } from "./publics.ts";
export { airProgramOf, coprocessorTables, MEMORY_PROOF_TABLES, tableIndex, vmAir, vmProgramAir, vmSegmentedAirs, TABLE, VM_AIR_VERSION, type AirProgram, type CoprocessorTable, type SegmentedAirs } from "./air.ts";
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
  const run = buildRun(p, input, maxCycles);
  return { ...run.statement, traces: [run.memory[0]!, cpuColumns(run.cpu.rows), ...run.memory.slice(1), ...run.coprocessors(run.cpu.dot, run.cpu.axpy, run.cpu.sha)], publics: run.publics(WHOLE_RUN) };
}

/** One run's tables before they are laid out as one proof or as segments. */
function buildRun(p: Program, input: Uint8Array, maxCycles: number | undefined) {
  const prog = decodeProgram(p);
  const cpu = buildCpuRows(p, input, maxCycles);
  const mult = new Uint32Array(prog.height);
  for (const [pc, n] of cpu.fetches) mult[pc] = n;
  // the image's pages the run touched (grown memory above the initial pages starts zero: BOUNDARY's `grown` rows)
  const pages = initPagesOf(p, touchedPages(cpu.memory.keys()).filter((i) => i < p.memory.initialPages * TREE_PAGES_PER_WASM_PAGE));
  const boundary = boundaryColumns(cpu.memory, cpu.range, p.globalsInit, pages, p.memory.initialPages);
  const globals = new Uint32Array(globalsColumns(p).height);
  const tablefn = tableFnTrace(tableFnColumns(p, p.code.length / INSTR_WORDS), cpu.calls);
  const imageId = imageIdBytes(computeImageId(p));
  return {
    cpu,
    // the tables of the memory proof, in MEMORY_PROOF_TABLES order (PROGRAM … BYTEPROP, the CPU left out).
    // AND8 holds only the byte pairs the run looks up (each row is pinned to a valid (x, y, x & y) by its bits,
    // so any subset is sound; vm/air/and8/), padded to a power of two
    memory: [[mult], boundary, rangeTrace(cpu.range), [globals], and8TraceCompact(cpu.and8), pow2Trace(cpu.pow2), tablefn, bytePropTrace(cpu.byteprop)],
    coprocessors: (dot: readonly Uint32Array[], axpy: readonly Uint32Array[], sha: readonly Uint32Array[]): Uint32Array[][] =>
      coprocessorTables(p.code).map((t) => (t === "dot" ? dotColumns(dot) : t === "axpy" ? axpyColumns(axpy) : sha256Columns(sha))),
    publics: (seg: SegmentPosition): number[] => vmPublics(imageId, p.entryPc, p.globalSlots, cpu.exitCode, cpu.cycles, cpu.journal, p.memory.initialPages, p.memory.maxPages, seg),
    statement: { exitCode: cpu.exitCode, cycles: cpu.cycles, journal: cpu.journal, pages },
  };
}

/** A run split into segments (docs/vm-air.md §11): the memory proof's traces and one trace set per segment. */
export interface VmSegments {
  readonly memory: { readonly traces: Uint32Array[][]; readonly publics: number[] };
  readonly segments: { readonly traces: Uint32Array[][]; readonly publics: number[]; readonly clkStart: number; readonly clkEnd: number }[];
  readonly exitCode: number;
  readonly cycles: number;
  readonly journal: Uint8Array;
  readonly pages: InitPage[];
}

/**
 * Executes the program and lays its trace out as segments of about `segmentCycles` cycles each — cycles count the
 * rows of every table (a DOT of n elements is 1 CPU row and n DOT rows), so a segment's proof stays about that size
 * whatever mix of instructions it runs. A segment ends before a fetched row (never inside an i64 pair, a byte loop
 * or a coprocessor op: one op longer than a segment makes its segment longer), and every segment but the last
 * gets a handoff row carrying the next one's starting state. A coprocessor op belongs to the segment of its CPU row.
 */
export function buildVmSegments(p: Program, input: Uint8Array, segmentCycles: number, maxCycles?: number): VmSegments {
  if (!(Number.isInteger(segmentCycles) && segmentCycles >= 2)) throw new RangeError(`segment size ${segmentCycles} cycles: expected an integer ≥ 2`);
  const run = buildRun(p, input, maxCycles);
  const rows = run.cpu.rows;
  const C = { isReal: cpuCol("isReal"), hi: cpuCol("hi"), fByte: cpuCol("fByte"), fHand: cpuCol("fHand"), clk: cpuCol("clk") };
  const fetched = (r: Uint32Array): boolean => r[C.isReal] === 1 && r[C.hi] === 0 && r[C.fByte] === 0;
  const starts = [0];
  for (let i = 1; i < rows.length; i++) if (rows[i]![C.clk]! - rows[starts[starts.length - 1]!]![C.clk]! >= segmentCycles && fetched(rows[i]!)) starts.push(i);
  const STATE = ["pc", "fp", "clk", "msz", "inRem", "jpos"].map(cpuCol);
  const clkOf = (i: number): number => (i < rows.length ? rows[i]![C.clk]! : run.cpu.cycles);
  const opsIn = (table: readonly Uint32Array[], clkCol: number, lo: number, hi: number): Uint32Array[] => table.filter((r) => r[clkCol]! >= lo && r[clkCol]! < hi);
  const segments = starts.map((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]! : rows.length;
    const seg = rows.slice(start, end);
    if (k + 1 < starts.length) {
      const hand = new Uint32Array(CPU_WIDTH);
      hand[C.isReal] = 1;
      hand[C.fHand] = 1;
      for (const col of STATE) hand[col] = rows[end]![col]!;
      seg.push(hand);
    }
    const lo = clkOf(start), hi = clkOf(end);
    const traces = [cpuColumns(seg), ...run.coprocessors(opsIn(run.cpu.dot, DOT_COL.clkOp, lo, hi), opsIn(run.cpu.axpy, AXPY_COL.clkOp, lo, hi), opsIn(run.cpu.sha, SHA_COLS.clk, lo, hi))];
    return { traces, publics: run.publics({ index: k, first: k === 0, last: k + 1 === starts.length }), clkStart: lo, clkEnd: hi };
  });
  return { ...run.statement, memory: { traces: run.memory, publics: run.publics({ index: starts.length, first: false, last: false }) }, segments };
}
