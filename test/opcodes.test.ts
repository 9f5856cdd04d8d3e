// Per-opcode edge vectors run in BOTH engines (compiler + VM executor, and V8 with the shared host
// functions): every i32/i64 ALU op in register and immediate form, unary ops, conversions, all load and
// store widths (unaligned and at the end of memory), bulk memory, br_table, select, call_indirect and
// the fixed-point/coprocessor imports. Results must be identical, traps must have the same kind.
import { describe, expect, it } from "vitest";
import { runInV8, runInVm, sameOutcome, watToWasm, type Outcome } from "./differential-harness.ts";

const E32 = [0, 1, -1, 2, -2, 7, 31, 32, 33, 63, 64, 0x80, 0xff, 0x8000, 0xffff, 0x7fffffff, -0x80000000, 0x12345678, -0x12345679, 0x55555555];
const E64 = [0n, 1n, -1n, 2n, -2n, 31n, 32n, 63n, 64n, 65n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x80000000n,
  0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdef0n, -0x0123456789abcdefn, 0x5555555555555555n];

const HEADER = `
  (import "zkvm" "read" (func $read (param i32 i32)))
  (import "zkvm" "input_len" (func $len (result i32)))
  (import "zkvm" "commit" (func $commit (param i32 i32)))`;

function i32s(xs: number[]): Uint8Array {
  const b = new Uint8Array(xs.length * 4);
  xs.forEach((x, i) => new DataView(b.buffer).setInt32(i * 4, x, true));
  return b;
}
function i64s(xs: bigint[]): Uint8Array {
  const b = new Uint8Array(xs.length * 8);
  xs.forEach((x, i) => new DataView(b.buffer).setBigInt64(i * 8, x, true));
  return b;
}

/** Runs in both engines and asserts identical outcomes; returns the outcome. */
function both(wat: string, input: Uint8Array): Outcome {
  const wasm = watToWasm(wat);
  const v8 = runInV8(wasm, input);
  const vm = runInVm(wasm, input);
  if (!sameOutcome(v8, vm)) expect({ vm, v8 }).toEqual({ vm: v8, v8 }); // shows both sides on failure
  expect(v8.status === "trap" ? v8.kind : "ok").not.toBe("HostError");
  return v8;
}

/** Where each input record is read to (R + k addresses field k); results go to 64.. */
const R = 4096;
/**
 * A loop over the input: each record of `recBytes` bytes is read to address R, then `body` stores its
 * results from address 64 on, `outBytes` of which are committed.
 */
function loopModule(recBytes: number, outBytes: number, body: string, extra = ""): string {
  return `(module ${HEADER}
  ${extra}
  (memory (export "memory") 1 2)
  (func (export "main")
    (block $done (loop $next
      (br_if $done (i32.eqz (call $len)))
      (call $read (i32.const ${R}) (i32.const ${recBytes}))
      ${body}
      (call $commit (i32.const 64) (i32.const ${outBytes}))
      (br $next)))))`;
}

const A32 = `(i32.load (i32.const ${R}))`;
const B32 = `(i32.load (i32.const ${R + 4}))`;
const A64 = `(i64.load (i32.const ${R}))`;
const B64 = `(i64.load (i32.const ${R + 8}))`;

const BIN32 = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const DIV = ["div_s", "div_u", "rem_s", "rem_u"];
const BIN64 = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"];
const CMP64 = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];

function traps32(op: string, a: number, b: number): boolean {
  return DIV.includes(op) && (b === 0 || (op === "div_s" && a === -0x80000000 && b === -1));
}
function traps64(op: string, a: bigint, b: bigint): boolean {
  return DIV.includes(op) && (b === 0n || (op === "div_s" && a === -(1n << 63n) && b === -1n));
}

