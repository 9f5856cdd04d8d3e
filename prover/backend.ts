/**
 * Binding point to the Merkle and FRI provers. TEMPORARY stand-ins until prover/merkle.ts (H2) and
 * prover/fri.ts (H3) land; then this file wraps those.
 */
import { Transcript, numFriLayers, type FriParams, type FriProof, type FriLayerQuery } from "../verifier/backend.ts";
import { GENERATOR, inv, mul, pow, rootOfUnity } from "../verifier/field.ts";
import { eAdd, eSub, eMul, eMulBase, type Ext } from "../verifier/ext.ts";
import { cosetInterpolate } from "./poly.ts";

import { MerkleTree } from "./merkle.ts";
export { MerkleTree };
/** A commitment with openings (prover/merkle.ts, H2's WASM SIMD tree). */
export type Committed = MerkleTree;

const INV2 = inv(2);

/** FRI prover over f given coordinate-major on g·H_{2^logN}. Returns the proof and the query indices. */
export function friProve(t: Transcript, f: Uint32Array, logN: number, logDegree: number, params: FriParams, hooks: { corruptFinalPoly?: boolean; skipProofOfWork?: boolean } = {}): { proof: FriProof; indices: number[] } {
  const layersCount = numFriLayers(logN, logDegree, params.logFinalLen);
  let cur = f;
  let logSize = logN;
  let shift = GENERATOR as number;
  const trees: { tree: Committed; pairs: Uint32Array; logSize: number }[] = [];
  const roots: Uint8Array[] = [];
  for (let r = 0; r < layersCount; r++) {
    const size = 2 ** logSize, half = size / 2;
    const pairs = new Uint32Array(8 * half);
    for (let i = 0; i < half; i++) {
      for (let k = 0; k < 4; k++) {
        pairs[8 * i + k] = cur[k * size + i]!;
        pairs[8 * i + 4 + k] = cur[k * size + i + half]!;
      }
    }
    const tree = MerkleTree.commit(pairs, 8, half);
    trees.push({ tree, pairs, logSize });
    roots.push(tree.root);
    t.absorbBytes("fri/root", tree.root);
    const beta = t.challengeExt("fri/beta");
    const next = new Uint32Array(4 * half);
    const w = rootOfUnity(logSize);
    let x = shift;
    for (let i = 0; i < half; i++) {
      const lo = pairs.subarray(8 * i, 8 * i + 4) as unknown as Ext;
      const hi = pairs.subarray(8 * i + 4, 8 * i + 8) as unknown as Ext;
      const v = eAdd(eMulBase(eAdd(lo, hi), INV2), eMul(beta, eMulBase(eSub(lo, hi), mul(INV2, inv(x)))));
      for (let k = 0; k < 4; k++) next[k * half + i] = v[k]!;
      x = mul(x, w);
    }
    cur = next;
    logSize--;
    shift = mul(shift, shift);
  }
  // final polynomial: interpolate the last layer on shift·H; its coefficients beyond finalLen must be zero.
  const len = 2 ** params.logFinalLen;
  const size = 2 ** logSize;
  const coeffs = [0, 1, 2, 3].map((k) => cosetInterpolate(cur.subarray(k * size, (k + 1) * size), shift));
  const finalPoly = new Uint32Array(4 * len);
  for (let j = 0; j < len; j++) for (let k = 0; k < 4; k++) finalPoly[4 * j + k] = coeffs[k]![j] ?? 0;
  if (hooks.corruptFinalPoly) finalPoly[finalPoly.length - 4] = (finalPoly[finalPoly.length - 4]! + 1) % 2013265921;
  t.absorbFields("fri/final", finalPoly);
  let nonce = 0;
  if (hooks.skipProofOfWork) while (t.powBits(nonce) >= params.powBits) nonce++;
  else while (t.powBits(nonce) < params.powBits) nonce++;
  t.absorbFields("fri/pow", [nonce]);
  const indices = t.challengeIndices("fri/queries", params.numQueries, logN);
  const layers: FriLayerQuery[] = [];
  let qs = indices.slice();
  for (const { tree, pairs, logSize: ls } of trees) {
    const half = 2 ** (ls - 1);
    const uniq = [...new Set(qs.map((i) => i % half))].sort((a, b) => a - b);
    const out = new Uint32Array(8 * uniq.length);
    uniq.forEach((u, k) => out.set(pairs.subarray(8 * u, 8 * u + 8), 8 * k));
    layers.push({ pairs: out, proof: tree.openMulti(uniq) });
    qs = qs.map((i) => i % half);
  }
  return { proof: { layerRoots: roots, finalPoly, powNonce: nonce, layers }, indices };
}
void pow;
