// The VM AIR as the verifier sees it (constraints only, no trace builders, no executor): PROGRAM (public,
// decoded by the verifier), CPU, BOUNDARY, RANGE16 and GLOBALS, joined by the FETCH, MEM, RANGE and GLOBALS
// buses (docs/vm-air.md). One proof per run. Browser-safe: imports only verifier/ and pure vm/ modules.
import type { Air } from "../../verifier/air.ts";
import type { Program } from "../program.ts";
import { boundaryTable } from "./boundary/constraints.ts";
import { NUM_PUBLICS } from "./cpu/columns.ts";
import { cpuTable } from "./cpu/constraints.ts";
import { decodeProgram } from "./program/decode.ts";
import { programTable } from "./program/constraints.ts";
import { rangeTable } from "./range/constraints.ts";
import { globalsColumns, globalsTable } from "./globals/constraints.ts";

/**
 * Version of the constraints. A receipt names the AIR version it was proven against and a verifier accepts
 * exactly the versions it knows (docs/receipt.md §1.1): changing any table's constraints means a new number.
 *   1 — the prototype subset (CONST, ADD, ADDI, JMP, BRNZ, EXIT, MOV, GGET, GSET, CALL, RET); no linear
 *       memory, no journal output.
 *   2 — adds CONST64, SUB/SUBI, the 32-bit comparisons (register and immediate forms, EQZ), SELECT and BRZ
 *       (vm/air/program/decode.ts PROVABLE_MNEMONICS); bounds the callee's fp by 2^24 on CALL and every BOUNDARY
 *       address by 2^25, so frame-stack addresses can never wrap mod p (v1 let a deep enough dishonest recursion,
 *       or a chain of junk BOUNDARY rows, climb past p back onto an initialised slot).
 */
export const VM_AIR_VERSION = 2;

/** Table order of the AIR. */
export const TABLE = { program: 0, cpu: 1, boundary: 2, range: 3, globals: 4 } as const;

/** What the AIR reads of a program: the code (public program table) and the globals (public init values). */
export type AirProgram = Pick<Program, "code" | "entryPc" | "globalSlots" | "globalsInit">;

/** The AIR of one program (the program table's public columns make it image-specific). Throws VmAirError
 *  (UnprovableImage) for code outside the supported subset. */
export function vmAir(p: AirProgram): Air {
  return {
    name: `vm-v${VM_AIR_VERSION}`,
    numPublicInputs: NUM_PUBLICS,
    tables: [programTable(decodeProgram(p)), cpuTable, boundaryTable, rangeTable, globalsTable(globalsColumns(p))],
  };
}
