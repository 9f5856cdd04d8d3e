// AND8 table (docs/vm-air.md §6): receives (x, y, x & y) on BUS.AND8 for bytes x, y, with an unbounded committed
// multiplicity. One lookup serves AND (x & y), OR (x + y − and), XOR (x + y − 2·and) and range-checks both bytes.
//
// Columns (18 committed): bits x_0..x_7, y_0..y_7, `and`, `mult`. The tuple is
//   X = Σ 2^i·x_i,  Y = Σ 2^i·y_i,  A = `and`,   with  `and` = Σ 2^i·x_i·y_i.
// Constraints (17 + the LogUp one; every one of degree 2):
//   - x_i·(x_i − 1) = 0, y_i·(y_i − 1) = 0 (16 booleans): no wrap, a field element e with e(e − 1) = 0 is 0 or 1.
//   - and = Σ 2^i·x_i·y_i: with boolean bits the right side is an integer in [0, 255] < p, so the equation mod p
//     pins `and` to exactly the integer X & Y (a canonical cell holding it).
//   - X and Y are linear forms of the bits with integer value in [0, 255] < p: no wrap, they are the bytes whose
//     binary digits the bits are. The LogUp constraint h·(α − f) − mult has degree 1 + 1 = 2 (tuple linear).
//
// Why no counters (x, y stepping through 0..255 as RANGE16's x does): soundness only needs every row's tuple to
// be a valid triple (x, y, x & y) with x, y < 256, whatever the row order, duplicates or height — a looked-up
// tuple that is not a valid triple then matches no table row, so its (bounded, < p) count cannot be cancelled
// (docs/proof-system.md "No wrap-around mod p"). The bits give exactly that on every row, so counters and a
// last-row pin would only force completeness (every pair present), which is the honest prover's business:
// `and8Trace` lays out all 2^16 pairs, row r = 256·x + y. (RANGE16 needs its counter because its x has no
// other constraint, and its last-row pin because a taller table would contain values ≥ 2^16.) The same
// argument makes a shorter table sound: `and8TraceCompact` keeps only the pairs looked up (see its comment).
import type { TableAir } from "../../../verifier/air.ts";
import { BUS, MIN_TABLE_HEIGHT } from "../buses.ts";

export const AND8_COLS = {
  /** bit i of x: column xBit + i */
  xBit: 0,
  /** bit i of y: column yBit + i */
  yBit: 8,
  and: 16,
  mult: 17,
} as const;
export const AND8_WIDTH = 18;
export const AND8_LOG_HEIGHT = 16;

/** Index of the pair (x, y) in a multiplicity array (and its row in the full table). */
export const and8Index = (x: number, y: number): number => x * 256 + y;

export const and8Table: TableAir = {
  name: "and8",
  width: AND8_WIDTH,
  eval(b) {
    let x = b.constant(0);
    let y = b.constant(0);
    let and = b.constant(0);
    for (let i = 0; i < 8; i++) {
      const xi = b.col(AND8_COLS.xBit + i);
      const yi = b.col(AND8_COLS.yBit + i);
      b.assertBool(xi, `and8/x${i}-bool`);
      b.assertBool(yi, `and8/y${i}-bool`);
      x = x.add(xi.mul(2 ** i));
      y = y.add(yi.mul(2 ** i));
      and = and.add(xi.mul(yi).mul(2 ** i));
    }
    const a = b.col(AND8_COLS.and);
    b.assertEq(a, and, "and8/and");
    b.receive(BUS.AND8, [x, y, a], b.col(AND8_COLS.mult));
  },
};

function rowsOf(pairs: ArrayLike<number>, mults: ArrayLike<number>, height: number): Uint32Array[] {
  const cols = Array.from({ length: AND8_WIDTH }, () => new Uint32Array(height));
  for (let r = 0; r < pairs.length; r++) {
    const k = pairs[r]!;
    const x = k >>> 8, y = k & 255;
    for (let i = 0; i < 8; i++) {
      cols[AND8_COLS.xBit + i]![r] = (x >>> i) & 1;
      cols[AND8_COLS.yBit + i]![r] = (y >>> i) & 1;
    }
    cols[AND8_COLS.and]![r] = x & y;
    cols[AND8_COLS.mult]![r] = mults[r]!;
  }
  return cols; // rows ≥ pairs.length stay all-zero: the valid triple (0, 0, 0) with multiplicity 0
}

function checkMult(mult: Uint32Array): void {
  if (mult.length !== 2 ** AND8_LOG_HEIGHT) throw new RangeError(`and8: expected ${2 ** AND8_LOG_HEIGHT} multiplicities, got ${mult.length}`);
}

/** The full AND8 table (2^16 rows, row 256·x + y) for the given multiplicities (index `and8Index(x, y)`). */
export function and8Trace(mult: Uint32Array): Uint32Array[] {
  checkMult(mult);
  const n = 2 ** AND8_LOG_HEIGHT;
  const pairs = new Uint32Array(n);
  for (let i = 0; i < n; i++) pairs[i] = i;
  return rowsOf(pairs, mult, n);
}

/**
 * A short AND8 table: only the pairs with a non-zero multiplicity (in index order), padded with (0, 0, 0) rows of
 * multiplicity 0 to a power of two ≥ MIN_TABLE_HEIGHT. Sound for the same reason as the full table (every row
 * is a valid triple); much cheaper when few distinct pairs are looked up. It reveals the table height, i.e. the
 * number of distinct pairs up to a power of two — use the full table where that matters.
 */
export function and8TraceCompact(mult: Uint32Array): Uint32Array[] {
  checkMult(mult);
  const pairs: number[] = [];
  const mults: number[] = [];
  for (let i = 0; i < mult.length; i++) {
    if (mult[i] !== 0) {
      pairs.push(i);
      mults.push(mult[i]!);
    }
  }
  let height = MIN_TABLE_HEIGHT;
  while (height < pairs.length) height *= 2;
  return rowsOf(pairs, mults, height);
}
