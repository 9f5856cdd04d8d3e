// Per-opcode edge vectors: every integer WASM instruction AssemblyScript emits, compiled to our ISA and
// run in our executor, against V8 running the same module. Operands are edge values, given both as
// locals (register forms) and as constants (immediate and swapped-immediate forms).

import { describe, expect, it } from "vitest";
import { both, wat } from "./compiler-util.ts";

const I32 = [0, 1, 2, -1, -2, 0x7fffffff, -0x80000000, 31, 32, 33, 0x12345678, -0x21524111, 7, -7];
const I64 = [0n, 1n, -1n, 2n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n, 63n, 64n, 65n, 0x123456789abcdef0n, -5n, 0x80000000n];

const BIN32 = ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr",
  "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const BIN64 = ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"];
const CMP64 = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];

const traps32 = (op: string, x: number, y: number): boolean =>
  (op.startsWith("div") || op.startsWith("rem")) && (y === 0 || (op === "div_s" && x === -0x80000000 && y === -1));
const traps64 = (op: string, x: bigint, y: bigint): boolean =>
  (op.startsWith("div") || op.startsWith("rem")) && (y === 0n || (op === "div_s" && x === -0x8000000000000000n && y === -1n));

/** A module whose main evaluates `exprs` (each storing its result at an increasing address) and commits them. */
function program(locals: string, body: string[], bytes: number): string {
  return `(module
    (import "zkvm" "commit" (func $commit (param i32 i32)))
    (memory (export "memory") ${Math.ceil((bytes + 1024) / 65536) + 1})
    (func (export "main") ${locals}
      ${body.join("\n      ")}
      (call $commit (i32.const 1024) (i32.const ${bytes}))))`;
}

function expectSame(text: string): { cycles: number } {
  const { vm, v8, program: p } = both(wat(text));
  expect(v8.ok).toBe(true);
  expect(vm).toEqual(v8);
  return { cycles: p.code.length / 4 };
}

describe("i32 binary operators (register, immediate and swapped-immediate forms) agree with V8", () => {
  for (const op of BIN32) {
    it(`i32.${op}`, () => {
      const body: string[] = [];
      let addr = 1024;
      for (const x of I32) for (const y of I32) {
        if (traps32(op, x, y)) continue;
        const forms = [
          `(i32.${op} (local.get $x) (local.get $y))`,
          `(i32.${op} (local.get $x) (i32.const ${y}))`,
          `(i32.${op} (i32.const ${x}) (local.get $y))`,
        ];
        body.push(`(local.set $x (i32.const ${x})) (local.set $y (i32.const ${y}))`);
        for (const f of forms) { body.push(`(i32.store (i32.const ${addr}) ${f})`); addr += 4; }
      }
      expectSame(program("(local $x i32) (local $y i32)", body, addr - 1024));
    });
  }
});

describe("i64 operators agree with V8", () => {
  for (const op of [...BIN64, ...CMP64]) {
    it(`i64.${op}`, () => {
      const cmp = CMP64.includes(op);
      const body: string[] = [];
      let addr = 1024;
      for (const x of I64) for (const y of I64) {
        if (traps64(op, x, y)) continue;
        body.push(`(local.set $x (i64.const ${x})) (local.set $y (i64.const ${y}))`);
        for (const f of [`(i64.${op} (local.get $x) (local.get $y))`, `(i64.${op} (local.get $x) (i64.const ${y}))`]) {
          body.push(cmp ? `(i32.store (i32.const ${addr}) ${f})` : `(i64.store (i32.const ${addr}) ${f})`);
          addr += 8;
        }
      }
      expectSame(program("(local $x i64) (local $y i64)", body, addr - 1024));
    });
  }
});

describe("unary operators, conversions and sign extension agree with V8", () => {
  it("i32 and i64 unary", () => {
    const body: string[] = [];
    let addr = 1024;
    for (const x of I32) {
      body.push(`(local.set $x (i32.const ${x}))`);
      for (const op of ["eqz", "clz", "ctz", "popcnt", "extend8_s", "extend16_s"]) { body.push(`(i32.store (i32.const ${addr}) (i32.${op} (local.get $x)))`); addr += 4; }
      for (const op of ["extend_i32_s", "extend_i32_u"]) {
        body.push(`(i64.store (i32.const ${addr}) (i64.${op} (local.get $x)))`); addr += 8;
        body.push(`(i64.store (i32.const ${addr}) (i64.${op} (i32.const ${x})))`); addr += 8;
      }
    }
    for (const x of I64) {
      body.push(`(local.set $y (i64.const ${x}))`);
      body.push(`(i32.store (i32.const ${addr}) (i64.eqz (local.get $y)))`); addr += 4;
      body.push(`(i32.store (i32.const ${addr}) (i32.wrap_i64 (local.get $y)))`); addr += 4;
      body.push(`(i32.store (i32.const ${addr}) (i32.wrap_i64 (i64.add (local.get $y) (i64.const 3))))`); addr += 4;
      for (const op of ["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"]) { body.push(`(i64.store (i32.const ${addr}) (i64.${op} (local.get $y)))`); addr += 8; }
    }
    expectSame(program("(local $x i32) (local $y i64)", body, addr - 1024));
  });
});

