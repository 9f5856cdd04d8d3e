// Verifiable MNIST training guest (issue 7). Float-free Q16.16 MLP training with the recipe of
// ../../../shared/reference/mnist-reference.md, bit-identical to cli/mnist/fixed-reference.ts.
// Input and journal layouts: cli/mnist/guest-io.ts; data layouts and costs: docs/mnist.md.
//
// Cost design: every inner loop is one coprocessor instruction, so cycles ≈ multiply-accumulates.
//   forward      z[b][j]  = DOT(a[b][·], W[j][·])            contiguous, length n_in, acc = bias << 16
//   gradients    gW[j][k] = DOT(a[·][k], δ[·][j])            strides n_in, n_out, length B, shift 16+log2 B
//                gb[j]    = DOT(δ[·][j], 1)                   stride 0 on a constant 1, shift log2 B
//   back-prop    δ'[b][k] = DOT(δ[b][·], W[·][k])            stride n_in over W, skipped where a ≤ 0
//   update       θ += R(−lr·g, 16)                            ONE AXPY over all parameters
// Memory: every buffer is allocated up front and nothing afterwards (no allocation in the training loop).

import { axpy, commit, commitU32, commitU64, dataLen, dataPtr, dot, read, readU32 } from "zkvm-guest";
import {
  epochKeys, expNeg, feistelHalfBits, FEISTEL_ROUNDS, initKey, initStdRaw, initWeight, lnAtLeastOne, permute,
} from "./lib/mathlib";
import { sha256, sha256Init } from "./lib/sha256";

const INPUT_MAGIC: u32 = 0x31544e4d; // "MNT1"
const JOURNAL_MAGIC: u32 = 0x314a4e4d; // "MNJ1"
const PIXELS: i32 = 784;
const MAX_LAYERS: i32 = 8;
const MAX_WIDTH: i32 = 4096;
const MAX_BATCH: i32 = 4096;

/** The mean loss is signed; the journal carries its two's-complement bytes (same as store<i64>). */
function commitI64(v: i64): void {
  commitU64(<u64>v);
}

// Network shape, filled by main.
let L: i32 = 0; // number of weight layers
let sizes: usize = 0; // u32[L + 1]
let offW: usize = 0; // u32[L + 1], offW[l] = byte offset of W_l in params (l = 1..L)
let offB: usize = 0; // u32[L + 1], byte offset of b_l
let params: usize = 0;
let paramCount: i32 = 0;

@inline function width(l: i32): i32 {
  return load<i32>(sizes + 4 * l);
}
@inline function wPtr(l: i32): usize {
  return params + load<u32>(offW + 4 * l);
}
@inline function bPtr(l: i32): usize {
  return params + load<u32>(offB + 4 * l);
}

