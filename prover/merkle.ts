/**
 * SHA-256 Merkle commitments for the prover (byte strings as in verifier/merkle.ts and docs/architecture.md):
 *   leaf = SHA-256(0x00 ‖ u32le(row) ‖ salt),  node = SHA-256(0x01 ‖ left ‖ right).
 * All hashing runs in the WASM SIMD kernel (four messages per v128), one kernel call per chunk of rows and one
 * per tree level. prover/workers/ has the multi-threaded commit (`commitParallel`), which fills the same layout.
 *
 * Node storage: one byte array, level 0 (the leaf digests) first, then each level above it, the root last.
 */
import { DIGEST_BYTES } from "../verifier/sha256.ts";
import { SALT_BYTES, type MerkleMultiProof } from "../verifier/merkle.ts";
import { kernels, type Kernels } from "./kernels/index.ts";
import { invalid } from "./kernels/errors.ts";

export type { MerkleMultiProof } from "../verifier/merkle.ts";

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
/** Rows copied into kernel memory per leaf-hashing call (bounded so huge matrices need no huge kernel memory). */
const CHUNK_BYTES = 8 << 20;

/** Byte offset of each level in the node array of a tree with 2^depth leaves (index depth = the root). */
export function levelOffsets(depth: number): number[] {
  const offs: number[] = [];
  let off = 0;
  for (let l = 0; l <= depth; l++) {
    offs.push(off);
    off += DIGEST_BYTES * 2 ** (depth - l);
  }
  offs.push(off);
  return offs; // offs[depth + 1] = total bytes
}

export function checkMatrix(matrix: Uint32Array, width: number, height: number, salts?: Uint8Array): number {
  if (!Number.isInteger(width) || width < 1) invalid(`matrix width must be a positive integer, got ${width}`);
  if (!Number.isInteger(height) || height < 1 || (height & (height - 1)) !== 0 || height > 2 ** 30) {
    invalid(`matrix height must be a power of two, got ${height}`);
  }
  if (matrix.length !== width * height) invalid(`matrix has ${matrix.length} values, expected ${width}×${height}`);
  if (salts !== undefined && salts.length !== SALT_BYTES * height) invalid(`salts must be ${SALT_BYTES}·height = ${SALT_BYTES * height} bytes, got ${salts.length}`);
  return 31 - Math.clz32(height);
}

/**
 * Leaf digests of rows [rowStart, rowStart + count) into out[0, 32·count). `salts`, when given, has 16 bytes per
 * row of the whole matrix.
 */
export function hashRows(
  k: Kernels, matrix: Uint32Array, width: number, rowStart: number, count: number, salts: Uint8Array | undefined,
  out: Uint8Array, columnMajorHeight?: number,
): void {
  const rowBytes = 4 * width;
  const saltBytes = salts === undefined ? 0 : SALT_BYTES;
  const chunk = Math.max(4, Math.min(count, Math.floor(CHUNK_BYTES / (rowBytes + saltBytes)) & ~3));
  const rowsPtr = k.scratchBase();
  const saltPtr = rowsPtr + ((chunk * rowBytes + 15) & ~15);
  const outPtr = saltPtr + ((chunk * saltBytes + 15) & ~15);
  const colsPtr = outPtr + 32 * chunk; // column-major sources: the chunk's columns, transposed in the kernel
  const scratch = colsPtr + (columnMajorHeight === undefined ? 0 : (chunk * rowBytes + 15) & ~15);
  k.ensure(scratch + k.x.scratchBytes(rowBytes, saltBytes));
  for (let r = 0; r < count; r += chunk) {
    const m = Math.min(chunk, count - r);
    const first = rowStart + r;
    if (columnMajorHeight === undefined) k.u32().set(matrix.subarray(first * width, (first + m) * width), rowsPtr >>> 2);
    else {
      // element (row i, column c) at matrix[c·height + i]
      const mem32 = k.u32(), H = columnMajorHeight;
      for (let c = 0; c < width; c++) mem32.set(matrix.subarray(c * H + first, c * H + first + m), (colsPtr >>> 2) + c * m);
      k.x.transposeToRows(colsPtr, width, m, rowsPtr);
    }
    const mem = k.u8();
    if (salts !== undefined) mem.set(salts.subarray(first * SALT_BYTES, (first + m) * SALT_BYTES), saltPtr);
    k.x.hashBatch(rowsPtr, rowBytes, rowBytes, LEAF_PREFIX, saltPtr, saltBytes, m, outPtr, scratch);
    out.set(k.u8().subarray(outPtr, outPtr + 32 * m), 32 * r);
  }
}

/**
 * Given the 2^levels digests of a subtree's bottom level in nodes[offs[0] + 32·first …], fill its `levels` levels
 * above (all inside `nodes`, laid out per levelOffsets). `first` is the index of the subtree's first leaf.
 */
