// Exact Q16.16 emulator of the training guest: the same integer operations, the same order of
// samples, the same rounding, so its final parameters (and their SHA-256) equal the guest's bit for
// bit. The recipe (../shared/reference/mnist-reference.md), with R(a, s) = (a + 2^(s−1)) >> s:
//   forward    z_j = R(b_j·2^16 + Σ_k a_k·W_jk, 16); hidden a = max(z, 0)
//   softmax    d = z − max z; e = expNeg(d); S = Σ e; p = ⌊(e·2^16 + ⌊S/2⌋) / S⌋; δ = p − onehot·2^16
//   loss       lnAtLeastOne(S) − d_label  (= −ln p_label), summed in i64
//   gradients  gW_jk = R(Σ_b a_bk·δ_bj, 16 + log2 B);  gb_j = R(Σ_b δ_bj, log2 B)
//   back-prop  δ'_bk = a_bk > 0 ? R(Σ_j δ_bj·W_jk, 16) : 0   (old W; the guest skips the DOT when 0)
//   update     θ ← θ + R((−lr)·g, 16)   (one AXPY over all parameters; note R(−x) may differ from −R(x)
//              on exact ties, we use the AXPY form both in guest and here)
// Every DOT/AXPY result outside i32 raises FixedPointOverflow, as the instructions trap.
//
// Exactness: sums are accumulated in doubles, in any order, which is exact while every partial sum
// stays below 2^53. Before each operation we bound it (n · max|x| · max|y| + |acc|); if the bound is
// ≥ 2^53 that operation runs through an exact BigInt path with the i64 wrap of the DOT instruction
// (never taken in the recipe's runs, where the sums stay below 2^48).

import { paramCount } from "./config.ts";
import { expNeg, lnAtLeastOne } from "./fixed-math.ts";
import type { MnistSet } from "./idx.ts";
import { PIXELS } from "./idx.ts";
import { initParams, layerOffsets, type LayerOffsets } from "./model.ts";
import { PIXEL_RAW, Schedule } from "./schedule.ts";

export class FixedPointOverflow extends Error {
  readonly kind = "FixedPointOverflow";
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

const EXACT = 2 ** 53;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

function fitI32(v: number, what: string): number {
  if (v < I32_MIN || v > I32_MAX) throw new FixedPointOverflow(`${what}: ${v} does not fit in i32`);
  return v;
}

/** R(a, s) for an exact integer a (number, |a| < 2^53) and s ≥ 0. */
function rnd(a: number, s: number): number {
  return s === 0 ? a : Math.floor((a + 2 ** (s - 1)) / 2 ** s);
}

/** R(a mod 2^64 as i64, s) through BigInt: the DOT instruction's exact semantics for any magnitude. */
function rndBig(a: bigint, s: number): number {
  const w = BigInt.asIntN(64, a);
  return Number(s === 0 ? w : (w + (1n << BigInt(s - 1))) >> BigInt(s));
}

function maxAbs(a: Int32Array, from = 0, to = a.length): number {
  let m = 0;
  for (let i = from; i < to; i++) {
    const v = a[i]!;
    const x = v < 0 ? -v : v;
    if (x > m) m = x;
  }
  return m;
}

export interface FixedNetSpec {
  readonly layers: readonly number[];
  readonly batch: number;
  readonly lrRaw: number;
  readonly seed: number;
  /** N: the first N training samples form the dataset. */
  readonly samples: number;
}

export interface BatchRangeResult {
  /** Σ per-sample loss (Q16.16 raw, an exact integer). */
  readonly lossSum: number;
  readonly samplesTrained: number;
  /** ⌊(lossSum + ⌊count/2⌋) / count⌋, as the guest commits it. */
  readonly meanLossRaw: number;
}

/** Stateful emulator: holds the parameters, trains global batches in order. */
export class FixedTrainer {
  readonly params: Int32Array;
  /** Operations (a layer's forward, gradient, back-prop, or the update) that needed the BigInt path. */
  bigIntFallbacks = 0;
  private readonly offs: LayerOffsets[];
  private readonly schedule: Schedule;
  private readonly logB: number;
  private readonly acts: Int32Array[]; // acts[l]: B × n_l (acts[0] = inputs, acts[L] = logits)
  private readonly deltas: Int32Array[]; // deltas[l]: B × n_l, l ≥ 1
  private readonly grads: Int32Array;
  private readonly sampleIdx: Int32Array;
  private readonly scratch: Float64Array;

  constructor(readonly spec: FixedNetSpec, private readonly data: MnistSet, start?: Int32Array) {
    const { layers, batch, samples } = spec;
    if (samples > data.images.count) throw new RangeError(`${samples} samples requested, dataset has ${data.images.count}`);
    this.params = start === undefined ? initParams(layers, spec.seed) : Int32Array.from(start);
    if (this.params.length !== paramCount(layers)) throw new RangeError("parameter count does not match the layers");
    this.offs = layerOffsets(layers);
    this.schedule = new Schedule(spec.seed, samples, batch);
    this.logB = Math.log2(batch);
    this.acts = layers.map((n) => new Int32Array(batch * n));
    this.deltas = layers.map((n, l) => new Int32Array(l === 0 ? 0 : batch * n));
    this.grads = new Int32Array(this.params.length);
    this.sampleIdx = new Int32Array(batch);
    let maxWeights = 0;
    for (const o of this.offs) maxWeights = Math.max(maxWeights, o.nIn * o.nOut);
    this.scratch = new Float64Array(maxWeights);
  }

