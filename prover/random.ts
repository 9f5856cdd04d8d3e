/** Prover randomness (zero-knowledge masks and salts): the platform CSPRNG, reduced without bias. */
import { createCipheriv, randomBytes, randomFillSync } from "node:crypto";
import type { Ext } from "../verifier/fp.ts";

const P = 2013265921;

/** n uniform field elements from a byte source: rejection sampling on 31-bit words, so no bias. */
function fieldElementsFrom(n: number, source: (bytes: number) => Uint8Array): Uint32Array {
  const out = new Uint32Array(n);
  let i = 0;
  while (i < n) {
    const buf = source(4 * Math.max(16, Math.ceil((n - i) * 1.1)));
    const w = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >>> 2);
    for (let j = 0; j < w.length && i < n; j++) {
      const v = w[j]! & 0x7fffffff;
      if (v < P) out[i++] = v;
    }
  }
  return out;
}

/** n uniform field elements from the platform CSPRNG. */
export function randomFieldElements(n: number): Uint32Array {
  return fieldElementsFrom(n, randomBytes);
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

/**
 * Where the prover's zero-knowledge randomness comes from. Phase 1 of a joint proof (prover/stark.ts `proveJoint`)
 * draws it from a seeded generator so the main commitment can be dropped after its root is taken and recomputed,
 * bit for bit, when the part is finished: one part's LDE in memory at a time.
 */
export interface ProverRng {
  fieldElements(n: number): Uint32Array;
  salts(count: number, bytes?: number): Uint8Array;
}

export const systemRng: ProverRng = { fieldElements: randomFieldElements, salts: randomSalts };

/**
 * A deterministic CSPRNG from a secret 32-byte seed: the AES-256-CTR keystream (a standard PRF-based generator;
 * the seed never leaves the prover). Field elements by the same rejection sampling as `randomFieldElements`.
 */
export function seededRng(seed: Uint8Array): ProverRng {
  if (seed.length !== 32) throw new RangeError("seededRng: the seed must be 32 bytes");
  const cipher = createCipheriv("aes-256-ctr", seed, new Uint8Array(16));
  const stream = (n: number): Uint8Array => cipher.update(new Uint8Array(n));
  return {
    fieldElements: (n: number): Uint32Array => fieldElementsFrom(n, stream),
    salts(count: number, bytes = 16): Uint8Array {
      const out = new Uint8Array(new SharedArrayBuffer(count * bytes));
      const CHUNK = 1 << 26;
      for (let o = 0; o < out.length; o += CHUNK) out.set(stream(Math.min(CHUNK, out.length - o)), o);
      return out;
    },
  };
}

/** A fresh secret seed for `seededRng`. */
export function randomSeed(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}
