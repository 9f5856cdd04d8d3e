// Random integer-only WASM programs (WAT text) for the VM-vs-V8 differential test and `npm run fuzz:vm`.
// Programs are terminating by construction (bounded counted loops, bounded recursion), use every
// integer instruction class the ISA lowers (i32/i64 ALU, comparisons, shifts/rotates, clz/ctz/popcnt,
// sign extension, wrap/extend, all load/store widths, memory.fill/copy/size/grow, globals, select,
// if/else, br_if, br_table, call, call_indirect, the fxmul/dot/axpy/sha256_compress imports), and
// commit their final state to the journal. A few percent of operations are left unguarded so traps
// (division by zero, out of bounds, indirect-call mismatch, unreachable, fixed-point overflow, invalid
// operand) are compared too.

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed ^ 0x9e3779b9) | 0 || 1;
  }
  next(): number {
    let s = this.s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.s = s;
    return s >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const EDGE32 = [0, 1, -1, 2, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, -0x80000000, -2, 1023];
const EDGE64 = ["0", "1", "-1", "63", "64", "65", "4294967295", "4294967296", "-4294967296", "9223372036854775807", "-9223372036854775808", "2147483648", "-2147483649", "0x7fffffff80000000"];

const BIN32 = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const DIV = ["div_s", "div_u", "rem_s", "rem_u"];
const UN32 = ["eqz", "clz", "ctz", "popcnt", "extend8_s", "extend16_s"];
const BIN64 = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"];
const CMP64 = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const UN64 = ["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"];
const LOAD32 = [["load8_s", 1], ["load8_u", 1], ["load16_s", 2], ["load16_u", 2], ["load", 4]] as const;
const LOAD64 = [["load8_s", 1], ["load8_u", 1], ["load16_s", 2], ["load16_u", 2], ["load32_s", 4], ["load32_u", 4], ["load", 8]] as const;
const STORE32 = ["store8", "store16", "store"];
const STORE64 = ["store8", "store16", "store32", "store"];

interface Env {
  i32: string[]; // readable i32 locals
  i64: string[];
  /** Trap probability per guarded operation. */
  trapRate: number;
  /** Whether calls are allowed (not inside the helper functions, which must not recurse). */
  calls: boolean;
}

export interface GenOptions {
  /** Statements at the top level of main. */
  statements?: number;
  /** Probability that a guarded operation is left unguarded (may trap). */
  trapRate?: number;
}

export function generateWat(seed: number, opts: GenOptions = {}): string {
  const r = new Rng(seed);
  let label = 0;
  const trapRate = opts.trapRate ?? 0.01;

  function c32(): string {
    return `(i32.const ${r.chance(0.5) ? r.pick(EDGE32) : r.next() | 0})`;
  }
  function c64(): string {
    if (r.chance(0.5)) return `(i64.const ${r.pick(EDGE64)})`;
    return `(i64.const ${BigInt.asIntN(64, (BigInt(r.next()) << 32n) | BigInt(r.next()))})`;
  }
  function addr(env: Env, d: number): string {
    if (r.chance(env.trapRate)) return e32(env, d); // unguarded: likely out of bounds
    return `(i32.and ${e32(env, d)} (i32.const 1023))`;
  }
  function e32(env: Env, d: number): string {
    if (d <= 0 || r.chance(0.2)) {
      const k = r.int(4);
      if (k === 0 || env.i32.length === 0) return c32();
      if (k === 3) return `(global.get $g0)`;
      return `(local.get ${r.pick(env.i32)})`;
    }
    const k = r.int(20);
    if (k < 7) return `(i32.${r.pick(BIN32)} ${e32(env, d - 1)} ${e32(env, d - 1)})`;
    if (k < 8) {
      const divisor = r.chance(env.trapRate * 5) ? e32(env, d - 1) : `(i32.or ${e32(env, d - 1)} (i32.const 1))`;
      return `(i32.${r.pick(DIV)} ${e32(env, d - 1)} ${divisor})`;
    }
    if (k < 10) return `(i32.${r.pick(UN32)} ${e32(env, d - 1)})`;
    if (k < 11) return `(i32.wrap_i64 ${e64(env, d - 1)})`;
    if (k < 12) return r.chance(0.3) ? `(i64.eqz ${e64(env, d - 1)})` : `(i64.${r.pick(CMP64)} ${e64(env, d - 1)} ${e64(env, d - 1)})`;
    if (k < 14) {
      const [op] = r.pick(LOAD32);
      return `(i32.${op} offset=${r.int(40)} ${addr(env, d - 1)})`;
    }
    if (k < 15) return `(select ${e32(env, d - 1)} ${e32(env, d - 1)} ${e32(env, d - 1)})`;
    if (k < 16 && env.calls) {
      return r.chance(0.6)
        ? `(call ${r.pick(["$h0", "$h2"])} ${e32(env, d - 1)})`
        : `(call $h4 ${e64(env, d - 1)} ${e64(env, d - 1)})`;
    }
    if (k < 17 && env.calls) {
      const idx = r.chance(env.trapRate * 5) ? `(i32.and ${e32(env, d - 1)} (i32.const 3))` : `(i32.const ${r.pick([0, 2])})`;
      return `(call_indirect (type $ii) ${e32(env, d - 1)} ${idx})`;
    }
    if (k < 18) return r.chance(0.2) ? `(memory.grow (i32.and ${e32(env, d - 1)} (i32.const 1)))` : `(memory.size)`;
    if (k < 19 && env.calls) {
      // Q16.16 multiply of operands scaled down so most products fit (overflow traps are compared too).
      return `(call $fxmul (i32.shr_s ${e32(env, d - 1)} (i32.const ${11 + r.int(14)})) (i32.shr_s ${e32(env, d - 1)} (i32.const ${11 + r.int(14)})))`;
    }
    if (k < 20 && env.calls) {
      const shift = r.chance(env.trapRate * 2) ? e32(env, 0) : `(i32.add (i32.const 32) (i32.and ${e32(env, 0)} (i32.const 31)))`;
      return `(call $dot ${vecPtr(env)} ${vecPtr(env)} (i32.and ${e32(env, 0)} (i32.const 7)) (i32.const ${r.int(4) - 1}) (i32.const ${r.int(4) - 1}) ${e64(env, 1)} ${shift})`;
    }
    return c32();
  }
  /** A vector pointer in [64, 512): with n ≤ 7 and |stride| ≤ 2 every element stays inside [0, 1024). */
  function vecPtr(env: Env): string {
    return `(i32.add (i32.and ${e32(env, 0)} (i32.const 447)) (i32.const 64))`;
  }
  function e64(env: Env, d: number): string {
    if (d <= 0 || r.chance(0.2)) {
      const k = r.int(4);
      if (k === 0 || env.i64.length === 0) return c64();
      if (k === 3) return `(global.get $g1)`;
      return `(local.get ${r.pick(env.i64)})`;
    }
    const k = r.int(16);
    if (k < 6) return `(i64.${r.pick(BIN64)} ${e64(env, d - 1)} ${e64(env, d - 1)})`;
    if (k < 7) {
      const divisor = r.chance(env.trapRate * 5) ? e64(env, d - 1) : `(i64.or ${e64(env, d - 1)} (i64.const 1))`;
      return `(i64.${r.pick(DIV)} ${e64(env, d - 1)} ${divisor})`;
    }
    if (k < 9) return `(i64.${r.pick(UN64)} ${e64(env, d - 1)})`;
    if (k < 11) return `(i64.extend_i32_${r.pick(["s", "u"])} ${e32(env, d - 1)})`;
    if (k < 13) {
      const [op] = r.pick(LOAD64);
      return `(i64.${op} offset=${r.int(40)} ${addr(env, d - 1)})`;
    }
    if (k < 14) return `(select ${e64(env, d - 1)} ${e64(env, d - 1)} ${e32(env, d - 1)})`;
    if (k < 15 && env.calls) {
      return r.chance(0.5)
        ? `(call $h1 ${e64(env, d - 1)})`
        : `(call $h3 ${e32(env, d - 1)} ${e64(env, d - 1)} ${e32(env, d - 1)})`;
    }
    return c64();
  }

  const X = ["$x0", "$x1", "$x2", "$x3"];
  const Y = ["$y0", "$y1", "$y2", "$y3"];

  function stmt(env: Env, loopDepth: number, budget: number): string {
    const k = r.int(24);
    if (k < 5) return `(local.set ${r.pick(X)} ${e32(env, 3)})`;
    if (k < 8) return `(local.set ${r.pick(Y)} ${e64(env, 3)})`;
    if (k < 9) return r.chance(0.5) ? `(global.set $g0 ${e32(env, 2)})` : `(global.set $g1 ${e64(env, 2)})`;
    if (k < 11) return `(i32.${r.pick(STORE32)} offset=${r.int(40)} ${addr(env, 2)} ${e32(env, 2)})`;
    if (k < 13) return `(i64.${r.pick(STORE64)} offset=${r.int(40)} ${addr(env, 2)} ${e64(env, 2)})`;
    if (k < 14 && budget > 0) return `(if ${e32(env, 2)} (then ${block(env, loopDepth, budget - 1, 3)}) (else ${block(env, loopDepth, budget - 1, 2)}))`;
    if (k < 16 && budget > 0 && loopDepth < 2) {
      const L = `$L${label++}`;
      const cnt = `$c${loopDepth}`;
      const iters = 1 + r.int(loopDepth === 0 ? 24 : 8);
      return `(local.set ${cnt} (i32.const ${iters})) (loop ${L} ${block(env, loopDepth + 1, budget - 1, 4)} (local.set ${cnt} (i32.sub (local.get ${cnt}) (i32.const 1))) (br_if ${L} (i32.gt_s (local.get ${cnt}) (i32.const 0))))`;
    }
    if (k < 17 && budget > 0) {
      const b0 = `$B${label++}`, b1 = `$B${label++}`, b2 = `$B${label++}`;
      const sel = r.chance(0.7) ? `(i32.and ${e32(env, 2)} (i32.const 3))` : e32(env, 2);
      return `(block ${b2} (block ${b1} (block ${b0} (br_table ${b0} ${b1} ${b2} ${sel})) ${block(env, loopDepth, budget - 1, 2)}) ${block(env, loopDepth, budget - 1, 2)})`;
    }
    if (k < 18 && budget > 0) {
      const B = `$B${label++}`;
      return `(block ${B} ${block(env, loopDepth, budget - 1, 2)} (br_if ${B} ${e32(env, 2)}) ${block(env, loopDepth, budget - 1, 2)})`;
    }
    if (k < 19) return `(memory.fill ${addr(env, 1)} ${e32(env, 1)} (i32.and ${e32(env, 1)} (i32.const 63)))`;
    if (k < 20) return `(memory.copy ${addr(env, 1)} ${addr(env, 1)} (i32.and ${e32(env, 1)} (i32.const 127)))`;
    if (k < 21) return `(local.set ${r.pick(X)} (call $rec (i32.and ${e32(env, 2)} (i32.const 15))))`;
    if (k < 22 && r.chance(env.trapRate * 5)) return `(if ${e32(env, 1)} (then (unreachable)))`;
    if (k < 23 && r.chance(0.5)) {
      return `(call $axpy ${vecPtr(env)} ${vecPtr(env)} (i32.and ${e32(env, 0)} (i32.const 7)) (i32.const ${r.int(4) - 1}) (i32.const ${r.int(4) - 1}) (i32.shr_s ${e32(env, 0)} (i32.const 8)) (i32.add (i32.const 24) (i32.and ${e32(env, 0)} (i32.const 31))))`;
    }
    if (k < 23 && r.chance(0.1)) {
      // Early exit with a code: whatever was committed so far is the journal.
      return `(if (i32.eqz (i32.and ${e32(env, 1)} (i32.const 7))) (then (call $commit (i32.const ${r.int(512)}) (i32.const ${r.int(64)})) (call $exit ${e32(env, 1)})))`;
    }
    if (k < 23) return `(call $sha (i32.and ${e32(env, 1)} (i32.const 991)) (i32.and ${e32(env, 1)} (i32.const 959)))`;
    return `(local.set ${r.pick(X)} ${e32(env, 3)})`;
  }
  function block(env: Env, loopDepth: number, budget: number, n: number): string {
    const out: string[] = [];
    const count = 1 + r.int(n);
    for (let i = 0; i < count; i++) out.push(stmt(env, loopDepth, budget));
    return out.join(" ");
  }

  const pEnv32: Env = { i32: ["0"], i64: [], trapRate, calls: false };
  const pEnv64: Env = { i32: [], i64: ["0"], trapRate, calls: false };
  const h0 = e32(pEnv32, 3);
  const h1 = e64(pEnv64, 3);
  const h2 = e32(pEnv32, 2);
  // Mixed i32/i64 parameters and an i64 local exercise the slot layout of the calling convention.
  const pEnvMixed: Env = { i32: ["0", "2"], i64: ["1", "3"], trapRate, calls: false };
  const h3 = `(local.set 3 ${e64(pEnvMixed, 2)}) ${e64(pEnvMixed, 3)}`;
  const pEnv64x2: Env = { i32: ["2"], i64: ["0", "1"], trapRate, calls: false };
  const h4 = `(local.set 2 ${e32(pEnv64x2, 2)}) ${e32(pEnv64x2, 3)}`;
  const mainEnv: Env = { i32: X, i64: Y, trapRate, calls: true };
  const body: string[] = [];
  const nStmts = opts.statements ?? 12;
  for (let i = 0; i < nStmts; i++) body.push(stmt(mainEnv, 0, 3));
  // Epilogue: every local and global into memory at 1100.., then commit [0, 1100 + 56).
  const epi: string[] = [];
  X.forEach((x, i) => epi.push(`(i32.store (i32.const ${1100 + 4 * i}) (local.get ${x}))`));
  Y.forEach((y, i) => epi.push(`(i64.store (i32.const ${1116 + 8 * i}) (local.get ${y}))`));
  epi.push(`(i32.store (i32.const 1148) (global.get $g0))`);
  epi.push(`(i64.store (i32.const 1152) (global.get $g1))`);
  epi.push(`(i32.store (i32.const 1160) (memory.size))`);
  epi.push(`(call $commit (i32.const 0) (i32.const 1164))`);
  let data = "";
  for (let i = 0; i < 64; i++) data += "\\" + r.int(256).toString(16).padStart(2, "0");

  return `(module
  (type $ii (func (param i32) (result i32)))
  (type $ll (func (param i64) (result i64)))
  (import "zkvm" "commit" (func $commit (param i32 i32)))
  (import "zkvm" "read" (func $read (param i32 i32)))
  (import "zkvm" "exit" (func $exit (param i32)))
  (import "zkvm" "input_len" (func $input_len (result i32)))
  (import "zkvm" "fxmul" (func $fxmul (param i32 i32) (result i32)))
  (import "zkvm" "dot" (func $dot (param i32 i32 i32 i32 i32 i64 i32) (result i32)))
  (import "zkvm" "axpy" (func $axpy (param i32 i32 i32 i32 i32 i32 i32)))
  (import "zkvm" "sha256_compress" (func $sha (param i32 i32)))
  (memory (export "memory") 1 3)
  (global $g0 (mut i32) ${c32()})
  (global $g1 (mut i64) ${c64()})
  (table 4 funcref)
  (elem (i32.const 0) $h0 $h1 $h2)
  (func $h0 (type $ii) ${h0})
  (func $h1 (type $ll) ${h1})
  (func $h2 (type $ii) ${h2})
  (func $h3 (param i32 i64 i32) (result i64) (local i64) ${h3})
  (func $h4 (param i64 i64) (result i32) (local i32) ${h4})
  (func $rec (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 0))
      (then (global.get $g0))
      (else (i32.add (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.mul (local.get $n) (i32.const 3))))))
  (func (export "main")
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $y0 i64) (local $y1 i64) (local $y2 i64) (local $y3 i64)
    (local $c0 i32) (local $c1 i32)
    (if (i32.le_u (call $input_len) (i32.const 128)) (then (call $read (i32.const 900) (call $input_len))))
    ${body.join("\n    ")}
    ${epi.join("\n    ")})
  (data (i32.const ${r.int(900)}) "${data}")
)`;
}
