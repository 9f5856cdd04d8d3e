/**
 * SHA-256 Merkle trees as the verifier sees them (docs/architecture.md, "Merkle"):
 *   leaf = SHA-256(0x00 ‖ u32le(row values …) ‖ salt)   salt: none, or 16 bytes when zero knowledge is on
 *   node = SHA-256(0x01 ‖ left ‖ right)
 * The distinct prefixes keep a leaf from being reinterpreted as an inner node (second-preimage separation).
 *
 * A multi-proof for a sorted, duplicate-free index set is the minimal list of sibling digests needed to rebuild
 * the root, in this canonical order: level by level from the leaves up, and inside a level by increasing node
 * index. prover/merkle.ts produces exactly this order; `verifyMultiProof` consumes it and insists on using every
 * digest exactly once.
 */
import { DIGEST_BYTES, bytesEqual, sha256, sha256Parts } from "./sha256.ts";

/** 16 bytes of salt per leaf when zero knowledge is on. */
export const SALT_BYTES = 16;
/** Deepest tree we accept (2^32 leaves is far beyond any LDE over BabyBear, whose two-adicity is 27). */
export const MAX_DEPTH = 32;

/** The sibling digests of a multi-opening, in canonical order (see the module comment). Each is 32 bytes. */
export type MerkleMultiProof = readonly Uint8Array[];

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** Leaf digest of one row of canonical field elements (u32 little endian each), with an optional 16-byte salt. */
export function hashLeaf(values: ArrayLike<number>, salt?: Uint8Array): Uint8Array {
  const saltLen = salt === undefined ? 0 : salt.length;
  if (saltLen !== 0 && saltLen !== SALT_BYTES) throw new RangeError(`salt must be 0 or ${SALT_BYTES} bytes, got ${saltLen}`);
  const msg = new Uint8Array(1 + 4 * values.length + saltLen);
  msg[0] = 0x00;
  const dv = new DataView(msg.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(1 + 4 * i, values[i]! >>> 0, true);
  if (salt !== undefined) msg.set(salt, 1 + 4 * values.length);
  return sha256(msg);
}

/** Inner-node digest of two 32-byte children. */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== DIGEST_BYTES || right.length !== DIGEST_BYTES) throw new RangeError("node children must be 32-byte digests");
  return sha256Parts(NODE_PREFIX, left, right);
}

/** Leaf prefix byte (exported for tests and the prover's kernel parameters). */
export const LEAF_DOMAIN = LEAF_PREFIX[0]!;
/** Inner-node prefix byte. */
export const NODE_DOMAIN = NODE_PREFIX[0]!;

/**
 * Check a multi-proof. `indices` must be strictly increasing leaf positions in [0, 2^depth); `leafHashes[k]` is the
 * digest of leaf `indices[k]`. Returns true iff the proof rebuilds `root` using every proof digest exactly once.
 * Never throws: every malformed input (bad depth, unsorted or duplicate or out-of-range index, wrong lengths,
 * missing or leftover proof digests) is simply `false`.
 */
export function verifyMultiProof(
  root: Uint8Array,
  depth: number,
  indices: readonly number[],
  leafHashes: readonly Uint8Array[],
  proof: MerkleMultiProof,
): boolean {
  if (!(root instanceof Uint8Array) || root.length !== DIGEST_BYTES) return false;
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_DEPTH) return false;
  if (!Array.isArray(indices) || !Array.isArray(leafHashes) || !Array.isArray(proof)) return false;
  if (indices.length === 0 || indices.length !== leafHashes.length) return false;
  const width = 2 ** depth;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= width) return false;
    if (k > 0 && i <= indices[k - 1]!) return false; // strictly increasing: sorted and unique
    const h = leafHashes[k];
    if (!(h instanceof Uint8Array) || h.length !== DIGEST_BYTES) return false;
  }
  for (const p of proof) if (!(p instanceof Uint8Array) || p.length !== DIGEST_BYTES) return false;

  // Walk up level by level. `idx`/`hs` hold the known nodes of the current level, sorted by index.
  let idx: number[] = indices.slice();
  let hs: Uint8Array[] = leafHashes.slice();
  let next = 0; // position in `proof`
  for (let level = 0; level < depth; level++) {
    const upIdx: number[] = [];
    const upHs: Uint8Array[] = [];
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      let left: Uint8Array;
      let right: Uint8Array;
      if ((i & 1) === 0 && k + 1 < idx.length && idx[k + 1] === i + 1) {
        // Both children known: no proof digest needed.
        left = hs[k]!;
        right = hs[k + 1]!;
        k++;
      } else {
        if (next >= proof.length) return false; // missing sibling
        const sib = proof[next++]!;
        if ((i & 1) === 0) {
          left = hs[k]!;
          right = sib;
        } else {
          left = sib;
          right = hs[k]!;
        }
      }
      upIdx.push(i >>> 1);
      upHs.push(hashNode(left, right));
    }
    idx = upIdx;
    hs = upHs;
  }
  if (next !== proof.length) return false; // leftover digests: a proof is exactly minimal
  return idx.length === 1 && bytesEqual(hs[0]!, root);
}
