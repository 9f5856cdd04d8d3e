// BabyBear NTT kernels, WASM SIMD (v128). p = 15·2^27 + 1.
//
// Every value in memory is a canonical u32 in [0, p). Every multiplication is by a precomputed constant w
// (twiddle, scale factor), done with Shoup's method: alongside w we store w' = ⌊w·2^32/p⌋, then for any u32 a
//   q = ⌊a·w'/2^32⌋,  r = a·w − q·p  (computed mod 2^32)  lies in [0, 2p),
// so one conditional subtraction gives a·w mod p. Per four products that is two 32×32→64 multiplies (for q) and
// two low multiplies, about half the work of a Montgomery product, and no conversion in or out of any special form.
//
// "Constant tables" hold such pairs interleaved by blocks of four: entry i is w at 32·⌊i/4⌋ + 4·(i mod 4) and w'
// 16 bytes later, so four consecutive entries load as two v128.
// Twiddle tables use the "offset h" layout: entry h + j = ω_{2h}^j for j < h, h = 1, 2, 4, …; a table built for
// 2^k points serves every smaller size too.
//
// Memory is managed by the TypeScript host (prover/kernels/index.ts): every function takes pointers.

const P: u32 = 2013265921;

// Butterfly loops work one cache-sized block at a time once the butterfly span fits in it.
const LOG_BLOCK: u32 = 12;

@inline function madd(a: u32, b: u32): u32 {
  const s = a + b;
  return s >= P ? s - P : s;
}

@inline function msub(a: u32, b: u32): u32 {
  return a >= b ? a - b : a + P - b;
}

@inline function shoup(w: u32): u32 {
  return <u32>((<u64>w << 32) / <u64>P);
}

// a·w mod p given w' = shoup(w); a may be any u32.
@inline function smul(a: u32, w: u32, ws: u32): u32 {
  const q = <u32>((<u64>a * <u64>ws) >> 32);
  const r = a * w - q * P;
  return r >= P ? r - P : r;
}

@inline function vP(): v128 {
  return i32x4.splat(P);
}

// Four Shoup products a·w mod p (w, w' = shoup(w) lane-wise).
@inline function vmul(a: v128, w: v128, ws: v128): v128 {
  const q = i32x4.shuffle(i64x2.extmul_low_i32x4_u(a, ws), i64x2.extmul_high_i32x4_u(a, ws), 1, 3, 5, 7);
  const r = i32x4.sub(i32x4.mul(a, w), i32x4.mul(q, vP()));
  // r < 2p; if r < p then r − p wraps above r and min_u keeps r.
  return i32x4.min_u(r, i32x4.sub(r, vP()));
}

@inline function vadd(a: v128, b: v128): v128 {
  const s = i32x4.add(a, b);
  return i32x4.min_u(s, i32x4.sub(s, vP()));
}

@inline function vsub(a: v128, b: v128): v128 {
  const d = i32x4.sub(a, b);
  return i32x4.min_u(d, i32x4.add(d, vP()));
}

// Constant-table addressing (see the module comment).
@inline function cAddr(tab: usize, i: u32): usize {
  return tab + ((<usize>(i >> 2)) << 5) + ((<usize>(i & 3)) << 2);
}
@inline function cW(tab: usize, i: u32): u32 {
  return load<u32>(cAddr(tab, i));
}
@inline function cWs(tab: usize, i: u32): u32 {
  return load<u32>(cAddr(tab, i) + 16);
}
// Four entries i … i+3 (i a multiple of 4): w at the returned address, w' 16 bytes after.
@inline function cBlock(tab: usize, i: u32): usize {
  return tab + ((<usize>(i >> 2)) << 5);
}

/** ptr[j] = start · base^j mod p (canonical, plain u32) for j < n. Sequential and exact; used for tables only. */
export function fillPowers(ptr: usize, n: u32, base: u32, start: u32): void {
  let x = start;
  for (let j: u32 = 0; j < n; j++) {
    store<u32>(ptr + (<usize>j << 2), x);
    x = <u32>((<u64>x * <u64>base) % <u64>P);
  }
}

