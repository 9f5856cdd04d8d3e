// A straight-line vector program over kernel memory: the prover's constraint DAG for one block of points, run in
// one call (prover/quotient-kernel.ts builds it). Every value is a vector of n lanes (n a multiple of 4): a base
// vector is n u32 at its address; an extension vector has coordinate k at address + 4·k·st (st ≥ n, the same
// coordinate stride for every extension vector of the program), X⁴ = 11. Values are canonical.
//
// Instruction: 8 u32 words  [op, out, a, b, c0, c1, c2, c3]  (addresses in bytes; c = an extension constant
// pre-multiplied by 2^32 mod p, for the multiply-accumulate ops).

import { R2, mont, vadd, vsub } from "./field-simd";

@inline function vneg(a: v128): v128 {
  return vsub(i32x4.splat(0), a);
}
@inline function x11(x: v128): v128 {
  const x2 = vadd(x, x);
  const x4 = vadd(x2, x2);
  const x8 = vadd(x4, x4);
  return vadd(vadd(x8, x2), x);
}

export const OP_ADD_BB: u32 = 0, OP_ADD_EB: u32 = 1, OP_ADD_EE: u32 = 2;
export const OP_SUB_BB: u32 = 3, OP_SUB_EB: u32 = 4, OP_SUB_BE: u32 = 5, OP_SUB_EE: u32 = 6;
export const OP_MUL_BB: u32 = 7, OP_MUL_EB: u32 = 8, OP_MUL_EE: u32 = 9;
export const OP_NEG_B: u32 = 10, OP_NEG_E: u32 = 11;
export const OP_MACC_B: u32 = 12, OP_MACC_E: u32 = 13, OP_ZERO_E: u32 = 14;

