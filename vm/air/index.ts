// The prototype VM AIR (docs/vm-air.md): PROGRAM (public, decoded by the verifier), CPU (subset CONST, ADD,
// ADDI, JMP, BRNZ, EXIT, MOV/GGET/GSET, CALL, RET), BOUNDARY (frame-stack init/final, sorted), RANGE16 and
// GLOBALS (public initial globals), joined by the FETCH, MEM, RANGE and GLOBALS buses. One proof per run.
import type { Air } from "../../verifier/air.ts";
import type { Program } from "../program.ts";
import { boundaryTable } from "./boundary/constraints.ts";
import { boundaryColumns } from "./boundary/trace.ts";
import { NUM_PUBLICS } from "./cpu/columns.ts";
import { cpuTable } from "./cpu/constraints.ts";
import { buildCpuRows, cpuColumns } from "./cpu/trace.ts";
import { decodeProgram } from "./program/decode.ts";
import { programTable } from "./program/constraints.ts";
import { rangeTable, rangeTrace } from "./range/constraints.ts";
import { globalsColumns, globalsTable } from "./globals/constraints.ts";

export { VmAirError } from "./buses.ts";

/** Table order of the prototype AIR. */
export const TABLE = { program: 0, cpu: 1, boundary: 2, range: 3, globals: 4 } as const;

/** The AIR of one program (the program table's public columns make it image-specific). */
export function vmAir(p: Program): Air {
  return {
    name: "vm-prototype",
    numPublicInputs: NUM_PUBLICS,
    tables: [programTable(decodeProgram(p)), cpuTable, boundaryTable, rangeTable, globalsTable(globalsColumns(p))],
  };
}

export interface VmTrace {
  readonly traces: Uint32Array[][];
  /** [entryPc, initial fp, exit code lo, exit code hi] */
  readonly publics: number[];
  readonly exitCode: number;
  readonly cycles: number;
}

/** Executes the program and builds every table's trace. Throws VmError if the run traps, VmAirError if unsupported. */
export function buildVmTrace(p: Program, input: Uint8Array = new Uint8Array(0)): VmTrace {
  const prog = decodeProgram(p);
  const cpu = buildCpuRows(p, input);
  const mult = new Uint32Array(prog.height);
  for (const [pc, n] of cpu.fetches) mult[pc] = n;
  const boundary = boundaryColumns(cpu.memory, cpu.range, p.globalsInit);
  const globals = new Uint32Array(globalsColumns(p).height);
  const code = cpu.exitCode >>> 0;
  return {
    traces: [[mult], cpuColumns(cpu.rows), boundary, rangeTrace(cpu.range), [globals]],
    publics: [p.entryPc, p.globalSlots, code & 0xffff, code >>> 16],
    exitCode: cpu.exitCode,
    cycles: cpu.cycles,
  };
}