/** Constant-table entries first … first+n−1 of `tab` ← the n plain values at src (with their Shoup companions). */
export function toConstTable(src: usize, tab: usize, first: u32, n: u32): void {
  for (let j: u32 = 0; j < n; j++) {
    const w = load<u32>(src + (<usize>j << 2));
    const a = cAddr(tab, first + j);
    store<u32>(a, w);
    store<u32>(a + 16, shoup(w));
  }
}

/** x[i] ← x[i] · c for i < n (c canonical). */
export function scale(ptr: usize, n: u32, c: u32): void {
  const cs = shoup(c);
  const vc = i32x4.splat(c);
  const vcs = i32x4.splat(cs);
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) {
    const a = ptr + (<usize>i << 2);
    v128.store(a, vmul(v128.load(a), vc, vcs));
  }
  for (; i < n; i++) {
    const a = ptr + (<usize>i << 2);
    store<u32>(a, smul(load<u32>(a), c, cs));
  }
}

/** x[i] ← x[i] · t[i] for i < n (t a constant table). */
export function mulPointwise(ptr: usize, tab: usize, n: u32): void {
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = ptr + (<usize>i << 2);
    const b = cBlock(tab, i);
    v128.store(o, vmul(v128.load(o), v128.load(b), v128.load(b, 16)));
  }
  for (; i < n; i++) {
    const o = ptr + (<usize>i << 2);
    store<u32>(o, smul(load<u32>(o), cW(tab, i), cWs(tab, i)));
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
  const twh = cBlock(tw, h);
  const hb = <usize>h << 2;
  for (let b: u32 = 0; b < len; b += h << 1) {
    const base = ptr + (<usize>b << 2);
    let t = twh;
    for (let j: usize = 0; j < hb; j += 16) {
      const pa = base + j;
      const pb = pa + hb;
      const x = v128.load(pa);
      const y = v128.load(pb);
      v128.store(pa, vadd(x, y));
      v128.store(pb, vmul(vsub(x, y), v128.load(t), v128.load(t, 16)));
      t += 32;
    }
  }
}

@inline function ditStage(ptr: usize, len: u32, h: u32, tw: usize): void {
  const twh = cBlock(tw, h);
  const hb = <usize>h << 2;
  for (let b: u32 = 0; b < len; b += h << 1) {
    const base = ptr + (<usize>b << 2);
    let tp = twh;
    for (let j: usize = 0; j < hb; j += 16) {
      const pa = base + j;
      const pb = pa + hb;
      const x = v128.load(pa);
      const t = vmul(v128.load(pb), v128.load(tp), v128.load(tp, 16));
      tp += 32;
      v128.store(pa, vadd(x, t));
      v128.store(pb, vsub(x, t));
    }
  }
}

// Two DIF spans in one pass: span h = 2q then span q (q ≥ 4), over blocks of 4q. Same arithmetic as two
// difStage calls, with half the loads and stores of the data.
@inline function difStage2(ptr: usize, len: u32, q: u32, tw: usize): void {
  const twH = cBlock(tw, q << 1); // span 2q: entries 2q + j and 2q + j + q
  const twQ = cBlock(tw, q); // span q: entries q + j
  const qb = <usize>q << 2;
  const qt = <usize>q << 3; // byte distance between table entries j and j + q
  for (let b: u32 = 0; b < len; b += q << 2) {
    const base = ptr + (<usize>b << 2);
    let tH = twH;
    let tQ = twQ;
    for (let j: usize = 0; j < qb; j += 16) {
      const p0 = base + j;
      const x0 = v128.load(p0);
      const x1 = v128.load(p0 + qb);
      const x2 = v128.load(p0 + 2 * qb);
      const x3 = v128.load(p0 + 3 * qb);
      const y0 = vadd(x0, x2);
      const y2 = vmul(vsub(x0, x2), v128.load(tH), v128.load(tH, 16));
      const y1 = vadd(x1, x3);
      const y3 = vmul(vsub(x1, x3), v128.load(tH + qt), v128.load(tH + qt, 16));
      const wq = v128.load(tQ);
      const wqs = v128.load(tQ, 16);
      v128.store(p0, vadd(y0, y1));
      v128.store(p0 + qb, vmul(vsub(y0, y1), wq, wqs));
      v128.store(p0 + 2 * qb, vadd(y2, y3));
      v128.store(p0 + 3 * qb, vmul(vsub(y2, y3), wq, wqs));
      tH += 32;
      tQ += 32;
    }
  }
}

