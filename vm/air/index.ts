// The VM AIR for the prover: the constraints (vm/air/air.ts) plus the trace builders. The verifier imports
// vm/air/air.ts only.
import type { Program } from "../program.ts";
import { boundaryColumns } from "./boundary/trace.ts";
import { vmPublics } from "./publics.ts";
import { buildCpuRows, cpuColumns } from "./cpu/trace.ts";
import { decodeProgram } from "./program/decode.ts";
import { rangeTrace } from "./range/constraints.ts";
import { globalsColumns } from "./globals/constraints.ts";
import { computeImageId, imageIdBytes } from "../image/image-id.ts";

export { VmAirError } from "./buses.ts";
export { vmPublics } from "./publics.ts";
export { airProgramOf, vmAir, TABLE, VM_AIR_VERSION, type AirProgram } from "./air.ts";

export interface VmTrace {
  readonly traces: Uint32Array[][];
  /** The statement as public inputs (vm/air/cpu/columns.ts PUB). */
  readonly publics: number[];
  readonly exitCode: number;
  readonly cycles: number;
  readonly journal: Uint8Array;
}

/** Executes the program and builds every table's trace. Throws VmError if the run traps, VmAirError if unsupported. */
export function buildVmTrace(p: Program, input: Uint8Array = new Uint8Array(0), maxCycles?: number): VmTrace {
  const prog = decodeProgram(p);
  const cpu = buildCpuRows(p, input, maxCycles);
  const mult = new Uint32Array(prog.height);
  for (const [pc, n] of cpu.fetches) mult[pc] = n;
  const boundary = boundaryColumns(cpu.memory, cpu.range, p.globalsInit);
  const globals = new Uint32Array(globalsColumns(p).height);
  return {
    traces: [[mult], cpuColumns(cpu.rows), boundary, rangeTrace(cpu.range), [globals]],
    publics: vmPublics(imageIdBytes(computeImageId(p)), p.entryPc, p.globalSlots, cpu.exitCode, cpu.cycles, cpu.journal, p.memory.initialPages),
    exitCode: cpu.exitCode,
    cycles: cpu.cycles,
    journal: cpu.journal,
  };
}
