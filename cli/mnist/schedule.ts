// Which samples a batch trains on. Positions of epoch e are permuted by the keyed Feistel
// permutation of fixed-math.ts; global batch g is batch (g mod bpe) of epoch ⌊g / bpe⌋, with
// bpe = ⌊N / B⌋ batches per epoch (the last partial batch of every epoch is dropped).

import { epochKeys, feistelHalfBits, permute } from "./fixed-math.ts";

export class Schedule {
  readonly batchesPerEpoch: number;
  private readonly h: number;
  private keyEpoch = -1;
  private keys: Uint32Array = new Uint32Array(0);

  constructor(readonly seed: number, readonly samples: number, readonly batch: number) {
    this.batchesPerEpoch = Math.floor(samples / batch);
    if (this.batchesPerEpoch < 1) throw new RangeError(`${samples} samples do not fill one batch of ${batch}`);
    this.h = feistelHalfBits(samples);
  }

  /** Sample indices of global batch g, written to out[0..B). */
  batchSamples(g: number, out: Int32Array): void {
    const e = Math.floor(g / this.batchesPerEpoch);
    if (e !== this.keyEpoch) {
      this.keys = epochKeys(this.seed, e);
      this.keyEpoch = e;
    }
    const base = (g - e * this.batchesPerEpoch) * this.batch;
    for (let t = 0; t < this.batch; t++) out[t] = permute(this.keys, this.h, base + t, this.samples);
  }
}

/** Q16.16 of a pixel, (p·65536 + 127) / 255 with integer division (≈ round(p/255 · 65536)). */
export function pixelRaw(p: number): number {
  return Math.floor((p * 65536 + 127) / 255);
}
export const PIXEL_RAW: Int32Array = Int32Array.from({ length: 256 }, (_, p) => pixelRaw(p));
