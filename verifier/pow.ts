/**
 * Proof of work ("grinding") for FRI's query phase.
 *
 * The transcript squeezes a 32-byte seed after the whole commit phase; the prover searches a nonce n (an integer in
 * [0, 2^53)) such that  D = SHA-256("zkvm-ts/pow/v1" ‖ seed ‖ u64le(n))  starts with at least `bits` zero
 * bits, and the nonce is then absorbed so the query indices depend on it. This multiplies a cheating prover's cost
 * of re-rolling the query positions by 2^bits.
 *
 * The difficulty test counts leading zero bits byte by byte (`leadingZeroBits`), so it has no shift arithmetic at
 * all: it is exact for every `bits` from 0 to 256 (no `1 << 32 === 1` trap). Parameters are capped at
 * MAX_POW_BITS = 48 — grinding 2^48 hashes is far beyond any honest prover, and a documented ceiling keeps a
 * parameter typo from turning into an endless search.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { VerifierError } from "./errors.ts";

export const MAX_POW_BITS = 48;
const POW_DOMAIN = new TextEncoder().encode("zkvm-ts/pow/v1");
const SEED_BYTES = 32;

/** Throw InvalidParams unless bits is an integer in [0, MAX_POW_BITS]. */
export function checkPowBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_POW_BITS)
    throw new VerifierError("InvalidParams", `proof-of-work bits must be an integer in [0, ${MAX_POW_BITS}], got ${String(bits)}`);
}

/** Number of leading zero bits of a byte string (8·length if all zero). */
export function leadingZeroBits(d: Uint8Array): number {
  let z = 0;
  for (let i = 0; i < d.length; i++) {
    const b = d[i]!;
    if (b === 0) {
      z += 8;
      continue;
    }
    return z + Math.clz32(b) - 24;
  }
  return z;
}

/** True iff the digest has at least `bits` leading zero bits. */
export function meetsDifficulty(digest: Uint8Array, bits: number): boolean {
  return leadingZeroBits(digest) >= bits;
}

/** The grinding message with nonce 0: domain ‖ seed ‖ u64le(0); the nonce is its last 8 bytes. */
export function powMessage(seed: Uint8Array): Uint8Array {
  if (seed.length !== SEED_BYTES) throw new RangeError(`proof-of-work seed must be ${SEED_BYTES} bytes`);
  const msg = new Uint8Array(POW_DOMAIN.length + SEED_BYTES + 8);
  msg.set(POW_DOMAIN, 0);
  msg.set(seed, POW_DOMAIN.length);
  return msg;
}

function setNonce(msg: Uint8Array, nonce: number): void {
  const o = msg.length - 8;
  const lo = nonce % 0x1_0000_0000;
  const hi = Math.floor(nonce / 0x1_0000_0000);
  for (let k = 0; k < 4; k++) {
    msg[o + k] = (lo >>> (8 * k)) & 0xff;
    msg[o + 4 + k] = (hi >>> (8 * k)) & 0xff;
  }
}

export function isValidNonce(nonce: number): boolean {
  return Number.isSafeInteger(nonce) && nonce >= 0;
}

/** The grinding digest for one nonce. */
export function powDigest(seed: Uint8Array, nonce: number): Uint8Array {
  if (!isValidNonce(nonce)) throw new RangeError(`nonce must be a safe non-negative integer`);
  const msg = powMessage(seed);
  setNonce(msg, nonce);
  return sha256(msg);
}

/** Verifier side: does `nonce` meet `bits` for `seed`? (bits validated first: InvalidParams.) */
export function verifyPowNonce(seed: Uint8Array, bits: number, nonce: number): boolean {
  checkPowBits(bits);
  if (!isValidNonce(nonce)) return false;
  if (bits === 0) return true;
  return meetsDifficulty(powDigest(seed, nonce), bits);
}

/**
 * Prover side: the smallest nonce ≥ `start` meeting `bits`. Expected 2^bits hashes. `hash` lets the prover plug in
 * a faster SHA-256 (e.g. node:crypto); it must be SHA-256.
 */
export function grindNonce(seed: Uint8Array, bits: number, start = 0, hash: (m: Uint8Array) => Uint8Array = sha256): number {
  checkPowBits(bits);
  if (bits === 0) return start;
  const msg = powMessage(seed);
  for (let n = start; n <= Number.MAX_SAFE_INTEGER; n++) {
    setNonce(msg, n);
    if (meetsDifficulty(hash(msg), bits)) return n;
  }
  throw new RangeError("proof-of-work nonce space exhausted");
}
