// GLOBALS table: the image's initial global slots as public (periodic) columns, evaluated by the verifier
// from the config; each row sends (slot, init limbs) once to BOUNDARY. docs/vm-air.md §5.3.
import type { TableAir } from "../../../verifier/air.ts";
import type { Program } from "../../program.ts";
import { BUS, MIN_TABLE_HEIGHT } from "../buses.ts";

export interface GlobalsColumns {
  readonly height: number;
  /** slot, v0, v1, exists */
  readonly columns: readonly number[][];
}

export function globalsColumns(p: Pick<Program, "globalsInit">): GlobalsColumns {
  const g = p.globalsInit.length;
  let height = MIN_TABLE_HEIGHT;
  while (height < g) height *= 2;
  const cols = [0, 1, 2, 3].map(() => new Array<number>(height).fill(0));
  for (let i = 0; i < g; i++) {
    const v = p.globalsInit[i]! >>> 0;
    cols[0]![i] = i;
    cols[1]![i] = v & 0xffff;
    cols[2]![i] = v >>> 16;
    cols[3]![i] = 1;
  }
  return { height, columns: cols };
}

export function globalsTable(gc: GlobalsColumns): TableAir {
  return {
    name: "globals",
    // The framework needs a committed column; this one is pinned to zero and carries nothing.
    width: 1,
    periodic: gc.columns,
    eval(b) {
      b.assertZero(b.col(0), "globals/unused-zero");
      b.send(BUS.GLOBALS, [b.periodic(0), b.periodic(1), b.periodic(2)], b.periodic(3), 1);
    },
  };
}
