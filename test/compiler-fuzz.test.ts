// Corrupted modules never crash the compiler: every input gives a Program or a typed CompileError.

import { describe, expect, it } from "vitest";
import { compileWasm, CompileError } from "../vm/compiler/index.ts";
import { wat } from "./compiler-util.ts";

const BASE = wat(`(module
  (import "zkvm" "commit" (func $commit (param i32 i32)))
  (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
  (memory (export "memory") 1 2)
  (global $g (mut i64) (i64.const 5))
  (type $t (func (param i32) (result i32)))
  (table 2 funcref) (elem (i32.const 0) $sq)
  (data (i32.const 16) "hello")
  (func $sq (type $t) (i32.mul (local.get 0) (local.get 0)))
  (func (export "main") (local $i i32) (local $x i64)
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $i) (i32.const 10)))
      (local.set $x (i64.add (local.get $x) (i64.extend_i32_u (call_indirect (type $t) (local.get $i) (i32.and (local.get $i) (i32.const 1))))))
      (br_table $l $b (local.tee $i (i32.add (local.get $i) (i32.const 1))))))
    (if (i64.eqz (local.get $x)) (then (call $abort (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 2))))
    (i64.store (i32.const 0) (i64.rotl (local.get $x) (global.get $g)))
    (memory.fill (i32.const 8) (i32.const 1) (i32.const 4))
    (call $commit (i32.const 0) (i32.const 24))))`);

describe("corrupted modules", () => {
  it("3,000 random byte mutations: a Program or a CompileError, never a host exception", () => {
    expect(() => compileWasm(BASE)).not.toThrow();
    let s = 12345;
    const rnd = (n: number): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    const kinds = new Map<string, number>();
    for (let k = 0; k < 3000; k++) {
      const m = Uint8Array.from(BASE);
      const flips = 1 + rnd(3);
      for (let j = 0; j < flips; j++) {
        const at = 8 + rnd(m.length - 8);
        m[at] = rnd(3) === 0 ? m[at]! ^ (1 << rnd(8)) : rnd(256);
      }
      const cut = rnd(10) === 0 ? rnd(m.length) : m.length;
      try {
        compileWasm(m.subarray(0, cut));
        kinds.set("ok", (kinds.get("ok") ?? 0) + 1);
      } catch (e) {
        if (!(e instanceof CompileError) || e.kind === "InternalError") throw new Error(`mutation ${k}: ${(e as Error).stack}`);
        kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      }
    }
    // Both outcomes happen: the mutations are not all caught by the magic check.
    expect(kinds.get("InvalidWasm")).toBeGreaterThan(100);
    expect(kinds.get("ok") ?? 0).toBeGreaterThan(0);
  });
});