// Two DIT spans in one pass: span q then span 2q (q ≥ 4), over blocks of 4q.
@inline function ditStage2(ptr: usize, len: u32, q: u32, tw: usize): void {
  const twH = cBlock(tw, q << 1);
  const twQ = cBlock(tw, q);
  const qb = <usize>q << 2;
  const qt = <usize>q << 3;
  for (let b: u32 = 0; b < len; b += q << 2) {
    const base = ptr + (<usize>b << 2);
    let tH = twH;
    let tQ = twQ;
    for (let j: usize = 0; j < qb; j += 16) {
      const p0 = base + j;
      const x0 = v128.load(p0);
      const x1 = v128.load(p0 + qb);
      const x2 = v128.load(p0 + 2 * qb);
      const x3 = v128.load(p0 + 3 * qb);
      const wq = v128.load(tQ);
      const wqs = v128.load(tQ, 16);
      const t1 = vmul(x1, wq, wqs);
      const t3 = vmul(x3, wq, wqs);
      const y0 = vadd(x0, t1);
      const y1 = vsub(x0, t1);
      const y2 = vadd(x2, t3);
      const y3 = vsub(x2, t3);
      const u2 = vmul(y2, v128.load(tH), v128.load(tH, 16));
      const u3 = vmul(y3, v128.load(tH + qt), v128.load(tH + qt, 16));
      v128.store(p0, vadd(y0, u2));
      v128.store(p0 + 2 * qb, vsub(y0, u2));
      v128.store(p0 + qb, vadd(y1, u3));
      v128.store(p0 + 3 * qb, vsub(y1, u3));
      tH += 32;
      tQ += 32;
    }
  }
}

@inline function pairVec(x: u32, y: u32): v128 {
  return i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(x), 1, y), 2, x), 3, y);
}

// The two smallest DIF spans (h = 2, then h = 1) on 8 values at a time, with lane shuffles.
@inline function difLastTwo(ptr: usize, len: u32, tw: usize): void {
  const tw4 = pairVec(cW(tw, 1), cW(tw, 3)); // [ω_2^0, ω_4, ω_2^0, ω_4]: entries 1 and 2 + 1
  const tw4s = pairVec(cWs(tw, 1), cWs(tw, 3));
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const x = i32x4.shuffle(v0, v1, 0, 1, 4, 5);
    const y = i32x4.shuffle(v0, v1, 2, 3, 6, 7);
    const xs = vadd(x, y);
    const yd = vmul(vsub(x, y), tw4, tw4s);
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
  const tw4 = pairVec(cW(tw, 1), cW(tw, 3)); // [ω_2^0, ω_4, ω_2^0, ω_4]: entries 1 and 2 + 1
  const tw4s = pairVec(cWs(tw, 1), cWs(tw, 3));
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const x = i32x4.shuffle(v0, v1, 0, 2, 4, 6);
    const y = i32x4.shuffle(v0, v1, 1, 3, 5, 7);
    const s = vadd(x, y);
    const d = vsub(x, y);
    const X = i32x4.shuffle(s, d, 0, 4, 2, 6);
    const Y = vmul(i32x4.shuffle(s, d, 1, 5, 3, 7), tw4, tw4s);
    const a = vadd(X, Y);
    const b = vsub(X, Y);
    v128.store(p0, i32x4.shuffle(a, b, 0, 1, 4, 5));
    v128.store(p0 + 16, i32x4.shuffle(a, b, 2, 3, 6, 7));
  }
}

