import { MIN_TABLE_HEIGHT } from "./buses.ts";

// What a coprocessor table's trace builder needs from the CPU trace builder, which owns the memory bookkeeping
// (last value and timestamp of every MEM-bus address) and the lookup multiplicities of the shared tables.

export interface CopContext {
  /** MEM-bus address `addr` is accessed at timestamp `ts` and holds `value` (u32) afterwards; returns its previous value and timestamp (and records the new ones). */
  access(addr: number, value: number, ts: number): { prev: number; pts: number };
  /** Counts one RANGE16 lookup of x (throws on x outside [0, 2^16)). */
  range(x: number): void;
  /** Counts one AND8 lookup of the byte pair (x, y). */
  and8(x: number, y: number): void;
}

/** A CopContext that also counts POW2 lookups (of s < 64). */
export interface CopContextPow2 extends CopContext {
  pow2(s: number): void;
}

/** Rows (each `width` wide) laid out column-major, then all-zero padding rows — at least `minPadding` — up to a
 *  power of two ≥ MIN_TABLE_HEIGHT. */
export function rowsToColumns(rows: readonly Uint32Array[], width: number, minPadding = 0): Uint32Array[] {
  let height = MIN_TABLE_HEIGHT;
  while (height < rows.length + minPadding) height *= 2;
  return transpose(rows, width, height);
}

/** Rows (each `width` wide) as `width` columns of `height` ≥ rows.length values (zero below the rows), each in its
 *  own SharedArrayBuffer. Plain loops:
 *  segment proving transposes each part's rows up to twice, and per-element closures made it seconds. */
export function transpose(rows: readonly Uint32Array[], width: number, height: number): Uint32Array[] {
  // shared memory: the prover's LDE reads shared columns in place (prover/workers/parallel.ts) instead of copying
  const cols = Array.from({ length: width }, () => new Uint32Array(new SharedArrayBuffer(4 * height)));
  // blocks of up to 64 rows × all columns: reads stay within a few rows' cache lines, writes within 64 values per
  // column. Rows carved from one chunk (vm/air/row-slab.ts) are read through one flat view of the block instead of
  // a row object per value (a 2^17 × 258 CPU segment, memory warm: 220–290 → 200–215 ms; the rest is memory traffic).
  const B = 64;
  for (let i0 = 0; i0 < rows.length;) {
    const r0 = rows[i0]!;
    let i1 = i0 + 1;
    if (r0.length === width) {
      const end = Math.min(rows.length, i0 + B);
      while (i1 < end) {
        const r = rows[i1]!;
        if (r.buffer !== r0.buffer || r.length !== width || r.byteOffset !== r0.byteOffset + 4 * width * (i1 - i0)) break;
        i1++;
      }
    }
    if (i1 - i0 > 1) {
      const flat = new Uint32Array(r0.buffer, r0.byteOffset, width * (i1 - i0));
      for (let j = 0; j < width; j++) {
        const c = cols[j]!;
        for (let i = i0, o = j; i < i1; i++, o += width) c[i] = flat[o]!;
      }
    } else {
      for (let j = 0; j < width; j++) cols[j]![i0] = r0[j]!;
    }
    i0 = i1;
  }
  return cols;
}
