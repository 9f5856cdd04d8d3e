import { afterAll, describe, expect, it } from "vitest";
import { MerkleTree } from "../prover/merkle.ts";
import { commitParallel } from "../prover/workers/parallel.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { KernelError } from "../prover/kernels/errors.ts";
import { hashLeaf, verifyMultiProof } from "../verifier/merkle.ts";

const pool = new WorkerPool(2);
afterAll(() => pool.close());

function randomMatrix(seed: number, len: number): Uint32Array {
  let s = seed;
  return Uint32Array.from({ length: len }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 2013265921;
  });
}

describe("column-major matrices (the prover's commitment rounds)", () => {
  it("commit the same rows: same nodes as the row-major matrix, in-thread and on the pool; getRow gathers", async () => {
    for (const [w, h, salted] of [[60, 1024, true], [3, 64, false], [17, 4096, true], [1, 128, false]] as const) {
      const rowMajor = randomMatrix(7 * w + h, w * h);
      const colMajor = new Uint32Array(new SharedArrayBuffer(4 * w * h));
      for (let i = 0; i < h; i++) for (let c = 0; c < w; c++) colMajor[c * h + i] = rowMajor[i * w + c]!;
      const salts = salted ? Uint8Array.from(randomMatrix(h, 16 * h), (x) => x & 0xff) : undefined;
      const want = MerkleTree.commit(rowMajor, w, h, salts);
      const a = MerkleTree.commit(colMajor, w, h, salts, true);
      const b = await commitParallel(colMajor, w, h, salts, { pool, minParallelValues: 0, columnMajor: true });
      for (const t of [a, b]) {
        expect(Buffer.compare(Buffer.from(t.nodes), Buffer.from(want.nodes))).toBe(0);
        for (const i of [0, 1, h >> 1, h - 1]) expect([...t.getRow(i)]).toEqual([...want.getRow(i)]);
      }
    }
  });
});

describe("commitParallel (worker pool)", () => {
  for (const salted of [false, true]) {
    it(`same nodes and root as MerkleTree.commit${salted ? ", salted" : ""}`, async () => {
      for (const [w, h] of [[60, 1024], [3, 64], [17, 4096]] as const) {
        const m = randomMatrix(w + h, w * h);
        const salts = salted ? Uint8Array.from(randomMatrix(h, 16 * h), (x) => x & 0xff) : undefined;
        const a = MerkleTree.commit(m, w, h, salts);
        const b = await commitParallel(m, w, h, salts, { pool, minParallelValues: 0 });
        expect(Buffer.from(b.root).toString("hex")).toBe(Buffer.from(a.root).toString("hex"));
        expect(Buffer.compare(Buffer.from(b.nodes), Buffer.from(a.nodes))).toBe(0);
        const idx = [0, 5, 6, h - 1];
        expect(verifyMultiProof(b.root, b.depth, idx, idx.map((i) => hashLeaf(b.getRow(i), b.getSalt(i))), b.openMulti(idx))).toBe(true);
      }
    });
  }

  it("hashes a matrix that already lives in a SharedArrayBuffer (at an offset) without changing the result", async () => {
    const w = 9;
    const h = 512;
    const plain = randomMatrix(3, w * h);
    const sab = new SharedArrayBuffer(4 * (w * h + 4));
    const view = new Uint32Array(sab, 16, w * h);
    view.set(plain);
    const b = await commitParallel(view, w, h, undefined, { pool, minParallelValues: 0 });
    expect(Buffer.from(b.root).toString("hex")).toBe(Buffer.from(MerkleTree.commit(plain, w, h).root).toString("hex"));
  });

  it("salts already in a SharedArrayBuffer (whole or a view at an offset) give the same tree as plain salts", async () => {
    const w = 5;
    const h = 256;
    const m = randomMatrix(11, w * h);
    const plain = Uint8Array.from(randomMatrix(12, 16 * h), (x) => x & 0xff);
    const whole = new Uint8Array(new SharedArrayBuffer(16 * h));
    whole.set(plain);
    const offsetView = new Uint8Array(new SharedArrayBuffer(16 * h + 32), 16, 16 * h);
    offsetView.set(plain);
    const expected = Buffer.from(MerkleTree.commit(m, w, h, plain).root).toString("hex");
    for (const salts of [whole, offsetView]) {
      const b = await commitParallel(m, w, h, salts, { pool, minParallelValues: 0 });
      expect(Buffer.from(b.root).toString("hex")).toBe(expected);
      expect(Buffer.from(b.getSalt(7)!).toString("hex")).toBe(Buffer.from(plain.subarray(16 * 7, 16 * 8)).toString("hex"));
    }
  });
});

describe("worker pool", () => {
  it("a task failing inside a worker rejects with a typed error, and the pool keeps working", async () => {
    await expect(pool.run({ op: "fail", message: "deliberate" })).rejects.toMatchObject({ kind: "WorkerFailed", message: "deliberate" });
    const m = randomMatrix(8, 4 * 256);
    const t = await commitParallel(m, 4, 256, undefined, { pool, minParallelValues: 0 });
    expect(Buffer.from(t.root).toString("hex")).toBe(Buffer.from(MerkleTree.commit(m, 4, 256).root).toString("hex"));
  });

  it("a kernel error inside a worker keeps its kind", async () => {
    const input = new SharedArrayBuffer(4 * 6);
    const output = new SharedArrayBuffer(4 * 12);
    await expect(pool.run({ op: "lde", inputs: [{ buf: input, offset: 0 }], kind: "evals", n: 6, width: 1, colStart: 0, colEnd: 1, logBlowup: 1, shift: 31, output })).rejects.toMatchObject({
      kind: "InvalidArgument",
    });
  });

  it("a closed pool rejects new work with a typed error", async () => {
    const p = new WorkerPool(1);
    await p.close();
    await expect(p.run({ op: "fail", message: "x" })).rejects.toBeInstanceOf(KernelError);
    await p.close(); // idempotent
  });

  it("rejects a nonsensical size", () => {
    expect(() => new WorkerPool(0)).toThrow(KernelError);
  });
});
