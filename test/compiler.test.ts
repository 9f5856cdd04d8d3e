// The WASM → ISA compiler on real AssemblyScript (asc --runtime stub -O3): structure of the Program,
// float rejection with the guest source line, import checking, and guests run end to end in our VM
// against V8.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { compileWasm, CompileError } from "../vm/compiler/index.ts";
import { INSTR_WORDS, MNEMONIC_BY_OPCODE, Op } from "../vm/isa.ts";
import { sourceLocation } from "../vm/program.ts";
import { execute } from "../vm/executor/index.ts";
import { isVmError } from "../vm/errors.ts";
import { compileAsc, runV8, runVm, wat } from "./compiler-util.ts";

const IO = `
@external("zkvm", "read") declare function zkRead(ptr: usize, len: i32): void;
@external("zkvm", "input_len") declare function zkInputLen(): i32;
@external("zkvm", "commit") declare function zkCommit(ptr: usize, len: i32): void;
@external("zkvm", "exit") declare function zkExit(code: i32): void;
`;

function compileError(f: () => unknown): CompileError {
  try {
    f();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

const u32s = (xs: number[]): Uint8Array => new Uint8Array(Uint32Array.from(xs).buffer);

describe("AssemblyScript guests compile and run like V8", () => {
  it("sort through a comparator (call_indirect), arrays, start function, input and journal", async () => {
    const src = `${IO}
const BIAS: i32[] = [0, 0, 0];
BIAS[1] = 1000; // runs in the start function, before main
export function main(): void {
  const n = zkInputLen() >> 2;
  const buf = new Uint32Array(n);
  zkRead(buf.dataStart, n << 2);
  const a = new Array<i32>(n);
  for (let i = 0; i < n; i++) a[i] = <i32>buf[i] - BIAS[1];
  a.sort((x: i32, y: i32): i32 => (x < y ? -1 : x > y ? 1 : 0));
  zkCommit(a.dataStart, n << 2);
}`;
    const { wasm, sourceMap } = await compileAsc({ "sort.ts": src });
    const p = compileWasm(wasm, { sourceMap });
    const input = u32s([5, 3, 99999, 0, 1000, 7, 0xffffffff, 42, 3]);
    const vm = runVm(p, input);
    expect(vm.ok).toBe(true);
    const { cycles: _c, ...vmOut } = vm;
    expect(vmOut).toEqual(runV8(wasm, input));
    const sorted = [5, 3, 99999, 0, 1000, 7, 0xffffffff, 42, 3].map((x) => (x | 0) - 1000).sort((x, y) => x - y);
    expect(vm.ok && vm.journal).toBe(Buffer.from(Int32Array.from(sorted).buffer).toString("hex"));
    // The table holds the comparator, and the code really calls through it.
    expect(p.table.length).toBeGreaterThan(0);
    const ops = Array.from({ length: p.code.length / INSTR_WORDS }, (_, pc) => p.code[pc * INSTR_WORDS]!);
    expect(ops).toContain(Op.CALLI);
  });

  it("i64 arithmetic: Fibonacci mod a prime, mulmod, division", async () => {
    const src = `${IO}
function mulmod(a: u64, b: u64, m: u64): u64 {
  let r: u64 = 0;
  a %= m;
  while (b) { if (b & 1) r = (r + a) % m; a = (a << 1) % m; b >>= 1; }
  return r;
}
export function main(): void {
  const out = new Array<u64>(4);
  let x: u64 = 0, y: u64 = 1;
  for (let i = 0; i < 90; i++) { const t = x + y; x = y; y = t; }
  out[0] = x;
  out[1] = mulmod(0xfffffffffffffff1, 0x123456789abcdef, 0xffffffffffffffc5);
  out[2] = <u64>(<i64>-0x123456789 / 7);
  out[3] = <u64>(clz<i64>(x) + ctz<i64>(y) * 100 + popcnt<i64>(x ^ y) * 10000);
  zkCommit(out.dataStart, 32);
}`;
    const { wasm } = await compileAsc({ "i64.ts": src });
    const p = compileWasm(wasm);
    const vm = runVm(p);
    const { cycles: _c, ...vmOut } = vm;
    expect(vmOut).toEqual(runV8(wasm));
    const j = Buffer.from(vm.ok ? vm.journal : "", "hex");
    expect(j.readBigUInt64LE(0)).toBe(2880067194370816120n); // fib(90)
    expect(j.readBigUInt64LE(8)).toBe((0xfffffffffffffff1n * 0x123456789abcdefn) % 0xffffffffffffffc5n);
  });

  it("SHA-256 written in AssemblyScript matches node:crypto", async () => {
    const src = `${IO}
const K: u32[] = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
const H = new StaticArray<u32>(8);
const W = new StaticArray<u32>(64);
function block(p: usize): void {
  for (let i = 0; i < 16; i++) W[i] = bswap<u32>(load<u32>(p + (<usize>i << 2)));
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15], b = W[i - 2];
    W[i] = W[i - 16] + (rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3)) + W[i - 7] + (rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10));
  }
  let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
  for (let i = 0; i < 64; i++) {
    const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i];
    const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
}
export function main(): void {
  const n = zkInputLen();
  const padded = ((n + 9 + 63) >> 6) << 6;
  const buf = new Uint8Array(padded);
  zkRead(buf.dataStart, n);
  buf[n] = 0x80;
  store<u64>(buf.dataStart + padded - 8, bswap<u64>(<u64>n << 3));
  const iv: u32[] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  for (let i = 0; i < 8; i++) H[i] = iv[i];
  for (let off = 0; off < padded; off += 64) block(buf.dataStart + off);
  for (let i = 0; i < 8; i++) H[i] = bswap<u32>(H[i]);
  zkCommit(changetype<usize>(H), 32);
}`;
    const { wasm } = await compileAsc({ "sha.ts": src });
    const p = compileWasm(wasm);
    for (const len of [0, 3, 55, 56, 64, 200]) {
      const input = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 255);
      const vm = runVm(p, input);
      expect(vm).toMatchObject({ ok: true, journal: createHash("sha256").update(input).digest("hex") });
    }
  });

  it("exit code, and a failed assert traps Abort at the guest line", async () => {
    const src = `${IO}
export function main(): void {
  const n = zkInputLen();
  if (n == 1) zkExit(42);
  assert(n < 3, "too much input");
}`;
    const { wasm, sourceMap } = await compileAsc({ "guest/abort.ts": src });
    const p = compileWasm(wasm, { sourceMap });
    expect(runVm(p, new Uint8Array(1))).toMatchObject({ ok: true, exitCode: 42 });
    expect(runVm(p, new Uint8Array(2))).toMatchObject({ ok: true, exitCode: 0 });
    try {
      execute(p, new Uint8Array(5));
      throw new Error("expected a trap");
    } catch (e) {
      if (!isVmError(e)) throw e;
      expect(e.kind).toBe("Abort");
      // The ABORT instruction maps back to the assert's line (IO takes lines 1–6).
      expect(sourceLocation(p, e.pc!)).toEqual({ file: "guest/abort.ts", line: 10 });
    }
    expect(runV8(wasm, new Uint8Array(5))).toEqual({ ok: false, kind: "Abort" });
  });
});

describe("Program structure", () => {
  it("entry stub calls the start function then main, then exits 0; segments and source map are in place", async () => {
    const src = `${IO}
const MSG = "hello";
let counter: i64 = 7;
export function main(): void {
  counter += <i64>MSG.length;
  store<i64>(0, counter);
  zkCommit(0, 8);
  zkCommit(changetype<usize>(MSG), MSG.length << 1);
}`;
    const { wasm, sourceMap } = await compileAsc({ "s.ts": src });
    const p = compileWasm(wasm, { sourceMap, mapPath: (f) => `src/${f}` });
    const at = (pc: number, field: number): number => p.code[pc * INSTR_WORDS + field]!;
    const mainFn = p.functions.find((f) => f.name === "main")!;
    expect(mainFn).toBeDefined();
    // The stub: [CALL start]? CALL main, CONST r0 0, EXIT r0.
    let pc = p.entryPc;
    while (at(pc, 0) === Op.CALL && at(pc, 1) !== mainFn.pc) pc++;
    expect(at(pc, 0)).toBe(Op.CALL);
    expect(at(pc, 1)).toBe(mainFn.pc);
    expect([MNEMONIC_BY_OPCODE[at(pc + 1, 0)], at(pc + 1, 2)]).toEqual(["CONST", 0]);
    expect(MNEMONIC_BY_OPCODE[at(pc + 2, 0)]).toBe("EXIT");
    // The i64 global is two slots holding 7.
    expect(p.globalSlots).toBeGreaterThanOrEqual(2);
    expect(Array.from(p.globalsInit)).toContain(7);
    // "hello" is in a data segment as UTF-16 (asc trims the segment's trailing zero byte).
    const hello = Buffer.from("hello", "utf16le");
    expect(p.segments.some((s) => Buffer.from(s.bytes).includes(hello.subarray(0, 9)))).toBe(true);
    for (let i = 1; i < p.segments.length; i++) expect(p.segments[i]!.addr).toBeGreaterThanOrEqual(p.segments[i - 1]!.addr + p.segments[i - 1]!.bytes.length);
    // main's code maps to the guest file, under its rewritten path.
    expect(sourceLocation(p, mainFn.pc + 1)?.file).toBe("src/s.ts");
    expect(runVm(p)).toMatchObject({ ok: true, journal: "0c00000000000000" + hello.toString("hex") });
  });

  it("the start section runs first, then an exported _start, then main", () => {
    const text = `(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1)
      (global $n (mut i32) (i32.const 0))
      (func $log (param $tag i32)
        (i32.store8 (global.get $n) (local.get $tag))
        (global.set $n (i32.add (global.get $n) (i32.const 1))))
      (func $init (call $log (i32.const 0x11)))
      (start $init)
      (func (export "_start") (call $log (i32.const 0x22)))
      (func (export "main") (call $log (i32.const 0x33)) (call $commit (i32.const 0) (global.get $n))))`;
    const wasm = wat(text);
    expect(runVm(compileWasm(wasm))).toMatchObject({ ok: true, exitCode: 0, journal: "112233" });
    expect(runV8(wasm)).toEqual({ ok: true, exitCode: 0, journal: "112233" });
  });

  it("a plain WASM module (not AssemblyScript) compiles; frames record their layout", () => {
    const p = compileWasm(wat(`(module (memory 1) (func $f (param i64 i32) (result i32) (i32.wrap_i64 (local.get 0))) (func (export "main") (drop (call $f (i64.const 1) (i32.const 2)))))`));
    const f = p.functions[0]!;
    expect(f).toMatchObject({ paramSlots: 3, resultSlots: 1, saveSlot: 3 });
    expect(f.frameSlots).toBeGreaterThanOrEqual(5);
    expect(p.signatures[f.sig]).toBe("(i64,i32)->(i32)");
    expect(p.sourceMap).toBeUndefined();
  });
});

describe("code quality", () => {
  it("a counted loop costs its body + 2 cycles per iteration (loop rotation: no JMP on the back edge)", async () => {
    const src = `${IO}
export function main(): void {
  const n = zkInputLen();
  let s: u32 = 0;
  for (let i = 0; i < n; i++) s += <u32>i * 3;
  const out = new Uint32Array(1);
  out[0] = s;
  zkCommit(out.dataStart, 4);
}`;
    const { wasm } = await compileAsc({ "loop.ts": src });
    const p = compileWasm(wasm);
    const run = (n: number) => {
      const r = runVm(p, new Uint8Array(n));
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r).toEqual({ ...runV8(wasm, new Uint8Array(n)), cycles: r.cycles });
      return r.cycles!;
    };
    expect(run(0)).toBeGreaterThan(0);
    // Body MULI, ADD, ADDI; loop control LTS, BRNZ (a JMP back to the header would make it 6).
    expect((run(3000) - run(1000)) / 2000).toBe(5);
  });
});

