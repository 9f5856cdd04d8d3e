// vm/air/cop.ts transpose: rows carved from shared chunks (vm/air/row-slab.ts) are read through flat block views;
// every other row value by value. Both must give exactly the naive column layout.
import { describe, expect, it } from "vitest";
import { transpose } from "../vm/air/cop.ts";
import { rowAllocator } from "../vm/air/row-slab.ts";

function naive(rows: readonly Uint32Array[], width: number, height: number): Uint32Array[] {
  const cols = Array.from({ length: width }, () => new Uint32Array(height));
  rows.forEach((r, i) => { for (let j = 0; j < width; j++) cols[j]![i] = r[j] ?? 0; });
  return cols;
}

describe("transpose", () => {
  it("chunk rows across chunk boundaries, standalone rows, interleaved chunks and short rows", () => {
    const width = 7;
    const a = rowAllocator(width), b = rowAllocator(width);
    let v = 1;
    const fill = (r: Uint32Array) => { for (let j = 0; j < r.length; j++) r[j] = v++; return r; };
    const rows: Uint32Array[] = [];
    for (let i = 0; i < 5000; i++) rows.push(fill(a())); // crosses two 2,048-row chunks
    rows.push(fill(new Uint32Array(width)), fill(new Uint32Array(width)));
    for (let i = 0; i < 300; i++) rows.push(fill(i % 3 === 0 ? b() : a())); // alternating chunks
    rows.push(fill(new Uint32Array(3))); // shorter than width: zeros beyond
    rows.push(fill(a()).subarray(0, width)); // a view of a chunk row again
    rows.splice(100, 0, rows[50]!); // the same row twice (not at the next offset)
    const height = 8192;
    const got = transpose(rows, width, height), want = naive(rows, width, height);
    for (let j = 0; j < width; j++) expect(Buffer.compare(Buffer.from(got[j]!.buffer), Buffer.from(want[j]!.buffer)), `column ${j}`).toBe(0);
  });
});
