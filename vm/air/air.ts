// The VM AIR as the verifier sees it (constraints only, no trace builders, no executor): PROGRAM (public,
// decoded by the verifier), CPU, BOUNDARY, RANGE16, GLOBALS, AND8 and TABLEFN (public call_indirect table),
// joined by the FETCH, MEM, RANGE, GLOBALS, AND8, JOURNAL and TABLEFN buses (docs/vm-air.md). One proof per run.
// Browser-safe: imports only verifier/ and pure vm/ modules.
import type { Air, TableAir } from "../../verifier/air.ts";
import type { Program } from "../program.ts";
import { boundaryTable } from "./boundary/constraints.ts";
import { MAX_PROVABLE_PAGES, NUM_PUBLICS } from "./cpu/columns.ts";
import { MEMORY_OPCODES } from "./program/decode.ts";
import { VmAirError } from "./buses.ts";
import { INSTR_WORDS, Op } from "../isa.ts";
import { cpuTable } from "./cpu/constraints.ts";
import { and8Table } from "./and8/constraints.ts";
import { pow2Table } from "./pow2/constraints.ts";
import { bytePropTable } from "./byteprop/constraints.ts";
import { dotTable } from "./dot/constraints.ts";
import { axpyTable } from "./axpy/constraints.ts";
import { sha256Table } from "./sha256/constraints.ts";
import { decodeProgram } from "./program/decode.ts";
import { programTable } from "./program/constraints.ts";
import { rangeTable } from "./range/constraints.ts";
import { globalsColumns, globalsTable } from "./globals/constraints.ts";
import { tableFnColumns, tableFnTable, type CallTable } from "./tablefn/constraints.ts";
import { checkInitPages, initMemoryTuples, type InitPage } from "./memory-pages.ts";
import type { PublicInteractions } from "../../verifier/air.ts";
import { BUS } from "./buses.ts";

/** The journal as public JOURNAL-bus tuples (position, byte), received once each: COMMIT's byte rows must send
 *  exactly these (docs/vm-air.md D10). */
export function journalTuples(journal: Uint8Array): PublicInteractions {
  const tuples = new Uint32Array(2 * journal.length);
  journal.forEach((x, j) => { tuples[2 * j] = j; tuples[2 * j + 1] = x; });
  return { bus: BUS.JOURNAL, arity: 2, tuples, direction: "receive" };
}

/**
 * Version of the constraints. A receipt names the AIR version it was proven against and a verifier accepts
 * exactly the versions it knows (docs/receipt.md §1.1): changing any table's constraints means a new number.
 *   1 — the prototype subset (CONST, ADD, ADDI, JMP, BRNZ, EXIT, MOV, GGET, GSET, CALL, RET); no linear
 *       memory, no journal output.
 *   2 — adds CONST64, SUB/SUBI, the 32-bit comparisons (register and immediate forms, EQZ), SELECT and BRZ
 *       (vm/air/program/decode.ts PROVABLE_MNEMONICS); bounds the callee's fp by 2^24 on CALL and every BOUNDARY
 *       address by 2^25, so frame-stack addresses can never wrap mod p (v1 let a deep enough dishonest recursion,
 *       or a chain of junk BOUNDARY rows, climb past p back onto an initialised slot); aligned LOAD32 / STORE32
 *       and MEMSIZE over all-zero initial memory (memory words on the MEM bus at 2^25 + w).
 *   3 — initial memory from the image: BOUNDARY memory rows (is_mem, exactly addr ≥ 2^25) make no init
 *       record; the verifier sends every word of the touched pages, opened against the image's memory root,
 *       as public bus tuples (vm/air/memory-pages.ts). Data segments become provable.
 *   4 — the journal (COMMIT: one byte row per byte sends (position, byte) on the JOURNAL bus, the verifier
 *       receives the public journal as public tuples; the journal length is a public input checked at EXIT), the
 *       private input (READ's byte rows write free bytes; INPUTLEN; the input cursor must not run past the end),
 *       ADD64/SUB64 as two rows (the second, `hi`, copies the first's decode), family range lookups shared
 *       through slots, and any unsupported instruction decodes with no family flag (provable as long as a run
 *       never executes it). Also CALLI (call_indirect): a public TABLEFN table, one row (idx, pc, sig, save) per
 *       non-null entry of the image's call_indirect table, built by the verifier from the config; the CALLI row
 *       looks up (r[a] as limbs, target pc, c as limbs, save) on the TABLEFN bus and then acts as CALL with the
 *       looked-up pc and a dynamic save slot `sv` added to the addresses of its two writes.
 *   5 — DOT, AXPY and SHA256: coprocessor tables (vm/air/dot/, vm/air/axpy/, vm/air/sha256/), joined to the
 *       CPU's row by the COP bus, each present only when the code has its instruction; the CPU row's clock jumps
 *       by 1 + n (DOT/AXPY: column `cend`) or 65 (SHA256). DOT/AXPY: shifts up to 32, strides below 2^28 words,
 *       aligned vectors; SHA256: aligned pointers.
 */
