/**
 * FRI prover (the protocol, domains and transcript order are specified in verifier/fri.ts).
 *
 * Use from the STARK layer:
 *   const st = await friCommitPhase(transcript, shape, deepEvals)   // commits every layer, sends the final polynomial
 *   const { powNonce, indices } = friGrindAndQuery(transcript, st)
 *   ... open the trace at `indices` ...
 *   const proof = friProof(st, powNonce, indices)
 * or `friProve` for all three.
 *
 * Input: flat extension evaluations (4 base elements per point) of length 4·2^logN on the LDE coset
 * s·ω_N^i (s = 31, natural order). Every layer, layer 0 included, is kept only as its tree's grouped matrix (leaf
 * r = fold group r); the input array is not referenced once layer 0 is grouped. Grouping and folding run in the WASM
 * kernel (assembly/fri.ts), the layer trees on the worker pool; foldBinary/foldLayer/groupMatrix stay as the
 * JavaScript reference (tests, layers of fewer than 4 groups, the cheating provers).
 */
import * as F from "../verifier/field.ts";
import * as E from "../verifier/ext.ts";
import type { Ext } from "../verifier/ext.ts";
import type { Transcript } from "../verifier/transcript.ts";
import { FRI_SHIFT, INV_TWO, invRootOfUnity, layerGroups, type FriLayerOpening, type FriProof, type FriShape } from "../verifier/fri.ts";
import { MerkleTree } from "./merkle.ts";
import { interpolateCoset } from "./ntt.ts";
import { kernels, toMont } from "./kernels/index.ts";
import { grindNonceWasm } from "./pow.ts";
import { commitParallel } from "./workers/parallel.ts";
import type { WorkerPool } from "./workers/pool.ts";

// Hot-path note: under tsx / vite-node, every use of an imported binding goes through a module-namespace getter
// that V8 does not inline (profiled: more time in the getter than in the arithmetic). Reading the bindings once
// into module-local constants removes that; an esbuild bundle is unaffected either way.
const { mul, inv, pow } = F;
const { eMulAt } = E;

export interface FriCommitOptions {
  /**
   * FOR CHEATING-PROVER TESTS ONLY: when the input is not of degree < 2^logDegree, send the truncated final
   * polynomial instead of refusing. An honest caller never sets this.
   */
  readonly truncateFinalPoly?: boolean;
  /** worker pool for the layers' Merkle trees (default: the shared pool; null: in-thread) */
  readonly pool?: WorkerPool | null;
}

export interface FriLayerState {
  /** the layer's commitment; its matrix (leaf r = fold group r, groupMatrix's layout) is what the openings read */
  readonly tree: MerkleTree;
}

export interface FriProverState {
  readonly shape: FriShape;
  readonly layers: readonly FriLayerState[];
  readonly betas: readonly Ext[];
  readonly finalPoly: Uint32Array;
}

const P = 2013265921;
const INV_P = 1 / P;
const W = 11;
/** s mod p for an integer 0 ≤ s < 2^53 (float quotient off by at most one, corrected). */
function red(s: number): number {
  let r = s - Math.floor(s * INV_P) * P;
  if (r < 0) r += P;
  else if (r >= P) r -= P;
  return r;
}

/**
 * One binary fold of a whole layer: size M → M/2, f'(x²) = (f(x) + f(−x))/2 + β·(f(x) − f(−x))/(2x), x = s·ω_M^i.
 * Returns the new flat vector.
 *
 * The hot loop of the FRI prover, written out by hand: d = (f(x) − f(−x))·(1/2x) (4 base products), β·d with β's
 * coefficients pre-split into 16-bit halves (the exact unreduced-double scheme of verifier/ext.ts `eMulAt`), then
 * (f(x) + f(−x) + 2·βd)/2 with a single halving. test/fri.test.ts checks it against the coefficient definition.
 */
