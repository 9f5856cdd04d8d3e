// Pointwise products of canonical BabyBear vectors, WASM SIMD: the multiplications of the prover's vectorised
// constraint evaluator (prover/vec-eval.ts). Inputs and outputs are canonical u32 in [0, p); extension vectors are
// coordinate-major (coordinate k of element i at ptr + 4·(k·n + i)), X⁴ = 11.
//
// Every product is a Montgomery product mont(a, b) = a·b·2^−32 mod p (four lanes at a time, no 64-bit reduction):
//   lo = a·b mod 2^32, q = lo·p^−1 mod 2^32, r = hi(a·b) − hi(q·p) ∈ (−p, p)  (the low words cancel exactly),
// and one more mont(·, 2^64 mod p) returns to the canonical product. Sums of Montgomery products are added mod p
// before that last step, so an extension product costs 16 + 4 Montgomery products.

import { MU, P, R2, mont, vadd as add, vsub as sub } from "./field-simd";

/** 11·x mod p for x in [0, p) */
@inline function times11(x: v128): v128 {
  const x2 = add(x, x);
  const x4 = add(x2, x2);
  const x8 = add(x4, x4);
  return add(add(x8, x2), x);
}

/** out[i] = a[i]·b[i] for i < n (n a multiple of 4; out may alias a or b). */
export function vecMulBase(out: usize, a: usize, b: usize, n: u32): void {
  const r2 = i32x4.splat(R2);
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, mont(mont(v128.load(a + o), v128.load(b + o)), r2));
  }
}

/** out = e·s for an extension vector e and a base vector s (n a multiple of 4). */
export function vecMulExtBase(out: usize, e: usize, s: usize, n: u32): void {
  const r2 = i32x4.splat(R2);
  const st = <usize>n << 2;
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const x = v128.load(s + o);
    v128.store(out + o, mont(mont(v128.load(e + o), x), r2));
    v128.store(out + st + o, mont(mont(v128.load(e + st + o), x), r2));
    v128.store(out + 2 * st + o, mont(mont(v128.load(e + 2 * st + o), x), r2));
    v128.store(out + 3 * st + o, mont(mont(v128.load(e + 3 * st + o), x), r2));
  }
}

/** out = a·b for extension vectors (n a multiple of 4; out must not alias a or b). */
export function vecMulExt(out: usize, a: usize, b: usize, n: u32): void {
  const r2 = i32x4.splat(R2);
  const st = <usize>n << 2;
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const a0 = v128.load(a + o), a1 = v128.load(a + st + o), a2 = v128.load(a + 2 * st + o), a3 = v128.load(a + 3 * st + o);
    const b0 = v128.load(b + o), b1 = v128.load(b + st + o), b2 = v128.load(b + 2 * st + o), b3 = v128.load(b + 3 * st + o);
    const t4 = add(add(mont(a1, b3), mont(a2, b2)), mont(a3, b1));
    const t5 = add(mont(a2, b3), mont(a3, b2));
    const t6 = mont(a3, b3);
    const c0 = add(mont(a0, b0), times11(t4));
    const c1 = add(add(mont(a0, b1), mont(a1, b0)), times11(t5));
    const c2 = add(add(add(mont(a0, b2), mont(a1, b1)), mont(a2, b0)), times11(t6));
    const c3 = add(add(add(mont(a0, b3), mont(a1, b2)), mont(a2, b1)), mont(a3, b0));
    v128.store(out + o, mont(c0, r2));
    v128.store(out + st + o, mont(c1, r2));
    v128.store(out + 2 * st + o, mont(c2, r2));
    v128.store(out + 3 * st + o, mont(c3, r2));
  }
}

/** out[i] = a[i] + b[i] mod p for i < n (n a multiple of 4; out may alias a or b). */
export function vecAdd(out: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, add(v128.load(a + o), v128.load(b + o)));
  }
}

/** out[i] = a[i] − b[i] mod p for i < n (n a multiple of 4; out may alias a or b). */
export function vecSub(out: usize, a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, sub(v128.load(a + o), v128.load(b + o)));
  }
}

// ---- extension batch inversion (Montgomery's trick), scalar: the sequential part of the LogUp aux builder ----

const R1: u32 = 268435454; // 2^32 mod p (1 in Montgomery form)

@inline function mm(a: u32, b: u32): u32 {
  const t = <u64>a * <u64>b;
  const q = <u32>t * MU;
  const r = <i64>(t >> 32) - <i64>((<u64>q * <u64>P) >> 32);
  return <u32>(r < 0 ? r + <i64>P : r);
}

