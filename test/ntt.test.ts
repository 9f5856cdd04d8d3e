import { describe, expect, it } from "vitest";
import { evaluate, interpolate, interpolateCoset } from "../prover/ntt.ts";
import { evaluateColumns, lde, ldeColumns } from "../prover/lde.ts";
import { KernelError } from "../prover/kernels/errors.ts";
import { kernels } from "../prover/kernels/index.ts";

// Independent BigInt reference: the field, roots of unity and transforms are recomputed here from the definition
// in docs/architecture.md (p = 15·2^27 + 1, g = 31, ω_k = g^((p−1)/2^k)), not imported from verifier/field.ts.
const P = 15n * 2n ** 27n + 1n;
const G = 31n;

function powB(b: bigint, e: bigint): bigint {
  let r = 1n;
  b %= P;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}
const omega = (logN: number): bigint => powB(G, (P - 1n) >> BigInt(logN));

/** Σ c_j x^j by Horner, BigInt. */
function hornerB(c: ArrayLike<number>, x: bigint): number {
  let r = 0n;
  for (let j = c.length - 1; j >= 0; j--) r = (r * x + BigInt(c[j]!)) % P;
  return Number(r);
}

/** Plain recursive radix-2 reference NTT over BigInt: evaluations of c at ω^i, i < n. */
function refNtt(c: bigint[], w: bigint): bigint[] {
  const n = c.length;
  if (n === 1) return c.slice();
  const even = refNtt(c.filter((_, i) => i % 2 === 0), (w * w) % P);
  const odd = refNtt(c.filter((_, i) => i % 2 === 1), (w * w) % P);
  const out = new Array<bigint>(n);
  let t = 1n;
  for (let i = 0; i < n / 2; i++) {
    const o = (t * odd[i]!) % P;
    out[i] = (even[i]! + o) % P;
    out[i + n / 2] = (even[i]! - o + P) % P;
    t = (t * w) % P;
  }
  return out;
}

// Deterministic PRNG so a failure is reproducible.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randVec = (r: () => number, n: number): Uint32Array => Uint32Array.from({ length: n }, () => Math.floor(r() * Number(P)));

function expectKind(f: () => unknown, kind: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KernelError);
    expect((e as KernelError).kind).toBe(kind);
    return;
  }
  throw new Error("expected a KernelError");
}

describe("NTT against a BigInt reference", () => {
  const r = rng(1);
  for (let logN = 0; logN <= 12; logN++) {
    it(`evaluate / interpolate, n = 2^${logN}`, () => {
      const n = 2 ** logN;
      const c = randVec(r, n);
      const expected = refNtt(Array.from(c, BigInt), omega(logN)).map(Number);
      const e = evaluate(c, logN);
      expect(Array.from(e)).toEqual(expected);
      expect(Array.from(interpolate(e.slice()))).toEqual(Array.from(c));
    });
  }

  // Above 2^12 points the kernels switch to whole-array passes before the cache-sized blocks: check those sizes
  // too (odd and even numbers of passes), at sampled points.
  for (const logN of [13, 14, 15]) {
    it(`evaluate / interpolate, n = 2^${logN} (sampled against Horner)`, () => {
      const r2 = rng(100 + logN);
      const c = randVec(r2, 2 ** logN);
      const e = evaluate(c, logN, 7);
      const w = omega(logN);
      for (let s = 0; s < 6; s++) {
        const i = Math.floor(r2() * 2 ** logN);
        expect(e[i]).toBe(hornerB(c, (7n * powB(w, BigInt(i))) % P));
      }
      expect(Buffer.compare(Buffer.from(interpolateCoset(e, 7).buffer), Buffer.from(c.buffer))).toBe(0);
    });
  }

  it("extreme values (0, 1, p−1) survive the round trip", () => {
    for (const v of [0, 1, Number(P) - 1]) {
      const a = new Uint32Array(64).fill(v);
      a[3] = Number(P) - 1;
      expect(Array.from(interpolate(evaluate(a, 6)))).toEqual(Array.from(a));
    }
  });

  it("random sizes: coset evaluation equals direct polynomial evaluation", () => {
    const r2 = rng(2);
    for (let trial = 0; trial < 12; trial++) {
      const logN = 1 + Math.floor(r2() * 12);
      const n = 2 ** logN;
      const m = 1 + Math.floor(r2() * n); // fewer coefficients than points: zero padding
      const c = randVec(r2, m);
      const shift = 1 + Math.floor(r2() * (Number(P) - 1));
      const e = evaluate(c, logN, shift);
      const w = omega(logN);
      for (let s = 0; s < 8; s++) {
        const i = Math.floor(r2() * n);
        expect(e[i]).toBe(hornerB(c, (BigInt(shift) * powB(w, BigInt(i))) % P));
      }
      // Coset interpolation recovers the coefficients (padded with zeros).
      const back = interpolateCoset(e.slice(), shift);
      expect(Array.from(back.subarray(0, m))).toEqual(Array.from(c));
      expect(back.subarray(m).every((x) => x === 0)).toBe(true);
    }
  });

  it("interpolate works in place and returns its argument", () => {
    const a = randVec(rng(3), 16);
    expect(interpolate(a)).toBe(a);
  });
});

