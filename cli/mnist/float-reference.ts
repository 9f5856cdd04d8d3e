// Float64 reference trainer: the same network, initial values (the integer init / 2^16), sample
// order (Schedule), batch-mean SGD and learning rate as the guest, with real arithmetic instead of
// Q16.16. Inputs are p/255. Used to measure what fixed point costs in accuracy.

import { paramCount } from "./config.ts";
import type { MnistSet } from "./idx.ts";
import { PIXELS } from "./idx.ts";
import { initParams, layerOffsets, type LayerOffsets } from "./model.ts";
import { Schedule } from "./schedule.ts";

export interface FloatNetSpec {
  readonly layers: readonly number[];
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  readonly samples: number;
}

/** Float64 copy of integer Q16.16 parameters. */
export function paramsToFloat(p: Int32Array): Float64Array {
  return Float64Array.from(p, (v) => v / 65536);
}

export class FloatTrainer {
  readonly params: Float64Array;
  private readonly offs: LayerOffsets[];
  private readonly schedule: Schedule;
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly grads: Float64Array;
  private readonly sampleIdx: Int32Array;

  constructor(readonly spec: FloatNetSpec, private readonly data: MnistSet, start?: Float64Array) {
    const { layers, batch, samples } = spec;
    if (samples > data.images.count) throw new RangeError(`${samples} samples requested, dataset has ${data.images.count}`);
    this.params = start === undefined ? paramsToFloat(initParams(layers, spec.seed)) : Float64Array.from(start);
    if (this.params.length !== paramCount(layers)) throw new RangeError("parameter count does not match the layers");
    this.offs = layerOffsets(layers);
    this.schedule = new Schedule(spec.seed, samples, batch);
    this.acts = layers.map((n) => new Float64Array(batch * n));
    this.deltas = layers.map((n) => new Float64Array(batch * n));
    this.grads = new Float64Array(this.params.length);
    this.sampleIdx = new Int32Array(batch);
  }

  get batchesPerEpoch(): number {
    return this.schedule.batchesPerEpoch;
  }

  /** Trains global batches [startBatch, startBatch + numBatches); returns the mean loss. */
  trainBatches(startBatch: number, numBatches: number): number {
    let loss = 0;
    for (let g = startBatch; g < startBatch + numBatches; g++) loss += this.trainBatch(g);
    return loss / (numBatches * this.spec.batch);
  }

  private trainBatch(g: number): number {
    const { batch: B, layers } = this.spec;
    const L = this.offs.length;
    const p = this.params;
    this.schedule.batchSamples(g, this.sampleIdx);
    const x = this.acts[0]!;
    const pix = this.data.images.pixels;
    for (let b = 0; b < B; b++) {
      const src = this.sampleIdx[b]! * PIXELS;
      for (let k = 0; k < PIXELS; k++) x[b * PIXELS + k] = pix[src + k]! / 255;
    }
    for (let l = 1; l <= L; l++) {
      const o = this.offs[l - 1]!;
      const a = this.acts[l - 1]!;
      const out = this.acts[l]!;
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < o.nOut; j++) {
          let s = p[o.b + j]!;
          const row = o.w + j * o.nIn;
          for (let k = 0; k < o.nIn; k++) s += a[b * o.nIn + k]! * p[row + k]!;
          out[b * o.nOut + j] = l === L || s > 0 ? s : 0;
        }
      }
    }
    let loss = 0;
    const nOut = layers[L]!;
    const z = this.acts[L]!;
    const dL = this.deltas[L]!;
    for (let b = 0; b < B; b++) {
      const off = b * nOut;
      const label = this.data.labels.labels[this.sampleIdx[b]!]!;
      let mx = -Infinity;
      for (let j = 0; j < nOut; j++) mx = Math.max(mx, z[off + j]!);
      let S = 0;
      for (let j = 0; j < nOut; j++) S += Math.exp(z[off + j]! - mx);
      for (let j = 0; j < nOut; j++) dL[off + j] = Math.exp(z[off + j]! - mx) / S - (j === label ? 1 : 0);
      loss += Math.log(S) - (z[off + label]! - mx);
    }
    for (let l = L; l >= 1; l--) {
      const o = this.offs[l - 1]!;
      const a = this.acts[l - 1]!;
      const d = this.deltas[l]!;
      const gr = this.grads;
      gr.fill(0, o.w, o.b + o.nOut);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < o.nOut; j++) {
          const dj = d[b * o.nOut + j]!;
          gr[o.b + j] += dj;
          if (dj === 0) continue;
          const row = o.w + j * o.nIn;
          for (let k = 0; k < o.nIn; k++) gr[row + k] += dj * a[b * o.nIn + k]!;
        }
      }
      for (let t = o.w; t < o.b + o.nOut; t++) gr[t] /= B;
      if (l > 1) {
        const dPrev = this.deltas[l - 1]!;
        for (let b = 0; b < B; b++) {
          for (let k = 0; k < o.nIn; k++) {
            if (a[b * o.nIn + k]! <= 0) {
              dPrev[b * o.nIn + k] = 0;
              continue;
            }
            let s = 0;
            for (let j = 0; j < o.nOut; j++) s += d[b * o.nOut + j]! * p[o.w + j * o.nIn + k]!;
            dPrev[b * o.nIn + k] = s;
          }
        }
      }
    }
    const lr = this.spec.lr;
    for (let i = 0; i < p.length; i++) p[i] -= lr * this.grads[i]!;
    return loss;
  }
}

export function predictFloat(layers: readonly number[], params: Float64Array, pixels: Uint8Array, index: number): number {
  const offs = layerOffsets(layers);
  let a = new Float64Array(PIXELS);
  for (let k = 0; k < PIXELS; k++) a[k] = pixels[index * PIXELS + k]! / 255;
  for (let l = 1; l <= offs.length; l++) {
    const o = offs[l - 1]!;
    const out = new Float64Array(o.nOut);
    for (let j = 0; j < o.nOut; j++) {
      let s = params[o.b + j]!;
      for (let k = 0; k < o.nIn; k++) s += a[k]! * params[o.w + j * o.nIn + k]!;
      out[j] = l === offs.length || s > 0 ? s : 0;
    }
    a = out;
  }
  let best = 0;
  for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
  return best;
}

export function evaluateFloat(layers: readonly number[], params: Float64Array, test: MnistSet, count = test.images.count): number {
  let correct = 0;
  for (let i = 0; i < count; i++) if (predictFloat(layers, params, test.images.pixels, i) === test.labels.labels[i]) correct++;
  return correct;
}