export const VM_AIR_VERSION = 5;

/** Order of the tables every VM AIR has. */
export const TABLE = { program: 0, cpu: 1, boundary: 2, range: 3, globals: 4, and8: 5, pow2: 6, tablefn: 7, byteprop: 8 } as const;

/** The coprocessor tables, in the order they follow the fixed ones, with the opcode each one serves. */
const COPROCESSORS = [["dot", Op.DOT], ["axpy", Op.AXPY], ["sha256", Op.SHA256]] as const;
export type CoprocessorTable = (typeof COPROCESSORS)[number][0];

/**
 * The coprocessor tables a program's AIR has: those whose instruction occurs in its code. The code is public
 * (bound by the image ID), so prover and verifier derive the same list, and the AIR digest binds it. Leaving a
 * table out is always sound: its instruction's CPU row sends on the COP bus, and with no table to receive, a run
 * that executes it cannot balance. A program without DOT then pays nothing for the DOT table (≈ 140 committed
 * columns opened at every query).
 */
export function coprocessorTables(code: Uint32Array): CoprocessorTable[] {
  const ops = new Set<number>();
  for (let i = 0; i < code.length; i += INSTR_WORDS) ops.add(code[i]!);
  return COPROCESSORS.filter(([, op]) => ops.has(op)).map(([name]) => name);
}

/** Index of a table in the AIR of this code (fixed tables by TABLE; a coprocessor table after them). */
export function tableIndex(code: Uint32Array, name: keyof typeof TABLE | CoprocessorTable): number {
  if (name in TABLE) return TABLE[name as keyof typeof TABLE];
  const i = coprocessorTables(code).indexOf(name as CoprocessorTable);
  if (i < 0) throw new VmAirError("TraceError", `this program's AIR has no ${name} table`);
  return Object.keys(TABLE).length + i;
}

const COPROCESSOR_AIR: Record<CoprocessorTable, TableAir> = { dot: dotTable, axpy: axpyTable, sha256: sha256Table };

/** What the AIR reads of a program: the code (public program table), the globals (public init values), the
 *  size of its initial memory (its contents enter per run, as the touched pages) and the call_indirect table with
 *  the pc, signature and save slot of every function it names (public TABLEFN table). */
export interface AirProgram extends Pick<Program, "code" | "entryPc" | "globalSlots" | "globalsInit">, CallTable {
  readonly memPages: number;
  /** The image's declared maximum memory in pages (memory.grow fails beyond it, or beyond 16,384). */
  readonly maxPages: number;
}

/** AirProgram of a full program (the prover's side; the verifier builds one from the receipt). */
export function airProgramOf(p: Program): AirProgram {
  return { code: p.code, entryPc: p.entryPc, globalSlots: p.globalSlots, globalsInit: p.globalsInit, memPages: p.memory.initialPages, maxPages: p.memory.maxPages, functions: p.functions, table: p.table };
}

/**
 * The AIR of one program and run: the program table's public columns make it image-specific, and `pages` —
 * the initial memory pages the run touches, opened against the image (vm/air/memory-pages.ts) — are public
 * bus tuples. Throws VmAirError (UnprovableImage) for code outside the supported subset, TraceError for an
 * ill-formed page list.
 */
export function vmAir(prog: AirProgram | Program, pages: readonly InitPage[] = [], journal: Uint8Array = new Uint8Array(0)): Air {
  return vmAirOfRun(vmProgramAir(prog), pages, journal);
}

/** The part of `vmAir` that depends on the program only (its tables; decoding the code is the costly step). A
 *  verifier may keep it per image and reuse it for every run of that image (`vmAirOfRun`). */
export interface VmProgramAir {
  readonly memPages: number;
  readonly tables: Air["tables"];
}