describe("i32 binary ops, register and immediate forms", () => {
  it.each([...BIN32, ...DIV])("i32.%s", (op) => {
    const pairs: number[] = [];
    for (const a of E32) for (const b of E32) if (!traps32(op, a, b)) pairs.push(a, b);
    // Register form (both operands from memory) + immediate form (second operand constant).
    const ks = E32.filter((k) => !traps32(op, -0x80000000, k) && !traps32(op, 0, k));
    const stores = [`(i32.store (i32.const 64) (i32.${op} ${A32} ${B32}))`,
      ...ks.map((k, i) => `(i32.store (i32.const ${68 + 4 * i}) (i32.${op} ${A32} (i32.const ${k})))`)];
    const out = both(loopModule(8, 4 + 4 * ks.length, stores.join("\n")), i32s(pairs));
    expect(out.status).toBe("exit");
  });
  it.each(DIV)("i32.%s traps (register and immediate forms)", (op) => {
    const cases: [number, number][] = [[5, 0], [0, 0], [-0x80000000, 0]];
    if (op === "div_s") cases.push([-0x80000000, -1]);
    for (const [a, b] of cases) {
      const r = both(loopModule(8, 4, `(i32.store (i32.const 64) (i32.${op} ${A32} ${B32}))`), i32s([a, b]));
      expect(r.status).toBe("trap");
      const imm = both(loopModule(8, 4, `(i32.store (i32.const 64) (i32.${op} ${A32} (i32.const ${b})))`), i32s([a, 0]));
      expect(imm.status).toBe("trap");
    }
    // rem_s of INT_MIN by -1 is 0, not a trap.
    if (op === "rem_s") expect(both(loopModule(8, 4, `(i32.store (i32.const 64) (i32.rem_s ${A32} ${B32}))`), i32s([-0x80000000, -1])).status).toBe("exit");
  });
});

describe("i64 binary ops and comparisons", () => {
  it.each([...BIN64, ...DIV])("i64.%s", (op) => {
    const pairs: bigint[] = [];
    for (const a of E64) for (const b of E64) if (!traps64(op, a, b)) pairs.push(a, b);
    const body = `(i64.store (i32.const 64) (i64.${op} ${A64} ${B64}))
      (i64.store (i32.const 72) (i64.${op} ${A64} (i64.const 5)))
      (i64.store (i32.const 80) (i64.${op} (i64.const -81985529216486896) ${B64}))`;
    // Keep only pairs whose second operand is also a safe divisor of the fixed dividend.
    const divSafe = (b: bigint) => !traps64(op, -81985529216486896n, b);
    const safe: bigint[] = [];
    for (let i = 0; i < pairs.length; i += 2) if (divSafe(pairs[i + 1]!)) safe.push(pairs[i]!, pairs[i + 1]!);
    expect(safe.length).toBeGreaterThan(300);
    expect(both(loopModule(16, 24, body), i64s(safe)).status).toBe("exit");
  });
  it.each(CMP64)("i64.%s", (op) => {
    const pairs: bigint[] = [];
    for (const a of E64) for (const b of E64) pairs.push(a, b);
    const body = `(i32.store (i32.const 64) (i64.${op} ${A64} ${B64})) (i32.store (i32.const 68) (i64.eqz ${A64}))`;
    expect(both(loopModule(16, 8, body), i64s(pairs)).status).toBe("exit");
  });
  it.each(DIV)("i64.%s traps", (op) => {
    const cases: [bigint, bigint][] = [[5n, 0n], [-(1n << 63n), 0n], [1n << 40n, 0n]];
    if (op === "div_s") cases.push([-(1n << 63n), -1n]);
    for (const [a, b] of cases) {
      expect(both(loopModule(16, 8, `(i64.store (i32.const 64) (i64.${op} ${A64} ${B64}))`), i64s([a, b])).status).toBe("trap");
    }
    if (op === "rem_s") expect(both(loopModule(16, 8, `(i64.store (i32.const 64) (i64.rem_s ${A64} ${B64}))`), i64s([-(1n << 63n), -1n])).status).toBe("exit");
  });
});

describe("unary ops and conversions", () => {
  it("i32 eqz/clz/ctz/popcnt/extend8_s/extend16_s and i64.extend_i32_s/u", () => {
    const ops = ["eqz", "clz", "ctz", "popcnt", "extend8_s", "extend16_s"];
    const body = ops.map((op, i) => `(i32.store (i32.const ${64 + 4 * i}) (i32.${op} ${A32}))`).join("\n") +
      `(i64.store (i32.const 88) (i64.extend_i32_s ${A32})) (i64.store (i32.const 96) (i64.extend_i32_u ${A32}))`;
    expect(both(loopModule(4, 40, body), i32s([...E32, 0x100, 0x80000000 | 0, 0x00ff0000])).status).toBe("exit");
  });
  it("i64 eqz/clz/ctz/popcnt/extend8/16/32_s and i32.wrap_i64", () => {
    const ops = ["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"];
    const body = ops.map((op, i) => `(i64.store (i32.const ${64 + 8 * i}) (i64.${op} ${A64}))`).join("\n") +
      `(i32.store (i32.const 112) (i32.wrap_i64 ${A64})) (i32.store (i32.const 116) (i64.eqz ${A64}))`;
    expect(both(loopModule(8, 56, body), i64s([...E64, 1n << 32n, 1n << 63n, 0xff00000000n].map((x) => BigInt.asIntN(64, x)))).status).toBe("exit");
  });
});

