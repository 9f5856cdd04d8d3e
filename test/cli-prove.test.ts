// `zkvm prove` / `zkvm verify` end to end as a user runs them: a plain WASM guest (hand-written WAT, compiled
// by binaryen and then by `zkvm build`) proven with the default zero-knowledge parameters, verified by image ID
// and by image file; the JSON shapes of docs/receipt.md §4; typed errors for wrong IDs, dev receipts, traps and
// images outside the provable instruction set.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";

const REPO = join(import.meta.dirname, "..");
const BIN = join(REPO, "bin/zkvm.js");
let tmp: string;

interface Run { status: number | null; stdout: string; stderr: string }
const zkvm = (args: string[]): Run => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const json = (r: Run): Record<string, unknown> => {
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
};
const noStack = (r: Run) => expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

// gcd(1071, 462) = 21 by repeated subtraction, then a signed comparison feeding a select: compiles to
// CALL/RET, EQ, GTU, GESI, SUB, BRNZ, BRZ, JMP, SELECT, CONST and EXIT (all in the VM AIR).
const GCD_WAT = `(module
  (import "zkvm" "exit" (func $exit (param i32)))
  (func $gcd (param $a i32) (param $b i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eq (local.get $a) (local.get $b)))
        (if (i32.gt_u (local.get $a) (local.get $b))
          (then (local.set $a (i32.sub (local.get $a) (local.get $b))))
          (else (local.set $b (i32.sub (local.get $b) (local.get $a)))))
        (br $l)))
    (local.get $a))
  (func (export "main")
    (call $exit (select (call $gcd (i32.const 1071) (i32.const 462)) (i32.const -1) (i32.ge_s (i32.const 5) (i32.const -3))))))`;
// Linear memory: stores 100 − i at 64 + 4i for i < 16, sums them back, adds the data word at 1024 (42) and memory.size > 0 → 1523.
const MEM_WAT = `(module
  (import "zkvm" "exit" (func $exit (param i32)))
  (memory 1)
  (data (i32.const 1024) "\\2a\\00\\00\\00")
  (func (export "main") (local $i i32) (local $a i32) (local $s i32)
    (loop $fill
      (i32.store offset=64 (local.get $a) (i32.sub (i32.const 100) (local.get $i)))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 16))))
    (loop $sum
      (local.set $a (i32.sub (local.get $a) (i32.const 4)))
      (local.set $s (i32.add (local.get $s) (i32.load offset=64 (local.get $a))))
      (br_if $sum (local.get $a)))
    (local.set $s (i32.add (local.get $s) (i32.load (i32.const 1024))))
    (call $exit (i32.add (local.get $s) (i32.gt_u (memory.size) (i32.const 0))))))`;
const TRAP_WAT = `(module (func (export "main") unreachable))`;
// an unaligned word load (outside VM AIR v5, which proves aligned word accesses) into a global, so nothing folds it
// away; the address comes from memory, so the optimiser cannot see it
const DIV_WAT = `(module (memory 1) (global $g (mut i32) (i32.const 300))
  (func (export "main") (global.set $g (i32.load (i32.add (i32.load (i32.const 8)) (i32.const 2))))))`;

function wasmFile(name: string, wat: string): string {
  const m = binaryen.parseText(wat);
  const path = join(tmp, name);
  writeFileSync(path, m.emitBinary());
  m.dispose();
  return path;
}

let imageId = "";
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "zkvm-prove-"));
  const b = zkvm(["build", wasmFile("sum.wasm", GCD_WAT), "-o", "sum.zkimg", "--json"]);
  expect(b.status).toBe(0);
  imageId = json(b).imageId as string;
  expect(zkvm(["build", wasmFile("trap.wasm", TRAP_WAT), "-o", "trap.zkimg"]).status).toBe(0);
  expect(zkvm(["build", wasmFile("div.wasm", DIV_WAT), "-o", "div.zkimg"]).status).toBe(0);
  expect(zkvm(["build", wasmFile("mem.wasm", MEM_WAT), "-o", "mem.zkimg"]).status).toBe(0);
  expect(zkvm(["build", join(REPO, "guests/examples/fib.ts"), "-o", "fib.zkimg"]).status).toBe(0);
  expect(zkvm(["build", join(REPO, "guests/examples/table-sum.ts"), "-o", "table.zkimg"]).status).toBe(0);
}, 120_000);

