/**
 * SHA-256 Merkle commitments for the prover (byte strings as in verifier/merkle.ts and docs/architecture.md):
 *   leaf = SHA-256(0x00 ‖ u32le(row) ‖ salt),  node = SHA-256(0x01 ‖ left ‖ right).
 * All hashing runs in the WASM SIMD kernel (four messages per v128), one kernel call per chunk of rows and one
 * per tree level. prover/workers/ has the multi-threaded commit (`commitParallel`), which fills the same layout.
 *
 * Node storage: one byte array holding only the levels from `bottom` = min(CUT, depth) up, level `bottom` first,
 * then each level above it, the root last (levelOffsets). The levels below — the leaf digests and the first inner
 * levels, 7/8 of a full tree's bytes with CUT = 3 — are never stored: the tree keeps its matrix and salts anyway
 * (to open rows), so an opening re-hashes the 2^bottom leaves of each block it touches (`blockNodes`) and checks
 * the block against the stored level-`bottom` node. Commits hash each chunk of rows up to level `bottom` in kernel
 * memory and write only what is stored.
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

/**
 * Tree levels below CUT are not stored but re-hashed from the rows when an opening needs them. Memory: the node
 * array is 2^(1−CUT) of a full tree's, 32·(2^(depth+1−CUT) − 1) bytes (a 2^22-leaf tree, the 2^20-row
 * benchmark's main LDE: 32 MiB instead of 256 MiB; CUT = 2 would keep 64 MiB). Cost: every opened row re-hashes
 * its block of 2^CUT leaves and 2^CUT − 1 nodes, one kernel call per block, whose overhead dominates. Measured
 * on the 2-core VM (load ≈ 2), 43 random rows of a 2^20 × 60 column-major salted tree, the same script with CUT
 * edited: openMulti 1.7 ms with CUT = 2, 2.4 ms with 3, 3.3 ms with 4, 0.4 ms with every level stored; commit time
 * unchanged (`npm run bench:kernels`, "merkle open": 1.4–1.8 ms with CUT = 3). A whole 2^20 × 60 proof opens 8
 * trees, ≈ 320 rows: ≈ 10 ms of openings instead of ≈ 3, for 7/8 of its Merkle node memory (≈ 450 MiB).
 */
export const CUT = 3;

/** The lowest level a tree of 2^depth leaves stores: CUT, or the root's level for a tree shallower than that. */
export function storedBottom(depth: number): number {
  return Math.min(CUT, depth);
}

/**
 * Byte offset of each stored level in the node array of a tree with 2^depth leaves that stores levels
 * [bottom, depth] (default: storedBottom(depth)): offs[l] for bottom ≤ l ≤ depth (offs[bottom] = 0, offs[depth] =
 * the root), offs[depth + 1] = total bytes. Levels below `bottom` are not stored: their entries are -1.
 */
export function levelOffsets(depth: number, bottom: number = storedBottom(depth)): number[] {
  if (!Number.isInteger(bottom) || bottom < 0 || bottom > depth) invalid(`stored bottom level ${bottom} outside [0, ${depth}]`);
  const offs: number[] = [];
  let off = 0;
  for (let l = 0; l <= depth; l++) {
    if (l < bottom) {
      offs.push(-1);
      continue;
    }
    offs.push(off);
    off += DIGEST_BYTES * 2 ** (depth - l);
  }
  offs.push(off);
  return offs; // offs[depth + 1] = total bytes
}

/** offs[level], which must be a stored level. */
function levelAt(offs: readonly number[], level: number): number {
  const o = offs[level];
  if (o === undefined || o < 0) invalid(`level ${level} is not stored`);
  return o;
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
 * Digests of rows [rowStart, rowStart + count) hashed `up` levels up: with up = 0 the leaf digests, 32·count bytes
 * into out; with up > 0 the leaves and the inner levels above them are hashed in kernel memory and only the
 * 2^−up·count level-`up` nodes are written, 32·count/2^up bytes (rowStart and count multiples of 2^up). `salts`,
 * when given, has 16 bytes per row of the whole matrix.
 */
export function hashRows(
  k: Kernels, matrix: Uint32Array, width: number, rowStart: number, count: number, salts: Uint8Array | undefined,
  out: Uint8Array, columnMajorHeight?: number, up = 0,
): void {
  const block = 2 ** up;
  if (rowStart % block !== 0 || count % block !== 0) invalid(`rows [${rowStart}, ${rowStart + count}) are not whole blocks of 2^${up}`);
  if (out.length < 32 * (count / block)) invalid(`output of ${out.length} bytes for ${count / block} digests`);
  const rowBytes = 4 * width;
  const saltBytes = salts === undefined ? 0 : SALT_BYTES;
  // whole blocks per chunk, and a multiple of 4 (the kernel's lanes)
  const align = Math.max(4, block);
  const chunk = Math.max(align, Math.min(count, Math.floor(CHUNK_BYTES / (rowBytes + saltBytes)) & -align));
  const rowsPtr = k.scratchBase();
  const saltPtr = rowsPtr + ((chunk * rowBytes + 15) & ~15);
  const outPtr = saltPtr + ((chunk * saltBytes + 15) & ~15); // the chunk's leaves, then each level above them
  const colsPtr = outPtr + 64 * chunk; // column-major sources: the chunk's columns, transposed in the kernel
  const scratch = colsPtr + (columnMajorHeight === undefined ? 0 : (chunk * rowBytes + 15) & ~15);
  k.ensure(scratch + Math.max(k.x.scratchBytes(rowBytes, saltBytes), k.x.scratchBytes(64, 0)));
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
    const top = hashUp(k, outPtr, m, up, scratch);
    out.set(k.u8().subarray(top, top + 32 * (m / block)), 32 * (r / block));
  }
}

