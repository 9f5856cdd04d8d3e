// CPU trace builder: runs the executor with its per-instruction trace hook (docs/executor.md) and turns
// every instruction into a CPU row, keeping the memory bookkeeping (last value and timestamp per slot)
// that the access ports need. The hook sees the machine *before* each instruction, so a row's write is
// resolved when the next instruction starts (EXIT, the last one, writes nothing).
import { executeStepwise } from "../../executor/index.ts";
import { MNEMONIC_BY_OPCODE } from "../../isa.ts";
import type { Machine } from "../../executor/machine.ts";
import type { Program } from "../../program.ts";
import { inv } from "../../../verifier/fp.ts";
import { MIN_TABLE_HEIGHT, VmAirError } from "../buses.ts";
import { imagePages } from "../../image/image-id.ts";
import { PAGE_WORDS, pageWord } from "../memory-pages.ts";
import { DECODE_FIELDS, decodeInstruction, hiRowDecode, PROVABLE_MNEMONICS, unprovableReason, type DecodedRow } from "../program/decode.ts";
import { cpuCol, CPU_WIDTH, MAX_PROVABLE_PAGES, MEM_BASE, NUM_PORTS, PORT_PHASE, portCol, SLOT_WRITE_PHASE } from "./columns.ts";
import { MAX_CHECKED_PTR, PTR_HI_SLACK } from "./constraints.ts";
import { P as FIELD_P } from "../../../verifier/fp.ts";
import { BYTEPROP_HEIGHT, BYTEPROP_KIND, byteProp, bytePropIndex } from "../byteprop/constraints.ts";
import { sourceLocation } from "../../program.ts";
import { dotRows } from "../dot/trace.ts";
import { AxpyTrap, axpyRows } from "../axpy/trace.ts";
import { sha256Rows } from "../sha256/trace.ts";
import { dot as executorDot } from "../../intrinsics.ts";
import { VmError } from "../../errors.ts";
import { transpose, type CopContextPow2 } from "../cop.ts";
import { rowAllocator } from "../row-slab.ts";

/** The family flags of the decode (one of them is set on every fetched real row). */
const FAMILY_FLAGS = DECODE_FIELDS.filter((f) => /^f[A-Z]/.test(f));
/** Named in error messages only (vm/air/air.ts VM_AIR_VERSION; not imported, to keep this module's imports acyclic). */
const AIR_VERSION_FOR_MESSAGES = 4;
const where = (p: Program, pc: number): string => {
  const loc = sourceLocation(p, pc);
  return loc ? ` (${loc.file}:${loc.line})` : "";
};

/** Last access of one address: value (u32) and timestamp. */
export interface MemCell {
  v: number;
  ts: number;
}

/** One segment's rows: the CPU rows and the coprocessor rows of the instructions in it, in order. */
export interface CpuSegmentRows {
  /** Real rows only (the assembler pads). */
  readonly rows: Uint32Array[];
  /** Rows of the DOT table (vm/air/dot/), one op after the other. */
  readonly dot: Uint32Array[];
  /** Rows of the AXPY table (vm/air/axpy/). */
  readonly axpy: Uint32Array[];
  /** Rows of the SHA256 table (vm/air/sha256/), 64 per op. */
  readonly sha: Uint32Array[];
  /** The first row of the next segment (its starting state), absent on the last segment. */
  readonly next?: Uint32Array;
}

/** What a whole run leaves once its rows are handed out: final memory, lookup multiplicities, the statement. */
export interface CpuRunTotals {
  /** Final state of every touched slot (globals included, touched or not). */
  readonly memory: Map<number, MemCell>;
  /** Fetch count per pc. */
  readonly fetches: Map<number, number>;
  /** RANGE16 multiplicities from the CPU rows. */
  readonly range: Uint32Array;
  /** AND8 multiplicities (index 256·x + y) from the CPU rows. */
  readonly and8: Uint32Array;
  /** POW2 multiplicities (index s) from the CPU rows. */
  readonly pow2: Uint32Array;
  /** BYTEPROP multiplicities (index 256·kind + byte) from the CPU rows. */
  readonly byteprop: Uint32Array;
  /** CALLIs per call_indirect table index (TABLEFN multiplicities). */
  readonly calls: Map<number, number>;
  readonly exitCode: number;
  readonly cycles: number;
  readonly journal: Uint8Array;
}

export type CpuTraceResult = CpuSegmentRows & CpuRunTotals;

// Column indices resolved once (the builder touches ~40 columns per row).
const COL = {
  isReal: cpuCol("isReal"), pc: cpuCol("pc"), fp: cpuCol("fp"), clk: cpuCol("clk"),
  C0: cpuCol("C0"), C1: cpuCol("C1"), k0: cpuCol("k0"), k1: cpuCol("k1"), z: cpuCol("z"), inv: cpuCol("inv"),
  S: cpuCol("S"), D0: cpuCol("D0"), D1: cpuCol("D1"), sB: cpuCol("sB"), sC: cpuCol("sC"), F0: cpuCol("F0"), F1: cpuCol("F1"), E0: cpuCol("E0"), E1: cpuCol("E1"), q: cpuCol("q"),
  hi: cpuCol("hi"), cin: cpuCol("cin"), fByte: cpuCol("fByte"), bRd: cpuCol("bRd"), bFl: cpuCol("bFl"), fill: cpuCol("fill"), fx: cpuCol("fx"), byte2: cpuCol("byte2"), nzin: cpuCol("nzin"), h64: cpuCol("h64"), hz: cpuCol("hz"), neg: cpuCol("neg"), mca: cpuCol("mca"), mcb: cpuCol("mcb"), cv: [0, 1, 2, 3].map((i) => cpuCol(`cv${i}`)), cz: [0, 1, 2, 3].map((i) => cpuCol(`cz${i}`)), cu: cpuCol("cu"), cw: cpuCol("cw"), bCr: cpuCol("bCr"), bCw: cpuCol("bCw"), bq: cpuCol("bq"), dir: cpuCol("dir"), top: cpuCol("top"), sx: cpuCol("sx"), cnt: cpuCol("cnt"), e2: cpuCol("e2"), msz: cpuCol("msz"), gok: cpuCol("gok"), gdelta: cpuCol("gdelta"), da0: cpuCol("da0"), da1: cpuCol("da1"), da2: cpuCol("da2"), na: [0, 1, 2].map((i) => cpuCol(`na${i}`)), ea: [0, 1, 2, 3].map((i) => cpuCol(`ea${i}`)), rr0: cpuCol("rr0"), rr1: cpuCol("rr1"), dx: cpuCol("dx"), nx1: cpuCol("nx1"), sq: cpuCol("sq"),
  res0: cpuCol("res0"), res1: cpuCol("res1"), rs: cpuCol("rs"), y0: cpuCol("y0"), y1: cpuCol("y1"), tq: cpuCol("tq"), ov: cpuCol("ov"), shs: cpuCol("shs"), sht: cpuCol("sht"), W0: cpuCol("W0"), W1: cpuCol("W1"), shl: cpuCol("shl"), shh: cpuCol("shh"), bn: cpuCol("bn"), bp: cpuCol("bp"),
  o: [0, 1, 2, 3].map((i) => cpuCol(`o${i}`)), m: [0, 1, 2, 3].map((i) => cpuCol(`m${i}`)), nb: cpuCol("nb"), byte: cpuCol("byte"),
  inRem: cpuCol("inRem"), jpos: cpuCol("jpos"), en3: cpuCol("en3"), wr3: cpuCol("wr3"),
  bb: [0, 1, 2, 3].map((i) => cpuCol(`bb${i}`)), cb: [0, 1, 2, 3].map((i) => cpuCol(`cb${i}`)), n: [0, 1, 2, 3].map((i) => cpuCol(`n${i}`)),
  P: [0, 1, 2, 3].map((i) => cpuCol(`P${i}`)), kk: [0, 1, 2].map((i) => cpuCol(`kk${i}`)),
  tpc: cpuCol("tpc"), sv: cpuCol("sv"), cend: cpuCol("cend"), isFirst: cpuCol("isFirst"), fHand: cpuCol("fHand"),
};
const PORT_FIELDS = ["addr", "v0", "v1", "p0", "p1", "pts", "d0", "d1"] as const;
const PC = Array.from({ length: NUM_PORTS }, (_, k) => Object.fromEntries(PORT_FIELDS.map((f) => [f, portCol(f, k)])) as Record<(typeof PORT_FIELDS)[number], number>);

/** A decoded instruction together with its CPU-row images (decode columns set, pc and state columns zero). */
interface DecodedEntry {
  readonly d: DecodedRow;
  /** the fetched row's decode columns: copied into each row in one native copy (≈ 70 columns) */
  readonly template: Uint32Array;
  /** an i64's hi row: its decode (hiRowDecode) and columns */
  readonly hi?: { readonly d: DecodedRow; readonly template: Uint32Array };
  /** one family flag is set: the AIR proves this instruction */
  readonly provable: boolean;
}