describe("memory", () => {
  const loads32 = ["load8_s", "load8_u", "load16_s", "load16_u", "load"];
  const loads64 = ["load8_s", "load8_u", "load16_s", "load16_u", "load32_s", "load32_u", "load"];
  const stores: [string, string, number][] = [["i32", "store8", 1], ["i32", "store16", 2], ["i32", "store", 4],
    ["i64", "store8", 1], ["i64", "store16", 2], ["i64", "store32", 4], ["i64", "store", 8]];
  const addrs = [0, 1, 2, 3, 5, 7, 1000, 65536 - 8, 65536 - 4, 65536 - 2, 65536 - 1];

  it.each(stores)("%s.%s then every load width, unaligned and at the end of memory", (ty, st, size) => {
    // Record: addr (i32), pad, value (i64). Memory is pre-filled so loads see neighbouring bytes too.
    const value = ty === "i32" ? `(i32.wrap_i64 (i64.load (i32.const ${R + 8})))` : `(i64.load (i32.const ${R + 8}))`;
    const maxLoad = 8;
    const body = `(memory.fill (i32.const 1024) (i32.const 0xa5) (i32.const 64))
      (${ty}.${st} ${A32} ${value})
      ${loads32.map((l, i) => `(i32.store (i32.const ${64 + 4 * i}) (i32.${l} ${A32}))`).join("\n")}
      ${loads64.map((l, i) => `(i64.store (i32.const ${88 + 8 * i}) (i64.${l} ${A32}))`).join("\n")}`;
    // Loads of up to 8 bytes must stay in bounds for the exit runs: split addresses accordingly.
    const ok = addrs.filter((a) => a + maxLoad <= 65536);
    const rec = (a: number, v: bigint) => new Uint8Array([...i32s([a, 0]), ...i64s([v])]);
    const input = new Uint8Array(ok.length * 2 * 16);
    let o = 0;
    for (const a of ok) for (const v of [0x0123456789abcdefn, -2n]) { input.set(rec(a, v), o); o += 16; }
    expect(both(loopModule(16, 144, body), input).status).toBe("exit");
    // Stores at the last valid address succeed, one byte further traps MemoryOutOfBounds.
    const only = `(${ty}.${st} ${A32} ${value})`;
    expect(both(loopModule(16, 0, only), rec(65536 - size, -1n)).status).toBe("exit");
    const t = both(loopModule(16, 0, only), rec(65536 - size + 1, -1n));
    expect(t).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
    // Address + offset overflowing 32 bits is out of bounds, not wrapped.
    const off = `(${ty}.${st} offset=16 ${A32} ${value})`;
    expect(both(loopModule(16, 0, off), rec(-8, -1n))).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
  });

  it.each([...loads32.map((l) => ["i32", l] as const), ...loads64.map((l) => ["i64", l] as const)])("%s.%s out of bounds by one byte traps", (ty, l) => {
    const size = l.includes("8") ? 1 : l.includes("16") ? 2 : l.includes("32") || ty === "i32" ? 4 : 8;
    const mod = loopModule(4, 8, `(drop (${ty}.${l} ${A32}))`);
    expect(both(mod, i32s([65536 - size])).status).toBe("exit");
    expect(both(mod, i32s([65536 - size + 1]))).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
  });

  it("memory.copy with forward/backward overlap, memory.fill, bounds", () => {
    // Record: dst, src, len, fill value; memory [256, 512) holds a pattern, then copy/fill, commit [256, 512).
    const body = `(local.set 0 (i32.const 0))
      (loop $p (i32.store8 (i32.add (i32.const 256) (local.get 0)) (i32.mul (local.get 0) (i32.const 7)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br_if $p (i32.lt_u (local.get 0) (i32.const 256))))
      (memory.copy (i32.load (i32.const 0)) (i32.load (i32.const 4)) (i32.load (i32.const 8)))
      (memory.fill (i32.add (i32.load (i32.const 0)) (i32.const 3)) (i32.load (i32.const 12)) (i32.shr_u (i32.load (i32.const 8)) (i32.const 2)))
      (memory.copy (i32.const 64) (i32.const 256) (i32.const 256))`;
    const mod = `(module ${HEADER}
      (memory (export "memory") 1 2)
      (func (export "main") (local i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (call $len)))
          (call $read (i32.const 0) (i32.const 16))
          ${body}
          (call $commit (i32.const 64) (i32.const 256))
          (br $next)))))`;
    const recs = [[300, 290, 100, 1], [290, 300, 100, 0x1ff], [256, 256, 256, 3], [400, 260, 0, 9], [260, 261, 200, -1], [261, 260, 200, 0x80]];
    expect(both(mod, i32s(recs.flat())).status).toBe("exit");
    for (const r of [[65536 - 10, 0, 11, 0], [0, 65536 - 10, 11, 0], [65536, 0, 0, 0], [65537, 0, 0, 0], [-1, 0, 2, 0]]) {
      both(mod, i32s(r));
    }
    // Zero-length copy at 65533 and fill at 65533 + 3 = the end of memory: allowed; one further traps.
    expect(both(mod, i32s([65533, 0, 0, 0])).status).toBe("exit");
    expect(both(mod, i32s([65534, 0, 0, 0]))).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
    expect(both(mod, i32s([65537, 0, 0, 0]))).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
  });

  it("memory.size / memory.grow up to the declared maximum, then -1", () => {
    const body = `(i32.store (i32.const 64) (memory.grow ${A32})) (i32.store (i32.const 68) (memory.size))
      (i32.store (i32.const 72) (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))`;
    expect(both(loopModule(4, 12, body), i32s([0, 1, 0, 1, 5, 0, -1, 2])).status).toBe("exit");
  });
});

