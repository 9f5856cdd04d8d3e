// Dense "base-field columns × extension coefficients" products, the shape of the prover's OOD evaluation
// (barycentric sums: one extension weight per row, one result per column) and of its DEEP column combination
// (one extension coefficient per column, one result per row).
//
// Products of canonical elements are < 2^62, so they are never reduced one by one: each 64-bit product is split
// into its low 32 bits and its high 30 bits, and the two halves are summed in separate u64 lanes (up to 2^32
// terms each without overflow). One reduction at the end: Σ = hi·2^32 + lo (mod p).

const P: u64 = 2013265921;

@inline function lo32(x: v128): v128 {
  return v128.and(x, i64x2.splat(0xffffffff));
}

/**
 * For every column j (numCols columns of `len` u32 back to back at `cols`) and coordinate k < 4:
 *   acc[j][k] += Σ_i cols[j][i] · w[k][i]
 * with w coordinate-major (4 · len u32). acc holds, per column, 4 × (lo i64x2, hi i64x2) = 128 bytes of
 * unreduced sums (dotFinish reduces them). len must be a multiple of 4.
 */
export function dotColumns(cols: usize, numCols: u32, len: u32, w: usize, acc: usize): void {
  const w0 = w, w1 = w + (<usize>len << 2), w2 = w + (<usize>len << 3), w3 = w + <usize>len * 12;
  for (let j: u32 = 0; j < numCols; j++) {
    const a = acc + (<usize>j << 7);
    let l0 = v128.load(a), h0 = v128.load(a, 16);
    let l1 = v128.load(a, 32), h1 = v128.load(a, 48);
    let l2 = v128.load(a, 64), h2 = v128.load(a, 80);
    let l3 = v128.load(a, 96), h3 = v128.load(a, 112);
    const c = cols + <usize>j * (<usize>len << 2);
    for (let i: u32 = 0; i < len; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(c + o);
      let x = v128.load(w0 + o);
      let pl = i64x2.extmul_low_i32x4_u(v, x), ph = i64x2.extmul_high_i32x4_u(v, x);
      l0 = i64x2.add(l0, i64x2.add(lo32(pl), lo32(ph)));
      h0 = i64x2.add(h0, i64x2.add(i64x2.shr_u(pl, 32), i64x2.shr_u(ph, 32)));
      x = v128.load(w1 + o);
      pl = i64x2.extmul_low_i32x4_u(v, x); ph = i64x2.extmul_high_i32x4_u(v, x);
      l1 = i64x2.add(l1, i64x2.add(lo32(pl), lo32(ph)));
      h1 = i64x2.add(h1, i64x2.add(i64x2.shr_u(pl, 32), i64x2.shr_u(ph, 32)));
      x = v128.load(w2 + o);
      pl = i64x2.extmul_low_i32x4_u(v, x); ph = i64x2.extmul_high_i32x4_u(v, x);
      l2 = i64x2.add(l2, i64x2.add(lo32(pl), lo32(ph)));
      h2 = i64x2.add(h2, i64x2.add(i64x2.shr_u(pl, 32), i64x2.shr_u(ph, 32)));
      x = v128.load(w3 + o);
      pl = i64x2.extmul_low_i32x4_u(v, x); ph = i64x2.extmul_high_i32x4_u(v, x);
      l3 = i64x2.add(l3, i64x2.add(lo32(pl), lo32(ph)));
      h3 = i64x2.add(h3, i64x2.add(i64x2.shr_u(pl, 32), i64x2.shr_u(ph, 32)));
    }
    v128.store(a, l0); v128.store(a, h0, 16);
    v128.store(a, l1, 32); v128.store(a, h1, 48);
    v128.store(a, l2, 64); v128.store(a, h2, 80);
    v128.store(a, l3, 96); v128.store(a, h3, 112);
  }
}

@inline function finish(lo: u64, hi: u64): u32 {
  // hi mod p < 2^31, times 2^32 < 2^63; plus lo mod p: no overflow.
  return <u32>((((hi % P) << 32) + lo % P) % P);
}

/** Reduces dotColumns' accumulators: out[4j + k] = acc[j][k] mod p. */
export function dotFinish(acc: usize, numCols: u32, out: usize): void {
  for (let j: u32 = 0; j < numCols; j++) {
    for (let k: u32 = 0; k < 4; k++) {
      const a = acc + (<usize>j << 7) + (<usize>k << 5);
      const lo = load<u64>(a) + load<u64>(a, 8);
      const hi = load<u64>(a, 16) + load<u64>(a, 24);
      store<u32>(out + (<usize>(4 * j + k) << 2), finish(lo, hi));
    }
  }
}

/**
 * For every row i < len and coordinate k < 4:  acc[k][i] += Σ_j coeffs[4j + k] · cols[j][i]
 * (numCols columns of `len` u32 back to back at `cols`). acc layout: for each k, `len` u64 low-half sums then
 * `len` u64 high-half sums (16·len bytes per k). len must be a multiple of 4.
 */
export function combineColumns(cols: usize, numCols: u32, len: u32, coeffs: usize, acc: usize): void {
  const half = <usize>len << 3;
  for (let j: u32 = 0; j < numCols; j++) {
    const c = cols + <usize>j * (<usize>len << 2);
    for (let k: u32 = 0; k < 4; k++) {
      const ck = i32x4.splat(load<u32>(coeffs + (<usize>(4 * j + k) << 2)));
      const lo = acc + <usize>k * (half << 1);
      const hi = lo + half;
      for (let i: u32 = 0; i < len; i += 4) {
        const v = v128.load(c + (<usize>i << 2));
        const pl = i64x2.extmul_low_i32x4_u(v, ck), ph = i64x2.extmul_high_i32x4_u(v, ck);
        const o = <usize>i << 3;
        v128.store(lo + o, i64x2.add(v128.load(lo + o), lo32(pl)));
        v128.store(lo + o, i64x2.add(v128.load(lo + o, 16), lo32(ph)), 16);
        v128.store(hi + o, i64x2.add(v128.load(hi + o), i64x2.shr_u(pl, 32)));
        v128.store(hi + o, i64x2.add(v128.load(hi + o, 16), i64x2.shr_u(ph, 32)), 16);
      }
    }
  }
}

/** Reduces combineColumns' accumulators into out (4·len u32, coordinate-major). */
export function combineFinish(acc: usize, len: u32, out: usize): void {
  const half = <usize>len << 3;
  for (let k: u32 = 0; k < 4; k++) {
    const lo = acc + <usize>k * (half << 1);
    const hi = lo + half;
    const o = out + (<usize>(k * len) << 2);
    for (let i: u32 = 0; i < len; i++) store<u32>(o + (<usize>i << 2), finish(load<u64>(lo + (<usize>i << 3)), load<u64>(hi + (<usize>i << 3))));
  }
}