export function main(): void {
  sha256Init();
  assert(readU32() == INPUT_MAGIC, "input does not start with MNT1");
  const mode = readU32();
  assert(mode <= 1, "mode must be 0 (train) or 1 (eval)");
  const nSizes = <i32>readU32();
  assert(nSizes >= 2 && nSizes <= MAX_LAYERS, "need 2..8 layer widths");
  L = nSizes - 1;
  sizes = heap.alloc(4 * nSizes);
  read(sizes, 4 * nSizes);
  for (let l = 0; l <= L; l++) assert(width(l) >= 1 && width(l) <= MAX_WIDTH, "layer width outside 1..4096");
  assert(width(0) == PIXELS, "input width must be 784");
  assert(width(L) == 10, "output width must be 10");
  const batch = <i32>readU32();
  const lrRaw = <i32>readU32();
  const seed = readU32();
  const samples = <i32>readU32();
  const startBatch = readU32();
  const numBatches = readU32();
  const weightsSource = readU32();
  assert(weightsSource <= 1, "weights source must be 0 (seed) or 1 (input)");
  assert(samples >= 1, "samples must be positive");

  // Parameter layout: per layer W_l (n_l rows of n_(l−1)) then b_l.
  offW = heap.alloc(4 * nSizes);
  offB = heap.alloc(4 * nSizes);
  let off: u32 = 0;
  for (let l = 1; l <= L; l++) {
    store<u32>(offW + 4 * l, 4 * off);
    off += <u32>(width(l - 1) * width(l));
    store<u32>(offB + 4 * l, 4 * off);
    off += <u32>width(l);
  }
  paramCount = <i32>off;
  params = heap.alloc(4 * paramCount);
  if (weightsSource == 1) read(params, 4 * paramCount);
  else initParams(seed);

  commitU32(JOURNAL_MAGIC);
  commitU32(mode);
  commitU32(<u32>nSizes);
  commit(sizes, 4 * nSizes);
  commitU32(<u32>batch);
  commitU32(<u32>lrRaw);
  commitU32(seed);
  commitU32(<u32>samples);
  commitU32(startBatch);
  commitU32(numBatches);
  commitU32(weightsSource);
  const digest = heap.alloc(32);
  sha256(params, 4 * paramCount, digest);
  commit(digest, 32);

  if (mode == 0) {
    assert(batch >= 1 && batch <= MAX_BATCH && (batch & (batch - 1)) == 0, "batch must be a power of two ≤ 4096");
    assert(lrRaw > 0, "learning rate must be positive");
    // The batch loop and the committed sample count are u32: refuse ranges that would wrap.
    assert(<u64>startBatch + <u64>numBatches <= <u64>u32.MAX_VALUE, "batch range overflows u32");
    assert(<u64>numBatches * <u64>batch <= <u64>u32.MAX_VALUE, "sample count overflows u32");
    const meanLoss = train(batch, lrRaw, seed, samples, startBatch, numBatches);
    sha256(params, 4 * paramCount, digest);
    commit(digest, 32);
    commitI64(meanLoss);
    commitU32(numBatches * <u32>batch);
  } else {
    const correct = evaluate(samples);
    commitU32(<u32>correct);
    commitU32(<u32>samples);
  }
}

/** He-normal hidden layers, Glorot-normal output layer, zero biases (fixed-math.ts initParams). */
function initParams(seed: u32): void {
  for (let l = 1; l <= L; l++) {
    const nIn = width(l - 1);
    const nOut = width(l);
    const std = initStdRaw(<u32>(l == L ? nIn + nOut : nIn));
    const key = initKey(seed, <u32>l);
    const w = wPtr(l);
    const n = nIn * nOut;
    for (let t = 0; t < n; t++) store<i32>(w + 4 * t, initWeight(key, <u32>t, std));
    memory.fill(bPtr(l), 0, 4 * nOut);
  }
}

/** dst[k] = table[src[k]] for the 784 pixels of one image, unrolled by 8 (784 = 98·8). */
function convertPixels(src: usize, dst: usize, table: usize): void {
  const end = src + PIXELS;
  while (src < end) {
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src) << 2)));
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 1) << 2)), 4);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 2) << 2)), 8);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 3) << 2)), 12);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 4) << 2)), 16);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 5) << 2)), 20);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 6) << 2)), 24);
    store<i32>(dst, load<i32>(table + (<usize>load<u8>(src, 7) << 2)), 28);
    src += 8;
    dst += 32;
  }
}

/** Q16.16 of each pixel value: (p·65536 + 127) / 255. */
function pixelTable(): usize {
  const t = heap.alloc(4 * 256);
  for (let p = 0; p < 256; p++) store<i32>(t + 4 * p, (p * 65536 + 127) / 255);
  return t;
}

