// BYTEPROP table (docs/vm-air.md §6): receives (kind, x, f_kind(x), [x = 0]) for every byte x and kind ∈ {0 clz8,
// 1 ctz8, 2 popcount8} on BUS.BYTEPROP with an unbounded committed multiplicity: CLZ/CTZ/POPCNT look up each byte
// of their operand (which also range-checks it: only bytes have rows).
//
// The tuples are public periodic columns of 1,024 rows (3 × 256 valid rows, then padding whose `exists` column
// forces its multiplicity to 0), computed by the verifier; a prover controls only `mult`. Constraints: the
// padding rule (degree 2) and the LogUp term (degree 2). No wrap: every entry is < 2^16.
import type { TableAir } from "../../../verifier/air.ts";
import { BUS } from "../buses.ts";

export const BYTEPROP_HEIGHT = 1024;
export const BYTEPROP_KIND = { clz: 0, ctz: 1, pop: 2 } as const;

const clz8 = (x: number): number => (x === 0 ? 8 : Math.clz32(x) - 24);
const ctz8 = (x: number): number => (x === 0 ? 8 : 31 - Math.clz32(x & -x));
const pop8 = (x: number): number => { let n = 0; for (let v = x; v; v &= v - 1) n++; return n; };

/** f_kind(x) for a byte x. */
export function byteProp(kind: number, x: number): number {
  return kind === BYTEPROP_KIND.clz ? clz8(x) : kind === BYTEPROP_KIND.ctz ? ctz8(x) : pop8(x);
}
/** Row of (kind, x). */
export const bytePropIndex = (kind: number, x: number): number => 256 * kind + x;

/** The verifier's periodic columns: kind, x, value, isZero, exists. */
export const BYTEPROP_PERIODIC: readonly (readonly number[])[] = (() => {
  const cols: number[][] = [[], [], [], [], []];
  for (let i = 0; i < BYTEPROP_HEIGHT; i++) {
    const kind = i >> 8, x = i & 255, real = kind < 3 ? 1 : 0;
    cols[0]!.push(real ? kind : 0);
    cols[1]!.push(real ? x : 0);
    cols[2]!.push(real ? byteProp(kind, x) : 0);
    cols[3]!.push(real && x === 0 ? 1 : 0);
    cols[4]!.push(real);
  }
  return cols;
})();

export const bytePropTable: TableAir = {
  name: "byteprop",
  width: 1,
  periodic: BYTEPROP_PERIODIC,
  eval(b) {
    const mult = b.col(0);
    b.assertZero(mult.mul(b.constant(1).sub(b.periodic(4))), "byteprop/padding-not-looked-up");
    b.receive(BUS.BYTEPROP, [0, 1, 2, 3].map((j) => b.periodic(j)), mult);
  },
};

/** BYTEPROP columns for the given multiplicities (index = bytePropIndex). */
export function bytePropTrace(mult: Uint32Array): Uint32Array[] {
  if (mult.length !== BYTEPROP_HEIGHT) throw new RangeError(`byteprop: expected ${BYTEPROP_HEIGHT} multiplicities, got ${mult.length}`);
  return [mult.slice()];
}
