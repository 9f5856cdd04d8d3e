// SHA-256 of many independent messages, four at a time: lane i of every v128 belongs to message i.
//
// Message k of a batch = prefix byte ‖ src[k·stride, k·stride + itemBytes) ‖ salt[k·saltBytes, (k+1)·saltBytes).
// This one shape covers Merkle leaves (prefix 0x00, a row of u32le values, optional salt) and inner nodes
// (prefix 0x01, two adjacent 32-byte child digests: stride 64, itemBytes 64). Digests are written as the usual
// 32 big-endian bytes, 32 bytes apart, so a level's output is directly the next level's input.

const K_PTR: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

// Message schedule of the current block: 64 words × 4 lanes.
const W_PTR: usize = memory.data(64 * 16, 16);

@inline function rotr(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

@inline function bigSigma0(a: v128): v128 {
  return v128.xor(v128.xor(rotr(a, 2), rotr(a, 13)), rotr(a, 22));
}
@inline function bigSigma1(e: v128): v128 {
  return v128.xor(v128.xor(rotr(e, 6), rotr(e, 11)), rotr(e, 25));
}
@inline function smallSigma0(x: v128): v128 {
  return v128.xor(v128.xor(rotr(x, 7), rotr(x, 18)), i32x4.shr_u(x, 3));
}
@inline function smallSigma1(x: v128): v128 {
  return v128.xor(v128.xor(rotr(x, 17), rotr(x, 19)), i32x4.shr_u(x, 10));
}

// T1 = h + Σ1(e) + Ch(e, f, g) + (K[t] + W[t]);  Ch(e, f, g) = e ? f : g, bit by bit.
@inline function roundT1(e: v128, f: v128, g: v128, h: v128, kw: usize): v128 {
  const ch = v128.bitselect(f, g, e);
  return i32x4.add(i32x4.add(h, bigSigma1(e)), i32x4.add(ch, v128.load(kw)));
}

// T2 = Σ0(a) + Maj(a, b, c);  Maj = a where a and b agree, else c.
@inline function roundT2(a: v128, b: v128, c: v128): v128 {
  const maj = v128.bitselect(c, a, v128.xor(a, b));
  return i32x4.add(bigSigma0(a), maj);
}

// Load words 4g … 4g+3 of the block of each of the four messages and transpose them into lanes, byte-swapping
// (SHA-256 reads big-endian words) in the same shuffles.
@inline function loadWords(m0: usize, m1: usize, m2: usize, m3: usize, g: usize): void {
  const o = g << 4;
  const a = v128.load(m0 + o);
  const b = v128.load(m1 + o);
  const c = v128.load(m2 + o);
  const d = v128.load(m3 + o);
  const t0 = i8x16.shuffle(a, b, 3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20);
  const t1 = i8x16.shuffle(a, b, 11, 10, 9, 8, 27, 26, 25, 24, 15, 14, 13, 12, 31, 30, 29, 28);
  const t2 = i8x16.shuffle(c, d, 3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20);
  const t3 = i8x16.shuffle(c, d, 11, 10, 9, 8, 27, 26, 25, 24, 15, 14, 13, 12, 31, 30, 29, 28);
  const w = W_PTR + (g << 6);
  v128.store(w, i64x2.shuffle(t0, t2, 0, 2));
  v128.store(w + 16, i64x2.shuffle(t0, t2, 1, 3));
  v128.store(w + 32, i64x2.shuffle(t1, t3, 0, 2));
  v128.store(w + 48, i64x2.shuffle(t1, t3, 1, 3));
}

@inline function storeDigestWord(out: usize, lanes: u32, k: usize, h: v128): void {
  store<u32>(out + (k << 2), bswap<u32>(i32x4.extract_lane(h, 0)));
  if (lanes > 1) store<u32>(out + 32 + (k << 2), bswap<u32>(i32x4.extract_lane(h, 1)));
  if (lanes > 2) store<u32>(out + 64 + (k << 2), bswap<u32>(i32x4.extract_lane(h, 2)));
  if (lanes > 3) store<u32>(out + 96 + (k << 2), bswap<u32>(i32x4.extract_lane(h, 3)));
}

/** Bytes of scratch `hashBatch` needs for messages of `itemBytes + saltBytes` payload. */
export function scratchBytes(itemBytes: u32, saltBytes: u32): u32 {
  return 4 * paddedBytes(1 + itemBytes + saltBytes);
}

@inline function paddedBytes(len: u32): u32 {
  return ((len + 8) / 64 + 1) * 64;
}

/**
 * Hash `count` messages (shape in the module comment) into out[32k … 32k+32). `scratch` must hold
 * scratchBytes(itemBytes, saltBytes) bytes and not overlap anything else.
 */
export function hashBatch(
  src: usize, stride: u32, itemBytes: u32, prefix: u32, salt: usize, saltBytes: u32, count: u32, out: usize, scratch: usize,
): void {
  const len = 1 + itemBytes + saltBytes;
  const padded = paddedBytes(len);
  const blocks = padded >> 6;
  const bitLen: u64 = <u64>len << 3;
  // Padding never changes between messages: lay it out once per lane.
  for (let l: u32 = 0; l < 4; l++) {
    const m = scratch + <usize>(l * padded);
    memory.fill(m, 0, padded);
    store<u8>(m, <u8>prefix);
    store<u8>(m + len, 0x80);
    store<u64>(m + padded - 8, bswap<u64>(bitLen));
  }
  const m0 = scratch;
  const m1 = scratch + padded;
  const m2 = scratch + 2 * padded;
  const m3 = scratch + 3 * padded;

  for (let k: u32 = 0; k < count; k += 4) {
    const lanes = count - k < 4 ? count - k : 4;
    // Fill the payload of each lane; spare lanes repeat the last message and are not stored.
    for (let l: u32 = 0; l < 4; l++) {
      const idx = k + (l < lanes ? l : lanes - 1);
      const m = scratch + <usize>(l * padded);
      memory.copy(m + 1, src + <usize>idx * <usize>stride, itemBytes);
      if (saltBytes != 0) memory.copy(m + 1 + itemBytes, salt + <usize>idx * <usize>saltBytes, saltBytes);
    }
    let h0 = i32x4.splat(0x6a09e667);
    let h1 = i32x4.splat(0xbb67ae85);
    let h2 = i32x4.splat(0x3c6ef372);
    let h3 = i32x4.splat(0xa54ff53a);
    let h4 = i32x4.splat(0x510e527f);
    let h5 = i32x4.splat(0x9b05688c);
    let h6 = i32x4.splat(0x1f83d9ab);
    let h7 = i32x4.splat(0x5be0cd19);
    for (let bl: u32 = 0; bl < blocks; bl++) {
      const bo = <usize>(bl << 6);
      loadWords(m0 + bo, m1 + bo, m2 + bo, m3 + bo, 0);
      loadWords(m0 + bo, m1 + bo, m2 + bo, m3 + bo, 1);
      loadWords(m0 + bo, m1 + bo, m2 + bo, m3 + bo, 2);
      loadWords(m0 + bo, m1 + bo, m2 + bo, m3 + bo, 3);
      for (let t: usize = 16; t < 64; t++) {
        const w = W_PTR + (t << 4);
        const x = i32x4.add(
          i32x4.add(smallSigma1(v128.load(w - 32)), v128.load(w - 112)),
          i32x4.add(smallSigma0(v128.load(w - 240)), v128.load(w - 256)),
        );
        v128.store(w, x);
      }
      // K[t] + W[t] for every round at once, off the rounds' dependency chain.
      for (let t: usize = 0; t < 64; t++) {
        const w = W_PTR + (t << 4);
        v128.store(w, i32x4.add(v128.load(w), i32x4.splat(load<u32>(K_PTR + (t << 2)))));
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (let t: usize = 0; t < 64; t++) {
        const t1 = roundT1(e, f, g, h, W_PTR + (t << 4));
        const t2 = roundT2(a, b, c);
        h = g;
        g = f;
        f = e;
        e = i32x4.add(d, t1);
        d = c;
        c = b;
        b = a;
        a = i32x4.add(t1, t2);
      }
      h0 = i32x4.add(h0, a);
      h1 = i32x4.add(h1, b);
      h2 = i32x4.add(h2, c);
      h3 = i32x4.add(h3, d);
      h4 = i32x4.add(h4, e);
      h5 = i32x4.add(h5, f);
      h6 = i32x4.add(h6, g);
      h7 = i32x4.add(h7, h);
    }
    const o = out + (<usize>k << 5);
    storeDigestWord(o, lanes, 0, h0);
    storeDigestWord(o, lanes, 1, h1);
    storeDigestWord(o, lanes, 2, h2);
    storeDigestWord(o, lanes, 3, h3);
    storeDigestWord(o, lanes, 4, h4);
    storeDigestWord(o, lanes, 5, h5);
    storeDigestWord(o, lanes, 6, h6);
    storeDigestWord(o, lanes, 7, h7);
  }
}

/** The first free byte above the module's static data; the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