describe("memory", () => {
  it("every load and store width, signed and unsigned, aligned and unaligned", () => {
    const body: string[] = [];
    // Pattern 0x80 + i at 0..63 so sign bits are set.
    for (let i = 0; i < 64; i += 4) body.push(`(i32.store (i32.const ${i}) (i32.const ${(0x83828180 + 0x04040404 * (i / 4)) | 0}))`);
    let addr = 1024;
    const loads32 = ["i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"];
    const loads64 = ["i64.load", "i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u"];
    for (let a = 0; a < 8; a++) {
      for (const l of loads32) { body.push(`(i32.store (i32.const ${addr}) (${l} offset=3 (i32.const ${a})))`); addr += 4; }
      for (const l of loads64) { body.push(`(i64.store (i32.const ${addr}) (${l} offset=5 (local.get $p)))`); addr += 8; }
      body.push(`(local.set $p (i32.add (local.get $p) (i32.const 1)))`);
    }
    // Stores of every width at unaligned addresses, then read back as bytes.
    const stores = [["i32.store", "i32", "0x11223344"], ["i32.store8", "i32", "-1"], ["i32.store16", "i32", "0x7abc"], ["i64.store", "i64", "0x0102030405060708"],
      ["i64.store8", "i64", "0x1ff"], ["i64.store16", "i64", "-2"], ["i64.store32", "i64", "0x8899aabbccdd"]] as const;
    let s = 200;
    for (const [st, ty, v] of stores) { body.push(`(${st} offset=1 (i32.const ${s}) (${ty}.const ${v}))`); s += 9; }
    for (let i = 200; i < s + 4; i += 4) { body.push(`(i32.store (i32.const ${addr}) (i32.load (i32.const ${i})))`); addr += 4; }
    expectSame(program("(local $p i32)", body, addr - 1024));
  });

  it("memory.size, memory.grow (success and failure), memory.copy with overlap, memory.fill", () => {
    const text = `(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1 4)
      (func (export "main") (local $i i32)
        (i32.store (i32.const 1024) (memory.size))
        (i32.store (i32.const 1028) (memory.grow (i32.const 2)))
        (i32.store (i32.const 1032) (memory.size))
        (i32.store (i32.const 1036) (memory.grow (i32.const 2)))
        (i32.store (i32.const 1040) (memory.grow (i32.const 0)))
        (i64.store (i32.const 196600) (i64.const -1))
        (loop $l (i32.store8 (i32.add (i32.const 1100) (local.get $i)) (local.get $i))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 64))))
        (memory.copy (i32.const 1104) (i32.const 1100) (i32.const 40))
        (memory.copy (i32.const 1130) (i32.const 1140) (i32.const 20))
        (memory.fill (i32.const 1150) (i32.const 0x1ab) (i32.const 7))
        (memory.copy (i32.const 1170) (i32.const 196600) (i32.const 8))
        (call $commit (i32.const 1024) (i32.const 160))))`;
    expectSame(text);
  });
});