function train(B: i32, lrRaw: i32, seed: u32, samples: i32, startBatch: u32, numBatches: u32): i64 {
  const logB = ctz(B);
  // Buffers: acts[l] = B × n_l (acts[0] = inputs, acts[L] = logits), deltas[l] = B × n_l, grads.
  const acts = heap.alloc(4 * (L + 1));
  const deltas = heap.alloc(4 * (L + 1));
  for (let l = 0; l <= L; l++) {
    store<usize>(acts + 4 * l, heap.alloc(4 * B * width(l)));
    store<usize>(deltas + 4 * l, l == 0 ? 0 : heap.alloc(4 * B * width(l)));
  }
  const grads = heap.alloc(4 * paramCount);
  const sampleIdx = heap.alloc(4 * B);
  const keys = heap.alloc(4 * FEISTEL_ROUNDS);
  const one = heap.alloc(4);
  store<i32>(one, 1);
  const pix = pixelTable();
  // Data segments last: nothing is allocated after this point.
  const images = dataPtr("train-images");
  const labels = dataPtr("train-labels");
  const available = <i32>dataLen("train-labels");
  assert(<usize>available * PIXELS == dataLen("train-images"), "train-images and train-labels disagree");
  assert(samples <= available, "more samples requested than the dataset holds");
  const bpe = <u32>(samples / B);
  assert(bpe >= 1, "samples do not fill one batch");
  const h = feistelHalfBits(<u32>samples);

  let lossSum: i64 = 0;
  let keyEpoch: u32 = 0xffffffff;
  const a0 = load<usize>(acts);
  for (let g: u32 = startBatch; g < startBatch + numBatches; g++) {
    const epoch = g / bpe;
    if (epoch != keyEpoch) {
      epochKeys(seed, epoch, keys);
      keyEpoch = epoch;
    }
    const base = (g - epoch * bpe) * <u32>B;
    // Gather the batch: sample order from the seed, pixels → Q16.16 by table.
    for (let b = 0; b < B; b++) {
      const s = permute(keys, h, base + <u32>b, <u32>samples);
      store<u32>(sampleIdx + 4 * b, s);
      convertPixels(images + <usize>s * PIXELS, a0 + 4 * b * PIXELS, pix);
    }
    // Forward.
    for (let l = 1; l <= L; l++) {
      const nIn = width(l - 1);
      const nOut = width(l);
      const aIn = load<usize>(acts + 4 * (l - 1));
      const aOut = load<usize>(acts + 4 * l);
      const w = wPtr(l);
      const bias = bPtr(l);
      const relu = l < L;
      for (let b = 0; b < B; b++) {
        const x = aIn + 4 * b * nIn;
        const out = aOut + 4 * b * nOut;
        for (let j = 0; j < nOut; j++) {
          const z = dot(x, w + 4 * j * nIn, nIn, 1, 1, <i64>load<i32>(bias + 4 * j) << 16, 16);
          store<i32>(out + 4 * j, relu && z < 0 ? 0 : z);
        }
      }
    }
    // Softmax, output delta (p − onehot), loss.
    const nOut = width(L);
    const logits = load<usize>(acts + 4 * L);
    const dOut = load<usize>(deltas + 4 * L);
    for (let b = 0; b < B; b++) {
      const label = <i32>load<u8>(labels + <usize>load<u32>(sampleIdx + 4 * b));
      lossSum += softmaxDelta(logits + 4 * b * nOut, dOut + 4 * b * nOut, nOut, label);
    }
    // Backward: gradients of layer l, then δ of layer l − 1 with the old weights.
    for (let l = L; l >= 1; l--) {
      const nIn = width(l - 1);
      const nO = width(l);
      const aIn = load<usize>(acts + 4 * (l - 1));
      const d = load<usize>(deltas + 4 * l);
      let gw = grads + load<u32>(offW + 4 * l);
      const shW = 16 + logB;
      const nIn8 = nIn & ~7;
      for (let j = 0; j < nO; j++) {
        const dj = d + 4 * j;
        let x = aIn;
        // Unrolled by 8: the loop bookkeeping is paid once per 8 weights (784, 256, 128, 64 are multiples of 8).
        const end8 = aIn + 4 * nIn8;
        while (x < end8) {
          store<i32>(gw, dot(x, dj, B, nIn, nO, 0, shW));
          store<i32>(gw, dot(x + 4, dj, B, nIn, nO, 0, shW), 4);
          store<i32>(gw, dot(x + 8, dj, B, nIn, nO, 0, shW), 8);
          store<i32>(gw, dot(x + 12, dj, B, nIn, nO, 0, shW), 12);
          store<i32>(gw, dot(x + 16, dj, B, nIn, nO, 0, shW), 16);
          store<i32>(gw, dot(x + 20, dj, B, nIn, nO, 0, shW), 20);
          store<i32>(gw, dot(x + 24, dj, B, nIn, nO, 0, shW), 24);
          store<i32>(gw, dot(x + 28, dj, B, nIn, nO, 0, shW), 28);
          gw += 32;
          x += 32;
        }
        for (let k = nIn8; k < nIn; k++) {
          store<i32>(gw, dot(x, dj, B, nIn, nO, 0, shW));
          gw += 4;
          x += 4;
        }
      }
      const gb = grads + load<u32>(offB + 4 * l);
      for (let j = 0; j < nO; j++) store<i32>(gb + 4 * j, dot(d + 4 * j, one, B, nO, 0, 0, logB));
      if (l > 1) {
        const dPrev = load<usize>(deltas + 4 * (l - 1));
        const w = wPtr(l);
        for (let b = 0; b < B; b++) {
          const db = d + 4 * b * nO;
          const ab = aIn + 4 * b * nIn;
          const pb = dPrev + 4 * b * nIn;
          for (let k = 0; k < nIn; k++) {
            // a ≤ 0 means ReLU was inactive: the derivative is 0, no need to pay for the DOT.
            const v = load<i32>(ab + 4 * k) > 0 ? dot(db, w + 4 * k, nO, 1, nIn, 0, 16) : 0;
            store<i32>(pb + 4 * k, v);
          }
        }
      }
    }
    // SGD step on every parameter at once.
    axpy(params, grads, paramCount, 1, 1, -lrRaw, 16);
  }
  const count = <i64>numBatches * <i64>B;
  return count == 0 ? 0 : (lossSum + count / 2) / count;
}

