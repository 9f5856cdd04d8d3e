// Pointwise products of canonical BabyBear vectors, WASM SIMD: the multiplications of the prover's vectorised
// constraint evaluator (prover/vec-eval.ts). Inputs and outputs are canonical u32 in [0, p); extension vectors are
// coordinate-major (coordinate k of element i at ptr + 4·(k·n + i)), X⁴ = 11.
//
// Every product is a Montgomery product mont(a, b) = a·b·2^−32 mod p (four lanes at a time, no 64-bit reduction):
//   lo = a·b mod 2^32, q = lo·p^−1 mod 2^32, r = hi(a·b) − hi(q·p) ∈ (−p, p)  (the low words cancel exactly),
// and one more mont(·, 2^64 mod p) returns to the canonical product. Sums of Montgomery products are added mod p
// before that last step, so an extension product costs 16 + 4 Montgomery products.

const P: u32 = 2013265921;
const MU: u32 = 2281701377; // p^−1 mod 2^32
const R2: u32 = 1172168163; // 2^64 mod p

@inline function hi32(a: v128, b: v128): v128 {
  return i32x4.shuffle(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}

@inline function mont(a: v128, b: v128): v128 {
  const q = i32x4.mul(i32x4.mul(a, b), i32x4.splat(MU));
  const r = i32x4.sub(hi32(a, b), hi32(q, i32x4.splat(P)));
  return i32x4.min_u(r, i32x4.add(r, i32x4.splat(P)));
}

@inline function add(a: v128, b: v128): v128 {
  const s = i32x4.add(a, b);
  return i32x4.min_u(s, i32x4.sub(s, i32x4.splat(P)));
}

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

@inline function sub(a: v128, b: v128): v128 {
  const d = i32x4.sub(a, b);
  return i32x4.min_u(d, i32x4.add(d, i32x4.splat(P)));
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
