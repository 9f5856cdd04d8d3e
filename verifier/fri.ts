/**
 * FRI low-degree test over the extension field: verifier, proof type, shape and strict binary encoding.
 *
 * Domain (docs/architecture.md): the input is a vector of N = 2^logN extension values f(x_i) on the LDE coset,
 * natural order, x_i = s·ω_N^i with s = GENERATOR (31); claimed degree < 2^logDegree, logN = logDegree + logBlowup.
 *
 * Folding by arity a = 2^k at a layer of size M with shift s: the fold group of index i ∈ [0, M/a) is the positions
 * {i + j·M/a : j < a} (the points x·ζ^j, ζ = ω_a, all with the same x^a). Writing f(x) = Σ_{r<a} x^r·f_r(x^a), the
 * folded function is f'(y) = Σ_r β^r·f_r(y) on the next domain {s^a·ω_{M/a}^i}, size M/a, natural order, so
 * position p in layer r becomes position p mod (M/a) in layer r + 1 (hence p_r = p_0 mod M_r). The arity-a fold
 * with β equals k successive binary folds with β, β², β⁴, …, where a binary fold of the pair (p, p + M/2)
 * (points ±x) is   f'(x²) = (f(x) + f(−x))/2 + β·(f(x) − f(−x))/(2x).   Prover and verifier both use this form.
 *
 * Layer r is committed as a Merkle tree (verifier/merkle.ts byte strings, unsalted: the DEEP polynomial is already
 * randomised by the STARK layer when zk is on) whose leaf i is the whole fold group i: a·4 base elements, slot j
 * (= j-th point of the group) at [4j, 4j+4). One opening therefore gives everything needed to fold that group.
 * Layer 0 is the input itself; the verifier's layer-0 value at each query comes from the DEEP layer.
 *
 * Rounds: arity 2^logFoldingArity while it fits, the last round smaller so that exactly
 * logDegree − logFinalLen halvings happen (`friShape`). Then the prover sends the final polynomial, shape.finalLen
 * extension coefficients (exact length: its degree bound is its length; 2^logFinalLen plus the share of a degree
 * excess, see FriShape), low degree first.
 *
 * Transcript order (prover and verifier):
 *   for each layer r: absorbDigest("fri/layer", root_r); β_r = challengeExt("fri/beta")
 *   absorbExtsFlat("fri/final", finalPoly)
 *   proof of work: checkPow("fri/pow", powBits, nonce)        (after the whole commit phase)
 *   indices = challengeIndices("fri/queries", numQueries, logN)   (uniform in [0, N), duplicates possible)
 *
 * Verifier API (two phases because the DEEP layer needs the indices before it can supply layer-0 values):
 *   const ch = friVerifyCommitPhase(transcript, shape, proof)  → { betas, indices }
 *   friVerifyQueries(shape, proof, ch, initialValues)           (throws VerifierError)
 * or `verifyFri(...)` doing both and returning a result value.
 */
import { VerifierError, toErrorInfo, type VerifierErrorInfo } from "./errors.ts";
import * as F from "./field.ts";
import * as E from "./ext.ts";
import type { Ext } from "./ext.ts";
import { hashLeavesFlat, verifyMultiProofFlat } from "./merkle.ts";
import { validateDomain, type StarkParams } from "./params.ts";
import { isValidNonce } from "./pow.ts";
import type { Transcript } from "./transcript.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";

// Hot-path note: under tsx / vite-node, every use of an imported binding goes through a module-namespace getter
// that V8 does not inline (profiled: more time in the getter than in the arithmetic). Reading the bindings once
// into module-local constants removes that; an esbuild bundle is unaffected either way.
const { GENERATOR, add, sub, mul, inv, pow, rootOfUnity } = F;
const { eMulAt } = E;

/** The coset shift of the LDE / FRI input domain. */
export const FRI_SHIFT = GENERATOR;

/** The FRI-relevant subset of StarkParams (StarkParams itself is accepted). */
export type FriParams = Pick<StarkParams, "logBlowup" | "numQueries" | "logFoldingArity" | "logFinalLen" | "powBits">;

