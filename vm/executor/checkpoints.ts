// Incremental checkpoints for segmented proving (issue 6): one fast pass records, every `interval`
// cycles, the machine's registers plus only the memory pages that changed since the previous
// checkpoint. Any checkpoint can then be turned back into a running Machine, so segments can be traced
// independently (e.g. in parallel workers) without re-executing everything before them.
//
// The fast loop itself is untouched: the pass calls Machine.run(nextBoundary) repeatedly, and page
// diffs are found by comparing memory against a shadow copy at each boundary (native memcmp per
// 64 KiB page), so the cost is O(memory) per checkpoint and zero per instruction.

import { WASM_PAGE_BYTES, type Program } from "../program.ts";
import { Machine, type MachineOptions, type MachineSnapshot } from "./machine.ts";
import type { ExecuteResult } from "./execute.ts";

export interface Checkpoint {
  /** Cycles completed at this instruction boundary (the first boundary ≥ k·interval). */
  readonly cycles: number;
  readonly pc: number;
  readonly fp: number;
  readonly depth: number;
  /** Frame-stack slots [0, fp + slotReach): globals and every live frame. */
  readonly slots: Int32Array;
  readonly inputPosition: number;
  readonly journalLength: number;
  readonly memoryPages: number;
  /** Pages (index → 64 KiB content) that differ from the previous checkpoint (or the initial image). */
  readonly changedPages: ReadonlyMap<number, Uint8Array>;
}

export interface CheckpointedRun extends ExecuteResult {
  /** checkpoints[0] is the initial state (cycle 0); then one per interval, in order. */
  readonly checkpoints: Checkpoint[];
}

function pageEquals(a: Uint8Array, b: Uint8Array, page: number): boolean {
  const off = page * WASM_PAGE_BYTES;
  return Buffer.from(a.buffer, a.byteOffset + off, WASM_PAGE_BYTES).equals(Buffer.from(b.buffer, b.byteOffset + off, WASM_PAGE_BYTES));
}

const ZERO_PAGE = new Uint8Array(WASM_PAGE_BYTES);

function pageIsZero(a: Uint8Array, page: number): boolean {
  return Buffer.from(a.buffer, a.byteOffset + page * WASM_PAGE_BYTES, WASM_PAGE_BYTES).equals(ZERO_PAGE);
}

function capture(m: Machine, shadow: Uint8Array | undefined): { cp: Checkpoint; shadow: Uint8Array } {
  const mem = m.memory;
  const pages = mem.length / WASM_PAGE_BYTES;
  const changed = new Map<number, Uint8Array>();
  const prevPages = shadow === undefined ? 0 : shadow.length / WASM_PAGE_BYTES;
  if (shadow !== undefined) {
    for (let p = 0; p < pages; p++) {
      // Pages added by memory.grow start as zero, which is how a restore grows them too.
      if (p >= prevPages ? !pageIsZero(mem, p) : !pageEquals(mem, shadow, p)) {
        changed.set(p, mem.slice(p * WASM_PAGE_BYTES, (p + 1) * WASM_PAGE_BYTES));
      }
    }
  }
  let next = shadow;
  if (next === undefined || next.length !== mem.length) {
    next = mem.slice();
  } else {
    for (const [p, bytes] of changed) next.set(bytes, p * WASM_PAGE_BYTES);
  }
  const cp: Checkpoint = {
    cycles: m.cycles,
    pc: m.pc,
    fp: m.fp,
    depth: m.depth,
    slots: m.slots.slice(0, Math.min(m.slots.length, m.fp + m.layout.slotReach)),
    inputPosition: m.io.input.position,
    journalLength: m.io.journal.length,
    memoryPages: pages,
    changedPages: changed,
  };
  return { cp, shadow: next };
}

/**
 * Runs to completion like `execute`, recording a checkpoint at cycle 0 and at the first instruction
 * boundary at or after every multiple of `interval`. Throws VmError if the guest traps.
 */
export function executeWithCheckpoints(
  program: Program, input: Uint8Array, interval: number, opts: MachineOptions = {},
): CheckpointedRun {
  if (!(interval >= 1)) throw new RangeError("checkpoint interval must be ≥ 1 cycle");
  const m = new Machine(program, input, opts);
  const checkpoints: Checkpoint[] = [];
  let { cp, shadow } = capture(m, undefined);
  checkpoints.push(cp);
  let boundary = interval;
  while (!m.run(boundary)) {
    ({ cp, shadow } = capture(m, shadow));
    checkpoints.push(cp);
    boundary = (Math.floor(m.cycles / interval) + 1) * interval;
  }
  return { exitCode: m.exitCode, cycles: m.cycles, journal: m.io.journal.bytes(), checkpoints };
}

/**
 * A Machine in the state of checkpoint k of a run of (program, input), ready to `run` or to be traced
 * step by step. `journal` is the run's final journal (the checkpoint keeps only its length).
 */
export function machineAtCheckpoint(
  program: Program, input: Uint8Array, run: CheckpointedRun, k: number, opts: MachineOptions = {},
): Machine {
  const cp = run.checkpoints[k];
  if (cp === undefined) throw new RangeError(`no checkpoint ${k} (run has ${run.checkpoints.length})`);
  {
    // Memory at checkpoint k = initial image + every page diff up to k.
    const base = new Machine(program, input, opts);
    let memory = base.memory.slice();
    for (let i = 1; i <= k; i++) {
      const c = run.checkpoints[i]!;
      if (c.memoryPages * WASM_PAGE_BYTES > memory.length) {
        const grown = new Uint8Array(c.memoryPages * WASM_PAGE_BYTES);
        grown.set(memory);
        memory = grown;
      }
      for (const [p, bytes] of c.changedPages) memory.set(bytes, p * WASM_PAGE_BYTES);
    }
    const snap: MachineSnapshot = {
      pc: cp.pc,
      fp: cp.fp,
      cycles: cp.cycles,
      depth: cp.depth,
      halted: false,
      exitCode: 0,
      slots: cp.slots,
      memory,
      inputPosition: cp.inputPosition,
      journal: run.journal.subarray(0, cp.journalLength),
    };
    return Machine.restore(program, input, snap, opts);
  }
}