describe("LDE", () => {
  it("lde(evals on H) matches the polynomial on shift·H' for every blowup", () => {
    const r = rng(4);
    for (const logN of [0, 1, 2, 3, 5, 9, 12]) {
      for (const logB of [0, 1, 2, 3, 4]) {
        const n = 2 ** logN;
        const c = randVec(r, n);
        const evals = evaluate(c, logN);
        const shift = logB % 2 === 0 ? 31 : 7;
        const ext = lde(evals, logB, shift);
        expect(ext.length).toBe(n << logB);
        const w = omega(logN + logB);
        for (let s = 0; s < 6; s++) {
          const i = Math.floor(r() * ext.length);
          expect(ext[i]).toBe(hornerB(c, (BigInt(shift) * powB(w, BigInt(i))) % P));
        }
        // The input is not modified.
        expect(Array.from(evals)).toEqual(Array.from(evaluate(c, logN)));
      }
    }
  });

  it("forward and inverse tables grow apart (an LDE needs the inverse only at the trace size): mixed sizes stay exact", () => {
    const r = rng(41);
    // inverse larger than any forward so far, then a forward beyond it, then an LDE whose trace size exceeds both
    for (const [kind, logN, logB] of [["interp", 17, 0], ["lde", 9, 9], ["interp", 18, 0], ["lde", 18, 1]] as const) {
      const n = 2 ** logN;
      const c = randVec(r, n);
      const evals = evaluate(c, logN);
      if (kind === "interp") {
        const back = interpolate(evals.slice());
        expect(back.every((v, i) => v === c[i]), `interpolate 2^${logN}`).toBe(true);
      } else {
        const ext = lde(evals, logB, 31);
        const w = omega(logN + logB);
        for (let s = 0; s < 4; s++) {
          const i = Math.floor(r() * ext.length);
          expect(ext[i], `lde 2^${logN} → 2^${logN + logB}`).toBe(hornerB(c, (31n * powB(w, BigInt(i))) % P));
        }
      }
    }
  });

  it("lde with blowup 0 and shift 1 is the identity", () => {
    const a = randVec(rng(5), 256);
    expect(Array.from(lde(a, 0, 1))).toEqual(Array.from(a));
  });

  it("ldeColumns lays the columns out row-major, each equal to its own lde", () => {
    const r = rng(6);
    const cols = Array.from({ length: 11 }, () => randVec(r, 64)); // 11 > one group of 8 columns
    const m = ldeColumns(cols, 2);
    expect(m.width).toBe(11);
    expect(m.height).toBe(256);
    cols.forEach((col, j) => {
      const ext = lde(col, 2);
      for (let row = 0; row < m.height; row++) expect(m.data[row * m.width + j]).toBe(ext[row]);
    });
  });

  it("evaluateColumns: coefficient columns of different lengths → row-major coset evaluations", () => {
    const r = rng(8);
    const lens = [1, 5, 16, 64, 33, 64, 2, 64, 64, 7]; // padded to 64 = 2^6, evaluated on 2^9 points
    const cols = lens.map((m) => randVec(r, m));
    const m = evaluateColumns(cols, 9, 31);
    expect(m.width).toBe(cols.length);
    expect(m.height).toBe(512);
    cols.forEach((c, j) => {
      const ev = evaluate(c, 9, 31);
      for (let row = 0; row < m.height; row++) expect(m.data[row * m.width + j]).toBe(ev[row]);
    });
    // Direct check of one value against the BigInt reference.
    expect(m.data[5 * m.width + 3]).toBe(hornerB(cols[3]!, (31n * powB(omega(9), 5n)) % P));
    expectKind(() => evaluateColumns([new Uint32Array(1024)], 9), "InvalidArgument");
    expectKind(() => evaluateColumns([], 9), "InvalidArgument");
  });

  it("the default shift is the generator 31", () => {
    const a = randVec(rng(7), 32);
    expect(Array.from(lde(a, 1))).toEqual(Array.from(lde(a, 1, 31)));
  });
});

describe("bad input is a typed InvalidArgument", () => {
  it("rejects non-power-of-two lengths, oversize coefficient vectors, bad shifts and blowups", () => {
    expectKind(() => interpolate(new Uint32Array(6)), "InvalidArgument");
    expectKind(() => interpolate(new Uint32Array(0)), "InvalidArgument");
    expectKind(() => evaluate(new Uint32Array(9), 3), "InvalidArgument");
    expectKind(() => evaluate(new Uint32Array(4), 2, 0), "InvalidArgument");
    expectKind(() => evaluate(new Uint32Array(4), 2, Number(P)), "InvalidArgument");
    expectKind(() => evaluate(new Uint32Array(4), 28), "InvalidArgument");
    expectKind(() => lde(new Uint32Array(4), -1), "InvalidArgument");
    expectKind(() => lde(new Uint32Array(2 ** 4), 24), "InvalidArgument"); // 2^28 > two-adicity
    expectKind(() => ldeColumns([], 1), "InvalidArgument");
    expectKind(() => ldeColumns([new Uint32Array(8), new Uint32Array(4)], 1), "InvalidArgument");
  });
});

describe("kernel memory", () => {
  it("asking for more than wasm32 can address is a typed OutOfMemory, and the kernels keep working", () => {
    expectKind(() => kernels().ensure(5 * 2 ** 30), "OutOfMemory");
    const a = randVec(rng(11), 64);
    expect(Array.from(interpolate(evaluate(a, 6)))).toEqual(Array.from(a));
  });
});

describe("kernel build", () => {
  it("npm run build:kernels is a fast no-op when the module is up to date", async () => {
    const { execFileSync } = await import("node:child_process");
    const script = new URL("../prover/kernels/build.mjs", import.meta.url).pathname;
    execFileSync(process.execPath, [script]); // builds if stale (e.g. sources just edited)
    const t = performance.now();
    const out = execFileSync(process.execPath, [script]).toString();
    expect(out).toMatch(/up to date/);
    expect(performance.now() - t).toBeLessThan(5000); // no compile: node start-up plus a few stat calls
  });
});