export interface FriShape {
  readonly logN: number;
  readonly logDegree: number;
  readonly logBlowup: number;
  readonly logFinalLen: number;
  readonly numQueries: number;
  readonly powBits: number;
  /** log2 arity of each folding round (all = logFoldingArity except possibly the last, smaller one). */
  readonly layerLogArities: readonly number[];
  /** log2 size of the domain each committed layer lives on (layer 0 = logN). */
  readonly layerLogSizes: readonly number[];
  /** log2 size of the domain the final polynomial is checked on (= logFinalLen + logBlowup). */
  readonly finalLogSize: number;
  /**
   * Coefficients beyond 2^logDegree the input may have (zero-knowledge proofs: docs/proof-system.md "Zero
   * knowledge"); the degree bound is 2^logDegree + degreeExcess coefficients, at most 2^logDegree/64 more.
   */
  readonly degreeExcess: number;
  /**
   * Coefficients of the final polynomial: 2^logFinalLen + ⌈degreeExcess / 2^(logDegree − logFinalLen)⌉ (folding
   * by 2^s maps a bound of d coefficients to ⌈d/2^s⌉).
   */
  readonly finalLen: number;
}

export interface FriLayerOpening {
  /** the opened fold groups, sorted by group index, each a·4 base elements (slot j at [4j, 4j+4)) */
  readonly values: Uint32Array;
  /** Merkle multi-proof for those groups (verifier/merkle.ts canonical order) */
  readonly proof: readonly Uint8Array[];
}

export interface FriProof {
  readonly layerRoots: readonly Uint8Array[];
  /** shape.finalLen extension coefficients, flat (4 per coefficient), low degree first */
  readonly finalPoly: Uint32Array;
  readonly powNonce: number;
  readonly layers: readonly FriLayerOpening[];
}

export interface FriChallenges {
  readonly betas: readonly Ext[];
  /** query positions in the layer-0 domain [0, 2^logN), in draw order (duplicates possible) */
  readonly indices: readonly number[];
}

/** Largest degree excess a FRI instance accepts, as a fraction of 2^logDegree (the rate stays ≤ 2^−logBlowup·65/64). */
export const MAX_EXCESS_SHIFT = 6;

/**
 * Shape of a FRI instance for inputs of at most 2^logDegree + excess coefficients; validates the parameters and the
 * domain (InvalidParams / HeightOutOfRange).
 */
export function friShape(params: FriParams, logDegree: number, excess = 0): FriShape {
  validateDomain({ ...params, zk: false }, logDegree);
  if (!Number.isInteger(excess) || excess < 0 || excess * 2 ** MAX_EXCESS_SHIFT > 2 ** logDegree)
    throw new VerifierError("InvalidParams", `FRI degree excess ${excess} exceeds 2^${logDegree}/2^${MAX_EXCESS_SHIFT}`);
  const arities: number[] = [];
  const sizes: number[] = [];
  let logM = logDegree + params.logBlowup;
  let remaining = logDegree - params.logFinalLen;
  while (remaining > 0) {
    const k = Math.min(params.logFoldingArity, remaining);
    arities.push(k);
    sizes.push(logM);
    logM -= k;
    remaining -= k;
  }
  return {
    logN: logDegree + params.logBlowup,
    logDegree,
    logBlowup: params.logBlowup,
    logFinalLen: params.logFinalLen,
    numQueries: params.numQueries,
    powBits: params.powBits,
    layerLogArities: arities,
    layerLogSizes: sizes,
    finalLogSize: logM,
    degreeExcess: excess,
    finalLen: 2 ** params.logFinalLen + Math.ceil(excess / 2 ** (logDegree - params.logFinalLen)),
  };
}

// ---------------------------------------------------------------- folding arithmetic (shared with the prover)

export const INV_TWO = inv(2);
const invRootCache: number[] = [];
/** ω_{2^logM}^{-1}. */
export function invRootOfUnity(logM: number): number {
  let r = invRootCache[logM];
  if (r === undefined) {
    r = inv(rootOfUnity(logM));
    invRootCache[logM] = r;
  }
  return r;
}

/**
 * One binary fold in place on flat storage: out[o..o+4) = (lo + hi)/2 + β·(lo − hi)·h where h = 1/(2x).
 * `lo` is f(x), `hi` is f(−x).
 */