describe("control", () => {
  it("br_table in range, default, and huge/negative selectors; select i32/i64", () => {
    const body = `(block $d (block $c (block $b (block $a
        (br_table $a $b $c $d ${A32}))
        (i32.store (i32.const 64) (i32.const 10)) (br $d))
        (i32.store (i32.const 64) (i32.const 11)) (br $d))
        (i32.store (i32.const 64) (i32.const 12)) (br $d))
      (i32.store (i32.const 68) (select ${A32} ${B32} (i32.and ${A32} (i32.const 1))))
      (i64.store (i32.const 72) (select (i64.extend_i32_s ${A32}) (i64.const -5) ${B32}))`;
    const pre = `(i32.store (i32.const 64) (i32.const -1))`;
    expect(both(loopModule(8, 16, pre + body), i32s([0, 1, 1, 0, 2, 5, 3, 0, 4, 9, -1, 1, 0x7fffffff, 0, -0x80000000, 7])).status).toBe("exit");
  });
  it("call_indirect: valid entries, null entry, out of range, signature mismatch", () => {
    const mod = `(module ${HEADER}
      (type $ii (func (param i32) (result i32)))
      (type $v (func))
      (memory (export "memory") 1)
      (table 4 funcref)
      (elem (i32.const 0) $inc $dbl $nop)
      (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (type $ii) (i32.mul (local.get 0) (i32.const 2)))
      (func $nop (type $v))
      (func (export "main")
        (block $done (loop $next
          (br_if $done (i32.eqz (call $len)))
          (call $read (i32.const ${R}) (i32.const 4))
          (i32.store (i32.const 64) (call_indirect (type $ii) (i32.const 20) ${A32}))
          (call $commit (i32.const 64) (i32.const 4))
          (br $next)))))`;
    expect(both(mod, i32s([0, 1, 0, 1])).status).toBe("exit");
    for (const idx of [2, 3, 4, -1]) expect(both(mod, i32s([idx]))).toMatchObject({ status: "trap", kind: "IndirectCallMismatch" });
  });
  it("globals (i32 and i64) and unreachable", () => {
    const mod = `(module ${HEADER}
      (memory (export "memory") 1)
      (global $g (mut i32) (i32.const -7))
      (global $h (mut i64) (i64.const 0x123456789))
      (func (export "main")
        (global.set $h (i64.add (global.get $h) (i64.extend_i32_s (global.get $g))))
        (global.set $g (i32.wrap_i64 (i64.shr_u (global.get $h) (i64.const 4))))
        (i64.store (i32.const 64) (global.get $h)) (i32.store (i32.const 72) (global.get $g))
        (call $commit (i32.const 64) (i32.const 12))
        (if (call $len) (then (unreachable)))))`;
    expect(both(mod, new Uint8Array(0)).status).toBe("exit");
    expect(both(mod, new Uint8Array(1))).toMatchObject({ status: "trap", kind: "Unreachable" });
  });
});

