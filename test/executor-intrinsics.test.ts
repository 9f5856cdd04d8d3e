// The shared intrinsics (vm/intrinsics.ts) against straightforward BigInt / node:crypto references.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { axpy, dot, dotBig, fxmul, mul64, lastMulHi, roundShiftBig, roundShiftPairToI32, sha256Compress, SHA256_IV } from "../vm/intrinsics.ts";
import { isVmError } from "../vm/errors.ts";

// Small deterministic PRNG (xorshift32) so failures reproduce.
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s | 0;
  };
}
const edge = [0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0x10000, -0x10000, 0x8000, -0x8000, 0xffff, 46341, -46341];
function interesting(r: () => number): number {
  const k = r() & 7;
  if (k === 0) return edge[(r() >>> 0) % edge.length]!;
  if (k === 1) return r() >> ((r() >>> 0) % 32);
  return r();
}
function fitsI32(v: bigint): boolean {
  return v >= -(1n << 31n) && v < 1n << 31n;
}
function kindOf(f: () => unknown): string | number {
  try {
    return f() as number;
  } catch (e) {
    if (isVmError(e)) return e.kind;
    throw e;
  }
}

describe("mul64 and rounding", () => {
  it("mul64 is the exact signed 64-bit product", () => {
    const r = rng(7);
    for (let i = 0; i < 20000; i++) {
      const a = interesting(r), b = interesting(r);
      const lo = mul64(a, b);
      const got = (BigInt(lastMulHi()) << 32n) | BigInt(lo);
      expect(got).toBe(BigInt(a) * BigInt(b));
    }
  });
  it("roundShiftPairToI32 matches R(v, s) on exact integers, incl. 65-bit intermediates", () => {
    const r = rng(11);
    for (let i = 0; i < 20000; i++) {
      const hi = i % 50 === 0 ? 0x7fffffff : interesting(r);
      const lo = interesting(r) >>> 0;
      const s = (r() >>> 0) % 64;
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      const want = roundShiftBig(v, s);
      const got = roundShiftPairToI32(hi, lo, s);
      if (fitsI32(want)) expect(got).toBe(Number(want));
      else expect(got).toBeNaN();
    }
    // Round half up, including for negatives: R(-3, 1) = (-3 + 1) >> 1 = -1; R(-1, 1) = 0.
    expect(roundShiftPairToI32(-1, 0xfffffffd, 1)).toBe(-1);
    expect(roundShiftPairToI32(-1, 0xffffffff, 1)).toBe(0);
    // 2^63 - 1 rounded by 63 bits is 1 (needs a 65th bit on the way).
    expect(roundShiftPairToI32(0x7fffffff, 0xffffffff, 63)).toBe(1);
  });
});

describe("fxmul", () => {
  it("equals R(a*b, 16) or traps FixedPointOverflow", () => {
    const r = rng(3);
    for (let i = 0; i < 20000; i++) {
      const a = interesting(r), b = interesting(r);
      const want = roundShiftBig(BigInt(a) * BigInt(b), 16);
      const got = kindOf(() => fxmul(a, b));
      expect(got).toBe(fitsI32(want) ? Number(want) : "FixedPointOverflow");
    }
    expect(fxmul(0x18000, 0x10000)).toBe(0x18000); // 1.5 * 1 = 1.5
    expect(fxmul(1, 0x8000)).toBe(1); // 2^-16 * 0.5 = half an ulp → rounds up
    expect(fxmul(-1, 0x8000)).toBe(0); // -half an ulp → rounds up to 0
    expect(kindOf(() => fxmul(0x7fffffff, 0x20000))).toBe("FixedPointOverflow");
  });
});

function memOf(words: number[], extra = 0): DataView {
  const dv = new DataView(new ArrayBuffer(words.length * 4 + extra));
  words.forEach((w, i) => dv.setInt32(i * 4, w, true));
  return dv;
}

/**
 * `iters` random dot products against the BigInt reference, aligned and one byte further on (the DataView path):
 * `len` words of memory, n in [nMin, nMin + nSpan), strides in [−sMax, sMax], and every third memory all one
 * extreme value when `extremes` (same-sign block sums then exceed 2^53 unless folded every 64 elements).
 */
