// Public entry points of the executor: run a Program to completion (fast mode), with a per-instruction
// trace callback, or replay a cycle window for the prover. Failures are thrown as VmError (never a host
// error): callers catch with `isVmError` and map `pc` to a source line via program.sourceMap.

import { sourceLocation, type Program } from "../program.ts";
import { isVmError } from "../errors.ts";
import type { LogSink } from "../host-io.ts";
import { Machine, type MachineOptions } from "./machine.ts";

/** Receives the machine before each instruction executes (state is read-only by contract). */
export interface TraceSink {
  step(m: Machine): void;
}

export interface ExecuteOptions {
  /** Trap CycleLimit if the run would need more rows than this. Default DEFAULT_MAX_CYCLES (2^32). */
  maxCycles?: number;
  /** Where zkvm.log output goes (default: process.stderr). */
  log?: LogSink;
  /** Default DEFAULT_MAX_CALL_DEPTH (100,000 frames). */
  maxCallDepth?: number;
  /** Frame-stack limit in 32-bit slots. Default DEFAULT_MAX_SLOTS (2^25). */
  maxSlots?: number;
  /** Executor cap on memory pages on top of the program's own maximum. Default 16384 (1 GiB). */
  maxMemoryPages?: number;
  /** Tracing mode: called before every instruction. Absent = fast mode (no per-step cost). */
  trace?: TraceSink;
}

export interface ExecuteResult {
  exitCode: number;
  /** Trace rows used (CPU rows + coprocessor rows), as defined by vm/isa.ts. */
  cycles: number;
  journal: Uint8Array;
}

function machineOptions(opts: ExecuteOptions): MachineOptions {
  const { trace: _trace, ...rest } = opts;
  return rest;
}

/** Attaches the source location of the faulting pc (if the program has a source map) and rethrows. */
function annotate(program: Program, e: unknown): never {
  if (isVmError(e) && e.pc !== undefined && e.source === undefined) {
    const loc = sourceLocation(program, e.pc);
    if (loc !== undefined) e.source = loc;
  }
  throw e;
}

/**
 * Runs `program` on the private `input` until it exits. Returns exit code, cycles and journal; throws a
 * VmError (kind, message, pc, cycles, source when known) if the guest traps or the image is invalid.
 */
export function execute(program: Program, input: Uint8Array, opts: ExecuteOptions = {}): ExecuteResult {
  const trace = opts.trace;
  if (trace !== undefined) {
    const steps = executeStepwise(program, input, opts);
    for (;;) {
      const r = steps.next();
      if (r.done === true) return r.value;
      trace.step(r.value);
    }
  }
  try {
    const m = new Machine(program, input, machineOptions(opts));
    m.run();
    return { exitCode: m.exitCode, cycles: m.cycles, journal: m.io.journal.bytes() };
  } catch (e) {
    annotate(program, e);
  }
}

/**
 * Tracing mode for a caller that pauses between instructions: yields the machine before each instruction (the
 * caller's hook; state read-only by contract) and returns the result once the guest exits. A generator, so a trace
 * builder can hand out a segment's rows and resume the run later without holding the whole run's rows.
 */
export function* executeStepwise(program: Program, input: Uint8Array, opts: Omit<ExecuteOptions, "trace"> = {}): Generator<Machine, ExecuteResult, void> {
  let m: Machine;
  try {
    m = new Machine(program, input, machineOptions(opts));
  } catch (e) {
    annotate(program, e);
  }
  while (!m.halted) {
    yield m;
    try {
      m.run(m.cycles + 1); // exactly one instruction: every instruction costs ≥ 1 row
    } catch (e) {
      annotate(program, e);
    }
  }
  return { exitCode: m.exitCode, cycles: m.cycles, journal: m.io.journal.bytes() };
}

/**
 * Deterministic replay of a cycle window for the prover: runs fast up to the first instruction
 * boundary at or after `fromCycle`, then calls `sink.step` before each instruction until the boundary
 * at or after `toCycle` (or the halt). Returns the machine, positioned at that boundary. The only
 * nondeterminism of a run is the input tape, which is part of (program, input), so replaying the same
 * window twice gives the same steps. Traps inside the window are thrown as in `execute`.
 */
export function replayWindow(
  program: Program, input: Uint8Array, fromCycle: number, toCycle: number, sink: TraceSink,
  opts: Omit<ExecuteOptions, "trace"> = {},
): Machine {
  try {
    const m = new Machine(program, input, machineOptions(opts));
    m.run(fromCycle);
    while (!m.halted && m.cycles < toCycle) {
      sink.step(m);
      m.run(m.cycles + 1);
    }
    return m;
  } catch (e) {
    annotate(program, e);
  }
}
