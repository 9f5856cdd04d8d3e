/**
 * SHA-256 for the verifier: a thin wrapper over @noble/hashes (v2 exposes it as "@noble/hashes/sha2.js").
 * Pure JS, no Node built-ins, so the verifier bundles for the browser.
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";

/** Bytes in a SHA-256 digest. */
export const DIGEST_BYTES = 32;

/** SHA-256 of one message. */
export function sha256(message: Uint8Array): Uint8Array {
  return nobleSha256(message);
}

/** SHA-256 of the concatenation of several parts, without building the concatenation. */
export function sha256Parts(...parts: readonly Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Constant-length byte equality (digests are public, so timing does not matter; this is for clarity). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

// ---------------------------------------------------------------------------------------------------------
// Allocation-free SHA-256 for the verifier's Merkle hashing (profiled: bench/verify-profile.ts). A Merkle node
// is 65 bytes, two compression blocks; through the generic hasher object about half of its time went into
// creating the hasher, buffering, padding and copying the output. These functions run the same FIPS 180-4
// compression on a fixed message schedule buffer and write the digest into the caller's buffer. Test:
// test/sha256-fast.test.ts (differential against @noble/hashes on every length 0..300, random messages, nodes).

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** SHA-256 round constants K_0..K_63 (FIPS 180-4 §4.2.2), unsigned: the one table the VM's SHA256 instruction and
 *  its AIR use too. */
export const SHA256_K: Readonly<Uint32Array> = new Uint32Array(K.buffer);
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
/** message schedule (the first 16 words are the block) and chaining state; module-level, never escapes */
const SW = new Int32Array(64);
const ST = new Int32Array(8);

/** One compression of the block in SW[0..16) into ST. */
function compress(): void {
  const w = SW;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!, b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let A = ST[0]!, B = ST[1]!, C = ST[2]!, D = ST[3]!, E = ST[4]!, F = ST[5]!, G = ST[6]!, H = ST[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
    const t1 = (H + s1 + ((E & F) ^ (~E & G)) + K[i]! + w[i]!) | 0;
    const s0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
    const t2 = (s0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
    H = G; G = F; F = E; E = (D + t1) | 0;
    D = C; C = B; B = A; A = (t1 + t2) | 0;
  }
  ST[0] = (ST[0]! + A) | 0; ST[1] = (ST[1]! + B) | 0; ST[2] = (ST[2]! + C) | 0; ST[3] = (ST[3]! + D) | 0;
  ST[4] = (ST[4]! + E) | 0; ST[5] = (ST[5]! + F) | 0; ST[6] = (ST[6]! + G) | 0; ST[7] = (ST[7]! + H) | 0;
}

function writeState(out: Uint8Array, o: number): void {
  for (let i = 0; i < 8; i++) {
    const v = ST[i]!;
    out[o + 4 * i] = v >>> 24;
    out[o + 4 * i + 1] = (v >>> 16) & 0xff;
    out[o + 4 * i + 2] = (v >>> 8) & 0xff;
    out[o + 4 * i + 3] = v & 0xff;
  }
}

/** SHA-256 of msg[off, off + len) written to out[outOff, outOff + 32). No allocation. */
export function sha256Into(msg: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number): void {
  ST.set(IV);
  const w = SW;
  let p = off;
  const end = off + len;
  // whole blocks
  while (end - p >= 64) {
    for (let i = 0; i < 16; i++, p += 4) w[i] = (msg[p]! << 24) | (msg[p + 1]! << 16) | (msg[p + 2]! << 8) | msg[p + 3]!;
    compress();
  }
  // tail, 0x80, zeros, 64-bit big-endian bit length (one or two blocks)
  const rest = end - p;
  w.fill(0, 0, 16);
  for (let i = 0; i < rest; i++) w[i >>> 2]! |= msg[p + i]! << (24 - 8 * (i & 3));
  w[rest >>> 2]! |= 0x80 << (24 - 8 * (rest & 3));
  if (rest >= 56) {
    compress();
    w.fill(0, 0, 16);
  }
  const bits = len * 8;
  w[14] = Math.floor(bits / 0x1_0000_0000) | 0;
  w[15] = bits | 0;
  compress();
  writeState(out, outOff);
}

/**
 * SHA-256(prefix ‖ a[ao, ao + 32) ‖ b[bo, bo + 32)) written to out[oo, oo + 32): a Merkle inner node (65 bytes,
 * two blocks). `out` may alias `a` or `b` (both are read before anything is written).
 */
export function sha256NodeInto(prefix: number, a: Uint8Array, ao: number, b: Uint8Array, bo: number, out: Uint8Array, oo: number): void {
  ST.set(IV);
  const w = SW;
  // block 1: prefix, a[0..32), b[0..31)
  w[0] = (prefix << 24) | (a[ao]! << 16) | (a[ao + 1]! << 8) | a[ao + 2]!;
  for (let i = 1; i < 8; i++) {
    const q = ao + 4 * i - 1;
    w[i] = (a[q]! << 24) | (a[q + 1]! << 16) | (a[q + 2]! << 8) | a[q + 3]!;
  }
  w[8] = (a[ao + 31]! << 24) | (b[bo]! << 16) | (b[bo + 1]! << 8) | b[bo + 2]!;
  for (let i = 9; i < 16; i++) {
    const q = bo + 4 * (i - 8) - 1;
    w[i] = (b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!;
  }
  const last = b[bo + 31]!;
  compress();
  // block 2: b[31], 0x80, zeros, length 520 bits
  w.fill(0, 0, 16);
  w[0] = (last << 24) | 0x800000;
  w[15] = 520;
  compress();
  writeState(out, oo);
}