function dotAgainstBigInt(seed: number, iters: number, len: number, nMin: number, nSpan: number, sMax: number, extremes: boolean): void {
  const r = rng(seed);
  for (let iter = 0; iter < iters; iter++) {
    const extreme = extremes && iter % 3 === 0 ? [0x7fffffff, -0x80000000][iter % 2]! : undefined;
    const words: number[] = [];
    for (let i = 0; i < len; i++) words.push(extreme ?? interesting(r));
    const mem = memOf(words);
    const n = nMin + ((r() >>> 0) % nSpan);
    const sx = ((r() >>> 0) % (2 * sMax + 1)) - sMax, sy = ((r() >>> 0) % (2 * sMax + 1)) - sMax;
    const x0 = len / 2 - 8 + ((r() >>> 0) % 16), y0 = len / 2 - 8 + ((r() >>> 0) % 16);
    const acc = BigInt.asIntN(64, (BigInt(interesting(r)) << 32n) | BigInt(interesting(r) >>> 0));
    const shift = (r() >>> 0) % 64;
    let s = acc;
    for (let i = 0; i < n; i++) s = BigInt.asIntN(64, s + BigInt(words[x0 + i * sx]!) * BigInt(words[y0 + i * sy]!));
    const want = roundShiftBig(s, shift);
    const got = kindOf(() => dotBig(mem, x0 * 4, y0 * 4, n, sx, sy, acc, shift));
    expect(got).toBe(fitsI32(want) ? Number(want) : "FixedPointOverflow");
    const shifted = new DataView(new ArrayBuffer(mem.byteLength + 1));
    new Uint8Array(shifted.buffer).set(new Uint8Array(mem.buffer), 1);
    expect(kindOf(() => dotBig(shifted, x0 * 4 + 1, y0 * 4 + 1, n, sx, sy, acc, shift))).toBe(got);
  }
}

describe("dot", () => {
  it("matches a BigInt reference with strides, accumulators and shifts", () => dotAgainstBigInt(5, 2000, 64, 0, 9, 2, false));
  it("matches the BigInt reference over several 64-element accumulation blocks (extreme values, strides, unaligned)", () =>
    dotAgainstBigInt(11, 300, 1024, 60, 200, 1, true));
  it("wraps the sum mod 2^64 like i64.add", () => {
    const m = 0x7fffffff;
    const mem = memOf([m, m, m, m]);
    // acc = 2^63 - 1 (max i64); adding (2^31-1)^2 wraps negative; shift 63 → -1 after rounding.
    const acc = (1n << 63n) - 1n;
    const s = BigInt.asIntN(64, acc + BigInt(m) * BigInt(m));
    expect(dotBig(mem, 0, 4, 1, 0, 0, acc, 63)).toBe(Number(roundShiftBig(s, 63)));
  });
  it("stays exact over 2^19 + 5 elements on extreme values, aligned and unaligned", () => {
    const n = (1 << 19) + 5;
    for (const [x, y] of [[-0x80000000, -0x80000000], [0x7fffffff, -0x80000000], [0x7fffffff, 0x7fffffff], [-1, 0x12345678]]) {
      for (const off of [0, 1]) {
        const dv = new DataView(new ArrayBuffer(16));
        dv.setInt32(off, x!, true);
        dv.setInt32(off + 8, y!, true);
        const acc = -(1n << 63n) + 12345n;
        const s = BigInt.asIntN(64, acc + BigInt(n) * BigInt(x!) * BigInt(y!));
        const want = roundShiftBig(s, 63);
        expect(kindOf(() => dotBig(dv, off, off + 8, n, 0, 0, acc, 63))).toBe(fitsI32(want) ? Number(want) : "FixedPointOverflow");
        const s32 = roundShiftBig(s, 32);
        expect(kindOf(() => dotBig(dv, off, off + 8, n, 0, 0, acc, 32))).toBe(fitsI32(s32) ? Number(s32) : "FixedPointOverflow");
      }
    }
  });
  it("validates operands and bounds", () => {
    const mem = memOf([1, 2, 3, 4]);
    expect(kindOf(() => dot(mem, 0, 0, -1, 1, 1, 0, 0, 0))).toBe("InvalidOperand");
    expect(kindOf(() => dot(mem, 0, 0, 1, 1, 1, 0, 0, 64))).toBe("InvalidOperand");
    expect(kindOf(() => dot(mem, 0, 0, 1, 1, 1, 0, 0, -1))).toBe("InvalidOperand");
    expect(kindOf(() => dot(mem, 0, 0, 4, 1, 1, 0, 0, 0))).toBe(1 + 4 + 9 + 16);
    expect(kindOf(() => dot(mem, 0, 0, 5, 1, 1, 0, 0, 0))).toBe("MemoryOutOfBounds");
    expect(kindOf(() => dot(mem, 13, 0, 1, 1, 1, 0, 0, 0))).toBe("MemoryOutOfBounds");
    expect(kindOf(() => dot(mem, 0, 12, 2, 1, -4, 0, 0, 0))).toBe("MemoryOutOfBounds"); // negative address
    expect(kindOf(() => dot(mem, 0xfffffffc, 0, 1, 1, 1, 0, 0, 0))).toBe("MemoryOutOfBounds");
    expect(dot(mem, 0, 0, 0, 1, 1, 5, 0, 1)).toBe(3); // n = 0: R(acc, shift) = (5 + 1) >> 1
  });
});

