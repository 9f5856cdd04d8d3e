// The DEEP composition's divisions by linear factors, in coefficient form (prover/stark.ts deepComposition):
// synthetic division runs from the top coefficient down, r ← c_i + z·r, so it is one long dependency chain; an
// extension value lives in one v128 (its 4 coordinates) and z·r is four vector Montgomery products against
// constant rows of z's multiplication matrix, so a step costs a few multiply latencies, not 16 scalar products.

import { P, mont, vadd } from "./field-simd";

/** z·r for the extension value r (canonical coordinates) and z given as its matrix rows Z (Montgomery form). */
@inline function mulRows(r: v128, z: usize): v128 {
  return vadd(
    vadd(mont(i32x4.shuffle(r, r, 0, 0, 0, 0), v128.load(z)), mont(i32x4.shuffle(r, r, 1, 1, 1, 1), v128.load(z, 16))),
    vadd(mont(i32x4.shuffle(r, r, 2, 2, 2, 2), v128.load(z, 32)), mont(i32x4.shuffle(r, r, 3, 3, 3, 3), v128.load(z, 48))),
  );
}

@inline function loadExt(p: usize, stride: usize): v128 {
  let v = i32x4.splat(load<u32>(p));
  v = i32x4.replace_lane(v, 1, load<u32>(p + stride));
  v = i32x4.replace_lane(v, 2, load<u32>(p + 2 * stride));
  return i32x4.replace_lane(v, 3, load<u32>(p + 3 * stride));
}

@inline function addScalar(p: usize, x: u32): void {
  const s = load<u32>(p) + x;
  store<u32>(p, s >= P ? s - P : s);
}

/**
 * For i = n−1 … 0 over coordinate-major chunks (4 coordinates of n u32 each, back to back) t, q and acc:
 *   rA ← (t_i + q_i) + ζ·rA,   rT ← t_i + ζω·rT,   acc_i += rA + μ·rT.
 * After step i, rA and rT are the quotients' coefficients i − 1 of (t + q)/(X − ζ) and t/(X − ζω) (the host
 * aligns acc one place down), and after step 0 the remainders. `consts`: the matrix rows (4 v128 each, Montgomery
 * form) of ζ, ζω and μ; `carry`: rA then rT (one v128 each), read at entry and written back.
 */
export function deepDivide(t: usize, q: usize, n: u32, consts: usize, acc: usize, carry: usize): void {
  const stride = <usize>n << 2;
  let rA = v128.load(carry), rT = v128.load(carry, 16);
  const zA = consts, zT = consts + 64, zM = consts + 128;
  for (let i = <i32>n - 1; i >= 0; i--) {
    const o = <usize>i << 2;
    const ti = loadExt(t + o, stride);
    rA = vadd(vadd(ti, loadExt(q + o, stride)), mulRows(rA, zA));
    rT = vadd(ti, mulRows(rT, zT));
    const add = vadd(rA, mulRows(rT, zM));
    addScalar(acc + o, <u32>i32x4.extract_lane(add, 0));
    addScalar(acc + o + stride, <u32>i32x4.extract_lane(add, 1));
    addScalar(acc + o + 2 * stride, <u32>i32x4.extract_lane(add, 2));
    addScalar(acc + o + 3 * stride, <u32>i32x4.extract_lane(add, 3));
  }
  v128.store(carry, rA);
  v128.store(carry, rT, 16);
}

/** Powers 1, z, z², … of an extension point: n of them, coordinate-major (4 × n u32); `z`: its matrix rows. */
export function extPowers(z: usize, n: u32, out: usize): void {
  const stride = <usize>n << 2;
  let r = i32x4.replace_lane(i32x4.splat(0), 0, 1);
  for (let i: u32 = 0; i < n; i++) {
    const o = out + (<usize>i << 2);
    store<u32>(o, <u32>i32x4.extract_lane(r, 0));
    store<u32>(o + stride, <u32>i32x4.extract_lane(r, 1));
    store<u32>(o + 2 * stride, <u32>i32x4.extract_lane(r, 2));
    store<u32>(o + 3 * stride, <u32>i32x4.extract_lane(r, 3));
    r = mulRows(r, z);
  }
}