describe("rejections are typed CompileErrors", () => {
  it("float arithmetic is rejected naming the guest file and line", async () => {
    const src = `${IO}
export function main(): void {
  let n = zkInputLen();
  let x = <f64>n * 1.5;
  zkExit(<i32>x);
}`;
    const { wasm, sourceMap } = await compileAsc({ "floaty.ts": src });
    const e = compileError(() => compileWasm(wasm, { sourceMap }));
    expect(e.kind).toBe("FloatNotAllowed");
    expect(e.file).toBe("floaty.ts");
    expect(e.line).toBe(9);
    expect(e.message).toContain("floaty.ts:9");
    // Without a source map the function is named instead.
    const e2 = compileError(() => compileWasm(wasm));
    expect(e2.kind).toBe("FloatNotAllowed");
    expect(e2.func).toBe("main");
    expect(e2.line).toBeUndefined();
  });

  it("a float parameter with no float instruction is rejected", async () => {
    const src = `export function main(): void {}\nexport function id(x: f32): f32 {\n  return x;\n}`;
    const { wasm, sourceMap } = await compileAsc({ "p.ts": src });
    const e = compileError(() => compileWasm(wasm, { sourceMap }));
    expect(e.kind).toBe("FloatNotAllowed");
    expect(e.message).toContain("f32");
    expect(e.func).toBe("id");
  });

  it("float globals, f64 constants and SIMD in plain WASM are rejected", () => {
    for (const text of [
      `(module (global f64 (f64.const 1)) (func (export "main")))`,
      `(module (func (export "main") (drop (i64.reinterpret_f64 (f64.const 2)))))`,
      `(module (func (export "main") (drop (i32x4.extract_lane 0 (v128.const i32x4 1 2 3 4)))))`,
      `(module (func (export "main") (local f32)))`,
    ]) expect(compileError(() => compileWasm(wat(text))).kind).toBe("FloatNotAllowed");
  });

  it("imports outside the guest ABI, or with the wrong signature, are rejected", async () => {
    const src = `@external("env", "seed") declare function seed(): i32;\nexport function main(): void { store<i32>(0, seed()); }`;
    const { wasm } = await compileAsc({ "imp.ts": src });
    const e = compileError(() => compileWasm(wasm));
    expect(e.kind).toBe("UnsupportedImport");
    expect(e.message).toContain("env.seed");
    const wrongSig = wat(`(module (import "zkvm" "read" (func (param i32))) (func (export "main")))`);
    expect(compileError(() => compileWasm(wrongSig)).kind).toBe("UnsupportedImport");
    const memImport = wat(`(module (import "env" "memory" (memory 1)) (func (export "main")))`);
    expect(compileError(() => compileWasm(memImport)).kind).toBe("UnsupportedImport");
  });

  it("multi-value blocks and functions are rejected as unsupported", () => {
    // Hand-assembled (binaryen would rewrite block parameters): main = i32.const 1; block (type (i32)->(i32))
    // i32.const 2; i32.add; end; drop.
    const blockParam = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
      1, 9, 2, 0x60, 0, 0, 0x60, 1, 0x7f, 1, 0x7f,
      3, 2, 1, 0,
      7, 8, 1, 4, 0x6d, 0x61, 0x69, 0x6e, 0, 0,
      10, 13, 1, 11, 0, 0x41, 1, 0x02, 1, 0x41, 2, 0x6a, 0x0b, 0x1a, 0x0b);
    expect(WebAssembly.validate(blockParam)).toBe(true);
    expect(compileError(() => compileWasm(blockParam)).kind).toBe("UnsupportedFeature");
    const twoResults = wat(`(module (func $f (result i32 i32) (i32.const 1) (i32.const 2)) (func (export "main") (call $f) (drop) (drop)))`);
    expect(compileError(() => compileWasm(twoResults)).kind).toBe("UnsupportedFeature");
  });

  it("missing or malformed main, invalid and truncated modules", () => {
    expect(compileError(() => compileWasm(wat(`(module (func (export "start")))`))).kind).toBe("MissingMain");
    expect(compileError(() => compileWasm(wat(`(module (func (export "main") (param i32)))`))).kind).toBe("MissingMain");
    expect(compileError(() => compileWasm(new Uint8Array([1, 2, 3]))).kind).toBe("InvalidWasm");
    const good = wat(`(module (memory 1) (func (export "main") (i32.store (i32.const 0) (i32.const 1))))`);
    for (let cut = 9; cut < good.length; cut += 3) {
      const e = compileError(() => compileWasm(good.subarray(0, cut)));
      expect(e.kind).toBe("InvalidWasm");
    }
    // Type-incorrect but well-formed: i32.add on an i64.
    const bad = Uint8Array.from(good);
    const i = bad.lastIndexOf(0x41, bad.length - 3); // the second i32.const → i64.const
    bad[i] = 0x42;
    expect(compileError(() => compileWasm(bad)).kind).toBe("InvalidWasm");
  });
});
