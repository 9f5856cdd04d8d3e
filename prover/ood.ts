/**
 * The prover's out-of-domain evaluation helpers (prover/stark.ts step 4): every committed column's value at ζ and
 * ζω. Trace columns are evaluations on H_n, so they are evaluated by barycentric sums with the weights
 * ω^i/(ζ − ω^i) (computed in the WASM kernel assembly/bary.ts); quotient chunks are coefficients, evaluated
 * against the powers of ζ (assembly/deep.ts extPowers). The sums themselves are one WASM pass over all columns
 * (kernels/linalg.ts dotColumns).
 * Measured at n = 2^20 (stop 19): weights 540 → ≈ 40 ms, powers 210 → ≈ 15 ms (the JavaScript loops they replace).
 */
import { inv, mul, P, pow, powers, rootOfUnity } from "../verifier/field.ts";
import { eMul, ePow, eSub, extOf, type Ext } from "../verifier/ext.ts";
import { kernels, toMont } from "./kernels/index.ts";
import { dotColumnsParallel } from "./workers/linalg-parallel.ts";
import type { WorkerPool } from "./workers/pool.ts";
import { inverseOfBaseMinusExt, normCoefficients } from "./deep-range.ts";
import { matrixRows } from "./deep-divide.ts";

/**
 * Barycentric weights for evaluating polynomials given on H_D at an extension point x ∉ H_D:
 *   p(x) = (x^D − 1)/D · Σ_i p(ω^i)·ω^i/(x − ω^i).
 */
export interface BarycentricWeights {
  /** the weights ω^i/(x − ω^i), coordinate-major (4·D) */
  readonly w: Uint32Array;
  readonly factor: Ext;
}

export function barycentricWeights(logD: number, x: Ext): BarycentricWeights {
  const D = 2 ** logD;
  return { w: D >= 4 ? weightsKernel(logD, x) : weightsJs(logD, x), factor: barycentricFactor(D, x) };
}

/** The weights in JavaScript (domains of fewer than 4 points, and the tests' reference). */
export function weightsJs(logD: number, x: Ext): Uint32Array {
  const D = 2 ** logD;
  const pts = powers(rootOfUnity(logD), D);
  // ω^i/(x − ω^i) = −ω^i · 1/(ω^i − x)
  const invs = inverseOfBaseMinusExt(pts, x);
  const w = new Uint32Array(4 * D);
  for (let k = 0; k < 4; k++) {
    for (let i = 0; i < D; i++) {
      const v = mul(invs[k * D + i]!, pts[i]!);
      w[k * D + i] = v === 0 ? 0 : P - v;
    }
  }
  return w;
}

/** The weights in the WASM kernel (D ≥ 4): two passes around one inversion per lane (assembly/bary.ts). */
function weightsKernel(logD: number, x: Ext): Uint32Array {
  const D = 2 ** logD;
  const om = rootOfUnity(logD);
  const { s1, s2, s3, s4, e1, e2, e3 } = normCoefficients(x);
  const k = kernels();
  const cP = k.scratchBase(), out = cP + 192;
  k.ensure(out + 16 * D);
  const c = new Uint32Array(44);
  const first = powers(om, 4), last = first.map((v) => mul(v, pow(om, D - 4)));
  first.forEach((v, l) => { c[l] = toMont(v); });
  c[4] = toMont(pow(om, 4));
  c.set([s1, s2, s3, s4], 8);
  let mem = k.u32();
  mem.set(c, cP >>> 2);
  k.x.baryForward(D, cP, out);
  mem = k.u32();
  for (let l = 0; l < 4; l++) {
    const total = mem[(cP >>> 2) + 16 + l]!;
    if (total === 0) throw new RangeError("barycentric weights: the point lies in the domain");
    c[20 + l] = toMont(inv(total));
    c[24 + l] = toMont(last[l]!);
  }
  c[28] = toMont(inv(pow(om, 4)));
  c.set(e1, 32); c.set(e2, 36); c.set(e3, 40);
  mem.set(c, cP >>> 2);
  k.x.baryBackward(D, cP, out);
  return sharedCopy(k.u32().subarray(out >>> 2, (out >>> 2) + 4 * D));
}

/** A copy in shared memory, so the pool's workers read it without another copy. */
function sharedCopy(v: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(4 * v.length));
  out.set(v);
  return out;
}

function barycentricFactor(D: number, x: Ext): Ext {
  return eMul(eSub(ePow(x, D), extOf(1)), extOf(inv(D % P)));
}

/**
 * The weights at x·ω_D^s from those at x, without new inverses: ω^i/(xω^s − ω^i) = ω^{i−s}/(x − ω^{i−s}), i.e.
 * the same weights rotated by s places (the OOD point ζω_n is ζ·ω_D^{D/n}).
 */
export function rotatedWeights(bw: BarycentricWeights, logD: number, s: number, xs: Ext): BarycentricWeights {
  const D = 2 ** logD;
  const w = new Uint32Array(new SharedArrayBuffer(16 * D));
  for (let k = 0; k < 4; k++) {
    const src = bw.w.subarray(k * D, (k + 1) * D);
    w.set(src.subarray(D - s), k * D);
    w.set(src.subarray(0, D - s), k * D + s);
  }
  return { w, factor: barycentricFactor(D, xs) };
}

/**
 * Every column's value at the weights' point: Σ_i col[i]·w[i] (one WASM pass over all columns, split by columns
 * over the worker pool; null: in-thread) times the factor.
 */
export async function evalBarycentric(cols: readonly Uint32Array[], bw: BarycentricWeights, pool?: WorkerPool | null): Promise<Ext[]> {
  const d = await dotColumnsParallel(cols, bw.w, pool);
  return cols.map((_, j) => eMul(extOf(d[4 * j]!, d[4 * j + 1]!, d[4 * j + 2]!, d[4 * j + 3]!), bw.factor));
}

/** Powers 1, x, x², … of an extension point, coordinate-major (4·len), in the WASM kernel. */
export function extPowersFlat(x: Ext, len: number): Uint32Array {
  if (len === 0) return new Uint32Array(0);
  const k = kernels();
  const zP = k.scratchBase(), out = zP + 64;
  k.ensure(out + 16 * len);
  const rows = new Uint32Array(16);
  matrixRows(x, rows, 0);
  k.u32().set(rows, zP >>> 2);
  k.x.extPowers(zP, len, out);
  return sharedCopy(k.u32().subarray(out >>> 2, (out >>> 2) + 4 * len));
}

/** Σ_j c_j·x^j for every coefficient column, from the powers of x (coordinate-major; one WASM pass). */
export async function evalCoeffColumns(cols: readonly Uint32Array[], pw: Uint32Array, pool?: WorkerPool | null): Promise<Ext[]> {
  const d = await dotColumnsParallel(cols, pw, pool);
  return cols.map((_, j) => extOf(d[4 * j]!, d[4 * j + 1]!, d[4 * j + 2]!, d[4 * j + 3]!));
}
