// The VM AIR for the prover: the constraints (vm/air/air.ts) plus the trace builders. The verifier imports
// vm/air/air.ts only.
import type { Program } from "../program.ts";
import { boundaryColumns } from "./boundary/trace.ts";
import { vmPublics } from "./publics.ts";
import { buildCpuRows, cpuColumns, cpuTraceSegments, type CpuRunTotals, type CpuSegmentRows } from "./cpu/trace.ts";
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
import { PAGE_WORDS, TREE_PAGES_PER_WASM_PAGE, type InitPage } from "./memory-pages.ts";

export { VmAirError } from "./buses.ts";
import { VmAirError } from "./buses.ts";
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
  const cpu = buildCpuRows(p, input, maxCycles);
  const run = runTables(p, cpu);
  return { ...run.statement, traces: [run.memory[0]!, cpuColumns(cpu.rows), ...run.memory.slice(1), ...run.coprocessors(cpu.dot, cpu.axpy, cpu.sha)], publics: run.publics(WHOLE_RUN) };
}

/** A run's tables that do not depend on how its rows are cut: the memory proof's, the statement, the publics. */
function runTables(p: Program, cpu: CpuRunTotals) {
  const prog = decodeProgram(p);
  const mult = new Uint32Array(prog.height);
  for (const [pc, n] of cpu.fetches) mult[pc] = n;
  // the image's pages the run touched (grown memory above the initial pages starts zero: BOUNDARY's `grown` rows)
  const pages = initPagesOf(p, touchedPages(cpu.memory.keys()).filter((i) => i < p.memory.initialPages * TREE_PAGES_PER_WASM_PAGE));
  const boundary = boundaryColumns(cpu.memory, cpu.range, p.globalsInit, pages, p.memory.initialPages);
  const globals = new Uint32Array(globalsColumns(p).height);
  const tablefn = tableFnTrace(tableFnColumns(p, p.code.length / INSTR_WORDS), cpu.calls);
  const imageId = imageIdBytes(computeImageId(p));
  return {
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

/** The state a handoff row carries to the next segment (the CPU row's columns it copies from that segment's first row). */
const HANDOFF_STATE = ["pc", "fp", "clk", "msz", "inRem", "jpos"].map(cpuCol);

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
 * Executes the program and lays its trace out as segments (vm/air/cpu/trace.ts cpuTraceSegments): a segment grows
 * while every one of its tables (CPU, DOT, AXPY, SHA256) holds fewer than `segmentCycles` rows, so each segment's
 * proof has the same domain (the tables are padded to one power of two ≥ their rows, and the LDE of all of them is
 * sized by the tallest) and fills it: a segment of DOT-heavy code carries its CPU rows on top of a full DOT table (up
 * to about twice `segmentCycles` cycles) instead of stopping at `segmentCycles` cycles with the DOT table
 * three-quarters full (measured on the MNIST step: 1.3× the cycles per segment for the same proof). A segment ends
 * before a fetched row (never inside an i64 pair, a byte loop or a coprocessor op: one op longer than a segment makes
 * its segment longer), and every segment but the last gets a handoff row carrying the next one's starting state.
 *
 * Memory stays that of one segment, whatever the run's length: this first pass keeps only each segment's shape and
 * the run's totals (final memory, multiplicities); a segment's rows are rebuilt when its traces are asked for, by
 * running the trace builder again from the start and skipping to it (the prover asks in order, so one replay serves
 * a whole pass over the segments; ≈ 5 µs per cycle per pass, next to proving's ≈ 150 µs).
 */
export function buildVmSegments(p: Program, input: Uint8Array, segmentCycles: number, maxCycles?: number): VmSegments {
  if (!(Number.isInteger(segmentCycles) && segmentCycles >= 2)) throw new RangeError(`segment size ${segmentCycles} cycles: expected an integer ≥ 2`);
  // The limit leaves room for the padding rows every table may need (the CPU's handoff row, AXPY's closing row)
  // inside the same power of two.
  const limit = segmentCycles - 1;
  const clk = cpuCol("clk");
  const copTables = coprocessorTables(p.code);
  /** What a segment is, from its rows: the clocks it spans and the coprocessor tables it uses. */
  const shapeOf = (s: CpuSegmentRows, cycles: number) => {
    const ops = { dot: s.dot, axpy: s.axpy, sha256: s.sha };
    let tables = 0;
    copTables.forEach((t, i) => { if (ops[t].length > 0) tables |= 1 << i; });
    return { clkStart: s.rows[0]![clk]!, clkEnd: s.next === undefined ? cycles : s.next[clk]!, tables, rows: s.rows.length };
  };
  const pass = (): Generator<CpuSegmentRows, CpuRunTotals, void> => cpuTraceSegments(p, input, maxCycles ?? 2 ** 20, limit);
  const first = pass();
  const shapes: { clkStart: number; clkEnd: number; tables: number; rows: number }[] = [];
  let r = first.next();
  for (; r.done !== true; r = first.next()) shapes.push(shapeOf(r.value, Number.NaN));
  const totals = r.value;
  shapes[shapes.length - 1]!.clkEnd = totals.cycles;
  const run = runTables(p, totals);

  // The replay: a trace builder positioned after segment `at − 1`, restarted when a segment before it is asked for.
  let replay: { gen: ReturnType<typeof pass>; at: number } | undefined;
  const rowsOf = (k: number): CpuSegmentRows => {
    if (replay === undefined || replay.at > k) replay = { gen: pass(), at: 0 };
    for (;;) {
      const s = replay.gen.next();
      if (s.done === true) throw new VmAirError("TraceError", `the replay ended before segment ${k}`);
      if (replay.at++ === k) {
        const shape = shapeOf(s.value, totals.cycles), want = shapes[k]!;
        if (shape.clkStart !== want.clkStart || shape.clkEnd !== want.clkEnd || shape.tables !== want.tables || shape.rows !== want.rows) {
          throw new VmAirError("TraceError", `segment ${k} replayed differently (clocks ${shape.clkStart}..${shape.clkEnd}, first pass ${want.clkStart}..${want.clkEnd})`);
        }
        return s.value;
      }
    }
  };
  const segments = shapes.map((shape, k) => {
    const traces = (): Uint32Array[][] => {
      const s = rowsOf(k);
      const rows = s.rows;
      if (s.next !== undefined) {
        const hand = new Uint32Array(CPU_WIDTH);
        hand[cpuCol("isReal")] = 1;
        hand[cpuCol("fHand")] = 1;
        for (const col of HANDOFF_STATE) hand[col] = s.next[col]!;
        rows.push(hand);
      }
      return [cpuColumns(rows), ...run.coprocessors(s.dot, s.axpy, s.sha, shape.tables)];
    };
    return { traces, tables: shape.tables, publics: run.publics({ index: k, first: k === 0, last: k + 1 === shapes.length }), clkStart: shape.clkStart, clkEnd: shape.clkEnd };
  });
  return { ...run.statement, memory: { traces: run.memory, publics: run.publics({ index: shapes.length, first: false, last: false }) }, segments };
}
