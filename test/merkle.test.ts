import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { MerkleTree } from "../prover/merkle.ts";
import { KernelError } from "../prover/kernels/errors.ts";
import { hashLeaf, hashNode, verifyMultiProof, type MerkleMultiProof } from "../verifier/merkle.ts";
import { sha256 } from "../verifier/sha256.ts";

// Reference hashing with node:crypto, straight from the byte strings of docs/architecture.md.
const nodeSha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
function refLeaf(row: Uint32Array, salt?: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 * row.length);
  const dv = new DataView(bytes.buffer);
  row.forEach((v, i) => dv.setUint32(4 * i, v, true));
  return nodeSha(Uint8Array.of(0), bytes, salt ?? new Uint8Array(0));
}
function refRoot(leaves: Uint8Array[]): Uint8Array {
  let level = leaves;
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => nodeSha(Uint8Array.of(1), level[2 * i]!, level[2 * i + 1]!));
  return level[0]!;
}

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
function randomMatrix(r: () => number, width: number, height: number): Uint32Array {
  return Uint32Array.from({ length: width * height }, () => Math.floor(r() * 2013265921));
}
function randomSalts(r: () => number, height: number): Uint8Array {
  return Uint8Array.from({ length: 16 * height }, () => Math.floor(r() * 256));
}
function randomIndices(r: () => number, height: number, k: number): number[] {
  const s = new Set<number>();
  for (let i = 0; i < k; i++) s.add(Math.floor(r() * height));
  return [...s].sort((a, b) => a - b);
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("prover Merkle tree is bit-identical to node:crypto", () => {
  // Widths chosen so the leaf message crosses block boundaries differently: 1 + 4w (+16) bytes against the
  // 55/56-byte padding edge and multi-block messages; heights include fewer than 4 leaves (spare SIMD lanes).
  const shapes: [number, number][] = [[1, 1], [1, 2], [3, 4], [13, 8], [14, 16], [15, 4], [16, 32], [60, 64], [64, 128], [1, 1024]];
  for (const salted of [false, true]) {
    for (const [w, h] of shapes) {
      it(`${w} × ${h}${salted ? ", salted" : ""}`, () => {
        const r = rng(w * 1000 + h + (salted ? 7 : 0));
        const m = randomMatrix(r, w, h);
        const salts = salted ? randomSalts(r, h) : undefined;
        const tree = MerkleTree.commit(m, w, h, salts);
        const leaves: Uint8Array[] = [];
        for (let i = 0; i < h; i++) {
          const row = m.subarray(i * w, (i + 1) * w);
          const salt = salts?.subarray(16 * i, 16 * i + 16);
          const ref = refLeaf(row, salt);
          leaves.push(ref);
          expect(hex(tree.leafHash(i))).toBe(hex(ref));
          expect(hex(hashLeaf(row, salt))).toBe(hex(ref)); // the verifier's hashing agrees too
          expect(Array.from(tree.getRow(i))).toEqual(Array.from(row));
          expect(tree.getSalt(i) && hex(tree.getSalt(i)!)).toBe(salt && hex(salt));
        }
        expect(hex(tree.root)).toBe(hex(refRoot(leaves)));
        expect(tree.depth).toBe(Math.log2(h));
      });
    }
  }

  it("verifier sha256 and hashNode match node:crypto", () => {
    const r = rng(9);
    for (const len of [0, 1, 55, 56, 63, 64, 65, 1000]) {
      const msg = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      expect(hex(sha256(msg))).toBe(hex(nodeSha(msg)));
    }
    const a = sha256(Uint8Array.of(1));
    const b = sha256(Uint8Array.of(2));
    expect(hex(hashNode(a, b))).toBe(hex(nodeSha(Uint8Array.of(1), a, b)));
  });
});

describe("multi-openings", () => {
  const r = rng(42);
  const w = 5;
  const h = 256;
  const m = randomMatrix(r, w, h);
  const salts = randomSalts(r, h);
  const tree = MerkleTree.commit(m, w, h, salts);
  const leafHashes = (idx: number[]): Uint8Array[] => idx.map((i) => hashLeaf(tree.getRow(i), tree.getSalt(i)));

  it("random index sets verify, and the proof is minimal", () => {
    for (let t = 0; t < 40; t++) {
      const idx = randomIndices(r, h, 1 + Math.floor(r() * 40));
      const proof = tree.openMulti(idx);
      expect(verifyMultiProof(tree.root, tree.depth, idx, leafHashes(idx), proof)).toBe(true);
      // Minimal: the number of siblings equals the count of tree nodes whose sibling is not derivable.
      let known = new Set(idx);
      let expected = 0;
      for (let l = 0; l < tree.depth; l++) {
        for (const i of known) if (!known.has(i ^ 1)) expected++;
        known = new Set([...known].map((i) => i >> 1));
      }
      expect(proof.length).toBe(expected);
    }
  });

  it("single leaf: the proof is the authentication path", () => {
    const proof = tree.openMulti([77]);
    expect(proof.length).toBe(tree.depth);
    expect(verifyMultiProof(tree.root, tree.depth, [77], leafHashes([77]), proof)).toBe(true);
  });

  it("all leaves: the proof is empty", () => {
    const idx = Array.from({ length: h }, (_, i) => i);
    const proof = tree.openMulti(idx);
    expect(proof.length).toBe(0);
    expect(verifyMultiProof(tree.root, tree.depth, idx, leafHashes(idx), proof)).toBe(true);
  });

  it("a one-leaf tree has depth 0 and an empty proof", () => {
    const t1 = MerkleTree.commit(Uint32Array.of(5, 6), 2, 1);
    expect(verifyMultiProof(t1.root, 0, [0], [hashLeaf([5, 6])], t1.openMulti([0]))).toBe(true);
    expect(verifyMultiProof(t1.root, 0, [0], [hashLeaf([5, 7])], [])).toBe(false);
  });

  describe("rejections", () => {
    const idx = [3, 4, 100, 101, 200];
    const proof = tree.openMulti(idx);
    const lh = leafHashes(idx);
    const ok = (p: MerkleMultiProof, i: number[] = idx, l: Uint8Array[] = lh, root = tree.root, depth = tree.depth): boolean =>
      verifyMultiProof(root, depth, i, l, p);

    it("the honest proof verifies (control)", () => expect(ok(proof)).toBe(true));
    it("wrong leaf value", () => {
      const row = tree.getRow(100).slice();
      row[0] = (row[0]! + 1) % 2013265921;
      const bad = lh.slice();
      bad[2] = hashLeaf(row, tree.getSalt(100));
      expect(ok(proof, idx, bad)).toBe(false);
    });
    it("wrong salt", () => {
      const bad = lh.slice();
      bad[0] = hashLeaf(tree.getRow(3));
      expect(ok(proof, idx, bad)).toBe(false);
    });
    it("wrong index (same leaf hashes claimed at other positions)", () => {
      expect(ok(proof, [3, 4, 100, 101, 202])).toBe(false);
      expect(ok(proof, [2, 4, 100, 101, 200])).toBe(false);
    });
    it("index out of range", () => {
      expect(ok(proof, [3, 4, 100, 101, h])).toBe(false);
      expect(ok(proof, [-1, 4, 100, 101, 200])).toBe(false);
      expect(ok(proof, [3, 4, 100, 101, 200.5])).toBe(false);
    });
    it("unsorted or duplicate indices", () => {
      expect(ok(proof, [4, 3, 100, 101, 200], [lh[1]!, lh[0]!, lh[2]!, lh[3]!, lh[4]!])).toBe(false);
      expect(ok(tree.openMulti([3]), [3, 3], [lh[0]!, lh[0]!])).toBe(false);
    });
    it("truncated proof", () => expect(ok(proof.slice(0, -1))).toBe(false));
    it("extended proof (leftover digest)", () => expect(ok([...proof, proof[0]!])).toBe(false));
    it("proof digest prepended", () => expect(ok([proof[0]!, ...proof])).toBe(false));
    it("swapped siblings", () => {
      const swapped = proof.slice();
      [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
      expect(hex(swapped[0]!)).not.toBe(hex(swapped[1]!));
      expect(ok(swapped)).toBe(false);
    });
    it("a flipped bit anywhere in the proof", () => {
      for (let k = 0; k < proof.length; k++) {
        const bad = proof.map((d) => d.slice());
        bad[k]![k % 32]! ^= 1 << (k % 8);
        expect(ok(bad)).toBe(false);
      }
    });
    it("wrong root, wrong depth, malformed shapes", () => {
      const root = tree.root.slice();
      root[31]! ^= 0x80;
      expect(ok(proof, idx, lh, root)).toBe(false);
      expect(ok(proof, idx, lh, tree.root, tree.depth + 1)).toBe(false);
      expect(ok(proof, idx, lh, tree.root, tree.depth - 1)).toBe(false);
      expect(ok(proof, idx, lh, tree.root, 33)).toBe(false);
      expect(ok(proof, idx, lh, tree.root.subarray(0, 31))).toBe(false);
      expect(ok(proof, idx, lh.slice(0, 4))).toBe(false);
      expect(ok(proof, [], [])).toBe(false);
      expect(ok([...proof.slice(0, -1), proof.at(-1)!.subarray(0, 31)])).toBe(false);
      expect(ok(proof, idx, [...lh.slice(0, 4), new Uint8Array(33)])).toBe(false);
    });
    it("a leaf hash presented as an inner node (domain separation)", () => {
      // The parent of leaves 100 and 101 does authenticate as node 50 of the level above (control), but the same
      // 64 bytes (left ‖ right) hashed as a leaf differ from it by the prefix byte, so a leaf opening cannot be
      // forged from inner nodes.
      const parent = hashNode(lh[2]!, lh[3]!);
      const path = tree.openMulti([100]);
      expect(verifyMultiProof(tree.root, tree.depth - 1, [50], [parent], path.slice(1))).toBe(true);
      const asLeaf = sha256(Uint8Array.of(0, ...lh[2]!, ...lh[3]!));
      expect(hex(asLeaf)).not.toBe(hex(parent));
      expect(verifyMultiProof(tree.root, tree.depth - 1, [50], [asLeaf], path.slice(1))).toBe(false);
    });
  });

  it("random tampering (bit flips, dropped/duplicated/reordered digests, moved indices) is always rejected", () => {
    const rt = rng(2024);
    let checked = 0;
    for (let trial = 0; trial < 300; trial++) {
      const idx = randomIndices(rt, h, 1 + Math.floor(rt() * 12));
      const proof = tree.openMulti(idx).map((d) => d.slice());
      const lh = leafHashes(idx);
      let i2 = idx.slice();
      let p2: Uint8Array[] = proof;
      let l2 = lh.map((d) => d.slice());
      const kind = Math.floor(rt() * 5);
      if (kind === 0 && proof.length > 0) {
        const d = Math.floor(rt() * proof.length);
        p2[d]![Math.floor(rt() * 32)]! ^= 1 << Math.floor(rt() * 8);
      } else if (kind === 1) {
        l2[Math.floor(rt() * l2.length)]![Math.floor(rt() * 32)]! ^= 1 << Math.floor(rt() * 8);
      } else if (kind === 2 && proof.length > 0) {
        const d = Math.floor(rt() * proof.length);
        p2 = proof.filter((_, j) => j !== d);
      } else if (kind === 3 && proof.length > 0) {
        const d = Math.floor(rt() * proof.length);
        p2 = [...proof.slice(0, d), proof[d]!, ...proof.slice(d)];
      } else {
        // Move one index to a position not already opened.
        const j = Math.floor(rt() * i2.length);
        let v = Math.floor(rt() * h);
        while (i2.includes(v)) v = Math.floor(rt() * h);
        i2[j] = v;
        const order = i2.map((x, q) => [x, q] as const).sort((a, b) => a[0] - b[0]);
        i2 = order.map(([x]) => x);
        l2 = order.map(([, q]) => l2[q]!);
      }
      expect(verifyMultiProof(tree.root, tree.depth, i2, l2, p2)).toBe(false);
      checked++;
    }
    expect(checked).toBe(300);
  });

  it("openMulti rejects bad index sets with typed errors", () => {
    for (const bad of [[], [5, 5], [6, 5], [h], [-1], [1.5]]) {
      let kind = "";
      try {
        tree.openMulti(bad);
      } catch (e) {
        kind = (e as KernelError).kind;
      }
      expect(kind).toBe("InvalidArgument");
    }
  });

  it("commit rejects malformed matrices with typed errors", () => {
    const cases: (() => unknown)[] = [
      () => MerkleTree.commit(new Uint32Array(12), 4, 3),
      () => MerkleTree.commit(new Uint32Array(16), 4, 5),
      () => MerkleTree.commit(new Uint32Array(16), 0, 4),
      () => MerkleTree.commit(new Uint32Array(16), 4, 4, new Uint8Array(63)),
    ];
    for (const c of cases) expect(c).toThrow(KernelError);
  });
});

describe("verifier/ stays free of Node built-ins", () => {
  it("sha256.ts and merkle.ts import only @noble/hashes and each other", () => {
    for (const f of ["sha256.ts", "merkle.ts"]) {
      const src = readFileSync(new URL(`../verifier/${f}`, import.meta.url), "utf8");
      const imports = [...src.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
      for (const i of imports) expect(i === "@noble/hashes/sha2.js" || i.startsWith("./")).toBe(true);
    }
  });
});