export function hashLevels(k: Kernels, nodes: Uint8Array, offs: readonly number[], first: number, count: number, levels: number): void {
  if (levels === 0) return;
  const base = k.scratchBase();
  const scratch = base + 64 * count; // 32·count for the bottom + 32·count for everything above (a geometric sum)
  k.ensure(scratch + k.x.scratchBytes(64, 0));
  k.u8().set(nodes.subarray(offs[0]! + 32 * first, offs[0]! + 32 * (first + count)), base);
  let src = base;
  let c = count;
  let f = first;
  for (let l = 1; l <= levels; l++) {
    const dst = src + 32 * c;
    k.x.hashBatch(src, 64, 64, NODE_PREFIX, 0, 0, c >>> 1, dst, scratch);
    c >>>= 1;
    f >>>= 1;
    nodes.set(k.u8().subarray(dst, dst + 32 * c), offs[l]! + 32 * f);
    src = dst;
  }
}

/** A committed matrix: the tree, the rows (to open) and their salts. */
export class MerkleTree {
  readonly depth: number;
  readonly width: number;
  readonly height: number;
  /** All digests, level 0 (leaves) first; see levelOffsets. */
  readonly nodes: Uint8Array;
  readonly root: Uint8Array;
  private readonly matrix: Uint32Array;
  private readonly salts: Uint8Array | undefined;
  private readonly offs: number[];

  /**
   * Use MerkleTree.commit / commitParallel; this only wraps already computed nodes. `columnMajor`: the matrix
   * holds column c at [c·height, (c+1)·height) (the leaves are still its rows).
   */
  constructor(matrix: Uint32Array, width: number, height: number, salts: Uint8Array | undefined, nodes: Uint8Array, readonly columnMajor = false) {
    this.depth = checkMatrix(matrix, width, height, salts);
    this.offs = levelOffsets(this.depth);
    if (nodes.length !== this.offs[this.depth + 1]) invalid(`node array has ${nodes.length} bytes, expected ${this.offs[this.depth + 1]}`);
    this.width = width;
    this.height = height;
    this.matrix = matrix;
    this.salts = salts;
    this.nodes = nodes;
    this.root = nodes.slice(this.offs[this.depth]!, this.offs[this.depth]! + DIGEST_BYTES);
  }

  /**
   * Commit to a row-major matrix (one leaf per row, `height` a power of two). `salts`: 16 bytes per row when zero
   * knowledge is on. In-thread; the matrix and salts are kept (not copied) for openings.
   */
  static commit(matrix: Uint32Array, width: number, height: number, salts?: Uint8Array, columnMajor = false): MerkleTree {
    const depth = checkMatrix(matrix, width, height, salts);
    const offs = levelOffsets(depth);
    const nodes = new Uint8Array(offs[depth + 1]!);
    const k = kernels();
    hashRows(k, matrix, width, 0, height, salts, nodes.subarray(0, 32 * height), columnMajor ? height : undefined);
    hashLevels(k, nodes, offs, 0, height, depth);
    return new MerkleTree(matrix, width, height, salts, nodes, columnMajor);
  }

  /** Row i of the committed matrix (row-major: a view, do not modify; column-major: a fresh copy). */
  getRow(i: number): Uint32Array {
    this.checkIndex(i);
    if (!this.columnMajor) return this.matrix.subarray(i * this.width, (i + 1) * this.width);
    const row = new Uint32Array(this.width);
    for (let c = 0; c < this.width; c++) row[c] = this.matrix[c * this.height + i]!;
    return row;
  }

  /** The 16-byte salt of row i, or undefined when the tree is unsalted. */
  getSalt(i: number): Uint8Array | undefined {
    this.checkIndex(i);
    return this.salts?.slice(i * SALT_BYTES, (i + 1) * SALT_BYTES);
  }

  /** Digest of leaf i. */
  leafHash(i: number): Uint8Array {
    this.checkIndex(i);
    return this.nodes.slice(32 * i, 32 * i + 32);
  }

  /** Digest of node `index` at `level` (0 = leaves). */
  node(level: number, index: number): Uint8Array {
    const o = this.offs[level]! + 32 * index;
    return this.nodes.slice(o, o + 32);
  }

  /**
   * The minimal set of sibling digests proving the leaves at `indices` (sorted ascending, no duplicates, in
   * range), in the canonical order verifier/merkle.ts expects: level by level upwards, by increasing index.
   */
  openMulti(indices: readonly number[]): MerkleMultiProof {
    if (indices.length === 0) invalid("openMulti needs at least one index");
    for (let k = 0; k < indices.length; k++) {
      this.checkIndex(indices[k]!);
      if (k > 0 && indices[k]! <= indices[k - 1]!) invalid("openMulti indices must be strictly increasing");
    }
    const proof: Uint8Array[] = [];
    let known = indices.slice();
    for (let level = 0; level < this.depth; level++) {
      const up: number[] = [];
      for (let k = 0; k < known.length; k++) {
        const i = known[k]!;
        if ((i & 1) === 0 && known[k + 1] === i + 1) k++; // sibling known too
        else proof.push(this.node(level, i ^ 1));
        up.push(i >>> 1);
      }
      known = up;
    }
    return proof;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.height) invalid(`row index ${i} out of range [0, ${this.height})`);
  }
}