export function foldPairAt(
  out: Uint32Array, o: number, v: Uint32Array, lo: number, hi: number, halfInvX: number, beta: Uint32Array, tmp: Uint32Array,
): void {
  for (let c = 0; c < 4; c++) {
    tmp[c] = mul(sub(v[lo + c]!, v[hi + c]!), halfInvX);
  }
  const e0 = mul(add(v[lo]!, v[hi]!), INV_TWO);
  const e1 = mul(add(v[lo + 1]!, v[hi + 1]!), INV_TWO);
  const e2 = mul(add(v[lo + 2]!, v[hi + 2]!), INV_TWO);
  const e3 = mul(add(v[lo + 3]!, v[hi + 3]!), INV_TWO);
  eMulAt(tmp, 0, tmp, 0, beta, 0);
  out[o] = add(e0, tmp[0]!);
  out[o + 1] = add(e1, tmp[1]!);
  out[o + 2] = add(e2, tmp[2]!);
  out[o + 3] = add(e3, tmp[3]!);
}

/**
 * Fold one opened group (a = 2^k ext values, flat, slot j = position i + j·M/a) of a layer of log size logM whose
 * coset shift has inverse `shiftInv`, with challenge β; returns the folded value at position i of the next layer.
 * Cost: one exponentiation (x_i⁻¹ = s⁻¹·ω_M^{−i}) and ~(a−1) binary folds. Within step t the group's points are
 * x·ζ^j (ζ a primitive 2^(k−t)-th root), so 1/(2·x·ζ^j) = h₀·ζ^{−j}; the next step's h₀ is 1/(2x²) = 2·h₀².
 */
export function foldGroup(group: Uint32Array, k: number, i: number, logM: number, shiftInv: number, beta: Uint32Array): Uint32Array {
  const v = group.slice(0, 4 << k);
  const tmp = new Uint32Array(4);
  let b = beta.slice(0, 4);
  let h0: number = mul(mul(shiftInv, pow(invRootOfUnity(logM), i)), INV_TWO);
  for (let step = 0; step < k; step++) {
    const half = 1 << (k - step - 1); // slot j pairs with j + half (the point −x·ζ^j)
    const zInv = invRootOfUnity(k - step);
    let h = h0;
    for (let j = 0; j < half; j++) {
      foldPairAt(v, 4 * j, v, 4 * j, 4 * (j + half), h, b, tmp);
      h = mul(h, zInv);
    }
    h0 = mul(2, mul(h0, h0));
    const b2 = new Uint32Array(4);
    eMulAt(b2, 0, b, 0, b, 0);
    b = b2;
  }
  return v.slice(0, 4);
}

/** Evaluate the flat ext-coefficient polynomial at a base-field point (Horner, ext·base). */
export function evalExtPolyAtBase(coeffs: Uint32Array, x: number): Uint32Array {
  const n = coeffs.length >>> 2;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let j = n - 1; j >= 0; j--) {
    a0 = add(mul(a0, x), coeffs[4 * j]!);
    a1 = add(mul(a1, x), coeffs[4 * j + 1]!);
    a2 = add(mul(a2, x), coeffs[4 * j + 2]!);
    a3 = add(mul(a3, x), coeffs[4 * j + 3]!);
  }
  return Uint32Array.of(a0, a1, a2, a3);
}

/** Sorted distinct group indices opened at a layer for the given layer-0 query positions. */
export function layerGroups(shape: FriShape, layer: number, indices: readonly number[]): number[] {
  const groups = 2 ** (shape.layerLogSizes[layer]! - shape.layerLogArities[layer]!);
  return [...new Set(indices.map((p) => p % groups))].sort((x, y) => x - y);
}

// ---------------------------------------------------------------- verifier

function eqAt(a: Uint32Array, ai: number, b: Uint32Array, bi: number): boolean {
  return a[ai] === b[bi] && a[ai + 1] === b[bi + 1] && a[ai + 2] === b[bi + 2] && a[ai + 3] === b[bi + 3];
}