/** The program-derived part of the VM AIR. Throws VmAirError (UnprovableImage) as vmAir does. */
export function vmProgramAir(prog: AirProgram | Program): VmProgramAir {
  const p = "segments" in prog ? airProgramOf(prog) : prog;
  const program = programTable(decodeProgram(p)); // first: it names every unsupported instruction
  const usesMemory = Array.from({ length: p.code.length / INSTR_WORDS }, (_, i) => p.code[i * INSTR_WORDS]!).some((op) => MEMORY_OPCODES.has(op));
  if (usesMemory && p.memPages > MAX_PROVABLE_PAGES) throw new VmAirError("UnprovableImage", `${p.memPages} initial memory pages; provable memory is at most ${MAX_PROVABLE_PAGES} pages (1 GiB)`);
  return {
    memPages: p.memPages,
    tables: [program, cpuTable, boundaryTable, rangeTable, globalsTable(globalsColumns(p)), and8Table, pow2Table, tableFnTable(tableFnColumns(p, p.code.length / INSTR_WORDS)), bytePropTable, ...coprocessorTables(p.code).map((t) => COPROCESSOR_AIR[t])],
  };
}

/**
 * A segmented run (docs/vm-air.md §11) is proven by N + 1 joint proofs sharing their LogUp challenges
 * (verifier/stark.ts `verifyJoint`): the memory proof — every table of fixed or program-bound size (PROGRAM,
 * BOUNDARY, RANGE16, GLOBALS, AND8, POW2, TABLEFN, BYTEPROP, with multiplicities summed over the whole run) and the
 * public tuples (touched pages, journal) — then one proof per segment holding the tables that grow with its
 * cycles (CPU and the coprocessors). The buses balance only over all parts: a segment's lookups are received by
 * the memory proof's tables, its memory records by other segments or BOUNDARY, its starting STATE by its
 * predecessor's handoff row.
 */
export const MEMORY_PROOF_TABLES: readonly (keyof typeof TABLE)[] = ["program", "boundary", "range", "globals", "and8", "pow2", "tablefn", "byteprop"];

export interface SegmentedAirs {
  readonly memory: Air;
  /**
   * The AIR of a segment holding the CPU and the coprocessor tables in `tables` — a bit mask over the program's
   * coprocessor tables (`coprocessorTables(code)` order; all of them: `allSegmentTables`). A segment leaves out the
   * tables it has no op for: an empty table would still be evaluated on the segment's whole LDE domain (measured:
   * SHA-256's 180 columns and AXPY's 72 were 43 % of a DOT segment's main trace). Sound for any mask: a COP send
   * whose table is missing from every part cannot balance the joint LogUp sum; an op's rows may sit in any
   * segment's table (the COP tuple carries its clock), as they could before.
   */
  segment(tables: number): Air;
  /** the mask of every coprocessor table of the program */
  readonly allSegmentTables: number;
}

/** The AIRs of a segmented run of this program (the memory proof carries the public tuples). */
export function vmSegmentedAirs(base: VmProgramAir, code: Uint32Array, pages: readonly InitPage[] = [], journal: Uint8Array = new Uint8Array(0)): SegmentedAirs {
  const whole = vmAirOfRun(base, pages, journal);
  const fixed = Object.keys(TABLE).length;
  const cops = whole.tables.slice(fixed);
  const all = (1 << cops.length) - 1;
  const cache = new Map<number, Air>();
  return {
    memory: { ...whole, name: `vm-v${VM_AIR_VERSION}-memory`, tables: MEMORY_PROOF_TABLES.map((t) => whole.tables[TABLE[t]]!) },
    allSegmentTables: all,
    segment(tables: number): Air {
      if (!Number.isInteger(tables) || tables < 0 || (tables & ~all) !== 0) throw new VmAirError("UnprovableImage", `segment table mask ${tables}: this program has ${cops.length} coprocessor table(s)`);
      let air = cache.get(tables);
      if (air === undefined) {
        air = { name: `vm-v${VM_AIR_VERSION}-segment`, numPublicInputs: NUM_PUBLICS, tables: [whole.tables[TABLE.cpu]!, ...cops.filter((_, i) => (tables >> i) & 1)], publicInteractions: [] };
        cache.set(tables, air);
      }
      return air;
    },
  };
}

/** The AIR of one run: the program's tables, and the touched pages and the journal as public tuples. */
export function vmAirOfRun(base: VmProgramAir, pages: readonly InitPage[] = [], journal: Uint8Array = new Uint8Array(0)): Air {
  checkInitPages(pages, base.memPages);
  return {
    name: `vm-v${VM_AIR_VERSION}`,
    numPublicInputs: NUM_PUBLICS,
    tables: base.tables,
    publicInteractions: [...(pages.length > 0 ? [initMemoryTuples(pages)] : []), ...(journal.length > 0 ? [journalTuples(journal)] : [])],
  };
}