describe("zkvm prove / verify", () => {
  it("proves with zero knowledge and verifies by image ID and by image file", () => {
    const p = zkvm(["prove", "sum.zkimg", "-o", "sum.receipt", "--json"]);
    expect(p.status, p.stderr).toBe(0);
    const j = json(p);
    expect(Object.keys(j).sort()).toEqual(["cycles", "dev", "exitCode", "imageId", "journal", "proofBytes", "proveMs", "segments"]);
    expect(j).toMatchObject({ imageId, exitCode: 21, journal: "", segments: 1, dev: false });
    expect(j.proofBytes).toBe(readFileSync(join(tmp, "sum.receipt")).length);
    const v = zkvm(["verify", "sum.receipt", "--image-id", imageId, "--json"]);
    expect(v.status, v.stderr).toBe(0);
    expect(json(v)).toMatchObject({ valid: true, imageId, exitCode: 21, cycles: j.cycles, journal: "" });
    const byImage = zkvm(["verify", "sum.receipt", "--image", "sum.zkimg"]);
    expect(byImage.status).toBe(0);
    expect(byImage.stdout).toMatch(/^valid\n/);
  }, 240_000);

  it("a guest using linear memory (aligned i32.load / i32.store, memory.size, a data segment) proves and verifies (--no-zk)", () => {
    const p = zkvm(["prove", "mem.zkimg", "-o", "mem.receipt", "--no-zk", "--json"]);
    expect(p.status, p.stderr).toBe(0);
    const j = json(p);
    expect(j).toMatchObject({ exitCode: 1481 + 42, segments: 1 });
    const v = zkvm(["verify", "mem.receipt", "--image", "mem.zkimg", "--json"]);
    expect(v.status, v.stderr).toBe(0);
    expect(json(v)).toMatchObject({ valid: true, exitCode: 1481 + 42, cycles: j.cycles });
    // the receipt of one image never verifies for the other
    expect(json(zkvm(["verify", "mem.receipt", "--image", "sum.zkimg", "--json"]))).toMatchObject({ valid: false, error: { kind: "ImageIdMismatch" } });
  }, 120_000);

  it("--segment-cycles proves in segments (joint proofs) and verify reports them; a bad segment size is a usage error", () => {
    const p = zkvm(["prove", "mem.zkimg", "-o", "mem-seg.receipt", "--no-zk", "--segment-cycles", "32", "--json"]);
    expect(p.status, p.stderr).toBe(0);
    const j = json(p);
    expect(j).toMatchObject({ exitCode: 1481 + 42 });
    expect(j.segments).toBeGreaterThanOrEqual(2);
    const v = zkvm(["verify", "mem-seg.receipt", "--image", "mem.zkimg", "--json"]);
    expect(v.status, v.stderr).toBe(0);
    expect(json(v)).toMatchObject({ valid: true, exitCode: 1481 + 42, cycles: j.cycles });
    const bad = zkvm(["prove", "mem.zkimg", "-o", "x.receipt", "--segment-cycles", "3"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--segment-cycles must be an integer/);
    noStack(bad);
  }, 240_000);

  it("an AssemblyScript guest reading its data segment (guests/examples/table-sum.ts) proves and verifies (--no-zk)", () => {
    const p = zkvm(["prove", "table.zkimg", "-o", "table.receipt", "--no-zk", "--json"]);
    expect(p.status, p.stderr).toBe(0);
    const j = json(p);
    expect(j).toMatchObject({ exitCode: 80, segments: 1, journal: "" });
    const ex = json(zkvm(["execute", "table.zkimg", "--engine", "wasm", "--json"]));
    expect(ex).toMatchObject({ exitCode: 80 });
    const v = zkvm(["verify", "table.receipt", "--image", "table.zkimg", "--json"]);
    expect(v.status, v.stderr).toBe(0);
    expect(json(v)).toMatchObject({ valid: true, exitCode: 80, cycles: j.cycles });
  }, 120_000);

  it("rejects another image ID and a corrupted receipt: exit 1, {valid:false, error:{kind,message}}", () => {
    const wrong = zkvm(["verify", "sum.receipt", "--image-id", "ab".repeat(32), "--json"]);
    expect(wrong.status).toBe(1);
    expect(json(wrong)).toMatchObject({ valid: false, error: { kind: "ImageIdMismatch" } });
    const b = readFileSync(join(tmp, "sum.receipt"));
    b[b.length - 5000]! ^= 0x10;
    writeFileSync(join(tmp, "bad.receipt"), b);
    const bad = zkvm(["verify", "bad.receipt", "--image-id", imageId, "--json"]);
    expect(bad.status).toBe(1);
    const e = json(bad) as { valid: boolean; error: { kind: string; message: string } };
    expect(e.valid).toBe(false);
    expect(e.error.kind).toMatch(/^(MerklePath|FriFold|OodMismatch|NonCanonical|ProofOfWork)$/);
    writeFileSync(join(tmp, "short.receipt"), b.subarray(0, 100));
    const plain = zkvm(["verify", "short.receipt", "--image-id", imageId]);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/^INVALID \[Malformed\]/);
    noStack(plain);
  });

  it("--dev writes a receipt that verify refuses unless --allow-dev", () => {
    const p = zkvm(["prove", "sum.zkimg", "-o", "dev.receipt", "--dev", "--json"]);
    expect(p.status).toBe(0);
    expect(json(p)).toMatchObject({ dev: true, segments: 0, exitCode: 21 });
    const v = zkvm(["verify", "dev.receipt", "--image-id", imageId, "--json"]);
    expect(v.status).toBe(1);
    expect(json(v)).toMatchObject({ valid: false, error: { kind: "DevReceipt" } });
    const ok = zkvm(["verify", "dev.receipt", "--image-id", imageId, "--allow-dev", "--json"]);
    expect(ok.status).toBe(0);
    expect(json(ok)).toMatchObject({ valid: true, dev: true, securityBits: 0 });
  });

  it("a trapping guest and an unprovable image: typed errors, no receipt written", () => {
    const t = zkvm(["prove", "trap.zkimg", "-o", "trap.receipt", "--json"]);
    expect(t.status).toBe(1);
    expect((json(t).error as { kind: string }).kind).toBe("Unreachable");
    expect(existsSync(join(tmp, "trap.receipt"))).toBe(false);
    const f = zkvm(["prove", "div.zkimg", "-o", "div.receipt"]);
    expect(f.status).toBe(1);
    expect(f.stderr).toMatch(/^error \[UnprovableImage\]: this run cannot be proven: pc \d+: unaligned LOAD32/);
    expect(existsSync(join(tmp, "div.receipt"))).toBe(false);
    noStack(f);
  });

  it("fib (AssemblyScript: private input, i64 additions, a journal) proves and verifies; the journal is what the guest committed", () => {
    const p = zkvm(["prove", "fib.zkimg", "--input-hex", "5a000000", "-o", "fib.receipt", "--json"]); // n = 90
    expect(p.status, p.stderr).toBe(0);
    const j = json(p);
    let [a, b] = [0n, 1n];
    for (let i = 0; i < 90; i++) [a, b] = [b, a + b];
    const fib90 = Buffer.alloc(8);
    fib90.writeBigUInt64LE(a);
    expect(j.journal).toBe("5a000000" + fib90.toString("hex"));
    const v = zkvm(["verify", "fib.receipt", "--image", "fib.zkimg", "--json"]);
    expect(v.status, v.stderr).toBe(0);
    expect(json(v)).toMatchObject({ valid: true, journal: j.journal, exitCode: 0, cycles: j.cycles });
  }, 240_000);

  it("usage: verify needs exactly one of --image-id / --image", () => {
    const none = zkvm(["verify", "sum.receipt"]);
    expect(none.status).toBe(2);
    const badHex = zkvm(["verify", "sum.receipt", "--image-id", "12"]);
    expect(badHex.status).toBe(2);
    noStack(badHex);
  });
});