/** Phase 1: replay the commit phase on the transcript, check final-poly length and proof of work, draw queries. */
export function friVerifyCommitPhase(t: Transcript, shape: FriShape, proof: FriProof): FriChallenges {
  const R = shape.layerLogArities.length;
  if (proof.layerRoots.length !== R) throw new VerifierError("Malformed", `FRI: ${proof.layerRoots.length} layer roots, expected ${R}`);
  if (proof.layers.length !== R) throw new VerifierError("Malformed", `FRI: ${proof.layers.length} layer openings, expected ${R}`);
  const betas: Ext[] = [];
  for (let r = 0; r < R; r++) {
    const root = proof.layerRoots[r]!;
    if (!(root instanceof Uint8Array) || root.length !== 32) throw new VerifierError("Malformed", `FRI layer ${r}: root must be 32 bytes`);
    t.absorbDigest("fri/layer", root);
    betas.push(t.challengeExt("fri/beta"));
  }
  if (proof.finalPoly.length !== 4 * shape.finalLen)
    throw new VerifierError("FriFinalDegree", `FRI final polynomial has ${proof.finalPoly.length / 4} coefficients, expected exactly ${shape.finalLen}`);
  t.absorbExtsFlat("fri/final", proof.finalPoly);
  if (!isValidNonce(proof.powNonce)) throw new VerifierError("ProofOfWork", "proof-of-work nonce is not a valid integer");
  t.checkPow("fri/pow", shape.powBits, proof.powNonce);
  const indices = t.challengeIndices("fri/queries", shape.numQueries, shape.logN);
  return { betas, indices };
}

/**
 * Phase 2: check every layer opening (counts, Merkle paths), every fold, and the final polynomial.
 * `initialValues[q]` is the DEEP layer's value f(x_{indices[q]}) (an Ext, or 4 base elements).
 */
export function friVerifyQueries(shape: FriShape, proof: FriProof, ch: FriChallenges, initialValues: readonly Uint32Array[], lap?: (phase: string) => void): void {
  const Q = ch.indices.length;
  if (Q !== shape.numQueries) throw new VerifierError("QueryCount", `FRI: ${Q} query indices, expected ${shape.numQueries}`);
  if (initialValues.length !== Q) throw new VerifierError("QueryCount", `FRI: ${initialValues.length} initial values for ${Q} queries`);
  const pos = ch.indices.slice();
  let vals = new Uint32Array(4 * Q);
  initialValues.forEach((v, q) => {
    if (!(v instanceof Uint32Array) || v.length < 4) throw new VerifierError("Internal", `FRI: initial value ${q} is not an extension element`);
    vals.set(v.subarray(0, 4), 4 * q);
  });
  let shift: number = FRI_SHIFT;
  for (let r = 0; r < shape.layerLogArities.length; r++) {
    const k = shape.layerLogArities[r]!;
    const logM = shape.layerLogSizes[r]!;
    const a = 1 << k;
    const shiftInv = inv(shift);
    const logGroups = logM - k;
    const nGroups = 2 ** logGroups;
    const groups = [...new Set(pos.map((p) => p % nGroups))].sort((x, y) => x - y);
    const layer = proof.layers[r]!;
    const width = 4 * a;
    if (!(layer.values instanceof Uint32Array) || layer.values.length !== width * groups.length)
      throw new VerifierError("QueryCount", `FRI layer ${r}: ${layer.values.length / width} opened groups, expected ${groups.length}`);
    const leaves = hashLeavesFlat(layer.values, width, groups.length);
    if (!verifyMultiProofFlat(proof.layerRoots[r]!, logGroups, groups, leaves, layer.proof))
      throw new VerifierError("MerklePath", `FRI layer ${r}: Merkle multi-proof does not match the root`);
    lap?.("fri/merkle");
    const slotOf = new Map<number, number>();
    groups.forEach((g, idx) => slotOf.set(g, idx));
    const next = new Uint32Array(4 * Q);
    for (let q = 0; q < Q; q++) {
      const p = pos[q]!;
      const i = p % nGroups;
      const j = Math.floor(p / nGroups);
      const g = slotOf.get(i)!;
      const group = layer.values.subarray(width * g, width * (g + 1));
      if (!eqAt(group, 4 * j, vals, 4 * q))
        throw new VerifierError("FriFold", r === 0
          ? `FRI layer 0: opened value at query ${q} (position ${p}) differs from the DEEP value`
          : `FRI layer ${r}: opened value at query ${q} (position ${p}) differs from the fold of layer ${r - 1}`);
      next.set(foldGroup(group, k, i, logM, shiftInv, ch.betas[r]!), 4 * q);
      pos[q] = i;
    }
    vals = next;
    shift = pow(shift, a);
    lap?.("fri/fold");
  }
  // final polynomial against the last folded values
  const wF = rootOfUnity(shape.finalLogSize);
  for (let q = 0; q < Q; q++) {
    const x = mul(shift, pow(wF, pos[q]!));
    const y = evalExtPolyAtBase(proof.finalPoly, x);
    if (!eqAt(y, 0, vals, 4 * q))
      throw new VerifierError("FriFinalDegree", `FRI final polynomial disagrees with the last layer at query ${q}: the committed function is not of degree < 2^${shape.logDegree} + ${shape.degreeExcess}`);
  }
  lap?.("fri/final-poly");
}

