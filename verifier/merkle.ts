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
import { DIGEST_BYTES, sha256Into, sha256NodeInto } from "./sha256.ts";

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
  const out = new Uint8Array(DIGEST_BYTES);
  hashLeafInto(values, 0, values.length, saltLen === 0 ? undefined : salt, 0, out, 0);
  return out;
}

let leafMsg = new Uint8Array(1024);

/**
 * Leaf digest of values[vo, vo + n) with the optional salt salt[so, so + 16), written to out[oo, oo + 32). The
 * message is built in a reused buffer; no allocation once that buffer is large enough.
 */
export function hashLeafInto(values: ArrayLike<number>, vo: number, n: number, salt: Uint8Array | undefined, so: number, out: Uint8Array, oo: number): void {
  const saltLen = salt === undefined ? 0 : SALT_BYTES;
  if (salt !== undefined && salt.length - so < SALT_BYTES) throw new RangeError(`salt must be ${SALT_BYTES} bytes`);
  const len = 1 + 4 * n + saltLen;
  if (leafMsg.length < len) leafMsg = new Uint8Array(Math.max(len, 2 * leafMsg.length));
  const m = leafMsg;
  m[0] = 0x00;
  for (let i = 0, o = 1; i < n; i++, o += 4) {
    const v = values[vo + i]! >>> 0;
    m[o] = v & 0xff;
    m[o + 1] = (v >>> 8) & 0xff;
    m[o + 2] = (v >>> 16) & 0xff;
    m[o + 3] = v >>> 24;
  }
  if (salt !== undefined) for (let i = 0; i < SALT_BYTES; i++) m[1 + 4 * n + i] = salt[so + i]!;
  sha256Into(m, 0, len, out, oo);
}

/**
 * Leaf digests of `count` rows of `width` values stored row-major in `rows` (with 16-byte salts, row k's at
 * salts[16k, 16k + 16), when `salts` is given), flat: digest k at [32k, 32k + 32).
 */
export function hashLeavesFlat(rows: ArrayLike<number>, width: number, count: number, salts?: Uint8Array): Uint8Array {
  const out = new Uint8Array(DIGEST_BYTES * count);
  for (let k = 0; k < count; k++) hashLeafInto(rows, k * width, width, salts, SALT_BYTES * k, out, DIGEST_BYTES * k);
  return out;
}

/** Inner-node digest of two 32-byte children. */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== DIGEST_BYTES || right.length !== DIGEST_BYTES) throw new RangeError("node children must be 32-byte digests");
  const out = new Uint8Array(DIGEST_BYTES);
  sha256NodeInto(NODE_PREFIX[0]!, left, 0, right, 0, out, 0);
  return out;
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
  if (!Array.isArray(indices) || !Array.isArray(leafHashes) || indices.length !== leafHashes.length) return false;
  const flat = new Uint8Array(DIGEST_BYTES * leafHashes.length);
  for (let k = 0; k < leafHashes.length; k++) {
    const h = leafHashes[k];
    if (!(h instanceof Uint8Array) || h.length !== DIGEST_BYTES) return false;
    flat.set(h, DIGEST_BYTES * k);
  }
  return verifyMultiProofFlat(root, depth, indices, flat, proof);
}

/**
 * `verifyMultiProof` with the leaf digests flat (digest k at [32k, 32k + 32)); same checks, same result. The
 * buffer is used as scratch space for the walk (its contents are overwritten).
 */
export function verifyMultiProofFlat(root: Uint8Array, depth: number, indices: readonly number[], leaves: Uint8Array, proof: MerkleMultiProof): boolean {
  if (!(root instanceof Uint8Array) || root.length !== DIGEST_BYTES) return false;
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_DEPTH) return false;
  if (!Array.isArray(indices) || !Array.isArray(proof) || !(leaves instanceof Uint8Array)) return false;
  const n = indices.length;
  if (n === 0 || leaves.length !== DIGEST_BYTES * n) return false;
  const width = 2 ** depth;
  const idx = new Float64Array(n); // indices up to 2^32: exact in doubles
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= width) return false;
    if (k > 0 && i <= indices[k - 1]!) return false; // strictly increasing: sorted and unique
    idx[k] = i;
  }
  for (const p of proof) if (!(p instanceof Uint8Array) || p.length !== DIGEST_BYTES) return false;

  // Walk up level by level. idx[0, count) / hs[0, count) hold the known nodes of the current level, sorted by
  // index; parents are written in place at position m ≤ k (children are read before the parent is written).
  const hs = leaves;
  const prefix = NODE_PREFIX[0]!;
  let count = n;
  let next = 0; // position in `proof`
  for (let level = 0; level < depth; level++) {
    let m = 0;
    for (let k = 0; k < count; k++, m++) {
      const i = idx[k]!;
      const even = i % 2 === 0;
      if (even && k + 1 < count && idx[k + 1] === i + 1) {
        // Both children known: no proof digest needed.
        sha256NodeInto(prefix, hs, DIGEST_BYTES * k, hs, DIGEST_BYTES * (k + 1), hs, DIGEST_BYTES * m);
        k++;
      } else {
        if (next >= proof.length) return false; // missing sibling
        const sib = proof[next++]!;
        if (even) sha256NodeInto(prefix, hs, DIGEST_BYTES * k, sib, 0, hs, DIGEST_BYTES * m);
        else sha256NodeInto(prefix, sib, 0, hs, DIGEST_BYTES * k, hs, DIGEST_BYTES * m);
      }
      idx[m] = Math.floor(i / 2);
    }
    count = m;
  }
  if (next !== proof.length) return false; // leftover digests: a proof is exactly minimal
  if (count !== 1) return false;
  let d = 0;
  for (let b = 0; b < DIGEST_BYTES; b++) d |= hs[b]! ^ root[b]!;
  return d === 0;
}