describe("control flow, globals, select, calls", () => {
  it("block/loop/if results, br_if with values, br_table with values, select, i64 globals", () => {
    const text = `(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1)
      (global $g (mut i64) (i64.const -3))
      (global $h (mut i32) (i32.const 7))
      (func $classify (param $x i32) (result i32)
        (block $d (result i32)
          (block $c (result i32)
            (block $b (result i32)
              (block $a (result i32)
                (br_table $a $b $c $d (i32.mul (local.get $x) (i32.const 10)) (local.get $x)))
              (return (i32.add (i32.const 1000))))
            (i32.add (i32.const 2000)))
          (i32.add (i32.const 3000)))
        (i32.add (i32.const 1)))
      (func $sel (param $c i32) (param $x i64) (param $y i64) (result i64)
        (select (local.get $x) (local.get $y) (local.get $c)))
      (func $early (param $x i32) (result i32)
        (drop (br_if 0 (i32.const 77) (i32.eqz (local.get $x))))
        (if (result i32) (i32.gt_s (local.get $x) (i32.const 5))
          (then (i32.const 5)) (else (local.get $x))))
      (func (export "main") (local $i i32) (local $acc i64)
        (loop $l
          (i32.store (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2))) (call $classify (local.get $i)))
          (i32.store (i32.add (i32.const 1100) (i32.shl (local.get $i) (i32.const 2))) (call $early (i32.sub (local.get $i) (i32.const 1))))
          (local.set $acc (i64.add (local.get $acc) (call $sel (i32.and (local.get $i) (i32.const 1)) (i64.extend_i32_s (local.get $i)) (global.get $g))))
          (global.set $g (i64.mul (global.get $g) (i64.const -7)))
          (global.set $h (select (global.get $h) (i32.const 9) (i32.lt_u (local.get $i) (i32.const 3))))
          (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 8))))
        (i64.store (i32.const 1200) (local.get $acc))
        (i64.store (i32.const 1208) (global.get $g))
        (i32.store (i32.const 1216) (global.get $h))
        (call $commit (i32.const 1024) (i32.const 196))))`;
    expectSame(text);
  });

  it("local.set/tee retargeting keeps values that are still on the stack", () => {
    // The pending local.get of $a must be read before $a is overwritten.
    const text = `(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "main") (local $a i32) (local $b i64)
        (local.set $a (i32.const 5))
        (local.set $b (i64.const 0x100000001))
        (i32.store (i32.const 0)
          (i32.add (local.get $a) (i32.add (local.tee $a (i32.mul (local.get $a) (i32.const 3))) (local.get $a))))
        (i64.store (i32.const 4) (i64.sub (local.get $b) (local.tee $b (i64.shl (local.get $b) (i64.const 4)))))
        (i32.store (i32.const 12) (local.get $a))
        (call $commit (i32.const 0) (i32.const 16))))`;
    expectSame(text);
  });

  it("call_indirect through the table, and recursion", () => {
    const text = `(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1)
      (type $un (func (param i64) (result i64)))
      (table 3 funcref)
      (elem (i32.const 0) $fact $dbl)
      (func $fact (type $un) (param $n i64) (result i64)
        (if (result i64) (i64.le_s (local.get $n) (i64.const 1)) (then (i64.const 1))
          (else (i64.mul (local.get $n) (call_indirect (type $un) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0))))))
      (func $dbl (type $un) (param $n i64) (result i64) (i64.add (local.get $n) (local.get $n)))
      (func (export "main")
        (i64.store (i32.const 0) (call_indirect (type $un) (i64.const 20) (i32.const 0)))
        (i64.store (i32.const 8) (call_indirect (type $un) (i64.const -21) (i32.const 1)))
        (call $commit (i32.const 0) (i32.const 16))))`;
    expectSame(text);
  });
});

describe("traps agree with V8", () => {
  const trapCases: [string, string][] = [
    ["i32 divide by zero", "(drop (i32.div_u (i32.const 1) (local.get $z)))"],
    ["i32 rem by zero", "(drop (i32.rem_s (i32.const 1) (local.get $z)))"],
    ["i32 division overflow", "(drop (i32.div_s (i32.const 0x80000000) (i32.sub (local.get $z) (i32.const 1))))"],
    ["i64 divide by zero", "(drop (i64.div_s (i64.const 1) (i64.extend_i32_u (local.get $z))))"],
    ["i64 division overflow", "(drop (i64.div_s (i64.const 0x8000000000000000) (i64.const -1)))"],
    ["load past the end", "(drop (i32.load (i32.const 65533)))"],
    ["i64 load straddling the end", "(drop (i64.load offset=65530 (local.get $z)))"],
    ["store with offset overflow", "(i32.store offset=0xffffffff (i32.const 2) (i32.const 0))"],
    ["memory.fill past the end", "(memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000))"],
    ["unreachable", "(unreachable)"],
    ["null table entry", "(call_indirect (type $v) (i32.const 1))"],
    ["table index out of range", "(call_indirect (type $v) (i32.const 5))"],
    ["signature mismatch", "(drop (call_indirect (type $r) (i32.const 0)))"],
  ];
  for (const [name, stmt] of trapCases) {
    it(name, () => {
      const text = `(module
        (memory (export "memory") 1)
        (type $v (func)) (type $r (func (result i32)))
        (table 2 funcref) (elem (i32.const 0) $nop)
        (func $nop)
        (func (export "main") (local $z i32) ${stmt}))`;
      const { vm, v8 } = both(wat(text));
      expect(v8.ok).toBe(false);
      expect(vm).toEqual(v8);
    });
  }

  it("deep recursion: 10,000 frames run, unbounded recursion overflows", () => {
    const text = `(module
      (import "zkvm" "exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func $down (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get $n) (i32.const 1)))))))
      (func (export "main") (call $exit (i32.and (call $down (i32.const 10000)) (i32.const 255)))))`;
    const r = both(wat(text));
    expect(r.vm).toEqual({ ok: true, exitCode: 10000 & 255, journal: "" });
    const inf = both(wat(text.replace("(i32.const 10000)", "(i32.const -1)")));
    expect(inf.vm).toEqual({ ok: false, kind: "CallStackOverflow" });
  });
});
