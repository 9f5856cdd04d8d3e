// Redundant moves skipped by the translator (vm/compiler/slot-facts.ts): an argument block that already holds its
// values is not written again, and every write that could change them (the op's own result, a local.set, a
// retargeted producer, a label) forces the moves back.
import { describe, expect, it } from "vitest";
import { compileWasm } from "../vm/compiler/index.ts";
import { INSTR_WORDS, Op } from "../vm/isa.ts";
import { runVm, wat } from "./compiler-util.ts";

const DOT_ARGS = "(local.get $x) (local.get $y) (local.get $n) (i32.const 1) (i32.const 1) (i64.const 0) (i32.const 0)";
const dotTo = (addr: number): string => `(i32.store (i32.const ${addr}) (call $dot ${DOT_ARGS}))`;
const MODULE = `(module
  (import "zkvm" "dot" (func $dot (param i32 i32 i32 i32 i32 i64 i32) (result i32)))
  (import "zkvm" "commit" (func $commit (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\01\\00\\00\\00\\02\\00\\00\\00\\03\\00\\00\\00\\04\\00\\00\\00")
  (data (i32.const 16) "\\05\\00\\00\\00\\06\\00\\00\\00\\07\\00\\00\\00\\08\\00\\00\\00")
  (func (export "main") (local $x i32) (local $y i32) (local $n i32)
    (local.set $y (i32.const 16))
    (local.set $n (i32.const 3))
    ${dotTo(64)}
    ${dotTo(68)}
    (local.set $n (i32.const 2))
    ${dotTo(72)}
    (local.set $y (i32.add (local.get $y) (i32.const 4)))
    ${dotTo(76)}
    (block (loop (br_if 1 (i32.const 1)) (br 0)))
    ${dotTo(80)}
    (call $commit (i32.const 64) (i32.const 20))))`;

describe("slot facts: moves into slots that already hold the value are skipped", () => {
  const program = compileWasm(wat(MODULE));
  const ops = Array.from({ length: program.code.length / INSTR_WORDS }, (_, pc) => program.code[pc * INSTR_WORDS]!);
  const dots = ops.flatMap((op, pc) => (op === Op.DOT ? [pc] : []));
  /** moves into the argument block of the DOT at pc `b` (its 8 slots from field b) since pc `a` */
  const movesBetween = (a: number, b: number): number => {
    const base = program.code[b * INSTR_WORDS + 2]!;
    return ops.slice(a + 1, b).filter((op, i) => {
      const dst = program.code[(a + 1 + i) * INSTR_WORDS + 1]!;
      return (op === Op.MOV || op === Op.CONST || op === Op.CONST64) && dst >= base && dst < base + 8;
    }).length;
  };

  it("every DOT reads the arguments of its own call (result slot, local.set, retargeted producer, label)", () => {
    const r = runVm(program);
    expect(r.ok).toBe(true);
    // x = [1, 2, 3, 4], y = [5, 6, 7, 8]: n = 3 → 38 twice; n = 2 → 17; y + 4 → 1·6 + 2·7 = 20, and again after a loop
    const got = r.ok ? Array.from(new Int32Array(Uint8Array.from(Buffer.from(r.journal, "hex")).buffer)) : [];
    expect(got).toEqual([38, 38, 17, 20, 20]);
  });

  it("the second call rewrites only the slot its first result overwrote; after a label, every argument is written", () => {
    expect(dots.length).toBe(5);
    const first = movesBetween(-1, dots[0]!);
    expect(first).toBe(7); // x, y, n, the strides, acc (one CONST64) and the shift
    expect(movesBetween(dots[2]!, dots[3]!)).toBe(2); // y (written by its retargeted producer) and x
    expect(movesBetween(dots[0]!, dots[1]!)).toBe(1); // x again: DOT wrote its result over the first argument slot
    expect(movesBetween(dots[1]!, dots[2]!)).toBe(2); // n's new value and x
    expect(movesBetween(dots[3]!, dots[4]!)).toBe(7);
  });
});
