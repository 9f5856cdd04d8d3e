// The interpreter: one Machine holds the whole state of a run (pc, fp, cycle count, frame stack,
// linear memory, I/O) and `run(stopAt)` executes instructions until the guest halts, traps, or the
// cycle count reaches `stopAt`. Fast mode calls run(∞) once; tracing calls it one instruction at a
// time (execute.ts) and checkpointing once per interval (checkpoints.ts), so the hot loop carries no
// tracing code at all.
//
// Hot-loop design: state lives in locals, code is an Int32Array view, slots an Int32Array, memory a
// Uint8Array + DataView pair sized exactly to the current memory (so bounds checks are one compare),
// dispatch is a dense switch on literal opcodes (the literals are the ISA's; test/executor.test.ts
// checks every ISA opcode is implemented), i64 values are slot pairs handled with number arithmetic;
// BigInt appears only in 64-bit div/rem with operands outside the 32-bit range.

import { VmError, isVmError } from "../errors.ts";
import { axpy, dot, fxmul, sha256Compress } from "../intrinsics.ts";
import { HostIo, abortError, decodeLog, type LogSink } from "../host-io.ts";
import { WASM_PAGE_BYTES, type Program } from "../program.ts";
import { BASE_CYCLES, analyzeProgram, type ProgramLayout } from "./layout.ts";

const TWO32 = 4294967296;

/** Default cycle limit: 2^32 rows (a run this long takes over a minute even in fast mode). */
export const DEFAULT_MAX_CYCLES = 2 ** 32;
/** Default call-depth limit (the issue asks for at least 10,000 frames). */
export const DEFAULT_MAX_CALL_DEPTH = 100_000;
/** Default frame-stack size limit in slots (2^25 slots = 128 MiB). */
export const DEFAULT_MAX_SLOTS = 2 ** 25;
/** Executor-side cap on linear memory: 16384 pages = 1 GiB (the program's own maximum applies too). */
export const DEFAULT_MAX_MEMORY_PAGES = 16384;

export interface MachineOptions {
  maxCycles?: number;
  log?: LogSink;
  maxCallDepth?: number;
  maxSlots?: number;
  maxMemoryPages?: number;
}

function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function big64(lo: number, hi: number): bigint {
  return (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0);
}

/** Complete machine state at an instruction boundary (see Machine.snapshot). */
export interface MachineSnapshot {
  readonly pc: number;
  readonly fp: number;
  readonly cycles: number;
  readonly depth: number;
  readonly halted: boolean;
  readonly exitCode: number;
  readonly slots: Int32Array;
  readonly memory: Uint8Array;
  readonly inputPosition: number;
  readonly journal: Uint8Array;
}

export class Machine {
  readonly program: Program;
  readonly layout: ProgramLayout;
  readonly io: HostIo;
  readonly maxCycles: number;
  readonly maxCallDepth: number;
  readonly maxSlots: number;
  readonly maxPages: number;

  pc: number;
  fp: number;
  cycles = 0;
  /** Current call depth (CALL/CALLI +1, RET −1). */
  depth = 0;
  /** True after EXIT or a trap (then `error` is set). */
  halted = false;
  exitCode = 0;
  /** The trap that ended the run, if it ended with one. */
  error: VmError | undefined = undefined;

  /** Frame stack: globals at [0, globalSlots), frames above. Grows on demand up to maxSlots. */
  slots: Int32Array;
  /** Linear memory; `memory.length` is always the current size (pages · 64 KiB). */
  memory: Uint8Array;
  view: DataView;
  /** Backing store, capacity ≥ memory.length; bytes past memory.length are always zero. */
  private backing: ArrayBuffer;
  private readonly code: Int32Array;