export function foldBinary(v: Uint32Array, logM: number, shift: number, beta: Uint32Array): Uint32Array {
  const half = 2 ** (logM - 1);
  const out = new Uint32Array(4 * half);
  const wInv = invRootOfUnity(logM);
  const b0 = beta[0]!, b1 = beta[1]!, b2 = beta[2]!, b3 = beta[3]!;
  const h0 = b0 >>> 16, l0 = b0 & 0xffff, h1 = b1 >>> 16, l1 = b1 & 0xffff;
  const h2 = b2 >>> 16, l2 = b2 & 0xffff, h3 = b3 >>> 16, l3 = b3 & 0xffff;
  let h: number = mul(inv(shift), INV_TWO); // 1/(2x) at i = 0, then times ω^{-1} per step
  const off = 4 * half;
  for (let lo = 0; lo < off; lo += 4) {
    const hi = lo + off;
    const x0 = v[lo]!, x1 = v[lo + 1]!, x2 = v[lo + 2]!, x3 = v[lo + 3]!;
    const y0 = v[hi]!, y1 = v[hi + 1]!, y2 = v[hi + 2]!, y3 = v[hi + 3]!;
    const a0 = mul(x0 >= y0 ? x0 - y0 : x0 - y0 + P, h);
    const a1 = mul(x1 >= y1 ? x1 - y1 : x1 - y1 + P, h);
    const a2 = mul(x2 >= y2 ? x2 - y2 : x2 - y2 + P, h);
    const a3 = mul(x3 >= y3 ? x3 - y3 : x3 - y3 + P, h);
    const w1 = W * a1, w2 = W * a2, w3 = W * a3;
    const c0 = red(red(a0 * h0 + w1 * h3 + w2 * h2 + w3 * h1) * 65536 + (a0 * l0 + w1 * l3 + w2 * l2 + w3 * l1));
    const c1 = red(red(a0 * h1 + a1 * h0 + w2 * h3 + w3 * h2) * 65536 + (a0 * l1 + a1 * l0 + w2 * l3 + w3 * l2));
    const c2 = red(red(a0 * h2 + a1 * h1 + a2 * h0 + w3 * h3) * 65536 + (a0 * l2 + a1 * l1 + a2 * l0 + w3 * l3));
    const c3 = red(red(a0 * h3 + a1 * h2 + a2 * h1 + a3 * h0) * 65536 + (a0 * l3 + a1 * l2 + a2 * l1 + a3 * l0));
    // (x + y + 2c) < 4p; reduce to [0, p) then halve mod p (p odd)
    const s0 = red(x0 + y0 + 2 * c0), s1 = red(x1 + y1 + 2 * c1), s2 = red(x2 + y2 + 2 * c2), s3 = red(x3 + y3 + 2 * c3);
    out[lo] = (s0 & 1) === 0 ? s0 / 2 : (s0 + P) / 2;
    out[lo + 1] = (s1 & 1) === 0 ? s1 / 2 : (s1 + P) / 2;
    out[lo + 2] = (s2 & 1) === 0 ? s2 / 2 : (s2 + P) / 2;
    out[lo + 3] = (s3 & 1) === 0 ? s3 / 2 : (s3 + P) / 2;
    h = mul(h, wInv);
  }
  return out;
}

/** Fold a layer by arity 2^k with β: k binary folds with β, β², β⁴, … (see verifier/fri.ts). */
export function foldLayer(v: Uint32Array, logM: number, shift: number, k: number, beta: Uint32Array): Uint32Array {
  let cur = v;
  let s = shift;
  let b = beta.slice(0, 4);
  for (let step = 0; step < k; step++) {
    cur = foldBinary(cur, logM - step, s, b);
    s = mul(s, s);
    const b2 = new Uint32Array(4);
    eMulAt(b2, 0, b, 0, b, 0);
    b = b2;
  }
  return cur;
}

/** Row-major matrix of fold groups: row i = slots j = 0..a−1 at positions i + j·M/a (4 base elements each). */
export function groupMatrix(v: Uint32Array, logM: number, k: number): Uint32Array {
  const M = 2 ** logM;
  const a = 1 << k;
  const H = M / a;
  const width = 4 * a;
  const out = new Uint32Array(4 * M);
  for (let j = 0; j < a; j++) {
    for (let i = 0; i < H; i++) {
      const src = 4 * (i + j * H);
      const dst = i * width + 4 * j;
      out[dst] = v[src]!;
      out[dst + 1] = v[src + 1]!;
      out[dst + 2] = v[src + 2]!;
      out[dst + 3] = v[src + 3]!;
    }
  }
  return out;
}

