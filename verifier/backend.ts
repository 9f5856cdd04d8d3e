/**
 * Binding point between the STARK layer and the commitment/transcript/FRI layer. TEMPORARY stand-ins
 * (plain, small, correct) until verifier/transcript.ts, verifier/merkle.ts, verifier/fri.ts land; then this
 * file wraps those.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { VerifierError } from "./errors.ts";
import { P, add, sub, mul, inv, pow, rootOfUnity, GENERATOR } from "./field.ts";
import { eAdd, eSub, eMul, eMulBase, eEq, extOf, type Ext } from "./ext.ts";

const enc = new TextEncoder();
function u32le(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}
function concat(parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
export function fieldsToBytes(xs: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 * xs.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < xs.length; i++) dv.setUint32(4 * i, xs[i]!, true);
  return out;
}

export class Transcript {
  private state: Uint8Array;
  constructor(label: string) {
    this.state = sha256(concat([enc.encode("zkvm-ts/transcript"), u32le(label.length), enc.encode(label)]));
  }
  absorbBytes(label: string, data: Uint8Array): void {
    const l = enc.encode(label);
    this.state = sha256(concat([this.state, Uint8Array.of(0), u32le(l.length), l, u32le(data.length), data]));
  }
  absorbFields(label: string, xs: ArrayLike<number>): void {
    this.absorbBytes(label, fieldsToBytes(xs));
  }
  absorbExts(label: string, xs: readonly Ext[]): void {
    const flat = new Uint32Array(4 * xs.length);
    xs.forEach((x, i) => flat.set(x, 4 * i));
    this.absorbFields(label, flat);
  }
  private squeeze(label: string): Uint8Array {
    const l = enc.encode(label);
    this.state = sha256(concat([this.state, Uint8Array.of(1), u32le(l.length), l]));
    return sha256(concat([this.state, Uint8Array.of(2)]));
  }
  challengeExt(label: string): Ext {
    const b = this.squeeze(label);
    const dv = new DataView(b.buffer, b.byteOffset, 32);
    const c = [0, 1, 2, 3].map((k) => Number(dv.getBigUint64(8 * k, true) % BigInt(P)));
    return extOf(c[0]!, c[1]!, c[2]!, c[3]!);
  }
  challengeIndices(label: string, count: number, logN: number): number[] {
    const out: number[] = [];
    let i = 0;
    while (out.length < count) {
      const b = this.squeeze(`${label}/${i++}`);
      const dv = new DataView(b.buffer, b.byteOffset, 32);
      for (let k = 0; k < 8 && out.length < count; k++) out.push(logN === 0 ? 0 : dv.getUint32(4 * k, true) % 2 ** logN);
    }
    return out;
  }
  /** Leading-zero-bit count of H(state ‖ nonce) (proof of work). */
  powBits(nonce: number): number {
    const h = sha256(concat([this.state, Uint8Array.of(3), u32le(nonce)]));
    let z = 0;
    for (const byte of h) {
      if (byte === 0) { z += 8; continue; }
      z += Math.clz32(byte) - 24;
      break;
    }
    return z;
  }
}

// ---- Merkle: verifier/merkle.ts (H2)
import { hashLeaf, hashNode, verifyMultiProof } from "./merkle.ts";
export { hashLeaf, hashNode, verifyMultiProof };

// ---- FRI (arity 2, natural order, domain g·H_N, x_i = shift·ω^i; layer r pairs i and i + N_r/2 in one leaf)
export interface FriParams {
  readonly numQueries: number;
  readonly powBits: number;
  /** log2 of the final polynomial's coefficient count. */
  readonly logFinalLen: number;
}

export interface FriLayerQuery {
  /** the pair (f(x_i), f(−x_i)) as 8 base elements per query, in query order */
  readonly pairs: Uint32Array;
  readonly proof: Uint8Array[];
}
export interface FriProof {
  readonly layerRoots: Uint8Array[];
  readonly finalPoly: Uint32Array; // 4·len, ext coefficients interleaved
  readonly powNonce: number;
  readonly layers: FriLayerQuery[];
}

