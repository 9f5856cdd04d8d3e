/** Prover randomness (zero-knowledge masks and salts): the platform CSPRNG, reduced without bias. */
import { randomBytes, randomFillSync } from "node:crypto";
import type { Ext } from "../verifier/fp.ts";

const P = 2013265921;

/** n uniform field elements (rejection sampling on 31-bit values). */
export function randomFieldElements(n: number): Uint32Array {
  const out = new Uint32Array(n);
  let i = 0;
  while (i < n) {
    const buf = randomBytes(4 * Math.max(16, Math.ceil((n - i) * 1.1)));
    const w = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
    for (let j = 0; j < w.length && i < n; j++) {
      const v = w[j]! & 0x7fffffff;
      if (v < P) out[i++] = v;
    }
  }
  return out;
}

export function randomExt(): Ext {
  return randomFieldElements(4) as Ext;
}

/**
 * count·bytes random bytes, filled in place in a SharedArrayBuffer: the worker pool's Merkle tasks read the salts
 * without a copy (prover/workers/parallel.ts), and no intermediate Buffer is allocated.
 */
export function randomSalts(count: number, bytes = 16): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(count * bytes));
  // randomFillSync takes at most 2^31 − 1 bytes per call
  const CHUNK = 1 << 30;
  for (let o = 0; o < out.length; o += CHUNK) randomFillSync(out.subarray(o, Math.min(out.length, o + CHUNK)));
  return out;
}