export type FriResult = { readonly ok: true; readonly indices: readonly number[] } | { readonly ok: false; readonly error: VerifierErrorInfo };

/**
 * Both phases; `initialValuesAt(indices)` is called between them (the DEEP layer). Never throws: every failure,
 * including a bug, comes back as a typed error value.
 */
export function verifyFri(
  t: Transcript, params: FriParams, logDegree: number, proof: FriProof, initialValuesAt: (indices: readonly number[]) => readonly Uint32Array[],
  excess = 0,
): FriResult {
  try {
    const shape = friShape(params, logDegree, excess);
    const ch = friVerifyCommitPhase(t, shape, proof);
    friVerifyQueries(shape, proof, ch, initialValuesAt(ch.indices));
    return { ok: true, indices: ch.indices };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

// ---------------------------------------------------------------- binary encoding

/**
 *   u32 R (= number of layers of the shape)   R × 32-byte roots
 *   u32 L (= shape.finalLen)                  L × 16 bytes (ext coefficients)
 *   u64 nonce (< 2^53)
 *   per layer r: u32 G (1 ≤ G ≤ numQueries), G·a_r·16 bytes of values, u32 D (≤ G·depth_r), D × 32-byte digests
 * Counts that the shape fixes must match exactly (Malformed; FriFinalDegree for the final length); the others are
 * bounded before allocation. Values must be canonical (NonCanonical).
 */
export function writeFriProof(w: ByteWriter, proof: FriProof, shape: FriShape): void {
  w.u32(proof.layerRoots.length);
  for (const r of proof.layerRoots) w.digest(r);
  w.u32(proof.finalPoly.length / 4);
  w.fields(proof.finalPoly);
  w.u64(proof.powNonce);
  proof.layers.forEach((l, r) => {
    const k = shape.layerLogArities[r];
    if (k === undefined) throw new RangeError(`writeFriProof: layer ${r} not in the shape`);
    w.u32(l.values.length / (4 << k));
    w.fields(l.values);
    w.digests(l.proof);
  });
}

export function encodeFriProof(proof: FriProof, shape: FriShape): Uint8Array {
  const w = new ByteWriter(4096);
  writeFriProof(w, proof, shape);
  return w.finish();
}

export function readFriProof(rd: ByteReader, shape: FriShape): FriProof {
  const R = shape.layerLogArities.length;
  rd.expectU32("FRI layer count", R);
  const layerRoots: Uint8Array[] = [];
  for (let r = 0; r < R; r++) layerRoots.push(rd.digest("FRI layer root"));
  const L = rd.u32("FRI final polynomial length");
  if (L !== shape.finalLen) throw new VerifierError("FriFinalDegree", `FRI final polynomial has ${L} coefficients, expected exactly ${shape.finalLen}`);
  const finalPoly = rd.extsFlat(L, "FRI final polynomial");
  const powNonce = rd.u64("FRI proof-of-work nonce");
  const layers: FriLayerOpening[] = [];
  for (let r = 0; r < R; r++) {
    const k = shape.layerLogArities[r]!;
    const depth = shape.layerLogSizes[r]! - k;
    const G = rd.count(`FRI layer ${r} group count`, Math.min(shape.numQueries, 2 ** depth), 1);
    const values = rd.fields(G * (4 << k), `FRI layer ${r} values`);
    const proof = rd.digests(`FRI layer ${r} Merkle proof`, G * depth);
    layers.push({ values, proof });
  }
  return { layerRoots, finalPoly, powNonce, layers };
}

/** Standalone strict decode (no trailing bytes). */
export function decodeFriProof(bytes: Uint8Array, shape: FriShape): FriProof {
  const rd = new ByteReader(bytes);
  const p = readFriProof(rd, shape);
  rd.end();
  return p;
}

