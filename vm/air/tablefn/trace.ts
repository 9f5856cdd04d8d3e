// TABLEFN trace: the lookup multiplicity of each row, from the CPU's CALLI counts per table index.
import { VmAirError } from "../buses.ts";
import type { TableFnColumns } from "./constraints.ts";

export function tableFnTrace(tc: TableFnColumns, calls: ReadonlyMap<number, number>): Uint32Array[] {
  const mult = new Uint32Array(tc.height);
  for (const [idx, n] of calls) {
    const r = tc.rowOf.get(idx);
    if (r === undefined) throw new VmAirError("TraceError", `CALLI through table entry ${idx}, which has no TABLEFN row`);
    mult[r] = n;
  }
  return [mult];
}