/**
 * Given the `count` = 2^levels digests of a subtree's level `from` in nodes[offs[from] + 32·first …], fill the
 * `levels` levels above (all inside `nodes`, laid out per `offs` from levelOffsets; `from` must be stored).
 * `first` is the index, at level `from`, of the subtree's first node.
 */
export function hashLevels(k: Kernels, nodes: Uint8Array, offs: readonly number[], from: number, first: number, count: number, levels: number): void {
  if (levels === 0) return;
  const base = k.scratchBase();
  const scratch = base + 64 * count; // 32·count for the bottom + 32·count for everything above (a geometric sum)
  k.ensure(scratch + k.x.scratchBytes(64, 0));
  const o = levelAt(offs, from);
  k.u8().set(nodes.subarray(o + 32 * first, o + 32 * (first + count)), base);
  hashUp(k, base, count, levels, scratch, (l, at, c) => nodes.set(k.u8().subarray(at, at + 32 * c), levelAt(offs, from + l) + 32 * (first >>> l)));
}

/**
 * Hashes `count` digests at kernel address `src` `levels` levels up, each level written right after the one below
 * (`onLevel(l, address, count)` after level l is done); returns the address of the top level's digests.
 */
function hashUp(k: Kernels, src: number, count: number, levels: number, scratch: number, onLevel?: (l: number, at: number, count: number) => void): number {
  let c = count;
  for (let l = 1; l <= levels; l++) {
    const dst = src + 32 * c;
    k.x.hashBatch(src, 64, 64, NODE_PREFIX, 0, 0, c >>> 1, dst, scratch);
    c >>>= 1;
    onLevel?.(l, dst, c);
    src = dst;
  }
  return src;
}

/** A committed matrix: the tree's stored levels, the rows (to open and to re-hash the levels below) and their salts. */
export class MerkleTree {
  readonly depth: number;
  readonly width: number;
  readonly height: number;
  /** The lowest stored level: storedBottom(depth) (CUT, or depth for shallower trees). */
  readonly bottom: number;
  /** The stored digests, levels bottom … depth, level `bottom` first and the root last; see levelOffsets. */
  readonly nodes: Uint8Array;
  readonly root: Uint8Array;
  private readonly matrix: Uint32Array;
  private readonly salts: Uint8Array | undefined;
  private readonly offs: number[];
  /** layout of one block's full subtree (depth `bottom`, every level stored), as blockNodes returns it */
  private readonly blockOffs: number[];

  /**
   * Use MerkleTree.commit / commitParallel; this only wraps already computed nodes (levels storedBottom(depth) and
   * up). `columnMajor`: the matrix holds column c at [c·height, (c+1)·height) (the leaves are still its rows).
   */
  constructor(matrix: Uint32Array, width: number, height: number, salts: Uint8Array | undefined, nodes: Uint8Array, readonly columnMajor = false) {
    this.depth = checkMatrix(matrix, width, height, salts);
    this.bottom = storedBottom(this.depth);
    this.offs = levelOffsets(this.depth, this.bottom);
    this.blockOffs = levelOffsets(this.bottom, 0);
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
    const bottom = storedBottom(depth);
    const offs = levelOffsets(depth, bottom);
    const nodes = new Uint8Array(offs[depth + 1]!);
    const k = kernels();
    const count = height / 2 ** bottom; // nodes at level `bottom`
    hashRows(k, matrix, width, 0, height, salts, nodes.subarray(0, 32 * count), columnMajor ? height : undefined, bottom);
    hashLevels(k, nodes, offs, bottom, 0, count, depth - bottom);
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

  /** Digest of leaf i (re-hashed from its row and salt unless the tree stores leaves: bottom = 0). */
  leafHash(i: number): Uint8Array {
    this.checkIndex(i);
    return this.node(0, i);
  }

  /** Digest of node `index` at `level` (0 = leaves); below `bottom`, re-hashed from its block's rows. */
  node(level: number, index: number): Uint8Array {
    if (!Number.isInteger(level) || level < 0 || level > this.depth) invalid(`level ${level} outside [0, ${this.depth}]`);
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** (this.depth - level)) invalid(`node index ${index} out of range at level ${level}`);
    if (level >= this.bottom) {
      const o = this.offs[level]! + 32 * index;
      return this.nodes.slice(o, o + 32);
    }
    return this.fromBlock(this.blockNodes(index >>> (this.bottom - level)), level, index);
  }