@inline function sadd(a: u32, b: u32): u32 {
  const s = a + b;
  return s >= P ? s - P : s;
}

@inline function s11(x: u32): u32 {
  const x2 = sadd(x, x), x4 = sadd(x2, x2), x8 = sadd(x4, x4);
  return sadd(sadd(x8, x2), x);
}

// Extension product of Montgomery-form elements (result in Montgomery form), written to the globals below.
let e0: u32 = 0, e1: u32 = 0, e2: u32 = 0, e3: u32 = 0;
@inline function emul(a0: u32, a1: u32, a2: u32, a3: u32, b0: u32, b1: u32, b2: u32, b3: u32): void {
  const t4 = sadd(sadd(mm(a1, b3), mm(a2, b2)), mm(a3, b1));
  const t5 = sadd(mm(a2, b3), mm(a3, b2));
  const t6 = mm(a3, b3);
  e0 = sadd(mm(a0, b0), s11(t4));
  e1 = sadd(sadd(mm(a0, b1), mm(a1, b0)), s11(t5));
  e2 = sadd(sadd(sadd(mm(a0, b2), mm(a1, b1)), mm(a2, b0)), s11(t6));
  e3 = sadd(sadd(sadd(mm(a0, b3), mm(a1, b2)), mm(a2, b1)), mm(a3, b0));
}

/**
 * Forward pass: pre[i] = Π_{j<i} v_j (Montgomery form, coordinate-major like v, n elements); writes the canonical
 * product of all n elements to total[0..3]. v is canonical, coordinate-major.
 */
export function extBatchInvForward(v: usize, pre: usize, n: u32, total: usize): void {
  const st = <usize>n << 2;
  let a0 = R1, a1: u32 = 0, a2: u32 = 0, a3: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(pre + o, a0); store<u32>(pre + st + o, a1); store<u32>(pre + 2 * st + o, a2); store<u32>(pre + 3 * st + o, a3);
    emul(a0, a1, a2, a3, mm(load<u32>(v + o), R2), mm(load<u32>(v + st + o), R2), mm(load<u32>(v + 2 * st + o), R2), mm(load<u32>(v + 3 * st + o), R2));
    a0 = e0; a1 = e1; a2 = e2; a3 = e3;
  }
  store<u32>(total, mm(a0, 1)); store<u32>(total, mm(a1, 1), 4); store<u32>(total, mm(a2, 1), 8); store<u32>(total, mm(a3, 1), 12);
}

/** Backward pass: given inv[0..3] = (Π v)^−1 (canonical), replaces every v_i by v_i^−1 (canonical). */
export function extBatchInvBackward(v: usize, pre: usize, n: u32, inv: usize): void {
  const st = <usize>n << 2;
  let a0 = mm(load<u32>(inv), R2), a1 = mm(load<u32>(inv, 4), R2), a2 = mm(load<u32>(inv, 8), R2), a3 = mm(load<u32>(inv, 12), R2);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const o = <usize>i << 2;
    const x0 = mm(load<u32>(v + o), R2), x1 = mm(load<u32>(v + st + o), R2), x2 = mm(load<u32>(v + 2 * st + o), R2), x3 = mm(load<u32>(v + 3 * st + o), R2);
    emul(a0, a1, a2, a3, load<u32>(pre + o), load<u32>(pre + st + o), load<u32>(pre + 2 * st + o), load<u32>(pre + 3 * st + o));
    store<u32>(v + o, mm(e0, 1)); store<u32>(v + st + o, mm(e1, 1)); store<u32>(v + 2 * st + o, mm(e2, 1)); store<u32>(v + 3 * st + o, mm(e3, 1));
    emul(a0, a1, a2, a3, x0, x1, x2, x3);
    a0 = e0; a1 = e1; a2 = e2; a3 = e3;
  }
}

/** dst[r·cols + c] = src[c·rows + r]: a column-major block (cols × rows u32) to row-major, in tiles of 8 rows. */
export function transposeToRows(src: usize, cols: u32, rows: u32, dst: usize): void {
  for (let r0: u32 = 0; r0 < rows; r0 += 8) {
    const r1 = r0 + 8 < rows ? r0 + 8 : rows;
    for (let c: u32 = 0; c < cols; c++) {
      const s = src + ((<usize>c * <usize>rows) << 2);
      for (let r = r0; r < r1; r++) store<u32>(dst + ((<usize>r * <usize>cols + <usize>c) << 2), load<u32>(s + (<usize>r << 2)));
    }
  }
}
