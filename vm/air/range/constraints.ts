// RANGE16 table: x = 0, 1, …, 2^16 − 1 as a committed column pinned by first/step/last constraints (a
// public periodic column of 2^16 values would cost the verifier an O(m) interpolation per proof), and the
// lookup multiplicity. The last-row pin also fixes the height to exactly 2^16.
import type { TableAir } from "../../../verifier/air.ts";
import { BUS } from "../buses.ts";

export const RANGE_COLS = { x: 0, mult: 1 } as const;
export const RANGE_LOG_HEIGHT = 16;

export const rangeTable: TableAir = {
  name: "range16",
  width: 2,
  eval(b) {
    const x = b.col(RANGE_COLS.x);
    b.whenFirstRow().assertZero(x, "range16/first");
    b.whenTransition().assertEq(b.next(RANGE_COLS.x), x.add(1), "range16/step");
    b.whenLastRow().assertEq(x, 2 ** RANGE_LOG_HEIGHT - 1, "range16/last");
    b.receive(BUS.RANGE, [x], b.col(RANGE_COLS.mult));
  },
};

/** Range table columns for the given multiplicities (index = value). */
export function rangeTrace(mult: Uint32Array): Uint32Array[] {
  const n = 2 ** RANGE_LOG_HEIGHT;
  const x = new Uint32Array(n);
  for (let i = 0; i < n; i++) x[i] = i;
  return [x, mult];
}
