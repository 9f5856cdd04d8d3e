// TABLEFN table: the call_indirect table as public (periodic) columns, one row per non-null entry
// (idx, callee pc, signature id, save slot), computed by the verifier from the image config; one committed
// column, the lookup multiplicity. CALLI rows of the CPU look up (r[a], target pc, c, save) in it
// (docs/vm-air.md §3). An index out of range, a null entry or another signature has no row: that CALLI has no
// valid CPU row (the executor traps IndirectCallMismatch; no receipt). Padding rows (`exists` = 0) can never be
// looked up (their multiplicity is forced to 0, as in PROGRAM).
import type { TableAir } from "../../../verifier/air.ts";
import type { FunctionInfo, Program } from "../../program.ts";
import { BUS, MIN_TABLE_HEIGHT, VmAirError } from "../buses.ts";
import { FRAME } from "../../isa.ts";

/** What TABLEFN reads of a program: the call_indirect table and the layout of the functions it names. */
export interface CallTable {
  readonly functions: readonly Pick<FunctionInfo, "pc" | "sig" | "saveSlot">[];
  readonly table: Pick<Program, "table">["table"];
}

/** Public columns, in this order: idx0, idx1 (16-bit limbs of the index), pc, sig0, sig1 (limbs of the signature
 *  id), save, exists. */
export const TABLEFN_COLS = { idx0: 0, idx1: 1, pc: 2, sig0: 3, sig1: 4, save: 5, exists: 6 } as const;
const NUM_COLS = 7;

/** Frame slots must stay below 2^24 + 2^24 (docs/vm-air.md §17.1): the save slot and the one above it too. */
const MAX_SAVE = 2 ** 24 - FRAME.saveSlots;

export interface TableFnColumns {
  readonly height: number;
  readonly columns: readonly number[][];
  /** Row of each non-null table index (the trace builder puts the multiplicities there). */
  readonly rowOf: ReadonlyMap<number, number>;
}

/**
 * The public columns of TABLEFN for a call_indirect table, padded to a power of two ≥ MIN_TABLE_HEIGHT.
 * `instructions` (the code length) bounds the callee pcs. Throws VmAirError (UnprovableImage) for an entry the
 * AIR cannot represent: a function that does not exist, a pc outside the code, a save slot ≥ 2^24 − 2.
 */
export function tableFnColumns(t: CallTable, instructions: number): TableFnColumns {
  const rows: number[] = [];
  for (let i = 0; i < t.table.length; i++) if (t.table[i] !== -1) rows.push(i);
  let height = MIN_TABLE_HEIGHT;
  while (height < rows.length) height *= 2;
  const cols = Array.from({ length: NUM_COLS }, () => new Array<number>(height).fill(0));
  const rowOf = new Map<number, number>();
  rows.forEach((idx, r) => {
    const fi = t.table[idx]!;
    const f = fi >= 0 ? t.functions[fi] : undefined;
    if (f === undefined) throw new VmAirError("UnprovableImage", `call_indirect table entry ${idx}: function ${fi} does not exist`);
    if (!(Number.isInteger(f.pc) && f.pc >= 0 && f.pc < instructions)) throw new VmAirError("UnprovableImage", `call_indirect table entry ${idx}: callee pc ${f.pc} outside the code`);
    if (!(Number.isInteger(f.saveSlot) && f.saveSlot >= 0 && f.saveSlot < MAX_SAVE)) throw new VmAirError("UnprovableImage", `call_indirect table entry ${idx}: save slot ${f.saveSlot} ≥ 2^24 − ${FRAME.saveSlots}`);
    const sig = f.sig >>> 0;
    cols[TABLEFN_COLS.idx0]![r] = idx & 0xffff;
    cols[TABLEFN_COLS.idx1]![r] = idx >>> 16;
    cols[TABLEFN_COLS.pc]![r] = f.pc;
    cols[TABLEFN_COLS.sig0]![r] = sig & 0xffff;
    cols[TABLEFN_COLS.sig1]![r] = sig >>> 16;
    cols[TABLEFN_COLS.save]![r] = f.saveSlot;
    cols[TABLEFN_COLS.exists]![r] = 1;
    rowOf.set(idx, r);
  });
  return { height, columns: cols, rowOf };
}

export function tableFnTable(tc: TableFnColumns): TableAir {
  return {
    name: "tablefn",
    width: 1,
    periodic: tc.columns,
    eval(b) {
      const mult = b.col(0);
      // padding rows are never looked up
      b.assertZero(mult.mul(b.constant(1).sub(b.periodic(TABLEFN_COLS.exists))), "tablefn/padding-not-looked-up");
      b.receive(BUS.TABLEFN, [0, 1, 2, 3, 4, 5].map((j) => b.periodic(j)), mult);
    },
  };
}