describe("fixed-point and coprocessor imports", () => {
  const FX = `
    (import "zkvm" "fxmul" (func $fxmul (param i32 i32) (result i32)))
    (import "zkvm" "dot" (func $dot (param i32 i32 i32 i32 i32 i64 i32) (result i32)))
    (import "zkvm" "axpy" (func $axpy (param i32 i32 i32 i32 i32 i32 i32)))
    (import "zkvm" "sha256_compress" (func $sha (param i32 i32)))`;
  it("fxmul on edge pairs; overflow traps in both", () => {
    const pairs: number[] = [];
    const fe = [0, 1, -1, 0x8000, -0x8000, 0x10000, -0x10000, 0x18000, 0x7fff, 46340 << 8, 0x12345];
    for (const a of fe) for (const b of fe) pairs.push(a, b);
    expect(both(loopModule(8, 4, `(i32.store (i32.const 64) (call $fxmul ${A32} ${B32}))`, FX), i32s(pairs)).status).toBe("exit");
    expect(both(loopModule(8, 4, `(i32.store (i32.const 64) (call $fxmul ${A32} ${B32}))`, FX), i32s([0x7fffffff, 0x20000])))
      .toMatchObject({ status: "trap", kind: "FixedPointOverflow" });
  });
  it("dot with strides, accumulator and shift; axpy; sha256_compress", () => {
    // Record: n, sx, sy, shift, a (axpy scalar), acc (i64, 8 bytes at 24). Vectors live at 1024/2048.
    const body = `(local.set 0 (i32.const 0))
      (loop $p (i32.store (i32.add (i32.const 1024) (i32.shl (local.get 0) (i32.const 2))) (i32.mul (i32.sub (local.get 0) (i32.const 20)) (i32.const 4099)))
        (i32.store (i32.add (i32.const 2048) (i32.shl (local.get 0) (i32.const 2))) (i32.sub (i32.const 777) (i32.mul (local.get 0) (i32.const 91))))
        (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br_if $p (i32.lt_u (local.get 0) (i32.const 64))))
      (i32.store (i32.const 64) (call $dot (i32.const 1024) (i32.const 2048) (i32.load (i32.const 0)) (i32.load (i32.const 4)) (i32.load (i32.const 8)) (i64.load (i32.const 24)) (i32.load (i32.const 12))))
      (call $axpy (i32.const 2048) (i32.const 1024) (i32.load (i32.const 0)) (i32.load (i32.const 8)) (i32.load (i32.const 4)) (i32.load (i32.const 16)) (i32.load (i32.const 12)))
      (call $sha (i32.const 2048) (i32.const 1024))
      (memory.copy (i32.const 68) (i32.const 2048) (i32.const 256))`;
    const mod = `(module ${HEADER} ${FX}
      (memory (export "memory") 1)
      (func (export "main") (local i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (call $len)))
          (call $read (i32.const 0) (i32.const 32))
          ${body}
          (call $commit (i32.const 64) (i32.const 260))
          (br $next)))))`;
    const rec = (n: number, sx: number, sy: number, shift: number, a: number, acc: bigint) =>
      new Uint8Array([...i32s([n, sx, sy, shift, a, 0]), ...i64s([acc])]);
    const ok = [rec(10, 1, 1, 16, 0x10000, 0n), rec(16, 2, 3, 8, 3, 12345678901n), rec(8, -1, 1, 0, 1, -1n), rec(0, 1, 1, 63, 5, 1n << 62n), rec(20, 0, 2, 20, -70000, -(1n << 40n))];
    // Record 3 walks x backwards from 1024: element 1 is at 1020 (in bounds).
    expect(both(mod, new Uint8Array(ok.flatMap((r) => [...r]))).status).toBe("exit");
    expect(both(mod, rec(-1, 1, 1, 16, 1, 0n))).toMatchObject({ status: "trap", kind: "InvalidOperand" });
    expect(both(mod, rec(4, 1, 1, 64, 1, 0n))).toMatchObject({ status: "trap", kind: "InvalidOperand" });
    expect(both(mod, rec(4, 1, 1, 0, 1, 1n << 40n))).toMatchObject({ status: "trap", kind: "FixedPointOverflow" });
    expect(both(mod, rec(4, 20000, 1, 16, 1, 0n))).toMatchObject({ status: "trap", kind: "MemoryOutOfBounds" });
  });
});
