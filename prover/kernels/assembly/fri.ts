// FRI's per-layer work on a chunk of fold groups: the grouped rows a layer's Merkle tree commits, and the folded
// values of the next layer. A layer holds M extension points (4 u32 each, interleaved) on a coset; with arity
// a = 2^k its fold group r (r < H = M/a) is the points r + j·H, j < a (slot j), which fold into point r of the
// next layer; the tree's leaf r is that group's a points side by side. Every point is one v128, so grouping is a
// pure 16-byte shuffle, and folding runs across 4 groups at once (lanes = groups, one vector per coordinate,
// transposed in and out).

import { P, mont, vadd, vsub } from "./field-simd";

/**
 * Grouped rows of a chunk of m groups given as a blocks of m points back to back (block j = points
 * [r0 + j·H, r0 + j·H + m)): dst row r (a points) = point r of every block, dst[r·a + j] = src[j·m + r].
 */
export function friGroup(src: usize, a: u32, m: u32, dst: usize): void {
  for (let j: u32 = 0; j < a; j++) {
    const s = src + ((<usize>j * <usize>m) << 4);
    for (let r: u32 = 0; r < m; r++) v128.store(dst + ((<usize>r * <usize>a + <usize>j) << 4), v128.load(s + (<usize>r << 4)));
  }
}

/** The 4×4 u32 transpose of rows r0…r3 (one v128 each) stored as 4 v128 at p: lane k of r_i lands in vector k, lane i. */
@inline function storeTransposed(p: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(p, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(p, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
  v128.store(p, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
  v128.store(p, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
}

@inline function halve(s: v128): v128 {
  // s/2 mod p for canonical s: (s + p·(s & 1)) >> 1 (s + p < 2^32)
  const odd = v128.and(s, i32x4.splat(1));
  return i32x4.shr_u(i32x4.add(s, v128.and(i32x4.sub(i32x4.splat(0), odd), i32x4.splat(P))), 1);
}

/**
 * Folds a chunk of m grouped rows (friGroup's layout; m a multiple of 4) by k binary folds into m points
 * (interleaved) at dst.
 * `consts` (u32, Montgomery form = value·2^32 mod p unless noted):
 *   [0, 4)   1/x of the chunk's first 4 groups at fold 0 (x = shift·ω_M^r, r = r0 … r0 + 3)
 *   [4]      ω_M^−4 (steps the lanes to the next 4 groups)
 *   then per fold s < k a record of 8 + 2^(k−1) u32: β_s (4), 11·β_s (4), and c_{s,j} = ω_{a/2^s}^−j / 2 for
 *   j < a/2^(s+1) (the rest of the record unused).
 * Fold s pairs slot j with slot j + a/2^(s+1) (points x and −x) and keeps, in slot j,
 *   (f(x) + f(−x))/2 + β_s·(f(x) − f(−x))/(2x),   1/(2x) = (1/x_s(r))·c_{s,j}  (x = x_s(r)·ω_{a/2^s}^j),
 * i.e. prover/fri.ts foldBinary applied k times (β_s = β^(2^s); 1/x_{s+1} = (1/x_s)² since x_{s+1} = x_s²).
 * `work`: 64·a bytes of scratch (a slots × 4 coordinate vectors).
 */
export function friFold(src: usize, m: u32, k: u32, consts: usize, dst: usize, work: usize): void {
  const a: u32 = 1 << k;
  const rec: usize = (8 + (<usize>1 << (k - 1))) << 2;
  const row: usize = <usize>a << 4;
  let base = v128.load(consts);
  const step = i32x4.splat(load<u32>(consts, 16));
  for (let r: u32 = 0; r < m; r += 4) {
    // load and transpose: work[j] = 4 vectors (coordinate c of slot j of groups r … r+3)
    for (let j: u32 = 0; j < a; j++) {
      const s = src + ((<usize>r * <usize>a + <usize>j) << 4);
      storeTransposed(work + (<usize>j << 6), v128.load(s), v128.load(s + row), v128.load(s + 2 * row), v128.load(s + 3 * row));
    }
    let xi = base; // 1/x of the lanes' groups at this fold (Montgomery form)
    let half: u32 = a >>> 1;
    let cs = consts + 32;
    for (let f: u32 = 0; f < k; f++) {
      const b0 = i32x4.splat(load<u32>(cs)), b1 = i32x4.splat(load<u32>(cs, 4));
      const b2 = i32x4.splat(load<u32>(cs, 8)), b3 = i32x4.splat(load<u32>(cs, 12));
      const e1 = i32x4.splat(load<u32>(cs, 20)), e2 = i32x4.splat(load<u32>(cs, 24)), e3 = i32x4.splat(load<u32>(cs, 28));
      for (let j: u32 = 0; j < half; j++) {
        const wx = work + (<usize>j << 6), wy = work + (<usize>(j + half) << 6);
        const x0 = v128.load(wx), x1 = v128.load(wx, 16), x2 = v128.load(wx, 32), x3 = v128.load(wx, 48);
        const y0 = v128.load(wy), y1 = v128.load(wy, 16), y2 = v128.load(wy, 32), y3 = v128.load(wy, 48);
        // t = 1/(2x) of slot j, in Montgomery form: (1/x)·c_j
        const t = mont(xi, i32x4.splat(load<u32>(cs + 32 + (<usize>j << 2))));
        const d0 = mont(vsub(x0, y0), t), d1 = mont(vsub(x1, y1), t);
        const d2 = mont(vsub(x2, y2), t), d3 = mont(vsub(x3, y3), t);
        // c = β·d in F_p[X]/(X⁴ − 11)
        const c0 = vadd(vadd(mont(d0, b0), mont(d1, e3)), vadd(mont(d2, e2), mont(d3, e1)));
        const c1 = vadd(vadd(mont(d0, b1), mont(d1, b0)), vadd(mont(d2, e3), mont(d3, e2)));
        const c2 = vadd(vadd(mont(d0, b2), mont(d1, b1)), vadd(mont(d2, b0), mont(d3, e3)));
        const c3 = vadd(vadd(mont(d0, b3), mont(d1, b2)), vadd(mont(d2, b1), mont(d3, b0)));
        v128.store(wx, halve(vadd(vadd(x0, y0), vadd(c0, c0))));
        v128.store(wx, halve(vadd(vadd(x1, y1), vadd(c1, c1))), 16);
        v128.store(wx, halve(vadd(vadd(x2, y2), vadd(c2, c2))), 32);
        v128.store(wx, halve(vadd(vadd(x3, y3), vadd(c3, c3))), 48);
      }
      xi = mont(xi, xi);
      half >>>= 1;
      cs += rec;
    }
    // transpose back: 4 points (groups r … r+3) of the next layer
    storeTransposed(dst + (<usize>r << 4), v128.load(work), v128.load(work, 16), v128.load(work, 32), v128.load(work, 48));
    base = mont(base, step);
  }
}
