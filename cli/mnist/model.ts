// Parameter layout shared by the guest, the emulator and the float reference, and the model hash.
//
// All parameters of an MLP with widths [n_0, …, n_L] live in ONE i32 vector (Q16.16 raw values):
// for each layer l = 1..L in order, W_l as n_l rows of n_(l−1) weights (row j = the weights into
// neuron j, so a forward pre-activation is a contiguous DOT), then the n_l biases b_l. Because the
// gradient buffer has the same layout, one AXPY updates the whole model.
// The model hash is SHA-256 of that vector as little-endian bytes (what the guest hashes in place).

import { sha256 } from "@noble/hashes/sha2.js";
import { initKey, initStdRaw, initWeight } from "./fixed-math.ts";
import { paramCount } from "./config.ts";

export interface LayerOffsets {
  readonly nIn: number;
  readonly nOut: number;
  /** Index of W_l[0][0] in the parameter vector. */
  readonly w: number;
  /** Index of b_l[0]. */
  readonly b: number;
}

export function layerOffsets(layers: readonly number[]): LayerOffsets[] {
  const out: LayerOffsets[] = [];
  let off = 0;
  for (let l = 1; l < layers.length; l++) {
    const nIn = layers[l - 1]!;
    const nOut = layers[l]!;
    out.push({ nIn, nOut, w: off, b: off + nIn * nOut });
    off += nIn * nOut + nOut;
  }
  return out;
}

/**
 * Initial parameters from a seed, in integer arithmetic (fixed-math.ts): He-normal for hidden layers,
 * Glorot-normal for the output layer, biases 0. The float reference starts from these values / 2^16.
 */
export function initParams(layers: readonly number[], seed: number): Int32Array {
  const p = new Int32Array(paramCount(layers));
  const offs = layerOffsets(layers);
  offs.forEach((o, i) => {
    const l = i + 1;
    const isOutput = l === layers.length - 1;
    const std = initStdRaw(isOutput ? o.nIn + o.nOut : o.nIn);
    const key = initKey(seed, l);
    const n = o.nIn * o.nOut;
    for (let t = 0; t < n; t++) p[o.w + t] = initWeight(key, t, std);
  });
  return p;
}

/** The parameter vector as little-endian bytes (the model file's payload). */
export function paramsToBytes(p: Int32Array): Uint8Array {
  const out = new Uint8Array(p.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < p.length; i++) dv.setInt32(4 * i, p[i]!, true);
  return out;
}

export function paramsFromBytes(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`parameter bytes ${bytes.length} not a multiple of 4`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = new Int32Array(bytes.length / 4);
  for (let i = 0; i < p.length; i++) p[i] = dv.getInt32(4 * i, true);
  return p;
}

/** SHA-256 of the little-endian parameter bytes: the weight hash committed by the guest. */
export function paramsHash(p: Int32Array): Uint8Array {
  return sha256(paramsToBytes(p));
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