export function runProgram(prog: usize, count: u32, n: u32, st: u32): void {
  const S = <usize>st << 2;
  const r2 = i32x4.splat(R2);
  for (let ip: u32 = 0; ip < count; ip++) {
    const ins = prog + (<usize>ip << 5);
    const op = load<u32>(ins);
    const out = <usize>load<u32>(ins, 4), a = <usize>load<u32>(ins, 8), b = <usize>load<u32>(ins, 12);
    // one loop per op (no per-lane dispatch)
    if (op == OP_ADD_BB) {
      for (let i: u32 = 0; i < n; i += 4) { const o = <usize>i << 2; v128.store(out + o, vadd(v128.load(a + o), v128.load(b + o))); }
    } else if (op == OP_SUB_BB) {
      for (let i: u32 = 0; i < n; i += 4) { const o = <usize>i << 2; v128.store(out + o, vsub(v128.load(a + o), v128.load(b + o))); }
    } else if (op == OP_MUL_BB) {
      for (let i: u32 = 0; i < n; i += 4) { const o = <usize>i << 2; v128.store(out + o, mont(mont(v128.load(a + o), v128.load(b + o)), r2)); }
    } else if (op == OP_NEG_B) {
      for (let i: u32 = 0; i < n; i += 4) { const o = <usize>i << 2; v128.store(out + o, vneg(v128.load(a + o))); }
    } else if (op == OP_ADD_EB || op == OP_SUB_EB) {
      // a is the extension operand, b the base one: coordinate 0 combined, 1–3 copied
      const sub = op == OP_SUB_EB;
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        const y = v128.load(b + o), e0 = v128.load(a + o);
        v128.store(out + o, sub ? vsub(e0, y) : vadd(e0, y));
      }
      for (let k: usize = 1; k < 4; k++) memory.copy(out + k * S, a + k * S, <usize>n << 2);
    } else if (op == OP_SUB_BE) {
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, vsub(v128.load(b + o), v128.load(a + o)));
        v128.store(out + S + o, vneg(v128.load(a + S + o)));
        v128.store(out + 2 * S + o, vneg(v128.load(a + 2 * S + o)));
        v128.store(out + 3 * S + o, vneg(v128.load(a + 3 * S + o)));
      }
    } else if (op == OP_MUL_EB) {
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        const y = v128.load(b + o);
        v128.store(out + o, mont(mont(v128.load(a + o), y), r2));
        v128.store(out + S + o, mont(mont(v128.load(a + S + o), y), r2));
        v128.store(out + 2 * S + o, mont(mont(v128.load(a + 2 * S + o), y), r2));
        v128.store(out + 3 * S + o, mont(mont(v128.load(a + 3 * S + o), y), r2));
      }
    } else if (op == OP_ADD_EE) {
      const m = n + 3 * st; // the four coordinates as one run (lanes n … st of each are scratch, harmless)
      for (let i: u32 = 0; i < m; i += 4) { const o = <usize>i << 2; v128.store(out + o, vadd(v128.load(a + o), v128.load(b + o))); }
    } else if (op == OP_SUB_EE) {
      const m = n + 3 * st;
      for (let i: u32 = 0; i < m; i += 4) { const o = <usize>i << 2; v128.store(out + o, vsub(v128.load(a + o), v128.load(b + o))); }
    } else if (op == OP_NEG_E) {
      const m = n + 3 * st;
      for (let i: u32 = 0; i < m; i += 4) { const o = <usize>i << 2; v128.store(out + o, vneg(v128.load(a + o))); }
    } else if (op == OP_MUL_EE) {
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        const a0 = v128.load(a + o), a1 = v128.load(a + S + o), a2 = v128.load(a + 2 * S + o), a3 = v128.load(a + 3 * S + o);
        const b0 = v128.load(b + o), b1 = v128.load(b + S + o), b2 = v128.load(b + 2 * S + o), b3 = v128.load(b + 3 * S + o);
        const t4 = vadd(vadd(mont(a1, b3), mont(a2, b2)), mont(a3, b1));
        const t5 = vadd(mont(a2, b3), mont(a3, b2));
        const t6 = mont(a3, b3);
        v128.store(out + o, mont(vadd(mont(a0, b0), x11(t4)), r2));
        v128.store(out + S + o, mont(vadd(vadd(mont(a0, b1), mont(a1, b0)), x11(t5)), r2));
        v128.store(out + 2 * S + o, mont(vadd(vadd(vadd(mont(a0, b2), mont(a1, b1)), mont(a2, b0)), x11(t6)), r2));
        v128.store(out + 3 * S + o, mont(vadd(vadd(vadd(mont(a0, b3), mont(a1, b2)), mont(a2, b1)), mont(a3, b0)), r2));
      }
    } else if (op == OP_MACC_B) {
      // out (ext) += c·a for a base vector a and the constant c (given as c·2^32): one Montgomery product each
      const c0 = i32x4.splat(load<u32>(ins, 16)), c1 = i32x4.splat(load<u32>(ins, 20)), c2 = i32x4.splat(load<u32>(ins, 24)), c3 = i32x4.splat(load<u32>(ins, 28));
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        const x = v128.load(a + o);
        v128.store(out + o, vadd(v128.load(out + o), mont(x, c0)));
        v128.store(out + S + o, vadd(v128.load(out + S + o), mont(x, c1)));
        v128.store(out + 2 * S + o, vadd(v128.load(out + 2 * S + o), mont(x, c2)));
        v128.store(out + 3 * S + o, vadd(v128.load(out + 3 * S + o), mont(x, c3)));
      }
    } else if (op == OP_MACC_E) {
      // out (ext) += c·a for an extension vector a and the constant c (given as c·2^32)
      const b0 = i32x4.splat(load<u32>(ins, 16)), b1 = i32x4.splat(load<u32>(ins, 20)), b2 = i32x4.splat(load<u32>(ins, 24)), b3 = i32x4.splat(load<u32>(ins, 28));
      for (let i: u32 = 0; i < n; i += 4) {
        const o = <usize>i << 2;
        const a0 = v128.load(a + o), a1 = v128.load(a + S + o), a2 = v128.load(a + 2 * S + o), a3 = v128.load(a + 3 * S + o);
        // Montgomery products with c·2^32 are the plain products a_i·c_j
        const t4 = vadd(vadd(mont(a1, b3), mont(a2, b2)), mont(a3, b1));
        const t5 = vadd(mont(a2, b3), mont(a3, b2));
        const t6 = mont(a3, b3);
        v128.store(out + o, vadd(v128.load(out + o), vadd(mont(a0, b0), x11(t4))));
        v128.store(out + S + o, vadd(v128.load(out + S + o), vadd(vadd(mont(a0, b1), mont(a1, b0)), x11(t5))));
        v128.store(out + 2 * S + o, vadd(v128.load(out + 2 * S + o), vadd(vadd(vadd(mont(a0, b2), mont(a1, b1)), mont(a2, b0)), x11(t6))));
        v128.store(out + 3 * S + o, vadd(v128.load(out + 3 * S + o), vadd(vadd(vadd(mont(a0, b3), mont(a1, b2)), mont(a2, b1)), mont(a3, b0))));
      }
    } else if (op == OP_ZERO_E) {
      for (let k: usize = 0; k < 4; k++) memory.fill(out + k * S, 0, <usize>n << 2);
    } else {
      unreachable();
    }
  }
}
