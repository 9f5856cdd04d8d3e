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
    /** the traces of the program's coprocessor tables in `tables` (a mask over coprocessorTables; default all) */
    coprocessors: (dot: readonly Uint32Array[], axpy: readonly Uint32Array[], sha: readonly Uint32Array[], tables = -1): Uint32Array[][] =>
      coprocessorTables(p.code).filter((_, i) => (tables >> i) & 1).map((t) => (t === "dot" ? dotColumns(dot) : t === "axpy" ? axpyColumns(axpy) : sha256Columns(sha))),
    publics: (seg: SegmentPosition): number[] => vmPublics(imageId, p.entryPc, p.globalSlots, cpu.exitCode, cpu.cycles, cpu.journal, p.memory.initialPages, p.memory.maxPages, seg),
    statement: { exitCode: cpu.exitCode, cycles: cpu.cycles, journal: cpu.journal, pages },
  };
}

/** A run split into segments (docs/vm-air.md §11): the memory proof's traces and one trace set per segment. */
export interface VmSegments {
  readonly memory: { readonly traces: Uint32Array[][]; readonly publics: number[] };
  readonly segments: {
    /** the segment's columns, built anew on every call (the rows stay with the run; columns are the big part) */
    traces(): Uint32Array[][];
    /** which of the program's coprocessor tables this segment holds (vm/air/air.ts SegmentedAirs.segment) */
    readonly tables: number;
    readonly publics: number[];
    readonly clkStart: number;
    readonly clkEnd: number;
  }[];
  readonly exitCode: number;
  readonly cycles: number;
  readonly journal: Uint8Array;
  readonly pages: InitPage[];
}

/**
 * Executes the program and lays its trace out as segments: a segment grows while every one of its tables (CPU,
 * DOT, AXPY, SHA256) holds fewer than `segmentCycles` rows, so each segment's proof has the same domain (the
 * tables are padded to one power of two ≥ their rows, and the LDE of all of them is sized by the tallest) and
 * fills it: a segment of DOT-heavy code carries its CPU rows on top of a full DOT table (up to about twice
 * `segmentCycles` cycles) instead of stopping at `segmentCycles` cycles with the DOT table three-quarters full
 * (measured on the MNIST step: 1.3× the cycles per segment for the same proof). A segment ends before a fetched
 * row (never inside an i64 pair, a byte loop or a coprocessor op: one op longer than a segment makes its segment
 * longer), and every segment but the last gets a handoff row carrying the next one's starting state. A
 * coprocessor op belongs to the segment of its CPU row.
 */
export function buildVmSegments(p: Program, input: Uint8Array, segmentCycles: number, maxCycles?: number): VmSegments {
  if (!(Number.isInteger(segmentCycles) && segmentCycles >= 2)) throw new RangeError(`segment size ${segmentCycles} cycles: expected an integer ≥ 2`);
  const run = buildRun(p, input, maxCycles);
  const rows = run.cpu.rows;
  const C = { isReal: cpuCol("isReal"), hi: cpuCol("hi"), fByte: cpuCol("fByte"), fHand: cpuCol("fHand"), clk: cpuCol("clk") };
  const fetched = (r: Uint32Array): boolean => r[C.isReal] === 1 && r[C.hi] === 0 && r[C.fByte] === 0;
  const starts = segmentStarts(rows, fetched, C.clk, [run.cpu.dot.map((r) => r[DOT_COL.clkOp]!), run.cpu.axpy.map((r) => r[AXPY_COL.clkOp]!), run.cpu.sha.map((r) => r[SHA_COLS.clk]!)], segmentCycles - 1);
  const STATE = ["pc", "fp", "clk", "msz", "inRem", "jpos"].map(cpuCol);
  const clkOf = (i: number): number => (i < rows.length ? rows[i]![C.clk]! : run.cpu.cycles);
  // a coprocessor's rows are in clock order: each segment takes the next run of them
  const cursor = [0, 0, 0];
  const opsIn = (t: number, table: readonly Uint32Array[], clkCol: number, lo: number, hi: number): Uint32Array[] => {
    let a = cursor[t]!;
    while (a < table.length && table[a]![clkCol]! < lo) a++;
    let b = a;
    while (b < table.length && table[b]![clkCol]! < hi) b++;
    cursor[t] = b;
    return table.slice(a, b);
  };
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
    const ops = { dot: opsIn(0, run.cpu.dot, DOT_COL.clkOp, lo, hi), axpy: opsIn(1, run.cpu.axpy, AXPY_COL.clkOp, lo, hi), sha256: opsIn(2, run.cpu.sha, SHA_COLS.clk, lo, hi) };
    // only the coprocessor tables this segment has ops for (vm/air/air.ts SegmentedAirs.segment)
    let tables = 0;
    coprocessorTables(p.code).forEach((t, i) => { if (ops[t].length > 0) tables |= 1 << i; });
    // built when the prover needs them and dropped after: one segment's columns in memory at a time
    const traces = (): Uint32Array[][] => [cpuColumns(seg), ...run.coprocessors(ops.dot, ops.axpy, ops.sha256, tables)];
    return { traces, tables, publics: run.publics({ index: k, first: k === 0, last: k + 1 === starts.length }), clkStart: lo, clkEnd: hi };
  });
  return { ...run.statement, memory: { traces: run.memory, publics: run.publics({ index: starts.length, first: false, last: false }) }, segments };
}

/**
 * Where segments start (CPU row indices): a cut before a fetched row whenever its instruction (the row up to the
 * next fetched row, and the coprocessor rows of those rows' clocks) would take the CPU table or a coprocessor
 * table of the current segment past `limit` rows. The limit leaves room for the padding rows every table may
 * need (the CPU's handoff row, AXPY's closing row) inside the same power of two.
 */
function segmentStarts(rows: readonly Uint32Array[], fetched: (r: Uint32Array) => boolean, clkCol: number, copClocks: readonly (readonly number[])[], limit: number): number[] {
  const copAt = copClocks.map((clks) => {
    const m = new Map<number, number>();
    for (const c of clks) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  });
  const starts = [0];
  const used = [0, ...copClocks.map(() => 0)];
  const need = used.slice();
  let i = 0;
  while (i < rows.length) {
    let j = i + 1; // the instruction's rows [i, j)
    while (j < rows.length && !fetched(rows[j]!)) j++;
    need.fill(0);
    need[0] = j - i;
    for (let r = i; r < j; r++) copAt.forEach((m, t) => { need[t + 1]! += m.get(rows[r]![clkCol]!) ?? 0; });
    if (i > starts[starts.length - 1]! && used.some((u, t) => u + need[t]! > limit)) {
      starts.push(i);
      used.fill(0);
    }
    need.forEach((n, t) => { used[t]! += n; });
    i = j;
  }
  return starts;
}
