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