// DIT span h = 2 alone (used when the LDE spread already did span 1).
@inline function ditSpan2(ptr: usize, len: u32, tw: usize): void {
  const tw4 = pairVec(cW(tw, 1), cW(tw, 3)); // [ω_2^0, ω_4, ω_2^0, ω_4]: entries 1 and 2 + 1
  const tw4s = pairVec(cWs(tw, 1), cWs(tw, 3));
  for (let i: u32 = 0; i < len; i += 8) {
    const p0 = ptr + (<usize>i << 2);
    const v0 = v128.load(p0);
    const v1 = v128.load(p0 + 16);
    const X = i32x4.shuffle(v0, v1, 0, 1, 4, 5);
    const Y = vmul(i32x4.shuffle(v0, v1, 2, 3, 6, 7), tw4, tw4s);
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
        store<u32>(pb, smul(msub(x, y), cW(tw, h + j), cWs(tw, h + j)));
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
        const t = smul(load<u32>(pb), cW(tw, h + j), cWs(tw, h + j));
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
  // Spans wider than a block: whole-array passes, two spans per pass where both qualify.
  let h: u32 = n >> 1;
  while (h >= block) {
    if (h >> 1 >= block && h >> 1 >= 4) {
      difStage2(ptr, n, h >> 1, tw);
      h >>= 2;
    } else {
      difStage(ptr, n, h, tw);
      h >>= 1;
    }
  }
  // The rest, block by block, so each block stays in L1/L2.
  for (let b: u32 = 0; b < n; b += block) {
    const bp = ptr + (<usize>b << 2);
    let hh = h;
    for (; hh >= 8; hh >>= 2) difStage2(bp, block, hh >> 1, tw);
    if (hh == 4) difStage(bp, block, 4, tw);
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
    for (; hh << 1 < block; hh <<= 2) ditStage2(bp, block, hh, tw);
    if (hh < block) ditStage(bp, block, hh, tw);
  }
  let h: u32 = hFirst > block ? hFirst : block;
  for (; h << 1 < n; h <<= 2) ditStage2(ptr, n, h, tw);
  if (h < n) ditStage(ptr, n, h, tw);
}

/**
 * LDE middle step: src holds n = 2^logN coefficients in bit-reversed order (as DIF leaves them, still
 * unscaled); dst receives n·2^logB values, the bit-reversed order of the zero-padded, coset-scaled coefficient
 * vector after its first logB DIT spans: these spans only copy each coefficient across a run of 2^logB slots.
 * t is a constant table: entry i is the factor for the coefficient at bit-reversed position i.
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
      const tb = cBlock(t, i);
      const v = vmul(v128.load(src + o), v128.load(tb), v128.load(tb, 16));
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
    const x = smul(load<u32>(src + (<usize>i << 2)), cW(t, i), cWs(t, i));
    const d = dst + (<usize>(i << logB) << 2);
    for (let r: u32 = 0; r < bsz; r++) store<u32>(d + (<usize>r << 2), x);
  }
}

/**
 * dst[i] ← dst[i] + src[i] · t[i mod 2^logP] for i < n (n a multiple of 4; t a constant table of max(2^logP, 4)
 * entries, a shorter period repeated by the host). The zero-knowledge tail of a column: on the LDE coset x^m is
 * periodic with period N/m, so adding x^m·r(x) (or (x^m − 1)·r(x)) to an LDE is one pass with a small table.
 */
export function addMulPeriodic(dst: usize, src: usize, n: u32, tab: usize, logP: u32): void {
  const mask: u32 = (logP < 2 ? 4 : <u32>1 << logP) - 1;
  for (let i: u32 = 0; i < n; i += 4) {
    const o = <usize>i << 2;
    const b = cBlock(tab, i & mask);
    v128.store(dst + o, vadd(v128.load(dst + o), vmul(v128.load(src + o), v128.load(b), v128.load(b, 16))));
  }
}