/** Softmax of z[0..n), writes δ = p − onehot·2^16 to out, returns the loss ln S − (z_label − max). */
function softmaxDelta(z: usize, out: usize, n: i32, label: i32): i64 {
  let mx = load<i32>(z);
  for (let j = 1; j < n; j++) mx = max(mx, load<i32>(z + 4 * j));
  let S: i64 = 0;
  for (let j = 0; j < n; j++) {
    let d = <i64>load<i32>(z + 4 * j) - <i64>mx;
    if (d < <i64>i32.MIN_VALUE) d = <i64>i32.MIN_VALUE;
    const e = expNeg(<i32>d);
    store<i32>(out + 4 * j, e);
    S += e;
  }
  const half = S >> 1;
  for (let j = 0; j < n; j++) {
    const p = <i32>(((<i64>load<i32>(out + 4 * j) << 16) + half) / S);
    store<i32>(out + 4 * j, p - (j == label ? 65536 : 0));
  }
  return <i64>lnAtLeastOne(<i32>S) - (<i64>load<i32>(z + 4 * label) - <i64>mx);
}

/** Test accuracy: correct classifications among the first m test images (argmax, first on ties). */
function evaluate(m: i32): i32 {
  let maxW = PIXELS;
  for (let l = 1; l <= L; l++) maxW = max(maxW, width(l));
  const bufA = heap.alloc(4 * maxW);
  const bufB = heap.alloc(4 * maxW);
  const pix = pixelTable();
  const images = dataPtr("test-images");
  const labels = dataPtr("test-labels");
  const available = <i32>dataLen("test-labels");
  assert(<usize>available * PIXELS == dataLen("test-images"), "test-images and test-labels disagree");
  assert(m <= available, "more test samples requested than the dataset holds");
  let correct = 0;
  for (let i = 0; i < m; i++) {
    const src = images + <usize>i * PIXELS;
    convertPixels(src, bufA, pix);
    let x = bufA;
    let y = bufB;
    for (let l = 1; l <= L; l++) {
      const nIn = width(l - 1);
      const nOut = width(l);
      const w = wPtr(l);
      const bias = bPtr(l);
      for (let j = 0; j < nOut; j++) {
        const z = dot(x, w + 4 * j * nIn, nIn, 1, 1, <i64>load<i32>(bias + 4 * j) << 16, 16);
        store<i32>(y + 4 * j, l < L && z < 0 ? 0 : z);
      }
      const t = x;
      x = y;
      y = t;
    }
    let best = 0;
    for (let j = 1; j < 10; j++) if (load<i32>(x + 4 * j) > load<i32>(x + 4 * best)) best = j;
    if (best == <i32>load<u8>(labels + i)) correct++;
  }
  return correct;
}
