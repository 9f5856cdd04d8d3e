/**
 * Trees that store only the levels from CUT up (prover/merkle.ts): every digest the prover hands out — root,
 * leafHash, node below CUT, multi-proof siblings — must equal a plain full tree built with the verifier's own
 * hashing, and the node array must really hold only the stored levels.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CUT, MerkleTree, levelOffsets, storedBottom } from "../prover/merkle.ts";
import { commitParallel } from "../prover/workers/parallel.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { KernelError } from "../prover/kernels/errors.ts";
import { hashLeaf, hashNode, verifyMultiProof } from "../verifier/merkle.ts";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A committed matrix in both layouts, its salts and the full reference tree (levels[l][i], verifier hashing). */
interface Case {
  readonly w: number;
  readonly h: number;
  readonly rowMajor: Uint32Array;
  readonly colMajor: Uint32Array;
  readonly salts: Uint8Array | undefined;
  readonly levels: Uint8Array[][];
}

function makeCase(seed: number, w: number, h: number, salted: boolean): Case {
  const r = rng(seed);
  const rowMajor = Uint32Array.from({ length: w * h }, () => Math.floor(r() * 2013265921));
  const colMajor = new Uint32Array(new SharedArrayBuffer(4 * w * h));
  for (let i = 0; i < h; i++) for (let c = 0; c < w; c++) colMajor[c * h + i] = rowMajor[i * w + c]!;
  const salts = salted ? Uint8Array.from({ length: 16 * h }, () => Math.floor(r() * 256)) : undefined;
  const leaves = Array.from({ length: h }, (_, i) => hashLeaf(rowMajor.subarray(i * w, (i + 1) * w), salts?.subarray(16 * i, 16 * i + 16)));
  const levels = [leaves];
  while (levels.at(-1)!.length > 1) {
    const l = levels.at(-1)!;
    levels.push(Array.from({ length: l.length / 2 }, (_, i) => hashNode(l[2 * i]!, l[2 * i + 1]!)));
  }
  return { w, h, rowMajor, colMajor, salts, levels };
}

/** The multi-proof as a full tree gives it (the canonical order of verifier/merkle.ts), from the reference levels. */
function refOpenMulti(levels: Uint8Array[][], indices: readonly number[]): Uint8Array[] {
  const proof: Uint8Array[] = [];
  let known = indices.slice();
  for (let level = 0; level < levels.length - 1; level++) {
    const up: number[] = [];
    for (let k = 0; k < known.length; k++) {
      const i = known[k]!;
      if ((i & 1) === 0 && known[k + 1] === i + 1) k++;
      else proof.push(levels[level]![i ^ 1]!);
      up.push(i >>> 1);
    }
    known = up;
  }
  return proof;
}

/** Index sets that stress block edges: first/last leaf, adjacent pairs across and inside blocks, a whole block, random. */
function indexSets(r: () => number, h: number): number[][] {
  const B = 2 ** storedBottom(Math.log2(h));
  const sets: number[][] = [[0], [h - 1], [0, h - 1]];
  if (h >= 2) sets.push([0, 1], [h - 2, h - 1]);
  if (h > B) sets.push([B - 1, B], [B, B + 1], Array.from({ length: B }, (_, i) => B + i), [B - 1, ...Array.from({ length: B }, (_, i) => B + i), 2 * B]);
  sets.push(Array.from({ length: Math.min(h, B) }, (_, i) => i)); // the first block
  sets.push(Array.from({ length: h }, (_, i) => i)); // everything: an empty proof
  for (let t = 0; t < 6; t++) {
    const s = new Set<number>();
    const k = 1 + Math.floor(r() * Math.min(h, 40));
    for (let j = 0; j < k; j++) s.add(Math.floor(r() * h));
    sets.push([...s].sort((a, b) => a - b));
  }
  return sets.map((s) => [...new Set(s.filter((i) => i >= 0 && i < h))].sort((a, b) => a - b));
}

type Build = "in-thread" | "in-thread col-major" | "parallel" | "parallel col-major";
async function build(c: Case, how: Build): Promise<MerkleTree> {
  switch (how) {
    case "in-thread": return MerkleTree.commit(c.rowMajor, c.w, c.h, c.salts);
    case "in-thread col-major": return MerkleTree.commit(c.colMajor, c.w, c.h, c.salts, true);
    case "parallel": return commitParallel(c.rowMajor, c.w, c.h, c.salts, { pool, minParallelValues: 0 });
    case "parallel col-major": return commitParallel(c.colMajor, c.w, c.h, c.salts, { pool, minParallelValues: 0, columnMajor: true });
  }
}