/** The inverse of groupMatrix: the layer's points in natural order. */
function ungroupMatrix(g: Uint32Array, logM: number, k: number): Uint32Array {
  const a = 1 << k;
  const H = 2 ** logM / a;
  const out = new Uint32Array(g.length);
  for (let i = 0; i < H; i++) for (let j = 0; j < a; j++) out.set(g.subarray(4 * (i * a + j), 4 * (i * a + j) + 4), 4 * (i + j * H));
  return out;
}

/**
 * Fold groups per kernel call: a·FOLD_CHUNK points in and out of kernel memory (2 MiB each at arity 8), so the
 * kernel's memory stays small whatever the layer size.
 */
const FOLD_CHUNK = 1 << 13;

/**
 * groupMatrix in the WASM kernel (assembly/fri.ts friGroup), written into a new shared matrix (the tree's
 * leaves, read in place by the worker pool). Layers of fewer than 4 groups stay in JavaScript.
 */
export function groupLayer(v: Uint32Array, logM: number, k: number): Uint32Array {
  const a = 1 << k;
  const H = 2 ** (logM - k);
  if (H % 4 !== 0) return groupMatrix(v, logM, k);
  const out = new Uint32Array(new SharedArrayBuffer(16 * a * H));
  const kr = kernels();
  const m = Math.min(H, FOLD_CHUNK);
  const src = kr.scratchBase(), dst = src + 16 * a * m;
  kr.ensure(dst + 16 * a * m);
  for (let r0 = 0; r0 < H; r0 += m) {
    const mem = kr.u32();
    for (let j = 0; j < a; j++) mem.set(v.subarray(4 * (r0 + j * H), 4 * (r0 + j * H + m)), (src >>> 2) + 4 * j * m);
    kr.x.friGroup(src, a, m, dst);
    out.set(kr.u32().subarray(dst >>> 2, (dst >>> 2) + 4 * a * m), 4 * a * r0);
  }
  return out;
}

/**
 * foldLayer from the grouped matrix (groupLayer's output), in the WASM kernel (assembly/fri.ts friFold): the
 * layer's k binary folds done group by group, 4 groups per vector. Equal to foldLayer(v, …) for the v that was
 * grouped (test/fri.test.ts).
 */
export function foldGrouped(g: Uint32Array, logM: number, shift: number, k: number, beta: Uint32Array): Uint32Array {
  const a = 1 << k;
  const H = 2 ** (logM - k);
  if (H % 4 !== 0) return foldLayer(ungroupMatrix(g, logM, k), logM, shift, k, beta);
  const out = new Uint32Array(4 * H);
  const kr = kernels();
  const m = Math.min(H, FOLD_CHUNK);
  const rec = 8 + (a >>> 1);
  const consts = kr.scratchBase(), work = consts + ((4 * (8 + k * rec) + 15) & ~15);
  const src = work + 64 * a, dst = src + 16 * a * m;
  kr.ensure(dst + 16 * m);
  const c = new Uint32Array(8 + k * rec);
  const wInv = invRootOfUnity(logM);
  c[4] = toMont(pow(wInv, 4));
  let b = beta.slice(0, 4);
  for (let s = 0; s < k; s++) {
    const o = 8 + s * rec;
    for (let e = 0; e < 4; e++) { c[o + e] = toMont(b[e]!); c[o + 4 + e] = toMont(mul(11, b[e]!)); }
    // 1/(2x) of slot j = 1/(2·x_s(r)·ω_{a/2^s}^j)
    const wa = invRootOfUnity(k - s);
    for (let j = 0, w = INV_TWO as number; j < a >>> (s + 1); j++, w = mul(w, wa)) c[o + 8 + j] = toMont(w);
    const b2 = new Uint32Array(4);
    eMulAt(b2, 0, b, 0, b, 0);
    b = b2;
  }
  const invShift = inv(shift);
  for (let r0 = 0; r0 < H; r0 += m) {
    let x = mul(invShift, pow(wInv, r0)); // 1/x of group r0 at fold 0
    for (let l = 0; l < 4; l++, x = mul(x, wInv)) c[l] = toMont(x);
    const mem = kr.u32();
    mem.set(c, consts >>> 2);
    mem.set(g.subarray(4 * a * r0, 4 * a * (r0 + m)), src >>> 2);
    kr.x.friFold(src, m, k, consts, dst, work);
    out.set(kr.u32().subarray(dst >>> 2, (dst >>> 2) + 4 * m), 4 * r0);
  }
  return out;
}

