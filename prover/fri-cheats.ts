/**
 * Cheating-prover variants of FRI's prover steps, FOR SOUNDNESS TESTS ONLY (ProveOptions.testHooks): each follows
 * prover/fri.ts exactly except for the one lie it tells, so the verifier's rejection is attributable to it.
 */
import { P, pow } from "../verifier/field.ts";
import type { Ext } from "../verifier/ext.ts";
import type { Transcript } from "../verifier/transcript.ts";
import { FRI_SHIFT, type FriShape } from "../verifier/fri.ts";
import { verifyPowNonce } from "../verifier/pow.ts";
import { MerkleTree } from "./merkle.ts";
import { finalPolynomial, foldLayer, groupMatrix, type FriLayerState, type FriProverState } from "./fri.ts";

/** friCommitPhase, but the final polynomial's constant coefficient is changed before it is sent (and absorbed). */
export function cheatFriCommitPhase(t: Transcript, shape: FriShape, evals: Uint32Array): FriProverState {
  const layers: FriLayerState[] = [];
  const betas: Ext[] = [];
  let cur = evals;
  let shift: number = FRI_SHIFT;
  for (let r = 0; r < shape.layerLogArities.length; r++) {
    const k = shape.layerLogArities[r]!;
    const logM = shape.layerLogSizes[r]!;
    const tree = MerkleTree.commit(groupMatrix(cur, logM, k), 4 << k, 2 ** (logM - k));
    layers.push({ tree });
    t.absorbDigest("fri/layer", tree.root);
    const beta = t.challengeExt("fri/beta");
    betas.push(beta);
    cur = foldLayer(cur, logM, shift, k, beta);
    shift = pow(shift, 1 << k);
  }
  const finalPoly = finalPolynomial(cur, shape, shift, false);
  finalPoly[0] = (finalPoly[0]! + 1) % P;
  t.absorbExtsFlat("fri/final", finalPoly);
  return { shape, layers, betas, finalPoly };
}

/** friGrindAndQuery, but with a nonce that misses the difficulty (absorbed as if valid). */
export function cheatGrindAndQuery(t: Transcript, st: FriProverState): { powNonce: number; indices: number[] } {
  const seed = t.clone().challengeBytes("fri/pow", 32);
  let powNonce = 0;
  while (verifyPowNonce(seed, st.shape.powBits, powNonce)) powNonce++;
  t.challengeBytes("fri/pow", 32);
  t.absorbUints("fri/pow/nonce", [powNonce]);
  const indices = t.challengeIndices("fri/queries", st.shape.numQueries, st.shape.logN);
  return { powNonce, indices };
}
