/**
 * FRI prover (the protocol, domains and transcript order are specified in verifier/fri.ts).
 *
 * Use from the STARK layer:
 *   const st = friCommitPhase(transcript, shape, deepEvals)   // commits every layer, sends the final polynomial
 *   const { powNonce, indices } = friGrindAndQuery(transcript, st)
 *   ... open the trace at `indices` ...
 *   const proof = friProof(st, powNonce, indices)
 * or `friProve` for all three.
 *
 * Input: flat extension evaluations (4 base elements per point) of length 4·2^logN on the LDE coset
 * s·ω_N^i (s = 31, natural order). The input array is kept (not copied) as layer 0.
 */
import * as F from "../verifier/field.ts";
import * as E from "../verifier/ext.ts";
import type { Ext } from "../verifier/ext.ts";
// Hot-path note: under tsx / vite-node, every use of an imported binding goes through a module-namespace getter
// that V8 does not inline (profiled: more time in the getter than in the arithmetic). Reading the bindings once
// into module-local constants removes that; an esbuild bundle is unaffected either way.
const { add, sub, mul, inv, pow } = F;
const { eMulAt } = E;
import type { Transcript } from "../verifier/transcript.ts";
import { FRI_SHIFT, INV_TWO, invRootOfUnity, layerGroups, type FriLayerOpening, type FriProof, type FriShape } from "../verifier/fri.ts";
import { MerkleTree } from "./merkle.ts";
import { interpolateCoset } from "./ntt.ts";

export interface FriCommitOptions {
  /**
   * FOR CHEATING-PROVER TESTS ONLY: when the input is not of degree < 2^logDegree, send the truncated final
   * polynomial instead of refusing. An honest caller never sets this.
   */
  readonly truncateFinalPoly?: boolean;
}

export interface FriLayerState {
  /** flat ext evaluations of this layer, natural order on its coset */
  readonly evals: Uint32Array;
  readonly tree: MerkleTree;
}

export interface FriProverState {
  readonly shape: FriShape;
  readonly layers: readonly FriLayerState[];
  readonly betas: readonly Ext[];
  readonly finalPoly: Uint32Array;
}

/** x/2 mod p for canonical x (p is odd: halve x or x + p, whichever is even). */
function half2(x: number): number {
  return (x & 1) === 0 ? x / 2 : (x + 2013265921) / 2;
}

/**
 * One binary fold of a whole layer: size M → M/2, f'(x²) = (f(x) + f(−x))/2 + β·(f(x) − f(−x))/(2x), x = s·ω_M^i.
 * Returns the new flat vector.
 */
export function foldBinary(v: Uint32Array, logM: number, shift: number, beta: Uint32Array): Uint32Array {
  const half = 2 ** (logM - 1);
  const out = new Uint32Array(4 * half);
  const wInv = invRootOfUnity(logM);
  const d = new Uint32Array(4);
  let h: number = mul(inv(shift), INV_TWO); // 1/(2x) for i = 0, then times ω^{-1} per step
  for (let i = 0; i < half; i++) {
    const lo = 4 * i, hi = 4 * (i + half);
    const d0 = mul(sub(v[lo]!, v[hi]!), h);
    const d1 = mul(sub(v[lo + 1]!, v[hi + 1]!), h);
    const d2 = mul(sub(v[lo + 2]!, v[hi + 2]!), h);
    const d3 = mul(sub(v[lo + 3]!, v[hi + 3]!), h);
    d[0] = d0; d[1] = d1; d[2] = d2; d[3] = d3;
    eMulAt(d, 0, d, 0, beta, 0);
    out[lo] = add(half2(add(v[lo]!, v[hi]!)), d[0]!);
    out[lo + 1] = add(half2(add(v[lo + 1]!, v[hi + 1]!)), d[1]!);
    out[lo + 2] = add(half2(add(v[lo + 2]!, v[hi + 2]!)), d[2]!);
    out[lo + 3] = add(half2(add(v[lo + 3]!, v[hi + 3]!)), d[3]!);
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

/** Commit phase: commits layers, draws β's, sends the final polynomial (absorbed). */
export function friCommitPhase(t: Transcript, shape: FriShape, evals: Uint32Array, opts: FriCommitOptions = {}): FriProverState {
  if (evals.length !== 4 * 2 ** shape.logN) throw new RangeError(`FRI input must hold 2^${shape.logN} extension values, got ${evals.length / 4}`);
  const layers: FriLayerState[] = [];
  const betas: Ext[] = [];
  let cur = evals;
  let shift: number = FRI_SHIFT;
  for (let r = 0; r < shape.layerLogArities.length; r++) {
    const k = shape.layerLogArities[r]!;
    const logM = shape.layerLogSizes[r]!;
    const tree = MerkleTree.commit(groupMatrix(cur, logM, k), 4 << k, 2 ** (logM - k));
    layers.push({ evals: cur, tree });
    t.absorbDigest("fri/layer", tree.root);
    const beta = t.challengeExt("fri/beta");
    betas.push(beta);
    cur = foldLayer(cur, logM, shift, k, beta);
    shift = pow(shift, 1 << k);
  }
  const finalPoly = finalPolynomial(cur, shape, shift, opts.truncateFinalPoly === true);
  t.absorbExtsFlat("fri/final", finalPoly);
  return { shape, layers, betas, finalPoly };
}

/** Coefficients of the last layer (coset shift `shift`), checked to have degree < 2^logFinalLen (RangeError). */
export function finalPolynomial(v: Uint32Array, shape: FriShape, shift: number, truncate: boolean): Uint32Array {
  const n = 2 ** shape.finalLogSize;
  const len = 2 ** shape.logFinalLen;
  const out = new Uint32Array(4 * len);
  for (let c = 0; c < 4; c++) {
    const col = new Uint32Array(n);
    for (let i = 0; i < n; i++) col[i] = v[4 * i + c]!;
    const coeffs = interpolateCoset(col, shift);
    for (let j = len; j < n; j++)
      if (coeffs[j] !== 0 && !truncate) throw new RangeError(`FRI input is not of degree < 2^${shape.logDegree} (final layer has a coefficient of degree ${j})`);
    for (let j = 0; j < len; j++) out[4 * j + c] = coeffs[j]!;
  }
  return out;
}

/** Proof of work after the commit phase, then the query positions (uniform in [0, 2^logN)). */
export function friGrindAndQuery(t: Transcript, st: FriProverState, hash?: (m: Uint8Array) => Uint8Array): { powNonce: number; indices: number[] } {
  const powNonce = t.grindPow("fri/pow", st.shape.powBits, hash);
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
export function friProve(t: Transcript, shape: FriShape, evals: Uint32Array, opts: FriCommitOptions = {}): { proof: FriProof; indices: number[] } {
  const st = friCommitPhase(t, shape, evals, opts);
  const { powNonce, indices } = friGrindAndQuery(t, st);
  return { proof: friProof(st, powNonce, indices), indices };
}

