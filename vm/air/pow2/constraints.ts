// POW2 table (docs/vm-air.md §6): receives (s, l0, l1, l2, l3) with 2^s = Σ 2^(16k)·l_k, s = 0..63, on BUS.POW2
// with an unbounded committed multiplicity. The SHIFT gadget (§4.5) keys it on s (or 32 − s) and multiplies by
// the limbs; the lookup also range-checks s < 64.
//
// The values are five public periodic columns of length 64, computed by the verifier (`POW2_PERIODIC`); the
// only committed column is `mult`. Why periodic rather than a committed counter + doubling rule: at 64 rows the
// verifier's cost is negligible (each periodic column is interpolated once, O(64²) with H5's periodicCoeffs,
// and evaluated at ζ), whereas a committed version needs 5 more columns and ~10 constraints whose no-wrap
// arguments (carries between limbs) would need their own checks. Nothing to forge: a prover controls only
// `mult`.
//
// Constraints: none of its own; the LogUp constraint h·(α − f) − mult has degree 2 (periodic columns count as
// degree 1). No wrap: every tuple entry is a constant < 2^16 < p.
// Height: any power of two ≥ 64 (the verifier rejects a height below a periodic column's length,
// HeightOutOfRange); a taller table repeats the 64 valid tuples, which stays sound — every row is a valid pair.
// `pow2Trace` builds exactly 64 rows (= MIN_TABLE_HEIGHT).
import type { TableAir } from "../../../verifier/air.ts";
import { BUS, MIN_TABLE_HEIGHT } from "../buses.ts";

export const POW2_COLS = { mult: 0 } as const;
export const POW2_HEIGHT = 64;
/** Periodic column indices: s, then the limbs l0..l3 of 2^s. */
export const POW2_PERIODIC_COLS = { s: 0, limb0: 1 } as const;

/** The four 16-bit limbs of 2^s (s < 64), least significant first. */
export function pow2Limbs(s: number): [number, number, number, number] {
  const l: [number, number, number, number] = [0, 0, 0, 0];
  l[s >> 4] = 2 ** (s & 15);
  return l;
}

/** The verifier's periodic columns: s, l0, l1, l2, l3 (64 values each). */
export const POW2_PERIODIC: readonly (readonly number[])[] = (() => {
  const cols: number[][] = [[], [], [], [], []];
  for (let s = 0; s < POW2_HEIGHT; s++) {
    cols[0]!.push(s);
    pow2Limbs(s).forEach((v, k) => cols[1 + k]!.push(v));
  }
  return cols;
})();

if (POW2_HEIGHT < MIN_TABLE_HEIGHT) throw new Error("pow2: table below MIN_TABLE_HEIGHT");

export const pow2Table: TableAir = {
  name: "pow2",
  width: 1,
  periodic: POW2_PERIODIC,
  eval(b) {
    const tuple = [0, 1, 2, 3, 4].map((j) => b.periodic(j));
    b.receive(BUS.POW2, tuple, b.col(POW2_COLS.mult));
  },
};

/** POW2 table columns (64 rows) for the given multiplicities (index = s). */
export function pow2Trace(mult: Uint32Array): Uint32Array[] {
  if (mult.length !== POW2_HEIGHT) throw new RangeError(`pow2: expected ${POW2_HEIGHT} multiplicities, got ${mult.length}`);
  return [mult.slice()];
}
