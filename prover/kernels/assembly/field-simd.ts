// BabyBear arithmetic on four lanes of canonical u32 (values in [0, p)), shared by the vector kernels
// (vecmul.ts, program.ts). mont(a, b) = a·b·2^−32 mod p with no 64-bit reduction: lo = a·b mod 2^32,
// q = lo·p^−1 mod 2^32, r = hi(a·b) − hi(q·p) ∈ (−p, p) (the low words cancel exactly); mont(x, R2) returns a
// Montgomery product to canonical form.

export const P: u32 = 2013265921;
export const MU: u32 = 2281701377; // p^−1 mod 2^32
export const R2: u32 = 1172168163; // 2^64 mod p

@inline export function hi32(a: v128, b: v128): v128 {
  return i32x4.shuffle(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}
@inline export function mont(a: v128, b: v128): v128 {
  const q = i32x4.mul(i32x4.mul(a, b), i32x4.splat(MU));
  const r = i32x4.sub(hi32(a, b), hi32(q, i32x4.splat(P)));
  return i32x4.min_u(r, i32x4.add(r, i32x4.splat(P)));
}
@inline export function vadd(a: v128, b: v128): v128 {
  const s = i32x4.add(a, b);
  return i32x4.min_u(s, i32x4.sub(s, i32x4.splat(P)));
}
@inline export function vsub(a: v128, b: v128): v128 {
  const d = i32x4.sub(a, b);
  return i32x4.min_u(d, i32x4.add(d, i32x4.splat(P)));
}