  /**
   * The full subtree of block b (leaves [b·2^bottom, (b+1)·2^bottom)), re-hashed from the rows and salts, every
   * level stored (layout levelOffsets(bottom, 0); its last 32 bytes are the block's top, level `bottom`).
   */
  blockNodes(b: number): Uint8Array {
    const size = 2 ** this.bottom;
    if (!Number.isInteger(b) || b < 0 || b >= this.height / size) invalid(`block ${b} out of range [0, ${this.height / size})`);
    const out = new Uint8Array(this.blockOffs[this.bottom + 1]!);
    const k = kernels();
    hashRows(k, this.matrix, this.width, b * size, size, this.salts, out.subarray(0, 32 * size), this.columnMajor ? this.height : undefined);
    hashLevels(k, out, this.blockOffs, 0, 0, size, this.bottom);
    return out;
  }

  /**
   * Whether the rows and salts of leaf i's block still hash to the stored node above them (level `bottom`): a
   * check that the kept matrix and salts are the committed ones (a joint proof's phase 2 rebuilds a tree from
   * phase 1's nodes and a recomputed matrix).
   */
  checkBlock(i: number): boolean {
    this.checkIndex(i);
    const b = i >>> this.bottom;
    return this.blockMatches(b, this.blockNodes(b));
  }

  /**
   * The minimal set of sibling digests proving the leaves at `indices` (sorted ascending, no duplicates, in
   * range), in the canonical order verifier/merkle.ts expects: level by level upwards, by increasing index.
   * Siblings below `bottom` come from the re-hashed blocks of the opened rows (each block hashed once and checked
   * against its stored top: a matrix changed since the commit is refused here rather than giving a bad proof).
   */
  openMulti(indices: readonly number[]): MerkleMultiProof {
    if (indices.length === 0) invalid("openMulti needs at least one index");
    for (let k = 0; k < indices.length; k++) {
      this.checkIndex(indices[k]!);
      if (k > 0 && indices[k]! <= indices[k - 1]!) invalid("openMulti indices must be strictly increasing");
    }
    const blocks = new Map<number, Uint8Array>();
    const low = (level: number, i: number): Uint8Array => {
      const b = i >>> (this.bottom - level);
      let t = blocks.get(b);
      if (t === undefined) {
        t = this.blockNodes(b);
        if (!this.blockMatches(b, t)) invalid(`rows of block ${b} (leaves ${b * 2 ** this.bottom}…) no longer hash to the committed tree`);
        blocks.set(b, t);
      }
      return this.fromBlock(t, level, i);
    };
    const proof: Uint8Array[] = [];
    let known = indices.slice();
    for (let level = 0; level < this.depth; level++) {
      const up: number[] = [];
      for (let k = 0; k < known.length; k++) {
        const i = known[k]!;
        if ((i & 1) === 0 && known[k + 1] === i + 1) k++; // sibling known too
        else proof.push(level < this.bottom ? low(level, i ^ 1) : this.node(level, i ^ 1));
        up.push(i >>> 1);
      }
      known = up;
    }
    return proof;
  }

  /** Node `index` at `level` (< bottom) out of its block's subtree `t` (from blockNodes). */
  private fromBlock(t: Uint8Array, level: number, index: number): Uint8Array {
    const o = this.blockOffs[level]! + 32 * (index & (2 ** (this.bottom - level) - 1));
    return t.slice(o, o + 32);
  }

  private blockMatches(b: number, t: Uint8Array): boolean {
    const top = t.subarray(t.length - 32);
    const o = this.offs[this.bottom]! + 32 * b;
    let d = 0;
    for (let j = 0; j < 32; j++) d |= top[j]! ^ this.nodes[o + j]!;
    return d === 0;
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.height) invalid(`row index ${i} out of range [0, ${this.height})`);
  }
}
