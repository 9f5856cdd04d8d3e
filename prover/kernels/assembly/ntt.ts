// BabyBear NTT kernels, WASM SIMD (v128). p = 15·2^27 + 1.
//
// Every value in memory is a canonical u32 in [0, p). Multiplications are Montgomery products with R = 2^32,
// mont(a, b) = a·b·R⁻¹ mod p, and every constant we multiply by (twiddles, scale tables) is stored in Montgomery
// form c·R mod p, so mont(x, c·R) = x·c: the data never needs converting in or out of Montgomery form.
//
// Memory is managed by the TypeScript host (prover/kernels/index.ts): every function takes pointers.
// Twiddle tables use the "offset h" layout: tw[h + j] = ω_{2h}^j (Montgomery form) for j < h, h = 1, 2, 4, …;
// a table built for 2^k points serves every smaller size too.

const P: u32 = 2013265921;
// −p⁻¹ mod 2^32
const NPINV: u32 = 0x77ffffff;

// Butterfly loops work one cache-sized block at a time once the butterfly span fits in it.
const LOG_BLOCK: u32 = 12;

@inline function mmul(a: u32, b: u32): u32 {
  const t = <u64>a * <u64>b;
  const m = <u32>t * NPINV;
  const u = <u32>((t + <u64>m * <u64>P) >> 32);
  return u >= P ? u - P : u;
}

@inline function madd(a: u32, b: u32): u32 {
  const s = a + b;
  return s >= P ? s - P : s;
}

@inline function msub(a: u32, b: u32): u32 {
  return a >= b ? a - b : a + P - b;
}

@inline function vP(): v128 {
  return i32x4.splat(P);
}

// Four Montgomery products at once: 64-bit partial products through i64x2 extended multiplies.
@inline function vmul(a: v128, b: v128): v128 {
  const m = i32x4.mul(i32x4.mul(a, b), i32x4.splat(NPINV));
  const p = vP();
  const s0 = i64x2.add(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_low_i32x4_u(m, p));
  const s1 = i64x2.add(i64x2.extmul_high_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(m, p));
  const u = i32x4.shuffle(s0, s1, 1, 3, 5, 7);
  // u < 2p; if u < p then u − p wraps above u and min_u keeps u.
  return i32x4.min_u(u, i32x4.sub(u, p));
}

@inline function vadd(a: v128, b: v128): v128 {
  const s = i32x4.add(a, b);
  return i32x4.min_u(s, i32x4.sub(s, vP()));
}

@inline function vsub(a: v128, b: v128): v128 {
  const d = i32x4.sub(a, b);
  return i32x4.min_u(d, i32x4.add(d, vP()));
}

/** ptr[j] = start · base^j (all Montgomery form) for j < n. Sequential: exact, and only used for tables. */
export function fillPowers(ptr: usize, n: u32, baseMont: u32, startMont: u32): void {
  let x = startMont;
  for (let j: u32 = 0; j < n; j++) {
    store<u32>(ptr + (<usize>j << 2), x);
    x = mmul(x, baseMont);
  }
}

/** x[i] ← x[i] · c for i < n (c in Montgomery form). */
export function scale(ptr: usize, n: u32, cMont: u32): void {
  let i: u32 = 0;
  const c = i32x4.splat(cMont);
  for (; i + 4 <= n; i += 4) {
    const a = ptr + (<usize>i << 2);
    v128.store(a, vmul(v128.load(a), c));
  }
  for (; i < n; i++) {
    const a = ptr + (<usize>i << 2);
    store<u32>(a, mmul(load<u32>(a), cMont));
  }
}

