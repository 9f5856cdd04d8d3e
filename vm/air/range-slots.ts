// RANGE16 lookups shared by exclusive row kinds (CPU families, coprocessor row kinds).
import type { AirBuilder, Expr } from "../../verifier/air.ts";
import { BUS } from "./buses.ts";

/**
 * RANGE16 lookups shared by exclusive families: slot i sends Σ_f flag_f · value_f,i with multiplicity Σ flag_f.
 * The family flags are one-hot on real rows (and all zero on padding), so each slot looks up exactly the value of
 * the row's family, and the table pays for the largest family's lookups, not their sum. Flags and values are
 * degree 1, so an interaction stays degree 3.
 */
export class RangeSlots {
  private readonly slots: { flag: Expr; value: Expr }[][] = [];
  family(flag: Expr, values: readonly Expr[]): void {
    values.forEach((value, i) => (this.slots[i] ??= []).push({ flag, value }));
  }
  emit(b: AirBuilder): void {
    for (const slot of this.slots) {
      const value = slot.map((e) => e.flag.mul(e.value)).reduce((x, y) => x.add(y));
      const mult = slot.map((e) => e.flag).reduce((x, y) => x.add(y));
      b.send(BUS.RANGE, [value], mult, 1);
    }
  }
}
