// PROGRAM table: public decoded columns (periodic with period = height, evaluated by the verifier from the
// code) and one committed column, the fetch multiplicity. docs/vm-air.md §3.
import type { TableAir } from "../../../verifier/air.ts";
import { BUS } from "../buses.ts";
import { DECODE_FIELDS, type ProgramColumns } from "./decode.ts";

export const PROGRAM_COLS = { mult: 0 } as const;

export function programTable(pc: ProgramColumns): TableAir {
  return {
    name: "program",
    width: 1,
    periodic: pc.columns,
    eval(b) {
      const mult = b.col(PROGRAM_COLS.mult);
      const exists = b.periodic(DECODE_FIELDS.length);
      // Padding rows of the program can never be fetched.
      b.assertZero(mult.mul(b.constant(1).sub(exists)), "program/padding-not-fetched");
      b.receive(BUS.FETCH, DECODE_FIELDS.map((_, j) => b.periodic(j)), mult);
    },
  };
}
