// Random expression programs aimed at the compiler's virtual operand stack: local.tee and local.set
// while older reads of the same local are still pending, value-carrying blocks, br_if / br_table /
// if / select with values, calls with i32 and i64 arguments deep in an expression, and counted loops
// of the shape loop rotation rewrites. Each program runs in our VM and in V8; journals must be identical.

import { describe, expect, it } from "vitest";
import { INSTR_WORDS, Op } from "../vm/isa.ts";
import { both, wat } from "./compiler-util.ts";

class Rng {
  private s: number;
  constructor(seed: number) { this.s = (seed * 2654435761) >>> 0 || 1; }
  next(): number { let s = this.s; s ^= s << 13; s ^= s >>> 17; s ^= s << 5; this.s = s >>> 0; return this.s; }
  int(n: number): number { return this.next() % n; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
}

const OPS32 = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "eq", "lt_s", "gt_u", "ge_s"];
const OPS64 = ["add", "sub", "mul", "xor", "shr_s", "rotr"];
const L32 = ["$a", "$b", "$c", "$d"];
const L64 = ["$x", "$y"];

export function generate(seed: number, nStmts = 12, depth = 4): string {
  const r = new Rng(seed);
  const e32 = (d: number): string => {
    if (d <= 0) return r.int(2) ? `(local.get ${r.pick(L32)})` : `(i32.const ${r.pick([0, 1, -1, 7, 0x7fffffff, r.next() | 0])})`;
    switch (r.int(12)) {
      case 0: case 1: case 2: return `(i32.${r.pick(OPS32)} ${e32(d - 1)} ${e32(d - 1)})`;
      case 3: return `(local.tee ${r.pick(L32)} ${e32(d - 1)})`;
      case 4: return `(block (result i32) (local.set ${r.pick(L32)} ${e32(d - 1)}) ${e32(d - 1)})`;
      case 5: return `(block $B (result i32) (drop (br_if $B ${e32(d - 1)} ${e32(d - 1)})) ${e32(d - 1)})`;
      case 6: return `(i32.add ${e32(d - 1)} (block (result i32) (br_if 0 ${e32(d - 1)} ${e32(d - 1)})))`;
      case 7: return `(if (result i32) ${e32(d - 1)} (then ${e32(d - 1)}) (else ${e32(d - 1)}))`;
      case 8: return `(select ${e32(d - 1)} ${e32(d - 1)} ${e32(d - 1)})`;
      case 9: return `(i32.sub ${e32(d - 1)} (block $O (result i32) (i32.mul (block $I (result i32) (br_table $I $O $I ${e32(d - 1)} (i32.and ${e32(d - 1)} (i32.const 3)))) (i32.const 3))))`;
      case 10: return `(call $f ${e32(d - 1)} ${e64(d - 1)} ${e32(d - 1)})`;
      default: return `(i32.wrap_i64 ${e64(d - 1)})`;
    }
  };
  const e64 = (d: number): string => {
    if (d <= 0) return r.int(2) ? `(local.get ${r.pick(L64)})` : `(i64.const ${BigInt.asIntN(64, (BigInt(r.next()) << 32n) | BigInt(r.next()))})`;
    switch (r.int(6)) {
      case 0: case 1: return `(i64.${r.pick(OPS64)} ${e64(d - 1)} ${e64(d - 1)})`;
      case 2: return `(local.tee ${r.pick(L64)} ${e64(d - 1)})`;
      case 3: return `(i64.extend_i32_s ${e32(d - 1)})`;
      case 4: return `(select ${e64(d - 1)} ${e64(d - 1)} ${e32(d - 1)})`;
      default: return `(if (result i64) ${e32(d - 1)} (then ${e64(d - 1)}) (else (local.get ${r.pick(L64)})))`;
    }
  };
  const stmt = (d: number): string => (r.int(3) ? `(local.set ${r.pick(L32)} ${e32(d)})` : `(local.set ${r.pick(L64)} ${e64(d - 1)})`);
  // Counted loops in asc's shape, loop (if cond (then body (br $l))), which the compiler rotates; the
  // header varies (plain compare, compare on a global, eqz), and the back edge may sit in a nested block.
  let loops = 0;
  const loop = (d: number): string => {
    const k = `$k${loops++ % 2}`;
    const header = r.pick([
      `(i32.gt_s (local.get ${k}) (i32.const 0))`,
      `(i32.lt_u (i32.sub (i32.const 0) (local.get ${k})) (global.get $lim))`,
      `(i32.eqz (i32.eqz (local.get ${k})))`,
    ]);
    const body = [stmt(d), stmt(d), `(local.set ${k} (i32.sub (local.get ${k}) (i32.const 1)))`];
    const back = r.int(2) ? `(br $L${k})` : `(block (br_if $L${k} (i32.const 1)))`;
    return `(local.set ${k} (i32.const ${1 + r.int(5)})) (loop $L${k} (if ${header} (then ${body.join(" ")} ${back})))`;
  };
  const stmts: string[] = [];
  for (let i = 0; i < nStmts; i++) stmts.push(r.int(6) === 0 ? loop(depth - 1) : stmt(depth));
  return `(module
    (import "zkvm" "commit" (func $commit (param i32 i32)))
    (memory (export "memory") 1)
    (func $f (param $p i32) (param $q i64) (param $r i32) (result i32)
      (i32.add (i32.mul (local.get $p) (i32.const 31)) (i32.xor (i32.wrap_i64 (i64.shr_u (local.get $q) (i64.const 17))) (local.get $r))))
    (global $lim (mut i32) (i32.const -1))
    (func (export "main") (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $x i64) (local $y i64) (local $k0 i32) (local $k1 i32)
      (local.set $b (i32.const 5)) (local.set $y (i64.const -3))
      ${stmts.join("\n      ")}
      (i32.store (i32.const 0) (local.get $a)) (i32.store (i32.const 4) (local.get $b))
      (i32.store (i32.const 8) (local.get $c)) (i32.store (i32.const 12) (local.get $d))
      (i64.store (i32.const 16) (local.get $x)) (i64.store (i32.const 24) (local.get $y))
      (call $commit (i32.const 0) (i32.const 32))))`;
}

describe("random expression programs: our VM agrees with V8", () => {
  it("300 programs", () => {
    let mismatches = 0;
    let rotated = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const text = generate(seed);
      const { vm, v8, program } = both(wat(text));
      // A rotated loop's back edge is a conditional branch backwards.
      for (let pc = 0; pc < program.code.length / INSTR_WORDS; pc++) {
        const op = program.code[pc * INSTR_WORDS]!;
        if ((op === Op.BRNZ || op === Op.BRZ) && program.code[pc * INSTR_WORDS + 2]! < pc) { rotated++; break; }
      }
      expect(v8.ok).toBe(true);
      if (JSON.stringify(vm) !== JSON.stringify(v8)) {
        mismatches++;
        if (mismatches === 1) expect({ seed, vm }).toEqual({ seed, vm: v8 }); // show the first one
      }
    }
    expect(mismatches).toBe(0);
    expect(rotated).toBeGreaterThan(100);
  });
});