  get batchesPerEpoch(): number {
    return this.schedule.batchesPerEpoch;
  }

  /** Trains global batches [startBatch, startBatch + numBatches). */
  trainBatches(startBatch: number, numBatches: number): BatchRangeResult {
    let lossSum = 0;
    for (let g = startBatch; g < startBatch + numBatches; g++) lossSum += this.trainBatch(g);
    const count = numBatches * this.spec.batch;
    const meanLossRaw = count === 0 ? 0 : Math.floor((lossSum + Math.floor(count / 2)) / count);
    return { lossSum, samplesTrained: count, meanLossRaw };
  }

  private trainBatch(g: number): number {
    const B = this.spec.batch;
    const L = this.offs.length;
    this.schedule.batchSamples(g, this.sampleIdx);
    const x = this.acts[0]!;
    const pix = this.data.images.pixels;
    for (let b = 0; b < B; b++) {
      const src = this.sampleIdx[b]! * PIXELS;
      for (let k = 0; k < PIXELS; k++) x[b * PIXELS + k] = PIXEL_RAW[pix[src + k]!]!;
    }
    // Forward, layer by layer over the whole batch.
    for (let l = 1; l <= L; l++) this.forwardLayer(l, l === L);
    // Softmax, output delta, loss.
    let lossSum = 0;
    const nOut = this.spec.layers[L]!;
    const z = this.acts[L]!;
    const dL = this.deltas[L]!;
    for (let b = 0; b < B; b++) {
      const label = this.data.labels.labels[this.sampleIdx[b]!]!;
      lossSum += softmaxDelta(z, b * nOut, nOut, label, dL);
    }
    // Backward: gradients of layer l, then δ of layer l−1 with the old weights.
    for (let l = L; l >= 1; l--) {
      this.gradients(l);
      if (l > 1) this.backprop(l);
    }
    this.update();
    return lossSum;
  }

  private forwardLayer(l: number, isOutput: boolean): void {
    const o = this.offs[l - 1]!;
    const B = this.spec.batch;
    const p = this.params;
    const a = this.acts[l - 1]!;
    const out = this.acts[l]!;
    const bound = o.nIn * maxAbs(a) * maxAbs(p, o.w, o.b) + maxAbs(p, o.b, o.b + o.nOut) * 65536;
    const fast = bound < EXACT;
    if (!fast) this.bigIntFallbacks++;
    for (let b = 0; b < B; b++) {
      const ab = b * o.nIn;
      for (let j = 0; j < o.nOut; j++) {
        const row = o.w + j * o.nIn;
        let zj: number;
        if (fast) {
          let acc = p[o.b + j]! * 65536;
          for (let k = 0; k < o.nIn; k++) acc += a[ab + k]! * p[row + k]!;
          zj = rnd(acc, 16);
        } else {
          let acc = BigInt(p[o.b + j]!) << 16n;
          for (let k = 0; k < o.nIn; k++) acc += BigInt(a[ab + k]!) * BigInt(p[row + k]!);
          zj = rndBig(acc, 16);
        }
        fitI32(zj, `forward layer ${l}`);
        out[b * o.nOut + j] = isOutput || zj > 0 ? zj : 0;
      }
    }
  }

  private gradients(l: number): void {
    const o = this.offs[l - 1]!;
    const B = this.spec.batch;
    const a = this.acts[l - 1]!;
    const d = this.deltas[l]!;
    const gr = this.grads;
    const shiftW = 16 + this.logB;
    const maxD = maxAbs(d);
    const fastW = B * maxAbs(a) * maxD < EXACT;
    if (!fastW) this.bigIntFallbacks++;
    if (fastW) {
      const acc = this.scratch;
      const n = o.nIn * o.nOut;
      acc.fill(0, 0, n);
      for (let b = 0; b < B; b++) {
        const ab = b * o.nIn;
        for (let j = 0; j < o.nOut; j++) {
          const dj = d[b * o.nOut + j]!;
          if (dj === 0) continue;
          const row = j * o.nIn;
          for (let k = 0; k < o.nIn; k++) acc[row + k] += dj * a[ab + k]!;
        }
      }
      for (let t = 0; t < n; t++) gr[o.w + t] = fitI32(rnd(acc[t]!, shiftW), `weight gradient layer ${l}`);
    } else {
      for (let j = 0; j < o.nOut; j++) {
        for (let k = 0; k < o.nIn; k++) {
          let s = 0n;
          for (let b = 0; b < B; b++) s += BigInt(a[b * o.nIn + k]!) * BigInt(d[b * o.nOut + j]!);
          gr[o.w + j * o.nIn + k] = fitI32(rndBig(s, shiftW), `weight gradient layer ${l}`);
        }
      }
    }
    // Bias gradient: Σ_b δ_bj (a DOT against the constant 1, |sum| ≤ B·2^31 < 2^53).
    for (let j = 0; j < o.nOut; j++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += d[b * o.nOut + j]!;
      gr[o.b + j] = fitI32(rnd(s, this.logB), `bias gradient layer ${l}`);
    }
  }