/** Everything a tree hands out, against the reference. */
function checkTree(t: MerkleTree, c: Case, r: () => number): void {
  const depth = Math.log2(c.h);
  const bottom = storedBottom(depth);
  expect(t.depth).toBe(depth);
  expect(t.bottom).toBe(bottom);
  expect(hex(t.root)).toBe(hex(c.levels[depth]![0]!));
  // the node array is exactly the levels bottom … depth of the reference, in order: nothing below is stored
  expect(t.nodes.length).toBe(32 * (2 ** (depth - bottom + 1) - 1));
  expect(t.nodes.length).toBe(levelOffsets(depth)[depth + 1]);
  const want = Buffer.concat(c.levels.slice(bottom).flat());
  expect(Buffer.compare(Buffer.from(t.nodes), want)).toBe(0);
  // every leaf, and every node below the cut, re-hashed on demand
  for (let i = 0; i < c.h; i++) expect(hex(t.leafHash(i))).toBe(hex(c.levels[0]![i]!));
  for (let l = 0; l <= depth; l++) {
    const n = c.levels[l]!.length;
    for (const i of new Set([0, n - 1, Math.floor(r() * n)])) expect(hex(t.node(l, i))).toBe(hex(c.levels[l]![i]!));
  }
  for (let i = 0; i < c.h; i += Math.max(1, c.h >> 4)) expect(t.checkBlock(i)).toBe(true);
  for (const idx of indexSets(r, c.h)) {
    const proof = t.openMulti(idx);
    expect(proof.map(hex)).toEqual(refOpenMulti(c.levels, idx).map(hex));
    const lh = idx.map((i) => hashLeaf(t.getRow(i), t.getSalt(i)));
    expect(verifyMultiProof(t.root, t.depth, idx, lh, proof)).toBe(true);
  }
}