/** x[i] ← x[i] · t[i] for i < n (t in Montgomery form). */
export function mulPointwise(ptr: usize, tPtr: usize, n: u32): void {
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(ptr + o, vmul(v128.load(ptr + o), v128.load(tPtr + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<u32>(ptr + o, mmul(load<u32>(ptr + o), load<u32>(tPtr + o)));
  }
}

/** In-place bit-reversal permutation of 2^logN u32 values. */
export function bitReverse(ptr: usize, logN: u32): void {
  const n: u32 = 1 << logN;
  if (n <= 2) return;
  const sh = 32 - logN;
  for (let i: u32 = 1; i < n - 1; i++) {
    const j = reverseBits<u32>(i) >>> sh;
    if (i < j) {
      const a = ptr + (<usize>i << 2);
      const b = ptr + (<usize>j << 2);
      const t = load<u32>(a);
      store<u32>(a, load<u32>(b));
      store<u32>(b, t);
    }
  }
}

@inline function reverseBits<T>(x: u32): u32 {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  return bswap<u32>(x);
}

// ---------------------------------------------------------------------------------------------------------------
// Radix-2 stages. DIF (Gentleman–Sande): natural order in, bit-reversed out; spans h = n/2 … 1.
// DIT (Cooley–Tukey): bit-reversed in, natural order out; spans h = 1 … n/2. Both compute X_k = Σ x_i ω^{ik}.

// One DIF stage of span h ≥ 4 over [ptr, ptr + 4·len).
@inline function difStage(ptr: usize, len: u32, h: u32, tw: usize): void {
  const twh = tw + (<usize>h << 2);
  const hb = <usize>h << 2;
  for (let b: u32 = 0; b < len; b += h << 1) {
    const base = ptr + (<usize>b << 2);
    for (let j: usize = 0; j < hb; j += 16) {
      const pa = base + j;
      const pb = pa + hb;
      const x = v128.load(pa);
      const y = v128.load(pb);
      v128.store(pa, vadd(x, y));
      v128.store(pb, vmul(vsub(x, y), v128.load(twh + j)));
    }
  }
}

@inline function ditStage(ptr: usize, len: u32, h: u32, tw: usize): void {
  const twh = tw + (<usize>h << 2);
  const hb = <usize>h << 2;
  for (let b: u32 = 0; b < len; b += h << 1) {
    const base = ptr + (<usize>b << 2);
    for (let j: usize = 0; j < hb; j += 16) {
      const pa = base + j;
      const pb = pa + hb;
      const x = v128.load(pa);
      const t = vmul(v128.load(pb), v128.load(twh + j));
      v128.store(pa, vadd(x, t));
      v128.store(pb, vsub(x, t));
    }
  }
}

// The two smallest DIF spans (h = 2, then h = 1) on 8 values at a time, with lane shuffles.
@inline function difLastTwo(ptr: usize, len: u32, tw: usize): void {
  const one = load<u32>(tw + 4); // tw[1] = ω_2^0 = 1 (Montgomery)
  const w4 = load<u32>(tw + 12); // tw[2 + 1] = ω_4
  const t = i32x4(0, 0, 0, 0);
  const tw4 = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(t, 0, one), 1, w4), 2, one), 3, w4);
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const x = i32x4.shuffle(v0, v1, 0, 1, 4, 5);
    const y = i32x4.shuffle(v0, v1, 2, 3, 6, 7);
    const xs = vadd(x, y);
    const yd = vmul(vsub(x, y), tw4);
    const a = i32x4.shuffle(xs, yd, 0, 4, 2, 6);
    const c = i32x4.shuffle(xs, yd, 1, 5, 3, 7);
    const s = vadd(a, c);
    const d = vsub(a, c);
    v128.store(p0, i32x4.shuffle(s, d, 0, 4, 1, 5));
    v128.store(p0 + 16, i32x4.shuffle(s, d, 2, 6, 3, 7));
  }
}

// The two smallest DIT spans (h = 1, then h = 2) on 8 values at a time.
@inline function ditFirstTwo(ptr: usize, len: u32, tw: usize): void {
  const one = load<u32>(tw + 4);
  const w4 = load<u32>(tw + 12);
  const t = i32x4(0, 0, 0, 0);
  const tw4 = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(t, 0, one), 1, w4), 2, one), 3, w4);
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const x = i32x4.shuffle(v0, v1, 0, 2, 4, 6);
    const y = i32x4.shuffle(v0, v1, 1, 3, 5, 7);
    const s = vadd(x, y);
    const d = vsub(x, y);
    const X = i32x4.shuffle(s, d, 0, 4, 2, 6);
    const Y = vmul(i32x4.shuffle(s, d, 1, 5, 3, 7), tw4);
    const a = vadd(X, Y);
    const b = vsub(X, Y);
    v128.store(p0, i32x4.shuffle(a, b, 0, 1, 4, 5));
    v128.store(p0 + 16, i32x4.shuffle(a, b, 2, 3, 6, 7));
  }
}

// DIT span h = 2 alone (used when the LDE spread already did span 1).
@inline function ditSpan2(ptr: usize, len: u32, tw: usize): void {
  const one = load<u32>(tw + 4);
  const w4 = load<u32>(tw + 12);
  const t = i32x4(0, 0, 0, 0);
  const tw4 = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(t, 0, one), 1, w4), 2, one), 3, w4);
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const X = i32x4.shuffle(v0, v1, 0, 1, 4, 5);
    const Y = vmul(i32x4.shuffle(v0, v1, 2, 3, 6, 7), tw4);
    const a = vadd(X, Y);
    const b = vsub(X, Y);
    v128.store(p0, i32x4.shuffle(a, b, 0, 1, 4, 5));
    v128.store(p0 + 16, i32x4.shuffle(a, b, 2, 3, 6, 7));
  }
}

// Scalar radix-2 for tiny sizes (n < 8), where the vector paths do not apply.
function difScalar(ptr: usize, n: u32, tw: usize): void {
  for (let h: u32 = n >> 1; h >= 1; h >>= 1) {
    for (let b: u32 = 0; b < n; b += h << 1) {
      for (let j: u32 = 0; j < h; j++) {
        const pa = ptr + (<usize>(b + j) << 2);
        const pb = pa + (<usize>h << 2);
        const x = load<u32>(pa);
        const y = load<u32>(pb);
        store<u32>(pa, madd(x, y));
        store<u32>(pb, mmul(msub(x, y), load<u32>(tw + (<usize>(h + j) << 2))));
      }
    }
  }
}