describe("axpy", () => {
  it("matches a reference, in order, with overlap", () => {
    const r = rng(9);
    for (let iter = 0; iter < 2000; iter++) {
      const words: number[] = [];
      for (let i = 0; i < 32; i++) words.push(r() >> ((r() >>> 0) % 32));
      const mem = memOf(words);
      const ref = [...words];
      const n = (r() >>> 0) % 6;
      const sx = ((r() >>> 0) % 3) - 1, sy = ((r() >>> 0) % 3) - 1;
      const x0 = 8 + ((r() >>> 0) % 8), y0 = 8 + ((r() >>> 0) % 8);
      // small factors (products below 2^52: the floor path) as often as extreme ones (the exact 64-bit path)
      const a = iter % 2 === 0 ? interesting(r) : r() >> 12;
      const shift = (r() >>> 0) % 40;
      let want: string | undefined;
      for (let i = 0; i < n && !want; i++) {
        const t = roundShiftBig(BigInt(a) * BigInt(ref[x0 + i * sx]!), shift);
        if (!fitsI32(t)) { want = "FixedPointOverflow"; break; }
        const s = BigInt(ref[y0 + i * sy]!) + t;
        if (!fitsI32(s)) { want = "FixedPointOverflow"; break; }
        ref[y0 + i * sy] = Number(s);
      }
      // the same vectors one byte further on (the DataView path) before the aligned run changes them
      const shifted = new DataView(new ArrayBuffer(mem.byteLength + 1));
      new Uint8Array(shifted.buffer).set(new Uint8Array(mem.buffer), 1);
      const got = kindOf(() => axpy(mem, y0 * 4, x0 * 4, n, sy, sx, a, shift));
      expect(kindOf(() => axpy(shifted, y0 * 4 + 1, x0 * 4 + 1, n, sy, sx, a, shift))).toBe(got);
      if (want) expect(got).toBe(want);
      else {
        expect(got).toBeUndefined();
        for (let i = 0; i < 32; i++) expect(mem.getInt32(i * 4, true)).toBe(ref[i]);
        for (let i = 0; i < 32; i++) expect(shifted.getInt32(i * 4 + 1, true)).toBe(ref[i]);
      }
    }
  });
  it("validates operands and bounds", () => {
    const mem = memOf([1, 2, 3, 4]);
    expect(kindOf(() => axpy(mem, 0, 0, -2, 1, 1, 1, 0))).toBe("InvalidOperand");
    expect(kindOf(() => axpy(mem, 0, 0, 1, 1, 1, 1, 99))).toBe("InvalidOperand");
    expect(kindOf(() => axpy(mem, 8, 0, 3, 1, 1, 1, 0))).toBe("MemoryOutOfBounds");
  });
});

describe("sha256Compress", () => {
  it("hashes one padded block like node:crypto", () => {
    const msg = new TextEncoder().encode("abc");
    const dv = new DataView(new ArrayBuffer(32 + 64));
    SHA256_IV.forEach((h, i) => dv.setUint32(i * 4, h, true));
    const block = new Uint8Array(dv.buffer, 32, 64);
    block.set(msg);
    block[msg.length] = 0x80;
    dv.setUint32(32 + 60, msg.length * 8, false);
    sha256Compress(dv, 0, 32);
    const digest = Buffer.alloc(32);
    for (let i = 0; i < 8; i++) digest.writeUInt32BE(dv.getUint32(i * 4, true), i * 4);
    expect(digest.toString("hex")).toBe(createHash("sha256").update("abc").digest("hex"));
  });
  it("traps on out-of-bounds state or block", () => {
    const dv = new DataView(new ArrayBuffer(90));
    expect(kindOf(() => sha256Compress(dv, 60, 0))).toBe("MemoryOutOfBounds");
    expect(kindOf(() => sha256Compress(dv, 0, 30))).toBe("MemoryOutOfBounds");
  });
});