/**
 * Commit phase: commits layers, draws β's, sends the final polynomial (absorbed). A layer is kept only as its
 * tree's grouped matrix (what the openings read); the input `evals` is not referenced afterwards.
 */
export async function friCommitPhase(t: Transcript, shape: FriShape, evals: Uint32Array, opts: FriCommitOptions = {}): Promise<FriProverState> {
  if (evals.length !== 4 * 2 ** shape.logN) throw new RangeError(`FRI input must hold 2^${shape.logN} extension values, got ${evals.length / 4}`);
  const layers: FriLayerState[] = [];
  const betas: Ext[] = [];
  let cur = evals;
  let shift: number = FRI_SHIFT;
  for (let r = 0; r < shape.layerLogArities.length; r++) {
    const k = shape.layerLogArities[r]!;
    const logM = shape.layerLogSizes[r]!;
    const grouped = groupLayer(cur, logM, k);
    const tree = await commitParallel(grouped, 4 << k, 2 ** (logM - k), undefined, { pool: opts.pool });
    layers.push({ tree });
    t.absorbDigest("fri/layer", tree.root);
    const beta = t.challengeExt("fri/beta");
    betas.push(beta);
    cur = foldGrouped(grouped, logM, shift, k, beta);
    shift = pow(shift, 1 << k);
  }
  const finalPoly = finalPolynomial(cur, shape, shift, opts.truncateFinalPoly === true);
  t.absorbExtsFlat("fri/final", finalPoly);
  return { shape, layers, betas, finalPoly };
}

/** Coefficients of the last layer (coset shift `shift`), checked to be at most shape.finalLen (RangeError). */
export function finalPolynomial(v: Uint32Array, shape: FriShape, shift: number, truncate: boolean): Uint32Array {
  const n = 2 ** shape.finalLogSize;
  const len = shape.finalLen;
  const out = new Uint32Array(4 * len);
  for (let c = 0; c < 4; c++) {
    const col = new Uint32Array(n);
    for (let i = 0; i < n; i++) col[i] = v[4 * i + c]!;
    const coeffs = interpolateCoset(col, shift);
    for (let j = len; j < n; j++)
      if (coeffs[j] !== 0 && !truncate) throw new RangeError(`FRI input is not of degree < 2^${shape.logDegree} + ${shape.degreeExcess} (final layer has a coefficient of degree ${j})`);
    for (let j = 0; j < len; j++) out[4 * j + c] = coeffs[j]!;
  }
  return out;
}

/**
 * Proof of work after the commit phase, then the query positions (uniform in [0, 2^logN)). `search` finds the
 * nonce (default: the WASM batch search of prover/pow.ts, the same nonce as verifier/pow.ts grindNonce).
 */
export function friGrindAndQuery(
  t: Transcript, st: FriProverState, search: (seed: Uint8Array, bits: number) => number = grindNonceWasm,
): { powNonce: number; indices: number[] } {
  const powNonce = t.grindPow("fri/pow", st.shape.powBits, search);
  const indices = t.challengeIndices("fri/queries", st.shape.numQueries, st.shape.logN);
  return { powNonce, indices };
}

/** Openings of every layer for the layer-0 query positions. */
export function friOpen(st: FriProverState, indices: readonly number[]): FriLayerOpening[] {
  return st.layers.map((layer, r) => {
    const groups = layerGroups(st.shape, r, indices);
    const width = 4 << st.shape.layerLogArities[r]!;
    const values = new Uint32Array(width * groups.length);
    groups.forEach((g, idx) => values.set(layer.tree.getRow(g), idx * width));
    return { values, proof: layer.tree.openMulti(groups) };
  });
}

export function friProof(st: FriProverState, powNonce: number, indices: readonly number[]): FriProof {
  return { layerRoots: st.layers.map((l) => l.tree.root), finalPoly: st.finalPoly, powNonce, layers: friOpen(st, indices) };
}

/** All of FRI in one call (when nothing has to happen between the query draw and the openings). */
export async function friProve(t: Transcript, shape: FriShape, evals: Uint32Array, opts: FriCommitOptions = {}): Promise<{ proof: FriProof; indices: number[] }> {
  const st = await friCommitPhase(t, shape, evals, opts);
  const { powNonce, indices } = friGrindAndQuery(t, st);
  return { proof: friProof(st, powNonce, indices), indices };
}

