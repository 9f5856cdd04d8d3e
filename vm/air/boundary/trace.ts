// BOUNDARY trace: one row per touched slot and per word of each touched memory page, sorted, with its final
// value/timestamp and the gap limbs.
import type { MemCell } from "../cpu/trace.ts";
import { MIN_TABLE_HEIGHT, VmAirError } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { PAGE_WORDS, pageWord, type InitPage } from "../memory-pages.ts";
import { ADDR_HI_BITS, BOUNDARY_COLS as C, BOUNDARY_WIDTH, GAP_HI_BITS, MEM_HI } from "./constraints.ts";

/** `pages` are the touched memory pages (vm/air/memory-pages.ts): their untouched words get rows too, final =
 *  initial value at timestamp 0, consuming the verifier's init tuple unchanged. */
export function boundaryColumns(memory: Map<number, MemCell>, range: Uint32Array, globalsInit: Uint32Array, pages: readonly InitPage[] = [], initialPages = Infinity): Uint32Array[] {
  const grownFrom = MEM_BASE + initialPages * 2 ** 14; // the first word above the initial memory
  const cells = new Map(memory);
  for (const p of pages) {
    const base = MEM_BASE + p.index * PAGE_WORDS;
    for (let i = 0; i < PAGE_WORDS; i++) if (!cells.has(base + i)) cells.set(base + i, { v: pageWord(p.page, i), ts: 0 });
  }
  const listed = new Set(pages.map((p) => p.index));
  for (const a of cells.keys()) {
    if (a >= MEM_BASE && a < grownFrom && !listed.has(Math.floor((a - MEM_BASE) / PAGE_WORDS))) throw new VmAirError("TraceError", `memory word ${a - MEM_BASE} lies in no listed page`);
  }
  memory = cells;
  const addrs = [...memory.keys()].sort((a, b) => a - b);
  let n = MIN_TABLE_HEIGHT;
  while (n < addrs.length) n *= 2;
  const cols = Array.from({ length: BOUNDARY_WIDTH }, () => new Uint32Array(n));
  addrs.forEach((a, i) => {
    const cell = memory.get(a)!;
    cols[C.isReal]![i] = 1;
    cols[C.addr]![i] = a;
    cols[C.fin0]![i] = cell.v & 0xffff;
    cols[C.fin1]![i] = cell.v >>> 16;
    cols[C.finTs]![i] = cell.ts;
    if (a >= 2 ** (16 + ADDR_HI_BITS)) throw new VmAirError("TraceError", `address ${a} ≥ 2^${16 + ADDR_HI_BITS}`);
    cols[C.a0]![i] = a & 0xffff;
    cols[C.a1]![i] = a >>> 16;
    range[a & 0xffff]!++;
    range[a >>> 16]!++;
    range[(a >>> 16) * 2 ** (16 - ADDR_HI_BITS)]!++;
    const isMem = a >= MEM_BASE ? 1 : 0;
    cols[C.isMem]![i] = isMem;
    const d = (a >>> 16) - MEM_HI * isMem;
    range[d]!++;
    range[d * (isMem ? 2 ** 3 : 2 ** 7)]!++;
    if (a >= grownFrom) {
      const gd = a - grownFrom;
      cols[C.grown]![i] = 1;
      cols[C.gd0]![i] = gd & 0xffff;
      cols[C.gd1]![i] = gd >>> 16;
      range[gd & 0xffff]!++;
      range[(gd >>> 16) * 16]!++;
    }
    if (a < globalsInit.length) {
      cols[C.isGlobal]![i] = 1;
      cols[C.init0]![i] = globalsInit[a]! & 0xffff;
      cols[C.init1]![i] = globalsInit[a]! >>> 16;
    }
    if (i + 1 < addrs.length) {
      const gap = addrs[i + 1]! - a - 1;
      cols[C.g0]![i] = gap & 0xffff;
      cols[C.g1]![i] = gap >>> 16;
    }
  });
  // The gap lookups are sent with multiplicity next(is_real), which wraps from the last row to row 0.
  for (let i = 0; i < n; i++) {
    if (cols[C.isReal]![(i + 1) % n] !== 1) continue;
    const g1 = cols[C.g1]![i]!;
    range[cols[C.g0]![i]!]!++;
    range[g1]!++;
    range[g1 * 2 ** (16 - GAP_HI_BITS)]!++;
  }
  return cols;
}
