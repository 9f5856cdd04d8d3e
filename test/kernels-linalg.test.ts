import { describe, expect, it } from "vitest";
import { combineColumns, dotColumns } from "../prover/kernels/linalg.ts";
import { KernelError } from "../prover/kernels/errors.ts";

const P = 2013265921n;

/** Deterministic canonical elements, with the extremes 0, 1 and p − 1 mixed in. */
function elements(len: number, seed: number): Uint32Array {
  const out = new Uint32Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const r = s % 16;
    out[i] = r === 0 ? 2013265920 : r === 1 ? 0 : r === 2 ? 1 : s % 2013265921;
  }
  return out;
}

function refDot(cols: Uint32Array[], w: Uint32Array): number[] {
  const len = w.length / 4;
  const out: number[] = [];
  for (const c of cols) {
    for (let k = 0; k < 4; k++) {
      let acc = 0n;
      for (let i = 0; i < len; i++) acc += BigInt(c[i]!) * BigInt(w[k * len + i]!);
      out.push(Number(acc % P));
    }
  }
  return out;
}

function refCombine(cols: Uint32Array[], coeffs: Uint32Array, len: number): number[] {
  const out = new Array<number>(4 * len).fill(0);
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < len; i++) {
      let acc = 0n;
      cols.forEach((c, j) => { if (i < c.length) acc += BigInt(coeffs[4 * j + k]!) * BigInt(c[i]!); });
      out[k * len + i] = Number(acc % P);
    }
  }
  return out;
}

describe("dotColumns (base columns · extension weights per row)", () => {
  for (const [m, len] of [[1, 1], [3, 7], [5, 64], [4, 8192 + 13]] as const) {
    it(`matches a BigInt reference for ${m} columns of ${len} rows`, () => {
      const cols = Array.from({ length: m }, (_, j) => elements(len, 100 + j));
      const w = elements(4 * len, 7 + len);
      expect(Array.from(dotColumns(cols, w))).toEqual(refDot(cols, w));
    });
  }
  it("is at its largest with every value p − 1 (no overflow of the unreduced sums)", () => {
    const len = 20000;
    const cols = [new Uint32Array(len).fill(2013265920)];
    const w = new Uint32Array(4 * len).fill(2013265920);
    const expected = Number((BigInt(len) % P) * ((P - 1n) * (P - 1n) % P) % P);
    expect(Array.from(dotColumns(cols, w))).toEqual([expected, expected, expected, expected]);
  });
  it("treats shorter columns as zero-padded", () => {
    const len = 8192 + 21;
    const cols = [elements(len, 5), elements(8191, 6), elements(2, 7), new Uint32Array(0)];
    const w = elements(4 * len, 8);
    const padded = cols.map((c) => { const p = new Uint32Array(len); p.set(c); return p; });
    expect(Array.from(dotColumns(cols, w))).toEqual(refDot(padded, w));
  });
  it("rejects mismatched lengths with a typed error", () => {
    expect(() => dotColumns([new Uint32Array(5)], new Uint32Array(16))).toThrow(KernelError);
    expect(() => dotColumns([new Uint32Array(4)], new Uint32Array(15))).toThrow(/4 coordinates/);
  });
});

describe("combineColumns (extension coefficient per column, result per row)", () => {
  for (const [m, len] of [[1, 1], [3, 9], [6, 8192 + 5]] as const) {
    it(`matches a BigInt reference for ${m} columns of ${len} rows`, () => {
      const cols = Array.from({ length: m }, (_, j) => elements(len, 300 + j));
      const coeffs = elements(4 * m, 11 + m);
      expect(Array.from(combineColumns(cols, coeffs, len))).toEqual(refCombine(cols, coeffs, len));
    });
  }
  it("treats shorter columns as zero-padded", () => {
    const len = 8192 + 40;
    const cols = [elements(len, 1), elements(8190, 2), elements(3, 3)];
    const coeffs = elements(12, 4);
    expect(Array.from(combineColumns(cols, coeffs, len))).toEqual(refCombine(cols, coeffs, len));
  });
  it("rejects bad shapes with typed errors", () => {
    const bad = (f: () => unknown) => {
      try { f(); } catch (e) { return (e as KernelError).kind; }
      return "no error";
    };
    expect(bad(() => combineColumns([new Uint32Array(4)], new Uint32Array(3), 4))).toBe("InvalidArgument");
    expect(bad(() => combineColumns([new Uint32Array(9)], new Uint32Array(4), 8))).toBe("InvalidArgument");
    expect(bad(() => combineColumns([], new Uint32Array(0), -1))).toBe("InvalidArgument");
  });
});