const DECODE_COLS = DECODE_FIELDS.filter((f) => f !== "pc").map((f) => [f, cpuCol(f)] as const);
// newRow writes the row's state after copying a template: no decode column may be one of them
for (const f of ["msz", "isReal", "fp", "clk", "inRem", "jpos"]) if (DECODE_COLS.some(([g]) => g === f)) throw new Error(`CPU column ${f} is both state and decode`);
function decodeTemplate(d: DecodedRow): Uint32Array {
  const t = new Uint32Array(CPU_WIDTH);
  for (const [f, c] of DECODE_COLS) t[c] = d[f];
  return t;
}

const lo = (w: number): number => w & 0xffff;
const hi = (w: number): number => w >>> 16;

/** The image's pages, read-only, once per program: segmented proving runs the trace builder three times, and
 *  splitting the MNIST image's 55 MB into pages takes ≈ 0.2 s. */
const pageCache = new WeakMap<Program, ReadonlyMap<number, Uint8Array>>();
function imagePagesOf(program: Program): ReadonlyMap<number, Uint8Array> {
  let pages = pageCache.get(program);
  if (pages === undefined) {
    pages = imagePages(program.segments);
    pageCache.set(program, pages);
  }
  return pages;
}

/** Executes the program and builds its CPU and coprocessor rows as one segment (the whole run). */
export function buildCpuRows(program: Program, input: Uint8Array = new Uint8Array(0), maxCycles: number = 2 ** 20): CpuTraceResult {
  const gen = cpuTraceSegments(program, input, maxCycles, Infinity);
  const only = gen.next();
  if (only.done === true) throw new VmAirError("TraceError", "the run produced no segment");
  const totals = gen.next();
  if (totals.done !== true) throw new VmAirError("TraceError", "an unbounded segment was cut");
  return { ...only.value, ...totals.value };
}

/**
 * Executes the program and hands out its rows segment by segment (a generator: the run pauses while the caller
 * works on a segment, and rows handed out are the caller's to drop, so memory holds one segment's rows, not the
 * run's). A segment ends before an instruction whose rows (its fetched row, an i64's hi row, a byte loop's rows) or
 * coprocessor rows would take the CPU table or a coprocessor table past `limit` rows; one instruction longer than
 * `limit` makes its segment longer. Returns the run's totals once the guest exits.
 */