export function numFriLayers(logN: number, logDegree: number, logFinalLen: number): number {
  return Math.max(0, logDegree - logFinalLen);
}

/** Verify FRI after the caller's DEEP values at `queries()` are known. Returns nothing; throws VerifierError. */
export function friVerifyPhase1(t: Transcript, proof: FriProof, logN: number, logDegree: number, params: FriParams): { betas: Ext[]; indices: number[] } {
  const layers = numFriLayers(logN, logDegree, params.logFinalLen);
  if (proof.layerRoots.length !== layers) throw new VerifierError("Malformed", "wrong number of FRI layers");
  const betas: Ext[] = [];
  for (const r of proof.layerRoots) {
    t.absorbBytes("fri/root", r);
    betas.push(t.challengeExt("fri/beta"));
  }
  if (proof.finalPoly.length !== 4 * 2 ** params.logFinalLen) throw new VerifierError("FriFinalDegree", "final polynomial has the wrong length");
  t.absorbFields("fri/final", proof.finalPoly);
  if (t.powBits(proof.powNonce) < params.powBits) throw new VerifierError("ProofOfWork", "proof-of-work nonce does not meet the difficulty");
  t.absorbFields("fri/pow", [proof.powNonce]);
  const indices = t.challengeIndices("fri/queries", params.numQueries, logN);
  return { betas, indices };
}

const INV2 = inv(2);

export function friVerifyPhase2(proof: FriProof, logN: number, logDegree: number, params: FriParams, betas: Ext[], indices: readonly number[], values: readonly Ext[]): void {
  let cur = indices.slice();
  let vals = values.slice();
  let logSize = logN;
  let shift = GENERATOR as number;
  for (let r = 0; r < betas.length; r++) {
    const half = 2 ** (logSize - 1);
    const layer = proof.layers[r]!;
    const uniq = [...new Set(cur.map((i) => i % half))].sort((a, b) => a - b);
    if (layer.pairs.length !== 8 * uniq.length) throw new VerifierError("QueryCount", "FRI layer opening count differs from the queries");
    const leaves = uniq.map((_, k) => hashLeaf(layer.pairs.subarray(8 * k, 8 * k + 8)));
    if (!verifyMultiProof(proof.layerRoots[r]!, logSize - 1, uniq, leaves, layer.proof)) throw new VerifierError("MerklePath", `FRI layer ${r} Merkle proof`);
    const w = rootOfUnity(logSize);
    const nextVals: Ext[] = [];
    cur.forEach((i, q) => {
      const u = i % half;
      const k = uniq.indexOf(u);
      const lo = layer.pairs.subarray(8 * k, 8 * k + 4) as unknown as Ext;
      const hi = layer.pairs.subarray(8 * k + 4, 8 * k + 8) as unknown as Ext;
      const mine = i < half ? lo : hi;
      if (!eEq(mine, vals[q]!)) throw new VerifierError("FriFold", `FRI layer ${r}: value at query ${q} inconsistent`);
      const x = mul(shift, pow(w, u));
      // f'(x²) = (lo + hi)/2 + β·(lo − hi)/(2x)
      const even = eMulBase(eAdd(lo, hi), INV2);
      const odd = eMulBase(eSub(lo, hi), mul(INV2, inv(x)));
      nextVals.push(eAdd(even, eMul(betas[r]!, odd)));
    });
    cur = cur.map((i) => i % half);
    vals = nextVals;
    logSize--;
    shift = mul(shift, shift);
  }
  // final polynomial at the remaining points
  const len = 2 ** params.logFinalLen;
  const w = rootOfUnity(logSize);
  cur.forEach((i, q) => {
    const x = mul(shift, pow(w, i));
    let acc = extOf(0);
    for (let j = len - 1; j >= 0; j--) acc = eAdd(eMulBase(acc, x), proof.finalPoly.subarray(4 * j, 4 * j + 4) as unknown as Ext);
    if (!eEq(acc, vals[q]!)) throw new VerifierError("FriFinalDegree", `final polynomial disagrees at query ${q}`);
  });
}
void add; void sub;