  constructor(program: Program, input: Uint8Array, opts: MachineOptions = {}) {
    this.program = program;
    this.layout = analyzeProgram(program);
    this.io = new HostIo(input, opts.log);
    this.maxCycles = opts.maxCycles ?? DEFAULT_MAX_CYCLES;
    this.maxCallDepth = opts.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH;
    this.maxSlots = opts.maxSlots ?? DEFAULT_MAX_SLOTS;
    this.maxPages = Math.min(program.memory.maxPages, opts.maxMemoryPages ?? DEFAULT_MAX_MEMORY_PAGES);
    const c = program.code;
    this.code = new Int32Array(c.buffer, c.byteOffset, c.length);
    this.pc = program.entryPc;
    this.fp = program.globalSlots;
    const want = program.globalSlots + this.layout.slotReach;
    if (want > this.maxSlots) throw new VmError("InvalidImage", `instructions address slots up to ${want}, beyond the frame-stack limit of ${this.maxSlots}`);
    this.slots = new Int32Array(Math.min(this.maxSlots, Math.max(1 << 16, want * 2)));
    this.slots.set(new Int32Array(program.globalsInit.buffer, program.globalsInit.byteOffset, program.globalsInit.length));
    const bytes = program.memory.initialPages * WASM_PAGE_BYTES;
    if (program.memory.initialPages > this.maxPages) {
      throw new VmError("InvalidImage", `initial memory of ${program.memory.initialPages} pages exceeds the limit of ${this.maxPages}`);
    }
    // Capacity for one doubling up front: the first memory.grow of a guest with a big data segment (the MNIST image:
    // 55 MB) otherwise copied the whole memory into a fresh buffer on every run. Untouched capacity costs no memory
    // (a large zeroed allocation is mapped lazily).
    this.backing = new ArrayBuffer(Math.min(this.maxPages * WASM_PAGE_BYTES, Math.max(2 * bytes, WASM_PAGE_BYTES)));
    this.memory = new Uint8Array(this.backing, 0, bytes);
    this.view = new DataView(this.backing, 0, bytes);
    for (const seg of program.segments) {
      if (seg.addr + seg.bytes.length > bytes) {
        throw new VmError("InvalidImage", `segment at ${seg.addr} (${seg.bytes.length} bytes) outside initial memory`);
      }
      this.memory.set(seg.bytes, seg.addr);
    }
  }

  /**
   * A copy of the complete state at the current instruction boundary. With the program and the
   * input bytes it is enough to resume (Machine.restore), so a prover can replay any window of a run.
   */
  snapshot(): MachineSnapshot {
    return {
      pc: this.pc,
      fp: this.fp,
      cycles: this.cycles,
      depth: this.depth,
      halted: this.halted,
      exitCode: this.exitCode,
      slots: this.slots.slice(0, Math.min(this.slots.length, this.fp + this.layout.slotReach)),
      memory: this.memory.slice(),
      inputPosition: this.io.input.position,
      journal: this.io.journal.bytes(),
    };
  }

  /** Rebuilds a machine in the state of `snap` (taken from a run of the same program and input). */
  static restore(program: Program, input: Uint8Array, snap: MachineSnapshot, opts: MachineOptions = {}): Machine {
    const m = new Machine(program, input, opts);
    m.pc = snap.pc;
    m.fp = snap.fp;
    m.cycles = snap.cycles;
    m.depth = snap.depth;
    m.halted = snap.halted;
    m.exitCode = snap.exitCode;
    if (!m.ensureSlots(snap.slots.length)) throw new VmError("CallStackOverflow", "snapshot frame stack exceeds the slot limit");
    m.slots.fill(0);
    m.slots.set(snap.slots);
    const pages = snap.memory.length / WASM_PAGE_BYTES;
    const cur = m.memory.length / WASM_PAGE_BYTES;
    if (pages > cur && m.growMemory(pages - cur) < 0) throw new VmError("InvalidImage", "snapshot memory exceeds the memory limit");
    m.memory.set(snap.memory);
    m.io.input.position = snap.inputPosition;
    m.io.journal.commit(snap.journal, 0, snap.journal.length);
    return m;
  }

  /** memory.grow: returns the old size in pages or −1. New pages are zero. */
  growMemory(deltaPages: number): number {
    const oldPages = this.memory.length / WASM_PAGE_BYTES;
    const newPages = oldPages + deltaPages;
    if (newPages > this.maxPages) return -1;
    const newBytes = newPages * WASM_PAGE_BYTES;
    if (newBytes > this.backing.byteLength) {
      // Double the capacity so that page-by-page growth stays amortised O(total size).
      let cap = Math.max(this.backing.byteLength * 2, WASM_PAGE_BYTES);
      while (cap < newBytes) cap *= 2;
      cap = Math.min(cap, this.maxPages * WASM_PAGE_BYTES);
      let next: ArrayBuffer;
      try {
        next = new ArrayBuffer(cap);
      } catch {
        return -1; // host out of memory: behave like WASM's failed grow
      }
      new Uint8Array(next).set(this.memory);
      this.backing = next;
    }
    this.memory = new Uint8Array(this.backing, 0, newBytes);
    this.view = new DataView(this.backing, 0, newBytes);
    return oldPages;
  }

  /** Makes sure slots [0, need) exist; false if that exceeds maxSlots. */
  private ensureSlots(need: number): boolean {
    if (need <= this.slots.length) return true;
    if (need > this.maxSlots) return false;
    let cap = this.slots.length * 2;
    while (cap < need) cap *= 2;
    const next = new Int32Array(Math.min(cap, this.maxSlots));
    next.set(this.slots);
    this.slots = next;
    return true;
  }

  private trap(kind: VmError["kind"], message: string, extra: Record<string, string | number> = {}): VmError {
    return new VmError(kind, message, extra);
  }