export function* cpuTraceSegments(program: Program, input: Uint8Array, maxCycles: number, limit: number): Generator<CpuSegmentRows, CpuRunTotals, void> {
  let rows: Uint32Array[] = [];
  const memory = new Map<number, MemCell>();
  const fetches = new Map<number, number>();
  const range = new Uint32Array(65536);
  const and8 = new Uint32Array(65536);
  const pow2 = new Uint32Array(64);
  const byteprop = new Uint32Array(BYTEPROP_HEIGHT);
  const decoded = new Map<number, DecodedEntry>();
  const calls = new Map<number, number>();
  let dot: Uint32Array[] = [];
  let axpy: Uint32Array[] = [];
  let sha: Uint32Array[] = [];
  // Globals start with their image values at timestamp 0 (BOUNDARY takes them from the GLOBALS table).
  program.globalsInit.forEach((v, i) => memory.set(i, { v: v >>> 0, ts: 0 }));
  // Memory words start with the image's bytes (data segments), frame slots with 0.
  const image = imagePagesOf(program);
  const initCell = (addr: number): MemCell => {
    if (addr < MEM_BASE) return { v: 0, ts: 0 };
    const w = addr - MEM_BASE;
    const page = image.get(Math.floor(w / PAGE_WORDS));
    return { v: page === undefined ? 0 : pageWord(page, w % PAGE_WORDS), ts: 0 };
  };
  type Pending = { row: Uint32Array; k: number; addr: number; ts: number; d: DecodedRow };
  let pending: Pending[] = [];

  /** One RANGE16 lookup. An honest trace never looks up a value outside the table: if it does, the builder
   *  and the constraints disagree, which must surface here rather than as an unprovable trace. */
  const look = (x: number): void => {
    if (!(Number.isInteger(x) && x >= 0 && x < 65536)) throw new VmAirError("TraceError", `range lookup of ${x} outside [0, 2^16)`);
    range[x]!++;
  };

  /** The cell of `addr`, created with its initial value on first use (updated in place: one object per address). */
  const cellOf = (addr: number): MemCell => {
    let cell = memory.get(addr);
    if (cell === undefined) {
      cell = initCell(addr);
      memory.set(addr, cell);
    }
    return cell;
  };

  const access = (row: Uint32Array, k: number, addr: number, value: number, ts: number): void => {
    const prev = cellOf(addr);
    const c = PC[k]!;
    row[c.addr] = addr;
    row[c.v0] = lo(value);
    row[c.v1] = hi(value);
    row[c.p0] = lo(prev.v);
    row[c.p1] = hi(prev.v);
    row[c.pts] = prev.ts;
    const d = ts - prev.ts - 1;
    if (d < 0 || d >= 2 ** 29) throw new VmAirError("TraceError", `timestamp order broken at slot ${addr}`);
    row[c.d0] = lo(d);
    row[c.d1] = hi(d);
    look(lo(d));
    look(hi(d));
    look(hi(d) * 8); // 13-bit check
    prev.v = value;
    prev.ts = ts;
  };

  // Writes of a row are read back from the machine when the next instruction starts.
  const resolvePending = (m: Machine): void => {
    for (const { row, k, addr, ts, d } of pending) {
      const value = m.slots[addr]! >>> 0;
      access(row, k, addr, value, ts);
      if (d.fCall || d.fCalli) {
        // the saved pc (port 2) and fp (port 1): canonical limbs with 8-/9-bit high limbs
        look(lo(value));
        look(hi(value));
        look(hi(value) * (k === 2 ? 2 ** 8 : 2 ** 7));
      }
      if (k === 2 && d.fInLen) {
        // r[a] = inRem: canonical limbs with a 14-bit high limb
        look(lo(value));
        look(hi(value));
        look(hi(value) * 4);
      }
      if (k === 2 && d.fSub) {
        // R + C = B + k·2^32: k1 is the borrow of B − C
        const c0 = row[COL.C0]!, c1 = row[COL.C1]!;
        const k0 = (lo(value) + c0 + row[COL.cin]!) >>> 16;
        row[COL.k0] = k0;
        row[COL.k1] = (hi(value) + c1 + k0) >>> 16;
        look(lo(value));
        look(hi(value));
      }
      if (k === 2 && (d.fAdd || d.fAddi)) {
        // carries of B + C = R + k·2^32 on 16-bit limbs; the result limbs are range-checked (MEMWF)
        const b0 = row[PC[0]!.v0]!, b1 = row[PC[0]!.v1]!;
        const c0 = row[COL.C0]!, c1 = row[COL.C1]!;
        const k0 = (b0 + c0 + row[COL.cin]!) >>> 16;
        row[COL.k0] = k0;
        row[COL.k1] = (b1 + c1 + k0) >>> 16;
        look(lo(value));
        look(hi(value));
      }
    }
    pending = [];
  };

  // Host I/O state carried by every row: input bytes not yet read, journal bytes committed.
  let inRem = input.length;
  // the memory size in pages before the current instruction (the executor's, read at every step)
  let curPages = program.memory.initialPages;
  let jpos = 0;
  const cpuRow = rowAllocator(CPU_WIDTH); // this run's rows, in shared chunks (vm/air/row-slab.ts)
  const newRow = (pc: number, fp: number, clk: number, memPages: number = curPages, template?: Uint32Array): Uint32Array => {
    const row = cpuRow();
    if (template !== undefined) row.set(template); // zero at the state columns set below
    row[COL.msz] = memPages;
    row[COL.isReal] = 1;
    row[COL.pc] = pc;
    row[COL.fp] = fp;
    row[COL.clk] = clk;
    row[COL.inRem] = inRem;
    row[COL.jpos] = jpos;
    return row;
  };

  const step = (m: Machine): void => {
    resolvePending(m);
    curPages = m.memory.length / 65536;
    const pc = m.pc;
    let entry = decoded.get(pc);
    if (entry === undefined) {
      const dr = decodeInstruction(program.code, pc);
      const hd = dr.is64 ? hiRowDecode(dr) : undefined;
      entry = { d: dr, template: decodeTemplate(dr), ...(hd ? { hi: { d: hd, template: decodeTemplate(hd) } } : {}), provable: FAMILY_FLAGS.some((f) => dr[f] === 1) };
      decoded.set(pc, entry);
    }
    const d = entry.d;
    if (!entry.provable) {
      // TRAP and ABORT trap in the executor right after this hook; anything else is outside the AIR
      const why = unprovableReason(program.code, pc);
      if (why !== undefined) throw new VmAirError("UnprovableImage", `pc ${pc}${where(program, pc)}: the run executes ${why}, which VM AIR v${AIR_VERSION_FOR_MESSAGES} cannot prove yet (it proves ${PROVABLE_MNEMONICS.length} of the ISA's ${Object.values(MNEMONIC_BY_OPCODE).filter((m) => m !== undefined).length} instructions, listed in docs/cli.md); run with --dev to execute without a proof`);
      return;
    }
    fetches.set(pc, (fetches.get(pc) ?? 0) + 1);
    const clk = m.cycles;
    const row = instructionRow(m, pc, clk, d, entry.template);
    if (d.is64) {
      // the hi row: the decode of hiRowDecode (slot offsets + 1; a comparison row after fCmpLo), carry/borrow in
      // = the first row's (ADD64/SUB64/CMP64), nzin = [the lo words differed] (CMP64)
      const bl = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!, cl = row[COL.C0]! + 65536 * row[COL.C1]!;
      const carry = d.fAdd ? (bl + cl >= 2 ** 32 ? 1 : 0) : d.fSub || d.fCmpLo ? (bl < cl ? 1 : 0) : 0;
      const h = instructionRow(m, pc, clk + 1, entry.hi!.d, entry.hi!.template, { hi: 1, cin: carry, nzin: d.fCmpLo ? 1 - row[COL.z]! : 0 });
      if (d.sh64) shift64Rows(row, h, d);
      if (d.fMul64) mul64Rows(row, h);
      if (d.fDivU64) divU64Rows(row, h, d);
      if (d.fDivS64) divS64Rows(row, h, d);
    }
    if (d.fRead || d.fCommit || d.fFill) bulkRows(m, row, d, clk);
    if (d.fCopy) copyRows(m, row, clk);
    if (d.fDot) dotOp(m, row, d, clk);
    if (d.fAxpy) axpyOp(m, row, d, clk);
    if (d.fSha) shaOp(m, row, clk);
  };

  /** SHA256: the CPU row has read both pointers; the SHA256 table reads the block and state and writes back. */
  const shaOp = (m: Machine, row: Uint32Array, clk: number): void => {
    const sp = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!, bp = row[COL.C0]! + 65536 * row[COL.C1]!;
    if (sp + 32 > m.memory.length || bp + 64 > m.memory.length) return; // the executor traps on this instruction
    const view = new DataView(m.memory.buffer, m.memory.byteOffset, m.memory.byteLength);
    const words = (ptr: number, n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => view.getUint32(ptr + 4 * i, true));
    sha.push(...atPc(m, () => sha256Rows({ clk, statePtr: sp, blockPtr: bp, msz: curPages, state: words(sp, 8), block: words(bp, 16) }, copContext)));
  };

  /** Runs a coprocessor builder, naming the instruction's pc and source line in its refusals. */
  const atPc = <T>(m: Machine, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof VmAirError) throw new VmAirError(e.kind, `pc ${m.pc}${where(program, m.pc)}: ${e.message}`);
      throw e;
    }
  };

  /** The context a coprocessor table's builder works in: this builder's memory bookkeeping and lookups. */
  const copContext: CopContextPow2 = {
    access: (addr, value, ts) => {
      const cell = cellOf(addr);
      const prev = { prev: cell.v, pts: cell.ts };
      cell.v = value >>> 0;
      cell.ts = ts;
      return prev;
    },
    range: look,
    and8: (x, y) => { and8[x * 256 + y]!++; },
    pow2: (s) => { pow2[s]!++; },
  };

  /** AXPY: like DOT, the CPU row claims the clock after the op and the AXPY table does the work. */
  const axpyOp = (m: Machine, row: Uint32Array, d: DecodedRow, clk: number): void => {
    const argBase = m.fp + d.off0;
    const args = Array.from({ length: 7 }, (_, k) => m.slots[argBase + k]! >>> 0);
    const view = new DataView(m.memory.buffer, m.memory.byteOffset, m.memory.byteLength);
    try {
      axpy.push(...atPc(m, () => axpyRows({ clk, argBase, msz: curPages, args, word: (w) => view.getUint32(4 * w, true) }, copContext)));
    } catch (e) {
      if (e instanceof AxpyTrap) return; // the executor traps on this very instruction
      throw e;
    }
    row[COL.cend] = clk + 1 + args[2]!;
  };

  /** DOT: the CPU row claims the clock after the op; the DOT table does the reads, the sum and the write. */
  const dotOp = (m: Machine, row: Uint32Array, d: DecodedRow, clk: number): void => {
    const argBase = m.fp + d.off0;
    const args = Array.from({ length: 8 }, (_, k) => m.slots[argBase + k]! >>> 0);
    const view = new DataView(m.memory.buffer, m.memory.byteOffset, m.memory.byteLength);
    let result: number;
    try {
      result = executorDot(view, args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!, args[6]!, args[7]! | 0);
    } catch (e) {
      if (e instanceof VmError) return; // the executor traps on this very instruction
      throw e;
    }
    const n = args[2]!;
    row[COL.cend] = clk + 1 + n;
    dot.push(...atPc(m, () => dotRows({ clk, argBase, dst: m.fp + d.off2, msz: curPages, args, word: (w) => view.getUint32(4 * w, true), result }, copContext)));
  };

  /** One CPU row of the instruction at pc with decode `d` (its columns `template`; `hiRow` for an i64's hi row). */
  const instructionRow = (m: Machine, pc: number, clk: number, d: DecodedRow, template: Uint32Array, hiRow?: { hi: number; cin: number; nzin: number }): Uint32Array => {
    const row = newRow(pc, m.fp, clk, curPages, template);
    if (hiRow) {
      row[COL.hi] = hiRow.hi;
      row[COL.cin] = hiRow.cin;
      row[COL.nzin] = hiRow.nzin;
    }
    // CALLI: the table entry r[a] names (its save slot moves the two writes); an index out of range, a null entry
    // or another signature traps in the executor right after this hook, so such a row is never used
    let sv = 0;
    if (d.fCalli) {
      const idx = m.slots[m.fp + d.off0]! >>> 0;
      const fi = idx < program.table.length ? program.table[idx]! : -1;
      const f = fi >= 0 ? program.functions[fi] : undefined;
      if (f !== undefined && f.sig >>> 0 === (d.c0 + 65536 * d.c1)) {
        sv = f.saveSlot;
        row[COL.sv] = sv;
        row[COL.tpc] = f.pc;
        calls.set(idx, (calls.get(idx) ?? 0) + 1);
      }
    }
    for (let k = 0; k < NUM_PORTS; k++) {
      if (k === 3 || d[`en${k}` as keyof DecodedRow] !== 1) continue; // port 3 (memory) needs the address first
      const abs = (k === 0 && d.abs0 === 1) || (k === 2 && d.abs2 === 1);
      const addr = (abs ? 0 : m.fp) + d[`off${k}` as keyof DecodedRow] + (k === 0 ? 0 : sv);
      const write = (k === 2 && d.rd2 !== 1) || (k === 1 && d.wr1 === 1);
      const ts = 4 * clk + (write ? SLOT_WRITE_PHASE : PORT_PHASE[k]!) + 1;
      if (write) {
        pending.push({ row, k, addr, ts, d });
        continue;
      }
      const value = m.slots[addr]! >>> 0;
      const known = memory.get(addr)?.v ?? 0;
      // Executor and constraints must agree (soundness.md, Cairo class): a slot's value is what was last written.
      if (known !== value) throw new VmAirError("TraceError", `slot ${addr} holds ${value}, the trace last wrote ${known}`);
      access(row, k, addr, value, ts);
    }
    // operand C (selected exactly as the constraint does)
    const c0 = d.selC ? row[PC[1]!.v0]! : d.aliasC ? row[PC[0]!.v0]! : d.immC ? d.c0 : 0;
    const c1 = d.selC ? row[PC[1]!.v1]! : d.aliasC ? row[PC[0]!.v1]! : d.immC ? d.c1 : 0;
    row[COL.C0] = c0;
    row[COL.C1] = c1;
    if (d.fLoad || d.fStore) memoryAccess(m, row, d, clk, c0, c1);
    if (d.fLdB || d.fStB) subWordAccess(m, row, d, clk, c0, c1);
    if (d.fCall || d.fCalli) {
      const nfp = m.fp + d.b0 + 65536 * d.b1;
      if (nfp >= 2 ** 24) throw new VmAirError("TraceError", `pc ${pc}: call depth takes fp to ${nfp} ≥ 2^24, beyond what the VM AIR proves`);
      row[COL.F0] = lo(nfp);
      row[COL.F1] = hi(nfp);
      look(lo(nfp));
      look(hi(nfp));
      look(hi(nfp) * 2 ** 8);
    }
    if (d.fRet) {
      // RET's extra high-limb checks: saved pc < 2^24, saved fp < 2^25
      look(row[PC[0]!.v1]! * 2 ** 8);
      look(row[PC[1]!.v1]! * 2 ** 7);
    }
    if (d.fCmp) {
      // D + C' = B' + k·2^32 with ' = top bit flipped for signed comparisons
      const b0 = row[PC[0]!.v0]!, b1 = row[PC[0]!.v1]!;
      const sB = b1 >>> 15, sC = c1 >>> 15;
      row[COL.sB] = sB;
      row[COL.sC] = sC;
      const flip = d.sgn ? 0x8000 : 0;
      const cin = row[COL.cin]!;
      const bp = ((b1 ^ flip) * 65536 + b0), cp = ((c1 ^ flip) * 65536 + c0);
      const dd = (bp - cp - cin + 2 ** 33) % 2 ** 32;
      row[COL.D0] = lo(dd);
      row[COL.D1] = hi(dd);
      const k0 = (lo(dd) + c0 + cin) >>> 16;
      row[COL.k0] = k0;
      row[COL.k1] = (hi(dd) + (c1 ^ flip) + k0) >>> 16;
      look(lo(dd));
      look(hi(dd));
      // sign bits are checked on every comparison row (signed forms use them)
      look(2 * (b1 - 0x8000 * sB));
      look(2 * (c1 - 0x8000 * sC));
    }
    if (d.fBit || d.fMul) bytesAndProduct(row, d.fMul === 1);
    if (d.fShift || d.fShiftA) shiftRow(row, d, c0);
    if (d.fDivU || d.fDivS) divRow(row, d, c0 + 65536 * c1);
    if (d.fFx) fxRow(row, c0 + 65536 * c1);
    if (d.fGrow) growRow(m, row);
    if (d.fClz || d.fCtz || d.fPop || d.fClz64 || d.fCtz64 || d.fPop64) countRow(row, d);
    if (d.fExt8 || d.fExt16) {
      const b0 = row[PC[0]!.v0]!;
      if (d.fExt8) {
        const lb = b0 & 0xff, hb = b0 >>> 8, s = lb >>> 7;
        row[COL.m[0]!] = lb; row[COL.m[1]!] = hb; row[COL.sB] = s;
        for (const x of [lb, lb * 256, hb, hb * 256, (lb - 128 * s) * 512]) look(x);
      } else {
        const s = b0 >>> 15;
        row[COL.sB] = s;
        look(2 * (b0 - 0x8000 * s));
      }
    }
    if (d.fSext) {
      const b1 = row[PC[0]!.v1]!, sB = b1 >>> 15;
      row[COL.sB] = sB;
      look(2 * (b1 - 0x8000 * sB));
    }
    if (d.fExit) {
      // the input was not over-read: inRem < 2^30 as limbs (D0, D1 14-bit)
      row[COL.D0] = lo(inRem);
      row[COL.D1] = hi(inRem);
      look(lo(inRem));
      look(hi(inRem) * 4);
    }
    if (d.fLog) {
      const ptr = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!, len = c0 + 65536 * c1, room = m.memory.length - ptr - len;
      if (room >= 0) { // else the executor traps on this instruction
        const ptrHi = row[PC[0]!.v1]!;
        if (ptr >= MAX_CHECKED_PTR || len >= MAX_CHECKED_PTR) throw new VmAirError("TraceError", `pc ${m.pc}: LOG of [${ptr}, ${ptr + len}): pointers and lengths from 768 MiB up are not provable`);
        const end = m.memory.length - ptr - len;
        row[COL.D0] = lo(m.memory.length - ptr); row[COL.D1] = hi(m.memory.length - ptr);
        row[COL.E0] = lo(end); row[COL.E1] = hi(end);
        for (const x of [(ptrHi + PTR_HI_SLACK) * 4, (c1 + PTR_HI_SLACK) * 4, lo(m.memory.length - ptr), hi(m.memory.length - ptr) * 4, lo(end), hi(end) * 4]) look(x);
      }
    }
    if (d.fCmpLo || d.fBrt) {
      // D = B − C on the lo words, unsigned
      const b0 = row[PC[0]!.v0]!, b1 = row[PC[0]!.v1]!;
      const dd = (b0 + 65536 * b1 - c0 - 65536 * c1 + 2 ** 32) % 2 ** 32;
      row[COL.D0] = lo(dd);
      row[COL.D1] = hi(dd);
      const k0 = (lo(dd) + c0) >>> 16;
      row[COL.k0] = k0;
      row[COL.k1] = (hi(dd) + c1 + k0) >>> 16;
      look(lo(dd));
      look(hi(dd));
    }
    if (d.fBrnz || d.fBrz || d.fCmp || d.fSel || d.fCmpLo || d.fEqz64) {
      const s = d.fCmp ? row[COL.D0]! + row[COL.D1]! + row[COL.nzin]! : d.fCmpLo ? row[COL.D0]! + row[COL.D1]! : d.fSel ? c0 + c1
        : d.fEqz64 ? row[PC[0]!.v0]! + row[PC[0]!.v1]! + row[PC[1]!.v0]! + row[PC[1]!.v1]! : row[PC[0]!.v0]! + row[PC[0]!.v1]!;
      zeroTest(row, s);
    }
    rows.push(row);
    return row;
  };

  /** MEMGROW: whether it grows (by the executor's rule: old + B ≤ max), the witnesses of either case. */
  const growRow = (m: Machine, row: Uint32Array): void => {
    const B = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!;
    const cur = m.memory.length / 65536, K = m.maxPages - cur;
    if (m.maxPages > MAX_PROVABLE_PAGES) throw new VmAirError("TraceError", `memory may grow to ${m.maxPages} pages, beyond what the VM AIR proves`);
    const ok = B <= K;
    row[COL.gok] = ok ? 1 : 0;
    if (ok) {
      row[COL.gdelta] = B;
      row[COL.D0] = K - B;
      look(K - B); look(0); look(0);
    } else {
      const e = B - K - 1;
      row[COL.E0] = lo(e); row[COL.E1] = hi(e);
      row[COL.k0] = (lo(e) + K + 1) >>> 16;
      look(0); look(lo(e)); look(hi(e));
    }
  };

  /** FXMUL: magnitudes, their product, the rounding split, the result's negation and sign (no row if it
   *  overflows: the executor traps). */
  const fxRow = (row: Uint32Array, C: number): void => {
    const B = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!;
    const sB = B >>> 31, sC = C >>> 31, sp = sB ^ sC;
    const ab = sB ? 2 ** 32 - B : B, ac = sC ? 2 ** 32 - C : C;
    const P = BigInt(ab) * BigInt(ac), A = BigInt(2 ** 15 - sp);
    const w = Number((P + A) >> 16n), rho = Number((P + A) & 0xffffn);
    if (sp ? w > 2 ** 31 : w >= 2 ** 31) return; // FixedPointOverflow: the executor traps
    row[COL.sB] = sB; row[COL.sC] = sC; row[COL.sq] = sp; row[COL.rs] = sp;
    row[COL.nx1] = sB && (B & 0xffff) === 0 ? 1 : 0;
    row[COL.dx] = sC && (C & 0xffff) === 0 ? 1 : 0;
    bytesAndProduct(row, true, ab, ac, false);
    const p0 = row[COL.P[0]!]!, p1 = row[COL.P[1]!]!, p2 = row[COL.P[2]!]!;
    const k0 = (p0 + 2 ** 15 - sp) >>> 16;
    row[COL.rr0] = rho;
    row[COL.k0] = k0;
    const k1 = (p1 + k0) >>> 16;
    row[COL.k1] = k1;
    row[COL.res0] = (p1 + k0) & 0xffff;
    row[COL.res1] = p2 + k1;
    const lo0 = sp ? 0xffff - lo(w) + 1 : lo(w);
    const y0 = lo0 >>> 16, hi1 = (sp ? 0xffff - hi(w) : hi(w)) + y0;
    row[COL.y0] = y0; row[COL.y1] = hi1 >>> 16;
    const R = ((sp ? 2 ** 32 - w : w) % 2 ** 32) >>> 0, tq = R >>> 31;
    row[COL.tq] = tq;
    zeroTest(row, lo(R) + hi(R));
    for (const k of [0, 1, 2]) { const v = row[COL.kk[k]!]!; look(v); look(v * 4); }
    look(rho); look(lo(R)); look(hi(R));
    look(2 * ((B >>> 16) - 0x8000 * sB)); look(2 * ((C >>> 16) - 0x8000 * sC)); look(2 * (hi(R) - 0x8000 * tq));
  };

  /** CLZ/CTZ/POPCNT: per-byte BYTEPROP lookups and the chained partial counts. */
  const countRow = (row: Uint32Array, d: DecodedRow): void => {
    const B = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!;
    const kind = d.fClz || d.fClz64 ? BYTEPROP_KIND.clz : d.fCtz || d.fCtz64 ? BYTEPROP_KIND.ctz : BYTEPROP_KIND.pop;
    const bytes = [0, 8, 16, 24].map((sh) => Math.floor(B / 2 ** sh) & 0xff);
    const v = bytes.map((x) => byteProp(kind, x)), z = bytes.map((x) => (x === 0 ? 1 : 0));
    bytes.forEach((x, i) => {
      row[COL.bb[i]!] = x;
      row[COL.cv[i]!] = v[i]!;
      row[COL.cz[i]!] = z[i]!;
      byteprop[bytePropIndex(kind, x)]!++;
    });
    const clz = kind === BYTEPROP_KIND.clz, ctz = kind === BYTEPROP_KIND.ctz;
    const [cu, cw] = clz ? ((u) => [u, v[2]! + z[2]! * u])(v[1]! + z[1]! * v[0]!) : ctz ? ((u) => [u, v[1]! + z[1]! * u])(v[2]! + z[2]! * v[3]!) : [0, 0];
    row[COL.cu] = cu!;
    row[COL.cw] = cw!;
    row[COL.cnt] = clz ? v[3]! + z[3]! * cw! : ctz ? v[0]! + z[0]! * cw! : v[0]! + v[1]! + v[2]! + v[3]!;
    zeroTest(row, row[PC[0]!.v0]! + row[PC[0]!.v1]!);
  };

  /** DIV/REM on magnitudes: |n| = |q|·|d| + |r|, signs applied after (an executor trap leaves no valid row). */
  const divRow = (row: Uint32Array, d: DecodedRow, C: number): void => {
    const B = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!;
    const signed = d.fDivS === 1;
    const sB = signed ? B >>> 31 : 0, sC = signed ? C >>> 31 : 0;
    const an = sB ? 2 ** 32 - B : B, ad = sC ? 2 ** 32 - C : C;
    if (ad === 0) return; // DivideByZero: the executor traps on this instruction
    const aq = Math.floor(an / ad), ar = an - aq * ad;
    const sq = sB ^ sC;
    if (d.isDivS && sq === 0 && aq >= 2 ** 31) return; // DivisionOverflow: the executor traps
    row[COL.sB] = sB;
    row[COL.sC] = sC;
    bytesAndProduct(row, true, aq, ad, false);
    // carries of the negations ~x + 1: only when the low limb of ~x is 0xffff (x's low limb is 0)
    row[COL.dx] = sC && (C & 0xffff) === 0 ? 1 : 0;
    row[COL.nx1] = sB && (B & 0xffff) === 0 ? 1 : 0;
    row[COL.rr0] = lo(ar);
    row[COL.rr1] = hi(ar);
    const P0 = row[COL.P[0]!]!;
    // k0 from the identity: P0 + rr0 = An0 + 2^16·k0 with An0 = ~n0 + sB − 2^16·nx1 (= n0 for sB = 0)
    const an0 = sB ? (0xffff - (B & 0xffff)) + 1 - 65536 * row[COL.nx1]! : B & 0xffff;
    row[COL.k0] = (P0 + lo(ar) - an0) / 65536;
    const dd = ad - ar - 1;
    row[COL.D0] = lo(dd);
    row[COL.D1] = hi(dd);
    row[COL.k1] = (lo(dd) + lo(ar) + 1) >>> 16;
    row[COL.sq] = sq;
    const rem = d.isRem === 1;
    const res = rem ? ar : aq, rs = rem ? sB : sq;
    row[COL.res0] = lo(res);
    row[COL.res1] = hi(res);
    row[COL.rs] = rs;
    const lo0 = rs ? 0xffff - lo(res) + 1 : lo(res);
    const y0 = lo0 >>> 16;
    const hi1 = (rs ? 0xffff - hi(res) : hi(res)) + y0;
    row[COL.y0] = y0;
    row[COL.y1] = hi1 >>> 16;
    const tq = aq >= 2 ** 31 ? 1 : 0;
    row[COL.tq] = tq;
    row[COL.ov] = tq * (1 - sq);
    for (const k of [0, 1, 2]) { const v = row[COL.kk[k]!]!; look(v); look(v * 4); }
    look(lo(ar)); look(hi(ar)); look(lo(dd)); look(hi(dd));
    look(lo0 & 0xffff); look(hi1 & 0xffff);
    if (signed) {
      look(2 * ((B >>> 16) - 0x8000 * sB));
      look(2 * ((C >>> 16) - 0x8000 * sC));
      look((((aq >>> 24) & 0xff) - 128 * tq) * 512);
    }
  };

  /** DIVS64/REMS64: the unsigned gadget on magnitudes, the signs, |d|'s carries and the result's negation. */
  const divS64Rows = (row: Uint32Array, h: Uint32Array, d: DecodedRow): void => {
    const word = (r: Uint32Array, k: 0 | 1): number => (k === 0 ? r[PC[0]!.v0]! + 65536 * r[PC[0]!.v1]! : r[COL.C0]! + 65536 * r[COL.C1]!);
    const M64 = (1n << 64n) - 1n;
    const n = BigInt(word(row, 0)) + (BigInt(word(h, 0)) << 32n), dv = BigInt(word(row, 1)) + (BigInt(word(h, 1)) << 32n);
    const sn = Number(n >> 63n), sd = Number(dv >> 63n);
    const an = sn ? ((1n << 64n) - n) & M64 : n, ad = sd ? ((1n << 64n) - dv) & M64 : dv;
    if (ad === 0n) return; // DivideByZero
    const aq = an / ad, ar = an % ad;
    const sq = sn ^ sd;
    if (d.isDivS && sq === 0 && aq >= 1n << 63n) return; // DivisionOverflow
    // |n|'s limbs with explicit carries na (as the AIR writes them)
    const raw = [0, 1, 2, 3].map((m) => Number((n >> BigInt(16 * m)) & 0xffffn));
    let nc = sn;
    const anLimbs: number[] = [];
    raw.forEach((x, m) => {
      const t = (sn ? 0xffff - x : x) + nc;
      anLimbs.push(t & 0xffff);
      nc = t >>> 16;
      if (m < 3) row[COL.na[m]!] = nc;
    });
    fillDiv64(row, h, an, ad, aq, ar, anLimbs);
    for (const x of [row, h]) { x[COL.sB] = sn; x[COL.sC] = sd; }
    // the lookups fillDiv64 made for the unsigned families are the same values (kk, rr, D)
    // |d|'s carries: ~d + 1 limb by limb
    const cLimb = (m: number): number => Number((dv >> BigInt(16 * m)) & 0xffffn);
    let cy = sd;
    const da: number[] = [];
    for (let m = 0; m < 4; m++) { const t = (sd ? 0xffff - cLimb(m) : cLimb(m)) + cy; cy = t >>> 16; da.push(cy); }
    row[COL.da0] = da[0]!; row[COL.da1] = da[1]!; row[COL.da2] = da[2]!;
    const rem = d.isRem === 1, rs = rem ? sn : sq;
    row[COL.sq] = sq;
    row[COL.rs] = rs;
    const res = rem ? ar : aq;
    const resLimb = (m: number): number => Number((res >> BigInt(16 * m)) & 0xffffn);
    [row, h].forEach((x, half) => { x[COL.res0] = resLimb(2 * half); x[COL.res1] = resLimb(2 * half + 1); });
    let e = rs;
    const outLimbs: number[] = [];
    for (let m = 0; m < 4; m++) {
      const t = (rs ? 0xffff - resLimb(m) : resLimb(m)) + e;
      outLimbs.push(t & 0xffff);
      e = t >>> 16;
      row[COL.ea[m]!] = e;
    }
    const tq = Number((aq >> 63n) & 1n);
    h[COL.tq] = tq;
    row[COL.ov] = tq * (1 - sq);
    look(outLimbs[0]!); look(outLimbs[1]!);
    look(outLimbs[2]!); look(outLimbs[3]!);
    const nHi = Number((n >> 32n) & 0xffffffffn), dHi = Number((dv >> 32n) & 0xffffffffn);
    look(2 * ((nHi >>> 16) - 0x8000 * sn));
    look(2 * ((dHi >>> 16) - 0x8000 * sd));
    look((Number((aq >> 56n) & 0xffn) - 128 * tq) * 512);
  };

  /** DIVU64/REMU64: q, d bytes and r limbs over the two rows, the convolution's limb carries, r < d. */
  const divU64Rows = (row: Uint32Array, h: Uint32Array, d: DecodedRow): void => {
    const word = (r: Uint32Array, k: 0 | 1): number => (k === 0 ? r[PC[0]!.v0]! + 65536 * r[PC[0]!.v1]! : r[COL.C0]! + 65536 * r[COL.C1]!);
    const n = BigInt(word(row, 0)) + (BigInt(word(h, 0)) << 32n), dv = BigInt(word(row, 1)) + (BigInt(word(h, 1)) << 32n);
    if (dv === 0n) return; // DivideByZero: the executor traps on this instruction
    fillDiv64(row, h, n, dv, n / dv, n % dv);
    void d;
  };

  /** The 64-bit division gadget on (magnitudes) n = q·d + r: bytes of q and d, limbs of r and d − r − 1, borrows
   *  and the identity's carries, with their lookups. */
  const fillDiv64 = (row: Uint32Array, h: Uint32Array, n: bigint, dv: bigint, q: bigint, r: bigint, nLimbsAir?: readonly number[]): void => {
    const qBytes = Array.from({ length: 8 }, (_, i) => Number((q >> BigInt(8 * i)) & 0xffn));
    const dBytes = Array.from({ length: 8 }, (_, i) => Number((dv >> BigInt(8 * i)) & 0xffn));
    const rLimbs = [0, 1, 2, 3].map((m) => Number((r >> BigInt(16 * m)) & 0xffffn));
    const dm1 = dv - r - 1n;
    const dLimbs = [0, 1, 2, 3].map((m) => Number((dm1 >> BigInt(16 * m)) & 0xffffn));
    [row, h].forEach((x, half) => {
      for (let i = 0; i < 4; i++) {
        const qb = qBytes[4 * half + i]!, db = dBytes[4 * half + i]!;
        x[COL.bb[i]!] = qb;
        x[COL.cb[i]!] = db;
        x[COL.n[i]!] = qb & db;
        and8[qb * 256 + db]!++;
      }
      x[COL.rr0] = rLimbs[2 * half]!;
      x[COL.rr1] = rLimbs[2 * half + 1]!;
      x[COL.D0] = dLimbs[2 * half]!;
      x[COL.D1] = dLimbs[2 * half + 1]!;
      for (const v of [rLimbs[2 * half]!, rLimbs[2 * half + 1]!, dLimbs[2 * half]!, dLimbs[2 * half + 1]!]) look(v);
    });
    // borrows of (d − r − 1) + r + 1 = d limb by limb: row 0's k0, k1; the hi row's cin (= row 0's k1) and k0
    const dLimb = (m: number): number => Number((dv >> BigInt(16 * m)) & 0xffffn);
    let carry = 1;
    const ks: number[] = [];
    for (let m = 0; m < 4; m++) {
      const t = dLimbs[m]! + rLimbs[m]! + carry;
      if ((t & 0xffff) !== dLimb(m)) throw new VmAirError("TraceError", "div64: remainder borrow chain");
      carry = t >>> 16;
      ks.push(carry);
    }
    row[COL.k0] = ks[0]!;
    row[COL.k1] = ks[1]!;
    h[COL.cin] = ks[1]!;
    h[COL.k0] = ks[2]!;
    // the product's limbs with r added: carries kk (row 0)
    const conv = (k: number): number => { let e = 0; for (let i = 0; i < 8; i++) { const j = k - i; if (j >= 0 && j < 8) e += qBytes[i]! * dBytes[j]!; } return e; };
    // n's limbs as the AIR writes them (for a signed division: ~n's limbs, + 1 on the lowest, not carried)
    const nLimb = (m: number): number => nLimbsAir?.[m] ?? Number((n >> BigInt(16 * m)) & 0xffffn);
    let c = 0;
    for (let m = 0; m < 4; m++) {
      const t = conv(2 * m) + 256 * conv(2 * m + 1) + rLimbs[m]! + c;
      if ((t - nLimb(m)) % 65536 !== 0) throw new VmAirError("TraceError", "div64: identity limb mismatch");
      c = (t - nLimb(m)) / 65536;
      if (m < 3) { row[COL.kk[m]!] = c; look(c); look(c * 4); }
    }
  };

  /** MUL64: the lo words' product on row 0, the hi words' bytes on the hi row, the hi word's carries. */
  const mul64Rows = (row: Uint32Array, h: Uint32Array): void => {
    const w = (r: Uint32Array, k: 0 | 1): number => (k === 0 ? r[PC[0]!.v0]! + 65536 * r[PC[0]!.v1]! : r[COL.C0]! + 65536 * r[COL.C1]!);
    bytesAndProduct(row, true, w(row, 0), w(row, 1));
    bytesAndProduct(h, false, w(h, 0), w(h, 1));
    const bl = COL.bb.map((j) => row[j]!), cl = COL.cb.map((j) => row[j]!), bh = COL.bb.map((j) => h[j]!), ch = COL.cb.map((j) => h[j]!);
    const cross = (sum: number): number => { let e = 0; for (let i = 0; i < 4; i++) { const j = sum - i; if (j >= 0 && j < 4) e += bl[i]! * ch[j]! + bh[i]! * cl[j]!; } return e; };
    const A = cross(0) + 256 * cross(1) + row[COL.P[2]!]!;
    const mca = Math.floor(A / 65536);
    const Bv = cross(2) + 256 * cross(3) + row[COL.P[3]!]! + mca;
    const mcb = Math.floor(Bv / 65536);
    row[COL.mca] = mca;
    row[COL.mcb] = mcb;
    look(mca); look(mca * 32); look(mcb); look(mcb * 16);
    look(A & 0xffff); look(Bv & 0xffff); // the hi row's result limbs (MEMWF)
  };

  /** 64-bit shifts: the amount on row 0, X = B'lo·W there and Y = B'hi·W on the hi row, both result words. */
  const shift64Rows = (row: Uint32Array, h: Uint32Array, d: DecodedRow): void => {
    const c0 = row[COL.C0]!;
    const n = c0 & 63, s = n & 31, hb = n >>> 5, t = c0 >>> 6;
    const z = s === 0 ? 1 : 0;
    row[COL.shs] = s;
    row[COL.sht] = t;
    row[COL.h64] = hb;
    row[COL.hz] = hb * z;
    zeroTest(row, s);
    const key = d.shDir ? (32 - s) % 32 : s;
    pow2[key]!++;
    const w = 2 ** key;
    const Blo = row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!, Bhi = h[PC[0]!.v0]! + 65536 * h[PC[0]!.v1]!;
    const sB = Bhi >>> 31, neg = d.fSar64 && sB ? 1 : 0;
    for (const r of [row, h]) {
      r[COL.W0] = lo(w);
      r[COL.W1] = hi(w);
      r[COL.sB] = sB;
      r[COL.neg] = neg;
    }
    bytesAndProduct(row, true, neg ? 0xffffffff - Blo : Blo, w);
    bytesAndProduct(h, true, neg ? 0xffffffff - Bhi : Bhi, w);
    const P = (r: Uint32Array, k: number): number => r[COL.P[k]!]!;
    const word = { Xlo: [P(row, 0), P(row, 1)], Xhi: [P(row, 2), P(row, 3)], Ylo: [P(h, 0), P(h, 1)], Yhi: [P(h, 2), P(h, 3)] } as const;
    const nn = (1 - hb) * (1 - z), zNotH = z * (1 - hb), hNotZ = hb * (1 - z), hzv = hb * z;
    type T = readonly [keyof typeof word, number];
    const [lo_, hi_]: [T[], T[]] = d.fShl64 ? [[["Xlo", 1 - hb]], [["Xhi", 1 - hb], ["Ylo", 1 - hb], ["Xlo", hb]]]
      : d.fShr64 || d.fSar64 ? [[["Xhi", nn], ["Ylo", nn], ["Xlo", zNotH], ["Yhi", hb], ["Ylo", hzv]], [["Yhi", 1 - hb], ["Ylo", zNotH]]]
      : d.fRotl64 ? [[["Xlo", 1 - hb], ["Yhi", 1 - hb], ["Ylo", hb], ["Xhi", hb]], [["Ylo", 1 - hb], ["Xhi", 1 - hb], ["Xlo", hb], ["Yhi", hb]]]
      : [[["Xhi", nn], ["Ylo", nn], ["Xlo", zNotH], ["Yhi", hNotZ], ["Xlo", hNotZ], ["Ylo", hzv]], [["Yhi", nn], ["Xlo", nn], ["Ylo", zNotH], ["Xhi", hNotZ], ["Ylo", hNotZ], ["Xlo", hzv]]];
    const sum = (ts: T[], limb: number): number => ts.reduce((a, [wd, k]) => a + k * word[wd][limb]!, 0);
    for (const limb of [0, 1]) {
      row[limb === 0 ? COL.D0 : COL.D1] = sum(lo_, limb);
      h[limb === 0 ? COL.D0 : COL.D1] = sum(hi_, limb);
    }
    look(s * 2 ** 11);
    look(t);
    look(t * 64);
    look(2 * ((Bhi >>> 16) - 0x8000 * sB));
  };

  /** SHIFT by C mod 32: amount split, POW2 multiplier, the product (of ~B for a negative SHRS), the words. */
  const shiftRow = (row: Uint32Array, d: DecodedRow, c0: number): void => {
    const s = c0 & 31, t = c0 >>> 5;
    row[COL.shs] = s;
    row[COL.sht] = t;
    zeroTest(row, s);
    const key = d.shDir ? (32 - s) % 32 : s;
    pow2[key]!++;
    const w = 2 ** key;
    row[COL.W0] = lo(w);
    row[COL.W1] = hi(w);
    const b1 = row[PC[0]!.v1]!, sB = b1 >>> 15;
    row[COL.sB] = sB;
    const B = row[PC[0]!.v0]! + 65536 * b1;
    const neg = d.fShiftA === 1 && sB === 1;
    bytesAndProduct(row, true, neg ? 0xffffffff - B : B, w);
    const shl = d.shLo + (d.shR && s === 0 ? 1 : 0), shh = d.shHi - (d.shR && s === 0 ? 1 : 0);
    row[COL.shl] = shl;
    row[COL.shh] = shh;
    const D0 = shl * row[COL.P[0]!]! + shh * row[COL.P[2]!]!, D1 = shl * row[COL.P[1]!]! + shh * row[COL.P[3]!]!;
    row[COL.D0] = D0;
    row[COL.D1] = D1;
    look(s * 2 ** 11);
    look(t);
    look(t * 32);
    if (d.fShiftA) look(2 * (b1 - 0x8000 * sB));
  };

  /** BYTES: the bytes of B and C with one AND8 lookup per pair; MUL: the 64-bit product's limbs and carries. */
  const bytesAndProduct = (row: Uint32Array, mul: boolean, factorB?: number, factorC?: number, productLookups = true): void => {
    const B = factorB ?? row[PC[0]!.v0]! + 65536 * row[PC[0]!.v1]!, C = factorC ?? row[COL.C0]! + 65536 * row[COL.C1]!;
    const bb = [0, 8, 16, 24].map((sh) => Math.floor(B / 2 ** sh) & 0xff), cb = [0, 8, 16, 24].map((sh) => Math.floor(C / 2 ** sh) & 0xff);
    for (let i = 0; i < 4; i++) {
      row[COL.bb[i]!] = bb[i]!;
      row[COL.cb[i]!] = cb[i]!;
      row[COL.n[i]!] = bb[i]! & cb[i]!;
      and8[bb[i]! * 256 + cb[i]!]!++;
    }
    if (!mul) return;
    const conv = (sum: number): number => { let e = 0; for (let i = 0; i < 4; i++) { const j = sum - i; if (j >= 0 && j < 4) e += bb[i]! * cb[j]!; } return e; };
    let carry = 0;
    for (let m = 0; m < 4; m++) {
      const t = conv(2 * m) + 256 * conv(2 * m + 1) + carry;
      row[COL.P[m]!] = t & 0xffff;
      if (productLookups) look(t & 0xffff);
      carry = Math.floor(t / 65536);
      if (m < 3) {
        row[COL.kk[m]!] = carry;
        if (productLookups) { look(carry); look(carry * 4); }
      } else if (carry !== 0) throw new VmAirError("TraceError", "product carry out of 64 bits");
    }
  };

  /** LOAD8U/LOAD16U/STORE8: ea by the add gadget, the word's bytes, the selected byte(s), the new word. */
  const subWordAccess = (m: Machine, row: Uint32Array, d: DecodedRow, clk: number, c0: number, c1: number): void => {
    const b0 = row[PC[0]!.v0]!, b1 = row[PC[0]!.v1]!;
    const k0 = (b0 + c0) >>> 16;
    const e0 = (b0 + c0) & 0xffff, e1 = b1 + c1 + k0;
    const ea = e0 + 65536 * e1;
    const size = (d.fLdB && d.ld16) || (d.fStB && d.st16) ? 2 : 1;
    if (ea + size > m.memory.length) return; // out of bounds: the executor traps on this very instruction
    const off = ea & 3;
    if (off + size > 4) throw new VmAirError("TraceError", `pc ${m.pc}: a 16-bit access at address ${ea} spans two words (this VM AIR proves sub-word accesses within one word)`);
    row[COL.k0] = k0;
    row[COL.E0] = e0;
    row[COL.E1] = e1;
    row[COL.q] = e0 >>> 2;
    row[COL.o[off]!] = 1;
    const addr = MEM_BASE + Math.floor(ea / 4);
    const prev = (memory.get(addr) ?? initCell(addr)).v;
    const actual = new DataView(m.memory.buffer, m.memory.byteOffset, m.memory.byteLength).getUint32(ea - off, true);
    if (prev !== actual) throw new VmAirError("TraceError", `memory word at ${ea - off} holds ${actual}, the trace last wrote ${prev}`);
    const bytes = [prev & 0xff, (prev >>> 8) & 0xff, (prev >>> 16) & 0xff, prev >>> 24];
    bytes.forEach((x, j) => (row[COL.m[j]!] = x));
    row[COL.byte] = bytes[off]!;
    for (const x of bytes) { look(x); look(x * 256); }
    if (d.fLdB) {
      row[COL.byte2] = off < 3 ? bytes[off + 1]! : 0;
      const top = d.ld16 ? row[COL.byte2]! : bytes[off]!, sB = top >>> 7;
      row[COL.top] = top;
      row[COL.sB] = sB;
      row[COL.sx] = d.sgnLd ? sB : 0;
      look((top - 128 * sB) * 512);
      access(row, 3, addr, prev, 4 * clk + PORT_PHASE[3]! + 1);
    } else {
      const v = d.valAlias ? b0 + 65536 * b1 : row[PC[1]!.v0]! + 65536 * row[PC[1]!.v1]!;
      const nb = v & 0xff, fx = (v >>> 8) & 0xff;
      row[COL.nb] = nb;
      row[COL.fx] = fx;
      look(nb); look(nb * 256); look(fx); look(fx * 256);
      let word = (prev & ~(0xff << (8 * off))) | (nb << (8 * off));
      row[COL.byte2] = off < 3 ? bytes[off + 1]! : 0;
      if (d.st16) {
        word = (word & ~(0xff << (8 * (off + 1)))) | (fx << (8 * (off + 1)));
        const e2 = fx - row[COL.byte2]!;
        row[COL.e2] = e2 < 0 ? FIELD_P + e2 : e2;
      }
      access(row, 3, addr, word >>> 0, 4 * clk + PORT_PHASE[3]! + 2);
    }
    look(e0 >>> 2);
    look(e0 & ~3);
    look(m.memory.length / 65536 - 1 - e1);
  };

  const zeroTest = (row: Uint32Array, s: number): void => {
    row[COL.S] = s;
    row[COL.z] = s === 0 ? 1 : 0;
    row[COL.inv] = s === 0 ? 0 : inv(s);
  };

  /** MEMCOPY: the head's witnesses, then per byte a read row (src) and a write row (dst) in one cycle. */
  const copyRows = (m: Machine, head: Uint32Array, clk: number): void => {
    const dst = head[PC[0]!.v0]! + 65536 * head[PC[0]!.v1]!, len = head[COL.C0]! + 65536 * head[COL.C1]!;
    const src = head[PC[2]!.v0]! + 65536 * head[PC[2]!.v1]!;
    const memBytes = m.memory.length;
    if (dst + len > memBytes || src + len > memBytes) return; // the executor traps on this very instruction
    if (memBytes > MAX_PROVABLE_PAGES * 65536) throw new VmAirError("TraceError", `pc ${m.pc}: memory of ${memBytes} bytes exceeds what the VM AIR proves`);
    const dir = dst > src ? 1 : 0;
    head[COL.bn] = len;
    head[COL.dir] = dir;
    const fe = (x: number): number => (x < 0 ? FIELD_P + x : x);
    head[COL.bp] = fe(dir ? dst + len : dst - 1);
    head[COL.bq] = fe(dir ? src + len : src - 1);
    const room = memBytes - dst, roomS = memBytes - src, gap = dir ? dst - src - 1 : src - dst;
    head[COL.D0] = lo(room); head[COL.D1] = hi(room);
    head[COL.rr0] = lo(roomS); head[COL.rr1] = hi(roomS);
    head[COL.E0] = lo(gap); head[COL.E1] = hi(gap);
    if (dst >= MAX_CHECKED_PTR || src >= MAX_CHECKED_PTR) throw new VmAirError("TraceError", `pc ${m.pc}: MEMCOPY pointers from 768 MiB up are not provable`);
    for (const x of [((dst >>> 16) + PTR_HI_SLACK) * 4, head[COL.C1]! * 4, lo(room), hi(room) * 4, ((src >>> 16) + PTR_HI_SLACK) * 4, lo(roomS), hi(roomS) * 4, lo(gap), hi(gap) * 4]) look(x);
    zeroTest(head, len);
    // the bytes as the executor copies them (through a temporary buffer): the direction makes every read see
    // an original byte, which the trace checks
    const original = m.memory.slice(src, src + len);
    for (let i = 0; i < len; i++) {
      const k = dir ? len - 1 - i : i;
      const cyc = clk + 1 + i;
      const rd = byteRow(m, cyc, src + k, len - 1 - i, { bCr: 1, dir }, (old) => old, 1);
      const byte = rd[COL.byte]!;
      if (byte !== original[k]) throw new VmAirError("TraceError", `MEMCOPY read ${byte} at ${src + k}, the original byte is ${original[k]}`);
      rd[COL.bq] = src + k;
      rd[COL.bp] = fe(dir ? dst + len - i : dst + i - 1);
      const wr = byteRow(m, cyc, dst + k, len - 1 - i, { bCw: 1, dir, fill: byte }, () => byte, 2);
      wr[COL.bq] = src + k;
      wr[COL.bp] = dst + k;
    }
  };

  /** One byte row at address a of cycle cyc: port 3 reads the word (phase 1) or writes it with the byte replaced
   *  by newByte(old) (phase 2); the byte-row witnesses and lookups. */
  const byteRow = (m: Machine, cyc: number, a: number, bnAfter: number, kind: { bRd?: number; bFl?: number; bCr?: number; bCw?: number; dir?: number; fill?: number }, newByte: (old: number) => number, phase: 1 | 2): Uint32Array => {
    const row = newRow(m.pc, m.fp, cyc);
    row[COL.fByte] = 1;
    row[COL.en3] = 1;
    row[COL.wr3] = phase === 2 ? 1 : 0;
    if (kind.bRd) row[COL.bRd] = 1;
    if (kind.bFl) row[COL.bFl] = 1;
    if (kind.bCr) row[COL.bCr] = 1;
    if (kind.bCw) row[COL.bCw] = 1;
    row[COL.dir] = kind.dir ?? 0;
    if (kind.fill !== undefined) row[COL.fill] = kind.fill;
    row[COL.bn] = bnAfter;
    zeroTest(row, bnAfter);
    row[COL.bp] = a;
    const e0 = a & 0xffff, e1 = a >>> 16, off = a & 3;
    row[COL.E0] = e0;
    row[COL.E1] = e1;
    row[COL.q] = e0 >>> 2;
    row[COL.o[off]!] = 1;
    const addr = MEM_BASE + (a >>> 2);
    const prev = (memory.get(addr) ?? initCell(addr)).v;
    const bytes = [prev & 0xff, (prev >>> 8) & 0xff, (prev >>> 16) & 0xff, prev >>> 24];
    bytes.forEach((x, j) => (row[COL.m[j]!] = x));
    const old = bytes[off]!;
    // every byte row sees the byte as it was before the instruction (MEMCOPY's direction guarantees it for its
    // reads), so the trace must agree with the machine, which has not run the instruction yet
    if (old !== m.memory[a]) throw new VmAirError("TraceError", `memory byte at ${a} holds ${m.memory[a]}, the trace last wrote ${old}`);
    const nb = newByte(old);
    row[COL.byte] = old;
    row[COL.nb] = nb;
    const word = phase === 2 ? (prev & ~(0xff << (8 * off))) | (nb << (8 * off)) : prev;
    access(row, 3, addr, word >>> 0, 4 * cyc + phase + 1);
    for (const x of bytes) { look(x); look(x * 256); }
    look(nb);
    look(nb * 256);
    look(e0 >>> 2);
    look(e0 & ~3);
    look(e1);
    look(m.memory.length / 65536 - 1 - e1);
    rows.push(row);
    return row;
  };

  /** READ/COMMIT: the head row's witnesses and one byte row per byte (docs/vm-air.md §9 BULK, as CPU rows). */
  const bulkRows = (m: Machine, head: Uint32Array, d: DecodedRow, clk: number): void => {
    const b0 = head[PC[0]!.v0]!, b1 = head[PC[0]!.v1]!;
    const ptr = b0 + 65536 * b1, len = head[COL.C0]! + 65536 * head[COL.C1]!;
    const memBytes = m.memory.length;
    const read = d.fRead === 1, fill = d.fFill === 1;
    // out of bounds or past the input: the executor traps on this very instruction (no receipt)
    if (ptr + len > memBytes || (read && len > m.io.input.remaining())) return;
    const fillByte = head[PC[2]!.v0]! & 0xff;
    if (fill) {
      // the value's low limb as two bytes; the low one is the fill byte, carried to every byte row
      const fx = head[PC[2]!.v0]! >>> 8;
      head[COL.fill] = fillByte;
      head[COL.fx] = fx;
    }
    if (memBytes > MAX_PROVABLE_PAGES * 65536) throw new VmAirError("TraceError", `pc ${m.pc}: memory of ${memBytes} bytes exceeds what the VM AIR proves`);
    head[COL.bn] = len;
    head[COL.bp] = ptr === 0 ? FIELD_P - 1 : ptr - 1;
    const room = memBytes - ptr;
    head[COL.D0] = lo(room);
    head[COL.D1] = hi(room);
    if (ptr >= MAX_CHECKED_PTR) throw new VmAirError("TraceError", `pc ${m.pc}: pointer ${ptr} from 768 MiB up is not provable for READ/COMMIT/MEMFILL`);
    look((b1 + PTR_HI_SLACK) * 4);
    look(head[COL.C1]! * 4);
    look(lo(room));
    look(hi(room) * 4);
    if (fill) for (const x of [fillByte, head[COL.fx]!]) { look(x); look(x * 256); }
    zeroTest(head, len);
    const inputAt = m.io.input.position;
    for (let i = 0; i < len; i++) {
      const nb = (old: number): number => (read ? m.io.input.bytes[inputAt + i]! : fill ? fillByte : old);
      byteRow(m, clk + 1 + i, ptr + i, len - 1 - i, { bRd: read ? 1 : 0, bFl: fill ? 1 : 0, fill: fill ? fillByte : 0 }, nb, read || fill ? 2 : 1);
      if (read) inRem--;
      else if (!fill) jpos++;
    }
  };

  /** LOAD32/STORE32: effective address limbs, alignment and bounds witnesses, and the memory word on port 3. */
  const memoryAccess = (m: Machine, row: Uint32Array, d: DecodedRow, clk: number, c0: number, c1: number): void => {
    const b0 = row[PC[0]!.v0]!, b1 = row[PC[0]!.v1]!;
    const k0 = (b0 + c0) >>> 16;
    const e0 = (b0 + c0) & 0xffff, e1 = b1 + c1 + k0;
    const ea = e0 + 65536 * e1;
    if (ea + 4 > m.memory.length) return; // out of bounds: the executor traps on this very instruction
    // the executor traps when ea + 4 exceeds memory, so here ea < 2^32 and e1 < pages
    if (ea % 4 !== 0) throw new VmAirError("TraceError", `pc ${m.pc}: unaligned ${d.fLoad ? "LOAD32" : "STORE32"} at address ${ea} (this VM AIR proves aligned word accesses only)`);
    row[COL.k0] = k0;
    row[COL.E0] = e0;
    row[COL.E1] = e1;
    row[COL.q] = e0 >>> 2;
    look(e0 >>> 2);
    look(e0);
    look(m.memory.length / 65536 - 1 - e1);
    const addr = MEM_BASE + ea / 4;
    const actual = new DataView(m.memory.buffer, m.memory.byteOffset, m.memory.byteLength).getUint32(ea, true);
    const known = (memory.get(addr) ?? initCell(addr)).v;
    if (known !== actual) throw new VmAirError("TraceError", `memory word at ${ea} holds ${actual}, the trace last wrote ${known}`);
    if (d.fLoad) access(row, 3, addr, actual, 4 * clk + PORT_PHASE[3]! + 1);
    else {
      const v = d.valAlias ? b0 + 65536 * b1 : row[PC[1]!.v0]! + 65536 * row[PC[1]!.v1]!;
      access(row, 3, addr, v, 4 * clk + PORT_PHASE[3]! + 2);
    }
  };

  // The driver: one instruction per step; after its rows exist, decide whether it starts a new segment. The rows of
  // the segment it closes are complete: their pending writes were resolved when this instruction's step began.
  const steps = executeStepwise(program, input, { maxCycles });
  for (;;) {
    const r = steps.next();
    if (r.done === true) {
      if (pending.length > 0) throw new VmAirError("TraceError", "the run ended with an unresolved write");
      yield { rows, dot, axpy, sha };
      return { memory, fetches, range, and8, pow2, byteprop, calls, exitCode: r.value.exitCode, cycles: r.value.cycles, journal: r.value.journal };
    }
    // the buffers hold the current segment's rows: a table past the limit after this step closes it before the step
    const r0 = rows.length, d0 = dot.length, a0 = axpy.length, s0 = sha.length;
    step(r.value);
    if (r0 > 0 && (rows.length > limit || dot.length > limit || axpy.length > limit || sha.length > limit)) {
      yield { rows: rows.slice(0, r0), dot: dot.slice(0, d0), axpy: axpy.slice(0, a0), sha: sha.slice(0, s0), next: rows[r0]! };
      rows = rows.slice(r0);
      dot = dot.slice(d0);
      axpy = axpy.slice(a0);
      sha = sha.slice(s0);
    }
  }
}

/** Column-major CPU trace padded with all-zero rows (is_real = 0) to a power of two ≥ MIN_TABLE_HEIGHT. */
export function cpuColumns(rows: readonly Uint32Array[]): Uint32Array[] {
  let n = MIN_TABLE_HEIGHT;
  while (n < rows.length) n *= 2;
  const cols = transpose(rows, CPU_WIDTH, n);
  cols[COL.isFirst]![0] = 1;
  return cols;
}