describe(`trees store only levels ≥ CUT = ${CUT} and re-hash the rest`, () => {
  it("CUT is a small positive constant (the node array shrinks; openings re-hash 2^CUT leaves)", () => {
    expect(CUT).toBeGreaterThanOrEqual(1);
    expect(CUT).toBeLessThanOrEqual(4);
    expect(storedBottom(0)).toBe(0);
    expect(storedBottom(1)).toBe(Math.min(1, CUT));
    expect(storedBottom(22)).toBe(CUT);
    // a 2^22-leaf tree (the 2^20-row benchmark's main LDE): 2^(1−CUT) of the full tree's 256 MiB
    expect(levelOffsets(22)[23]).toBe(32 * (2 ** (23 - CUT) - 1));
    expect(levelOffsets(22, 0)[23]).toBe(32 * (2 ** 23 - 1));
  });

  // heights: 1, 2, 4 leaves (shallower than a block), one block, two blocks, 2^(CUT+1) blocks, and bigger
  const heights = [1, 2, 4, 2 ** CUT, 2 ** (CUT + 1), 2 ** (2 * CUT + 1), 64, 256, 1024];
  const r0 = rng(77);
  const cases: [number, number, boolean][] = [];
  heights.forEach((h, k) => {
    for (const salted of [false, true]) cases.push([1 + Math.floor(r0() * 70), h, salted]);
    if (k === 0) cases.push([1, 1, false]);
  });
  for (const [w, h, salted] of cases) {
    const builds: Build[] = h >= 64 ? ["in-thread", "in-thread col-major", "parallel", "parallel col-major"] : ["in-thread", "in-thread col-major"];
    it(`${w} × ${h}${salted ? ", salted" : ""}: root, stored levels, leafHash/node below the cut and openMulti equal a full tree (${builds.join(", ")})`, async () => {
      const c = makeCase(w * 7919 + h + (salted ? 1 : 0), w, h, salted);
      for (const how of builds) {
        const t = await build(c, how);
        expect(t.columnMajor).toBe(how.endsWith("col-major"));
        checkTree(t, c, rng(h + w));
      }
    });
  }

  it("several leaf chunks per call (2^16 rows of 61 values, salted: 32,263 rows fit a chunk): the chunk edges fall on whole blocks", async () => {
    const c = makeCase(5, 61, 2 ** 16, true);
    for (const how of ["in-thread", "in-thread col-major", "parallel col-major"] as const) {
      const t = await build(c, how);
      expect(Buffer.compare(Buffer.from(t.nodes), Buffer.concat(c.levels.slice(t.bottom).flat()))).toBe(0);
      const r = rng(9);
      for (const idx of indexSets(r, c.h)) {
        if (idx.length > 4096) continue;
        expect(t.openMulti(idx).map(hex)).toEqual(refOpenMulti(c.levels, idx).map(hex));
      }
    }
  });

  it("a pool with more workers than blocks: every subtree still covers whole blocks", async () => {
    // a pool that says it has 64 workers (and runs on the two real ones): 128 subtrees wanted, 64 rows / 2^CUT allowed
    const wide = { size: 64, runAll: (tasks: unknown[]) => pool.runAll(tasks as never) } as unknown as WorkerPool;
    for (const h of [64, 128, 1024]) {
      const c = makeCase(h, 3, h, true);
      const t = await commitParallel(c.colMajor, 3, h, c.salts, { pool: wide, minParallelValues: 0, columnMajor: true });
      checkTree(t, c, rng(h));
    }
  });

  it("a tree rebuilt from its node array (a joint proof's phase 2) opens the same", async () => {
    const c = makeCase(31, 12, 512, true);
    const a = await build(c, "parallel col-major");
    const b = new MerkleTree(c.colMajor, c.w, c.h, c.salts, a.nodes.slice(), true);
    checkTree(b, c, rng(3));
    // a node array of the full-tree size (the old layout) is refused
    expect(() => new MerkleTree(c.colMajor, c.w, c.h, c.salts, new Uint8Array(32 * (2 * c.h - 1)), true)).toThrow(KernelError);
  });

  describe("the re-hashing reads the committed rows and salts (mutations must be caught)", () => {
    // Each tree here is committed, then one input byte is changed in place: the re-hashed digests must move with
    // it (a recomputation reading another row's values or salt would leave them unchanged, or move others).
    for (const how of ["in-thread", "in-thread col-major", "parallel col-major"] as const) {
      for (const what of ["row value", "salt"] as const) {
        it(`${how}: a changed ${what} changes exactly its leaf and its block check, and openings through it are refused`, async () => {
          const B = 2 ** CUT;
          const c = makeCase(99, 5, 256, true);
          const rowMajor = c.rowMajor.slice(), colMajor = new Uint32Array(new SharedArrayBuffer(c.colMajor.byteLength)), salts = c.salts!.slice();
          colMajor.set(c.colMajor);
          const own = { ...c, rowMajor, colMajor, salts };
          const t = await build(own, how);
          const victim = 3 * B + 5; // inside block 3, not its first row
          if (what === "salt") salts[16 * victim + 7]! ^= 0x10;
          else if (how === "in-thread") rowMajor[victim * c.w + 2] = (rowMajor[victim * c.w + 2]! + 1) % 2013265921;
          else colMajor[2 * c.h + victim] = (colMajor[2 * c.h + victim]! + 1) % 2013265921;
          // the changed leaf re-hashes to the changed row's digest, no longer the committed one
          expect(hex(t.leafHash(victim))).toBe(hex(hashLeaf(t.getRow(victim), t.getSalt(victim))));
          expect(hex(t.leafHash(victim))).not.toBe(hex(c.levels[0]![victim]!));
          // its neighbours (same block and next block) are untouched
          for (const i of [victim - 1, victim + 1, 3 * B, 4 * B]) expect(hex(t.leafHash(i))).toBe(hex(c.levels[0]![i]!));
          // the spot check (prover/stark.ts Round.commit) sees it in its block only
          for (let i = 0; i < c.h; i++) expect(t.checkBlock(i)).toBe(i >>> CUT !== 3);
          // an opening that needs block 3 is refused; one elsewhere still matches the full tree
          expect(() => t.openMulti([victim])).toThrow(KernelError);
          expect(() => t.openMulti([3 * B])).toThrow(KernelError);
          expect(() => t.openMulti([0, 4 * B - 1])).toThrow(KernelError);
          expect(t.openMulti([0, 4 * B, c.h - 1]).map(hex)).toEqual(refOpenMulti(c.levels, [0, 4 * B, c.h - 1]).map(hex));
        });
      }
    }
  });

  it("node and blockNodes reject out-of-range arguments with typed errors", () => {
    const c = makeCase(1, 2, 64, false);
    const t = MerkleTree.commit(c.rowMajor, 2, 64);
    for (const f of [() => t.node(-1, 0), () => t.node(7, 0), () => t.node(0, 64), () => t.node(1, 32), () => t.node(6, 1), () => t.blockNodes(64 >> CUT), () => t.checkBlock(64)]) {
      expect(f).toThrow(KernelError);
    }
  });
});