  /**
   * Runs until halt (returns true), or until `cycles ≥ stopAt` at an instruction boundary (returns
   * false). Throws VmError on a trap, with pc = the faulting instruction and cycles = the rows
   * completed before it; the machine is then dead: `error` holds the trap and further runs rethrow it.
   */
  run(stopAt: number = Infinity): boolean {
    if (this.error !== undefined) throw this.error;
    if (this.halted) return true;
    const code = this.code;
    const maxCycles = this.maxCycles;
    const reach = this.layout.slotReach;
    let s = this.slots;
    let u8 = this.memory;
    let dv = this.view;
    let memSize = u8.length;
    let pc = this.pc;
    let fp = this.fp;
    let cycles = this.cycles;
    let before = cycles;
    try {
      for (;;) {
        if (cycles >= stopAt) {
          this.pc = pc;
          this.fp = fp;
          this.cycles = cycles;
          return false;
        }
        const w = pc << 2;
        const op = code[w]!;
        const a = code[w + 1]!;
        const b = code[w + 2]!;
        const c = code[w + 3]!;
        before = cycles;
        cycles += BASE_CYCLES[op & 255]!;
        if (cycles > maxCycles) {
          cycles = before;
          throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles });
        }
        switch (op) {
          // ---- control ----
          case 0x01: // TRAP
            throw this.trap("Unreachable", "unreachable executed");
          case 0x02: // JMP
            pc = a;
            continue;
          case 0x03: // BRNZ
            pc = s[fp + a] !== 0 ? b : pc + 1;
            continue;
          case 0x04: // BRZ
            pc = s[fp + a] === 0 ? b : pc + 1;
            continue;
          case 0x05: {
            // BRTABLE
            const i = s[fp + a]! >>> 0;
            pc = pc + 1 + (i < b >>> 0 ? i : b >>> 0);
            continue;
          }
          case 0x06: {
            // CALL
            if (++this.depth > this.maxCallDepth) {
              this.depth--;
              throw this.trap("CallStackOverflow", `call depth exceeds ${this.maxCallDepth}`, { maxCallDepth: this.maxCallDepth });
            }
            const nfp = fp + b;
            if (nfp + reach > s.length) {
              if (!this.ensureSlots(nfp + reach)) {
                this.depth--;
                throw this.trap("CallStackOverflow", `frame stack exceeds ${this.maxSlots} slots`, { maxSlots: this.maxSlots });
              }
              s = this.slots;
            }
            s[nfp + c] = pc + 1;
            s[nfp + c + 1] = fp;
            fp = nfp;
            pc = a;
            continue;
          }
          case 0x07: {
            // CALLI
            const idx = s[fp + a]! >>> 0;
            const L = this.layout;
            if (idx >= L.tablePc.length) {
              throw this.trap("IndirectCallMismatch", `call_indirect: table index ${idx} out of range (table size ${L.tablePc.length})`, { tableIndex: idx });
            }
            const target = L.tablePc[idx]!;
            if (target < 0) throw this.trap("IndirectCallMismatch", `call_indirect: table entry ${idx} is null`, { tableIndex: idx });
            if (L.tableSig[idx] !== c) {
              const sigs = this.program.signatures;
              throw this.trap(
                "IndirectCallMismatch",
                `call_indirect: signature mismatch at table entry ${idx}: expected ${sigs[c] ?? c}, found ${sigs[L.tableSig[idx]!] ?? L.tableSig[idx]}`,
                { tableIndex: idx },
              );
            }
            if (++this.depth > this.maxCallDepth) {
              this.depth--;
              throw this.trap("CallStackOverflow", `call depth exceeds ${this.maxCallDepth}`, { maxCallDepth: this.maxCallDepth });
            }
            const nfp = fp + b;
            if (nfp + reach > s.length) {
              if (!this.ensureSlots(nfp + reach)) {
                this.depth--;
                throw this.trap("CallStackOverflow", `frame stack exceeds ${this.maxSlots} slots`, { maxSlots: this.maxSlots });
              }
              s = this.slots;
            }
            const save = L.tableSave[idx]!;
            s[nfp + save] = pc + 1;
            s[nfp + save + 1] = fp;
            fp = nfp;
            pc = target;
            continue;
          }
          case 0x08: {
            // RET
            if (this.depth === 0) throw this.trap("InvalidInstruction", "return with an empty call stack");
            // A well-formed program always restores a valid caller fp; a corrupt one must not make the
            // loop index outside the frame stack.
            const rfp = s[fp + a + 1]!;
            if (rfp < this.program.globalSlots || rfp + reach > s.length) {
              throw this.trap("InvalidInstruction", `return restores an invalid frame pointer ${rfp}`);
            }
            this.depth--;
            pc = s[fp + a]!;
            fp = rfp;
            continue;
          }
          // ---- moves and globals ----
          case 0x10: // MOV
            s[fp + a] = s[fp + b]!;
            break;
          case 0x11: // CONST
            s[fp + a] = b;
            break;
          case 0x12: // CONST64
            s[fp + a] = b;
            s[fp + a + 1] = c;
            break;
          case 0x13: // GGET
            s[fp + a] = s[b]!;
            break;
          case 0x14: // GSET
            s[a] = s[fp + b]!;
            break;
          case 0x15: // SELECT
            if (s[fp + c] === 0) s[fp + a] = s[fp + b]!;
            break;
          // ---- i32 ALU, register forms ----
          case 0x20: s[fp + a] = (s[fp + b]! + s[fp + c]!) | 0; break; // ADD
          case 0x21: s[fp + a] = (s[fp + b]! - s[fp + c]!) | 0; break; // SUB
          case 0x22: s[fp + a] = Math.imul(s[fp + b]!, s[fp + c]!); break; // MUL
          case 0x23: { // DIVS
            const x = s[fp + b]!, y = s[fp + c]!;
            if (y === 0) throw this.trap("DivideByZero", "i32 signed division by zero");
            if (x === -0x80000000 && y === -1) throw this.trap("DivisionOverflow", "i32 signed division overflow (-2^31 / -1)");
            s[fp + a] = (x / y) | 0;
            break;
          }
          case 0x24: { // DIVU
            const y = s[fp + c]! >>> 0;
            if (y === 0) throw this.trap("DivideByZero", "i32 unsigned division by zero");
            s[fp + a] = ((s[fp + b]! >>> 0) / y) | 0;
            break;
          }
          case 0x25: { // REMS
            const y = s[fp + c]!;
            if (y === 0) throw this.trap("DivideByZero", "i32 signed remainder by zero");
            s[fp + a] = s[fp + b]! % y | 0;
            break;
          }
          case 0x26: { // REMU
            const y = s[fp + c]! >>> 0;
            if (y === 0) throw this.trap("DivideByZero", "i32 unsigned remainder by zero");
            s[fp + a] = (s[fp + b]! >>> 0) % y | 0;
            break;
          }
          case 0x27: s[fp + a] = s[fp + b]! & s[fp + c]!; break; // AND
          case 0x28: s[fp + a] = s[fp + b]! | s[fp + c]!; break; // OR
          case 0x29: s[fp + a] = s[fp + b]! ^ s[fp + c]!; break; // XOR
          case 0x2a: s[fp + a] = s[fp + b]! << s[fp + c]!; break; // SHL (JS masks the count mod 32)
          case 0x2b: s[fp + a] = s[fp + b]! >> s[fp + c]!; break; // SHRS
          case 0x2c: s[fp + a] = s[fp + b]! >>> s[fp + c]!; break; // SHRU
          case 0x2d: { const x = s[fp + b]!, n = s[fp + c]!; s[fp + a] = (x << n) | (x >>> (32 - (n & 31))); break; } // ROTL
          case 0x2e: { const x = s[fp + b]!, n = s[fp + c]!; s[fp + a] = (x >>> n) | (x << (32 - (n & 31))); break; } // ROTR
          case 0x2f: s[fp + a] = s[fp + b] === s[fp + c] ? 1 : 0; break; // EQ
          case 0x30: s[fp + a] = s[fp + b] !== s[fp + c] ? 1 : 0; break; // NE
          case 0x31: s[fp + a] = s[fp + b]! < s[fp + c]! ? 1 : 0; break; // LTS
          case 0x32: s[fp + a] = s[fp + b]! >>> 0 < s[fp + c]! >>> 0 ? 1 : 0; break; // LTU
          case 0x33: s[fp + a] = s[fp + b]! > s[fp + c]! ? 1 : 0; break; // GTS
          case 0x34: s[fp + a] = s[fp + b]! >>> 0 > s[fp + c]! >>> 0 ? 1 : 0; break; // GTU
          case 0x35: s[fp + a] = s[fp + b]! <= s[fp + c]! ? 1 : 0; break; // LES
          case 0x36: s[fp + a] = s[fp + b]! >>> 0 <= s[fp + c]! >>> 0 ? 1 : 0; break; // LEU
          case 0x37: s[fp + a] = s[fp + b]! >= s[fp + c]! ? 1 : 0; break; // GES
          case 0x38: s[fp + a] = s[fp + b]! >>> 0 >= s[fp + c]! >>> 0 ? 1 : 0; break; // GEU
          // ---- i32 ALU, immediate forms (c is the immediate, signed view) ----
          case 0x40: s[fp + a] = (s[fp + b]! + c) | 0; break; // ADDI
          case 0x41: s[fp + a] = (s[fp + b]! - c) | 0; break; // SUBI
          case 0x42: s[fp + a] = Math.imul(s[fp + b]!, c); break; // MULI
          case 0x43: { // DIVSI
            const x = s[fp + b]!;
            if (c === 0) throw this.trap("DivideByZero", "i32 signed division by zero");
            if (x === -0x80000000 && c === -1) throw this.trap("DivisionOverflow", "i32 signed division overflow (-2^31 / -1)");
            s[fp + a] = (x / c) | 0;
            break;
          }
          case 0x44: // DIVUI
            if (c === 0) throw this.trap("DivideByZero", "i32 unsigned division by zero");
            s[fp + a] = ((s[fp + b]! >>> 0) / (c >>> 0)) | 0;
            break;
          case 0x45: // REMSI
            if (c === 0) throw this.trap("DivideByZero", "i32 signed remainder by zero");
            s[fp + a] = s[fp + b]! % c | 0;
            break;
          case 0x46: // REMUI
            if (c === 0) throw this.trap("DivideByZero", "i32 unsigned remainder by zero");
            s[fp + a] = (s[fp + b]! >>> 0) % (c >>> 0) | 0;
            break;
          case 0x47: s[fp + a] = s[fp + b]! & c; break; // ANDI
          case 0x48: s[fp + a] = s[fp + b]! | c; break; // ORI
          case 0x49: s[fp + a] = s[fp + b]! ^ c; break; // XORI
          case 0x4a: s[fp + a] = s[fp + b]! << c; break; // SHLI
          case 0x4b: s[fp + a] = s[fp + b]! >> c; break; // SHRSI
          case 0x4c: s[fp + a] = s[fp + b]! >>> c; break; // SHRUI
          case 0x4d: { const x = s[fp + b]!; s[fp + a] = (x << c) | (x >>> (32 - (c & 31))); break; } // ROTLI
          case 0x4e: { const x = s[fp + b]!; s[fp + a] = (x >>> c) | (x << (32 - (c & 31))); break; } // ROTRI
          case 0x4f: s[fp + a] = s[fp + b] === c ? 1 : 0; break; // EQI
          case 0x50: s[fp + a] = s[fp + b] !== c ? 1 : 0; break; // NEI
          case 0x51: s[fp + a] = s[fp + b]! < c ? 1 : 0; break; // LTSI
          case 0x52: s[fp + a] = s[fp + b]! >>> 0 < c >>> 0 ? 1 : 0; break; // LTUI
          case 0x53: s[fp + a] = s[fp + b]! > c ? 1 : 0; break; // GTSI
          case 0x54: s[fp + a] = s[fp + b]! >>> 0 > c >>> 0 ? 1 : 0; break; // GTUI
          case 0x55: s[fp + a] = s[fp + b]! <= c ? 1 : 0; break; // LESI
          case 0x56: s[fp + a] = s[fp + b]! >>> 0 <= c >>> 0 ? 1 : 0; break; // LEUI
          case 0x57: s[fp + a] = s[fp + b]! >= c ? 1 : 0; break; // GESI
          case 0x58: s[fp + a] = s[fp + b]! >>> 0 >= c >>> 0 ? 1 : 0; break; // GEUI
          // ---- i32 unary ----
          case 0x60: s[fp + a] = s[fp + b] === 0 ? 1 : 0; break; // EQZ
          case 0x61: s[fp + a] = Math.clz32(s[fp + b]!); break; // CLZ
          case 0x62: s[fp + a] = ctz32(s[fp + b]!); break; // CTZ
          case 0x63: s[fp + a] = popcnt32(s[fp + b]!); break; // POPCNT
          case 0x64: s[fp + a] = (s[fp + b]! << 24) >> 24; break; // EXT8S
          case 0x65: s[fp + a] = (s[fp + b]! << 16) >> 16; break; // EXT16S
          // ---- i64: R[x] = r[x] (lo) + 2^32·r[x+1] (hi); all inputs read before any write ----
          case 0x70: { // ADD64
            const lo = (s[fp + b]! >>> 0) + (s[fp + c]! >>> 0);
            const hi = (s[fp + b + 1]! + s[fp + c + 1]! + (lo >= TWO32 ? 1 : 0)) | 0;
            s[fp + a] = lo | 0;
            s[fp + a + 1] = hi;
            break;
          }
          case 0x71: { // SUB64
            const lo = (s[fp + b]! >>> 0) - (s[fp + c]! >>> 0);
            const hi = (s[fp + b + 1]! - s[fp + c + 1]! - (lo < 0 ? 1 : 0)) | 0;
            s[fp + a] = lo | 0;
            s[fp + a + 1] = hi;
            break;
          }
          case 0x72: { // MUL64: lo·lo exactly (see intrinsics.mul64), cross terms mod 2^32
            const bl = s[fp + b]! >>> 0, bh = s[fp + b + 1]!, cl = s[fp + c]! >>> 0, ch = s[fp + c + 1]!;
            const lo = Math.imul(bl, cl) >>> 0;
            const carry = Math.round((bl * cl - lo) / TWO32);
            s[fp + a] = lo | 0;
            s[fp + a + 1] = (carry + Math.imul(bh, cl) + Math.imul(bl, ch)) | 0;
            break;
          }
          case 0x73: case 0x74: case 0x75: case 0x76: // DIVS64 DIVU64 REMS64 REMU64
            this.divRem64(op, fp + a, fp + b, fp + c);
            break;
          case 0x77: { const l = s[fp + b]! & s[fp + c]!, h = s[fp + b + 1]! & s[fp + c + 1]!; s[fp + a] = l; s[fp + a + 1] = h; break; } // AND64
          case 0x78: { const l = s[fp + b]! | s[fp + c]!, h = s[fp + b + 1]! | s[fp + c + 1]!; s[fp + a] = l; s[fp + a + 1] = h; break; } // OR64
          case 0x79: { const l = s[fp + b]! ^ s[fp + c]!, h = s[fp + b + 1]! ^ s[fp + c + 1]!; s[fp + a] = l; s[fp + a + 1] = h; break; } // XOR64
          case 0x7a: { // SHL64
            const lo = s[fp + b]!, hi = s[fp + b + 1]!, n = s[fp + c]! & 63;
            if (n === 0) { s[fp + a] = lo; s[fp + a + 1] = hi; }
            else if (n < 32) { s[fp + a] = lo << n; s[fp + a + 1] = (hi << n) | (lo >>> (32 - n)); }
            else { s[fp + a] = 0; s[fp + a + 1] = lo << (n - 32); }
            break;
          }
          case 0x7b: { // SHRS64
            const lo = s[fp + b]!, hi = s[fp + b + 1]!, n = s[fp + c]! & 63;
            if (n === 0) { s[fp + a] = lo; s[fp + a + 1] = hi; }
            else if (n < 32) { s[fp + a] = (lo >>> n) | (hi << (32 - n)); s[fp + a + 1] = hi >> n; }
            else { s[fp + a] = hi >> (n - 32); s[fp + a + 1] = hi >> 31; }
            break;
          }
          case 0x7c: { // SHRU64
            const lo = s[fp + b]!, hi = s[fp + b + 1]!, n = s[fp + c]! & 63;
            if (n === 0) { s[fp + a] = lo; s[fp + a + 1] = hi; }
            else if (n < 32) { s[fp + a] = (lo >>> n) | (hi << (32 - n)); s[fp + a + 1] = hi >>> n; }
            else { s[fp + a] = hi >>> (n - 32); s[fp + a + 1] = 0; }
            break;
          }
          case 0x7d: case 0x7e: { // ROTL64, ROTR64 (rotr n = rotl (64 − n))
            let lo = s[fp + b]!, hi = s[fp + b + 1]!;
            let n = s[fp + c]! & 63;
            if (op === 0x7e) n = (64 - n) & 63;
            if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
            if (n !== 0) { const nl = (lo << n) | (hi >>> (32 - n)); hi = (hi << n) | (lo >>> (32 - n)); lo = nl; }
            s[fp + a] = lo;
            s[fp + a + 1] = hi;
            break;
          }
          case 0x7f: s[fp + a] = s[fp + b] === s[fp + c] && s[fp + b + 1] === s[fp + c + 1] ? 1 : 0; break; // EQ64
          case 0x80: s[fp + a] = s[fp + b] !== s[fp + c] || s[fp + b + 1] !== s[fp + c + 1] ? 1 : 0; break; // NE64
          case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: {
            // LTS64 LTU64 GTS64 GTU64 LES64 LEU64 GES64 GEU64: compare (hi, lo) lexicographically,
            // hi signed or unsigned, lo always unsigned.
            const unsigned = (op & 1) === 0;
            const bh = unsigned ? s[fp + b + 1]! >>> 0 : s[fp + b + 1]!;
            const ch = unsigned ? s[fp + c + 1]! >>> 0 : s[fp + c + 1]!;
            const bl = s[fp + b]! >>> 0, cl = s[fp + c]! >>> 0;
            const cmp = bh !== ch ? (bh < ch ? -1 : 1) : bl !== cl ? (bl < cl ? -1 : 1) : 0;
            let r: boolean;
            if (op <= 0x82) r = cmp < 0;
            else if (op <= 0x84) r = cmp > 0;
            else if (op <= 0x86) r = cmp <= 0;
            else r = cmp >= 0;
            s[fp + a] = r ? 1 : 0;
            break;
          }
          case 0x89: s[fp + a] = (s[fp + b]! | s[fp + b + 1]!) === 0 ? 1 : 0; break; // EQZ64
          case 0x8a: { const lo = s[fp + b]!, hi = s[fp + b + 1]!; s[fp + a] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo); s[fp + a + 1] = 0; break; } // CLZ64
          case 0x8b: { const lo = s[fp + b]!, hi = s[fp + b + 1]!; s[fp + a] = lo !== 0 ? ctz32(lo) : 32 + ctz32(hi); s[fp + a + 1] = 0; break; } // CTZ64
          case 0x8c: { const lo = s[fp + b]!, hi = s[fp + b + 1]!; s[fp + a] = popcnt32(lo) + popcnt32(hi); s[fp + a + 1] = 0; break; } // POPCNT64
          case 0x8d: { const v = (s[fp + b]! << 24) >> 24; s[fp + a] = v; s[fp + a + 1] = v >> 31; break; } // EXT8S64
          case 0x8e: { const v = (s[fp + b]! << 16) >> 16; s[fp + a] = v; s[fp + a + 1] = v >> 31; break; } // EXT16S64
          case 0x8f: { const v = s[fp + b]!; s[fp + a] = v; s[fp + a + 1] = v >> 31; break; } // EXT32S64
          case 0x90: { const v = s[fp + b]!; s[fp + a] = v; s[fp + a + 1] = 0; break; } // ZEXT64
          // ---- linear memory: ea = r[b] (u32) + c (u32), no wrap ----
          case 0xa0: { const ea = (s[fp + b]! >>> 0) + (c >>> 0); if (ea + 1 > memSize) throw this.oob(ea, 1, memSize); s[fp + a] = u8[ea]!; break; } // LOAD8U
          case 0xa1: { const ea = (s[fp + b]! >>> 0) + (c >>> 0); if (ea + 1 > memSize) throw this.oob(ea, 1, memSize); s[fp + a] = (u8[ea]! << 24) >> 24; break; } // LOAD8S
          case 0xa2: { const ea = (s[fp + b]! >>> 0) + (c >>> 0); if (ea + 2 > memSize) throw this.oob(ea, 2, memSize); s[fp + a] = dv.getUint16(ea, true); break; } // LOAD16U
          case 0xa3: { const ea = (s[fp + b]! >>> 0) + (c >>> 0); if (ea + 2 > memSize) throw this.oob(ea, 2, memSize); s[fp + a] = dv.getInt16(ea, true); break; } // LOAD16S
          case 0xa4: { const ea = (s[fp + b]! >>> 0) + (c >>> 0); if (ea + 4 > memSize) throw this.oob(ea, 4, memSize); s[fp + a] = dv.getInt32(ea, true); break; } // LOAD32
          case 0xa5: { const ea = (s[fp + a]! >>> 0) + (c >>> 0); if (ea + 1 > memSize) throw this.oob(ea, 1, memSize); u8[ea] = s[fp + b]!; break; } // STORE8
          case 0xa6: { const ea = (s[fp + a]! >>> 0) + (c >>> 0); if (ea + 2 > memSize) throw this.oob(ea, 2, memSize); dv.setInt16(ea, s[fp + b]!, true); break; } // STORE16
          case 0xa7: { const ea = (s[fp + a]! >>> 0) + (c >>> 0); if (ea + 4 > memSize) throw this.oob(ea, 4, memSize); dv.setInt32(ea, s[fp + b]!, true); break; } // STORE32
          case 0xa8: s[fp + a] = memSize / WASM_PAGE_BYTES; break; // MEMSIZE
          case 0xa9: { // MEMGROW
            s[fp + a] = this.growMemory(s[fp + b]! >>> 0);
            u8 = this.memory;
            dv = this.view;
            memSize = u8.length;
            break;
          }
          case 0xaa: { // MEMCOPY args (dst, src, len)
            const dst = s[fp + a]! >>> 0, src = s[fp + a + 1]! >>> 0, len = s[fp + a + 2]! >>> 0;
            if (dst + len > memSize) throw this.oob(dst, len, memSize);
            if (src + len > memSize) throw this.oob(src, len, memSize);
            cycles += len;
            if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            u8.copyWithin(dst, src, src + len);
            break;
          }
          case 0xab: { // MEMFILL args (dst, value, len)
            const dst = s[fp + a]! >>> 0, val = s[fp + a + 1]! & 255, len = s[fp + a + 2]! >>> 0;
            if (dst + len > memSize) throw this.oob(dst, len, memSize);
            cycles += len;
            if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            u8.fill(val, dst, dst + len);
            break;
          }
          // ---- coprocessors (vm/intrinsics.ts; operands validated there before any memory access) ----
          case 0xc0: s[fp + a] = fxmul(s[fp + b]!, s[fp + c]!); break; // FXMUL
          case 0xc1: { // DOT args (xp, yp, n, sx, sy, acc.lo, acc.hi, shift)
            const n = s[fp + b + 2]!, shift = s[fp + b + 7]!;
            if (n > 0 && shift >= 0 && shift <= 63) {
              cycles += n;
              if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            }
            s[fp + a] = dot(dv, s[fp + b]!, s[fp + b + 1]!, n, s[fp + b + 3]!, s[fp + b + 4]!, s[fp + b + 5]!, s[fp + b + 6]!, shift);
            break;
          }
          case 0xc2: { // AXPY args (yp, xp, n, sy, sx, a, shift)
            const n = s[fp + a + 2]!, shift = s[fp + a + 6]!;
            if (n > 0 && shift >= 0 && shift <= 63) {
              cycles += n;
              if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            }
            axpy(dv, s[fp + a]!, s[fp + a + 1]!, n, s[fp + a + 3]!, s[fp + a + 4]!, s[fp + a + 5]!, shift);
            break;
          }
          case 0xc3: sha256Compress(dv, s[fp + a]!, s[fp + b]!); break; // SHA256 (65 rows, all base)
          // ---- host I/O ----
          case 0xd0: { // READ (bounds, then input, then the per-byte rows)
            const len = s[fp + b]! >>> 0;
            this.io.input.read(u8, s[fp + a]!, len);
            cycles += len;
            if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            break;
          }
          case 0xd1: s[fp + a] = this.io.input.remaining(); break; // INPUTLEN
          case 0xd2: { // COMMIT
            const len = s[fp + b]! >>> 0;
            this.io.journal.commit(u8, s[fp + a]!, len);
            cycles += len;
            if (cycles > maxCycles) { cycles = before; throw this.trap("CycleLimit", `cycle limit of ${maxCycles} reached`, { maxCycles }); }
            break;
          }
          case 0xd3: // EXIT
            this.exitCode = s[fp + a]!;
            this.halted = true;
            this.pc = pc;
            this.fp = fp;
            this.cycles = cycles;
            return true;
          case 0xd4: this.io.log(decodeLog(u8, s[fp + a]!, s[fp + b]!)); break; // LOG
          case 0xd5: // ABORT args (msg, file, line, col)
            throw abortError(u8, s[fp + a]!, s[fp + a + 1]!, s[fp + a + 2]!, s[fp + a + 3]!);
          default:
            cycles = before;
            if (!(pc >= 0 && pc < this.layout.instructions)) {
              throw this.trap("InvalidInstruction", `pc ${pc} outside the code (${this.layout.instructions} instructions)`);
            }
            throw this.trap("InvalidInstruction", `invalid opcode 0x${(op >>> 0).toString(16)}`, { opcode: op >>> 0 });
        }
        pc++;
      }
    } catch (e) {
      if (isVmError(e)) {
        e.pc = pc;
        e.cycles = before;
        this.pc = pc;
        this.fp = fp;
        this.cycles = before;
        this.halted = true;
        this.error = e;
      }
      throw e;
    }
  }

  private oob(ea: number, size: number, memSize: number): VmError {
    return this.trap("MemoryOutOfBounds", `access of ${size} bytes at ${ea} outside memory of ${memSize} bytes`, {
      address: ea,
      size,
      memorySize: memSize,
    });
  }

  /** 64-bit div/rem (rare in guests): 32-bit fast paths, BigInt otherwise. */
  private divRem64(op: number, ia: number, ib: number, ic: number): void {
    const s = this.slots;
    const bl = s[ib]!, bh = s[ib + 1]!, cl = s[ic]!, ch = s[ic + 1]!;
    if ((cl | ch) === 0) throw this.trap("DivideByZero", `i64 ${op === 0x73 || op === 0x74 ? "division" : "remainder"} by zero`);
    const signed = op === 0x73 || op === 0x75;
    let lo: number;
    let hi: number;
    if (signed && bh === bl >> 31 && ch === cl >> 31) {
      // Both operands are sign-extended i32 values: double arithmetic is exact.
      const r = op === 0x73 ? Math.trunc(bl / cl) : bl % cl; // −2^31 / −1 = 2^31 fits in i64
      lo = r | 0;
      hi = r < 0 ? -1 : 0;
    } else if (!signed && bh === 0 && ch === 0) {
      const x = bl >>> 0, y = cl >>> 0;
      lo = (op === 0x74 ? Math.floor(x / y) : x % y) | 0;
      hi = 0;
    } else {
      let r: bigint;
      if (signed) {
        const x = big64(bl, bh), y = big64(cl, ch);
        if (op === 0x73 && x === -(1n << 63n) && y === -1n) throw this.trap("DivisionOverflow", "i64 signed division overflow (-2^63 / -1)");
        r = op === 0x73 ? x / y : x % y;
      } else {
        const x = BigInt.asUintN(64, big64(bl, bh)), y = BigInt.asUintN(64, big64(cl, ch));
        r = op === 0x74 ? x / y : x % y;
      }
      lo = Number(BigInt.asIntN(32, r));
      hi = Number(BigInt.asIntN(32, r >> 32n));
    }
    s[ia] = lo;
    s[ia + 1] = hi;
  }
}