function ditScalar(ptr: usize, n: u32, tw: usize, hStart: u32): void {
  for (let h: u32 = hStart; h < n; h <<= 1) {
    for (let b: u32 = 0; b < n; b += h << 1) {
      for (let j: u32 = 0; j < h; j++) {
        const pa = ptr + (<usize>(b + j) << 2);
        const pb = pa + (<usize>h << 2);
        const x = load<u32>(pa);
        const t = mmul(load<u32>(pb), load<u32>(tw + (<usize>(h + j) << 2)));
        store<u32>(pa, madd(x, t));
        store<u32>(pb, msub(x, t));
      }
    }
  }
}

/** DIF transform of 2^logN values in place: natural order in, bit-reversed order out. */
export function dif(ptr: usize, logN: u32, tw: usize): void {
  const n: u32 = 1 << logN;
  if (logN < 3) {
    difScalar(ptr, n, tw);
    return;
  }
  const block: u32 = logN < LOG_BLOCK ? n : 1 << LOG_BLOCK;
  // Spans wider than a block: whole-array passes.
  let h: u32 = n >> 1;
  for (; h >= block; h >>= 1) difStage(ptr, n, h, tw);
  // The rest, block by block, so each block stays in L1/L2.
  for (let b: u32 = 0; b < n; b += block) {
    const bp = ptr + (<usize>b << 2);
    for (let hh = h; hh >= 4; hh >>= 1) difStage(bp, block, hh, tw);
    difLastTwo(bp, block, tw);
  }
}

/**
 * DIT transform of 2^logN values in place: bit-reversed order in, natural order out. Starts at span 2^logStart
 * (the spans below are assumed done; the LDE spread makes them trivial).
 */
export function dit(ptr: usize, logN: u32, tw: usize, logStart: u32): void {
  const n: u32 = 1 << logN;
  if (logStart >= logN) return;
  if (logN < 3) {
    ditScalar(ptr, n, tw, 1 << logStart);
    return;
  }
  const block: u32 = logN < LOG_BLOCK ? n : 1 << LOG_BLOCK;
  let hFirst: u32 = 1 << logStart;
  for (let b: u32 = 0; b < n; b += block) {
    const bp = ptr + (<usize>b << 2);
    let hh = hFirst;
    if (hh == 1) {
      ditFirstTwo(bp, block, tw);
      hh = 4;
    } else if (hh == 2) {
      ditSpan2(bp, block, tw);
      hh = 4;
    }
    for (; hh < block; hh <<= 1) ditStage(bp, block, hh, tw);
  }
  let h: u32 = hFirst > block ? hFirst : block;
  for (; h < n; h <<= 1) ditStage(ptr, n, h, tw);
}

/**
 * LDE middle step: src holds n = 2^logN coefficients in bit-reversed order (as DIF leaves them, still
 * unscaled); dst receives n·2^logB values, the bit-reversed order of the zero-padded, coset-scaled coefficient
 * vector after its first logB DIT spans: these spans only copy each coefficient across a run of 2^logB slots.
 * t[i] is the per-coefficient factor (Montgomery form), already in bit-reversed order.
 */
@inline function fillRun(d: usize, count: u32, s: v128): void {
  for (let r: u32 = 0; r < count; r += 4) v128.store(d + (<usize>r << 2), s);
}

export function ldeSpread(src: usize, dst: usize, logN: u32, logB: u32, t: usize): void {
  const n: u32 = 1 << logN;
  const bsz: u32 = 1 << logB;
  if (logB >= 2 && n >= 4) {
    for (let i: u32 = 0; i < n; i += 4) {
      const o = <usize>i << 2;
      const v = vmul(v128.load(src + o), v128.load(t + o));
      const d0 = dst + (<usize>(i << logB) << 2);
      const step = <usize>bsz << 2;
      fillRun(d0, bsz, i32x4.splat(i32x4.extract_lane(v, 0)));
      fillRun(d0 + step, bsz, i32x4.splat(i32x4.extract_lane(v, 1)));
      fillRun(d0 + 2 * step, bsz, i32x4.splat(i32x4.extract_lane(v, 2)));
      fillRun(d0 + 3 * step, bsz, i32x4.splat(i32x4.extract_lane(v, 3)));
    }
    return;
  }
  for (let i: u32 = 0; i < n; i++) {
    const x = mmul(load<u32>(src + (<usize>i << 2)), load<u32>(t + (<usize>i << 2)));
    const d = dst + (<usize>(i << logB) << 2);
    for (let r: u32 = 0; r < bsz; r++) store<u32>(d + (<usize>r << 2), x);
  }
}

/**
 * Scatter one column into a row-major matrix: m[r·width + col] = x[r] for r < rows. Lets workers build the
 * matrix the Merkle tree hashes without a JS strided loop.
 */
export function scatterColumn(x: usize, rows: u32, m: usize, width: u32, col: u32): void {
  const stride = <usize>width << 2;
  let d = m + (<usize>col << 2);
  for (let r: u32 = 0; r < rows; r++) {
    store<u32>(d, load<u32>(x + (<usize>r << 2)));
    d += stride;
  }
}
