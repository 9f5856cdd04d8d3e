/**
 * Proof-of-work search in the WASM SHA-256 kernel: the same nonce as verifier/pow.ts `grindNonce` (the smallest
 * ≥ start whose digest has `bits` leading zero bits), found by hashing BATCH candidates per kernel call, four
 * messages per v128. The 54-byte message fits one SHA-256 block; the kernel's prefix byte is its first byte.
 * Measured at 16 bits (≈ 65,536 hashes): node:crypto one call per nonce ≈ 230–350 ms.
 */
import { checkPowBits, leadingZeroBits, powMessage } from "../verifier/pow.ts";
import { kernels } from "./kernels/index.ts";

/** Candidates per kernel call: 4096 × 56-byte slots in, 4096 digests out (≈ 360 KiB of kernel memory). */
const BATCH = 4096;
/** Message slot size: the 53 bytes after the prefix byte, padded to a multiple of 4 for aligned slots. */
const SLOT = 56;

export function grindNonceWasm(seed: Uint8Array, bits: number, start = 0): number {
  checkPowBits(bits);
  if (bits === 0) return start;
  const msg = powMessage(seed);
  const item = msg.length - 1;
  const nonceAt = item - 8; // within the item
  const k = kernels();
  const src = k.scratchBase(), out = src + SLOT * BATCH, scratch = out + 32 * BATCH;
  k.ensure(scratch + k.x.scratchBytes(item, 0));
  const mem = k.u8();
  for (let i = 0; i < BATCH; i++) mem.set(msg.subarray(1), src + SLOT * i);
  for (let n0 = start; n0 <= Number.MAX_SAFE_INTEGER; n0 += BATCH) {
    const count = Math.min(BATCH, Number.MAX_SAFE_INTEGER - n0 + 1);
    const m = k.u8();
    for (let i = 0; i < count; i++) {
      const n = n0 + i, o = src + SLOT * i + nonceAt;
      const lo = n % 0x1_0000_0000, hi = Math.floor(n / 0x1_0000_0000);
      m[o] = lo & 0xff; m[o + 1] = (lo >>> 8) & 0xff; m[o + 2] = (lo >>> 16) & 0xff; m[o + 3] = lo >>> 24;
      m[o + 4] = hi & 0xff; m[o + 5] = (hi >>> 8) & 0xff; m[o + 6] = (hi >>> 16) & 0xff; m[o + 7] = hi >>> 24;
    }
    k.x.hashBatch(src, SLOT, item, msg[0]!, 0, 0, count, out, scratch);
    const d = k.u8();
    for (let i = 0; i < count; i++) {
      if (leadingZeroBits(d.subarray(out + 32 * i, out + 32 * i + 32)) >= bits) return n0 + i;
    }
  }
  throw new RangeError("proof-of-work nonce space exhausted");
}
