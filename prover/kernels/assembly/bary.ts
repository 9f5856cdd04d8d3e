// Barycentric weights for the prover's out-of-domain evaluation: w_i = x_i/(ζ − x_i) for the points
// x_i = ω^i of H_n and an extension point ζ, written coordinate-major (4 × n u32). With the norm trick of the
// JavaScript original (prover/ood.ts): 1/(x − ζ) = q(x)/m(x) where m(Y) = Π_k (Y − ζ^(p^k)) ∈ F_p[Y] and
// q(Y) = m(Y)/(Y − ζ), so only base-field values m(x_i) are inverted (Montgomery's trick, 4 interleaved chains:
// lane l takes the points i ≡ l mod 4). Two passes: forward (m and the prefix products), the host inverts the 4
// lane totals, backward (inverses and weights). All values canonical; Montgomery form (·2^32) where noted.

import { P, R2, mont, vadd, vsub } from "./field-simd";

/**
 * Forward pass over n points (n a multiple of 4). consts (u32): [0,4) x of points 0..3 in Montgomery form,
 * [4] ω^4 in Montgomery form, [8,12) s1…s4 (m(Y) = Y⁴ − s1·Y³ + s2·Y² − s3·Y + s4). Writes m(x_i) to
 * out[3n + i], the exclusive prefix products of its lane to out[2n + i], the lane totals to consts[16, 20).
 */
export function baryForward(n: u32, consts: usize, out: usize): void {
  const stride = <usize>n << 2;
  let X = v128.load(consts);
  const step = i32x4.splat(load<u32>(consts, 16));
  const s1 = i32x4.splat(load<u32>(consts, 32)), s2 = i32x4.splat(load<u32>(consts, 36));
  const s3 = i32x4.splat(load<u32>(consts, 40)), s4 = i32x4.splat(load<u32>(consts, 44));
  const r2 = i32x4.splat(R2);
  let acc = i32x4.splat(1);
  const mP = out + 3 * stride, preP = out + 2 * stride;
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const x = mont(X, i32x4.splat(1));
    let t = vsub(x, s1);
    t = vadd(mont(t, X), s2);
    t = vsub(mont(t, X), s3);
    const m = vadd(mont(t, X), s4);
    v128.store(mP + o, m);
    v128.store(preP + o, acc);
    acc = mont(acc, mont(m, r2));
    X = mont(X, step);
  }
  v128.store(consts, acc, 64);
}

/**
 * Backward pass. consts as for baryForward plus: [20,24) the lane totals' inverses in Montgomery form, [24,28)
 * x of the last 4 points in Montgomery form, [28] ω^−4 in Montgomery form, [32,44) e1, e2, e3 (4 coordinates
 * each; q(Y) = ((Y − e1)·Y + e2)·Y − e3). Overwrites out with the weights −x·q(x)/m(x) = x/(ζ − x).
 */
export function baryBackward(n: u32, consts: usize, out: usize): void {
  const stride = <usize>n << 2;
  let inv = v128.load(consts, 80);
  let X = v128.load(consts, 96);
  const stepBack = i32x4.splat(load<u32>(consts, 112));
  const e10 = i32x4.splat(load<u32>(consts, 128)), e11 = i32x4.splat(load<u32>(consts, 132));
  const e12 = i32x4.splat(load<u32>(consts, 136)), e13 = i32x4.splat(load<u32>(consts, 140));
  const e20 = i32x4.splat(load<u32>(consts, 144)), e21 = i32x4.splat(load<u32>(consts, 148));
  const e22 = i32x4.splat(load<u32>(consts, 152)), e23 = i32x4.splat(load<u32>(consts, 156));
  const e30 = i32x4.splat(load<u32>(consts, 160)), e31 = i32x4.splat(load<u32>(consts, 164));
  const e32 = i32x4.splat(load<u32>(consts, 168)), e33 = i32x4.splat(load<u32>(consts, 172));
  const r2 = i32x4.splat(R2), zero = i32x4.splat(0);
  for (let i = <i32>n - 4; i >= 0; i -= 4) {
    const o = <usize>i << 2;
    const m = v128.load(out + 3 * stride + o), pre = v128.load(out + 2 * stride + o);
    const x = mont(X, i32x4.splat(1));
    // 1/m(x) = pre · (lane total up to here)^−1; then the running inverse drops m(x)
    const im = mont(pre, inv);
    inv = mont(inv, mont(m, r2));
    // u = −x/m(x), then w_c = q_c(x)·u (u in Montgomery form)
    const uR = mont(vsub(zero, mont(im, X)), r2);
    const q0 = vsub(mont(vadd(mont(vsub(x, e10), X), e20), X), e30);
    const q1 = vsub(mont(vadd(mont(vsub(zero, e11), X), e21), X), e31);
    const q2 = vsub(mont(vadd(mont(vsub(zero, e12), X), e22), X), e32);
    const q3 = vsub(mont(vadd(mont(vsub(zero, e13), X), e23), X), e33);
    v128.store(out + o, mont(q0, uR));
    v128.store(out + stride + o, mont(q1, uR));
    v128.store(out + 2 * stride + o, mont(q2, uR));
    v128.store(out + 3 * stride + o, mont(q3, uR));
    X = mont(X, stepBack);
  }
}