  private backprop(l: number): void {
    const o = this.offs[l - 1]!;
    const B = this.spec.batch;
    const p = this.params;
    const d = this.deltas[l]!;
    const aPrev = this.acts[l - 1]!;
    const dPrev = this.deltas[l - 1]!;
    const fast = o.nOut * maxAbs(d) * maxAbs(p, o.w, o.b) < EXACT;
    if (!fast) this.bigIntFallbacks++;
    const acc = this.scratch;
    for (let b = 0; b < B; b++) {
      const ab = b * o.nIn;
      if (fast) {
        acc.fill(0, 0, o.nIn);
        for (let j = 0; j < o.nOut; j++) {
          const dj = d[b * o.nOut + j]!;
          if (dj === 0) continue;
          const row = o.w + j * o.nIn;
          for (let k = 0; k < o.nIn; k++) acc[k] += dj * p[row + k]!;
        }
      }
      for (let k = 0; k < o.nIn; k++) {
        if (aPrev[ab + k]! <= 0) {
          dPrev[ab + k] = 0;
          continue;
        }
        let v: number;
        if (fast) v = rnd(acc[k]!, 16);
        else {
          let s = 0n;
          for (let j = 0; j < o.nOut; j++) s += BigInt(d[b * o.nOut + j]!) * BigInt(p[o.w + j * o.nIn + k]!);
          v = rndBig(s, 16);
        }
        dPrev[ab + k] = fitI32(v, `back-prop into layer ${l - 1}`);
      }
    }
  }

  private update(): void {
    const p = this.params;
    const g = this.grads;
    const a = -this.spec.lrRaw;
    const fast = this.spec.lrRaw * maxAbs(g) < EXACT;
    if (!fast) this.bigIntFallbacks++;
    for (let i = 0; i < p.length; i++) {
      const t = fast ? rnd(a * g[i]!, 16) : rndBig(BigInt(a) * BigInt(g[i]!), 16);
      fitI32(t, "update step");
      p[i] = fitI32(p[i]! + t, "updated parameter");
    }
  }
}

/**
 * Softmax of logits z[off..off+n), δ = p − onehot into out, returns the sample's loss (Q16.16).
 * Differences z − max are exact integers (≥ −2^32); expNeg is 0 below −12.
 */
export function softmaxDelta(z: Int32Array, off: number, n: number, label: number, out: Int32Array): number {
  let mx = z[off]!;
  for (let j = 1; j < n; j++) if (z[off + j]! > mx) mx = z[off + j]!;
  let S = 0;
  for (let j = 0; j < n; j++) {
    const e = expNeg(Math.max(z[off + j]! - mx, -(2 ** 31)));
    out[off + j] = e; // temporarily e_j
    S += e;
  }
  const half = Math.floor(S / 2);
  for (let j = 0; j < n; j++) {
    const pj = Math.floor((out[off + j]! * 65536 + half) / S);
    out[off + j] = pj - (j === label ? 65536 : 0);
  }
  return lnAtLeastOne(S) - (z[off + label]! - mx);
}

/** Forward pass of one test image with the guest's operations; returns the argmax (first on ties). */
export function predictFixed(layers: readonly number[], params: Int32Array, pixels: Uint8Array, index: number): number {
  const offs = layerOffsets(layers);
  let a: Int32Array = new Int32Array(PIXELS);
  for (let k = 0; k < PIXELS; k++) a[k] = PIXEL_RAW[pixels[index * PIXELS + k]!]!;
  for (let l = 1; l <= offs.length; l++) {
    const o = offs[l - 1]!;
    const out = new Int32Array(o.nOut);
    // Same exactness bound as in training; evaluation never needs the BigInt path in practice.
    if (o.nIn * maxAbs(a) * maxAbs(params, o.w, o.b) + maxAbs(params, o.b, o.b + o.nOut) * 65536 >= EXACT) {
      throw new FixedPointOverflow(`evaluation layer ${l}: sums may exceed 2^53, emulator refuses to round inexactly`);
    }
    for (let j = 0; j < o.nOut; j++) {
      let acc = params[o.b + j]! * 65536;
      const row = o.w + j * o.nIn;
      for (let k = 0; k < o.nIn; k++) acc += a[k]! * params[row + k]!;
      const z = fitI32(rnd(acc, 16), `forward layer ${l}`);
      out[j] = l === offs.length || z > 0 ? z : 0;
    }
    a = out;
  }
  let best = 0;
  for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
  return best;
}

/** Number of the first `count` test samples classified correctly. */
export function evaluateFixed(layers: readonly number[], params: Int32Array, test: MnistSet, count = test.images.count): number {
  let correct = 0;
  for (let i = 0; i < count; i++) if (predictFixed(layers, params, test.images.pixels, i) === test.labels.labels[i]) correct++;
  return correct;
}
