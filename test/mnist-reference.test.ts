// Host-side MNIST references: the shared integer math, the exact Q16.16 emulator and the float64
// trainer, which must track each other on a small subset of real MNIST.

import { describe, expect, it } from "vitest";
import { CONFIGS, macsPerSample, paramCount, validateConfig } from "../cli/mnist/config.ts";
import {
  epochKeys, expNeg, feistelHalfBits, gaussianRaw, initKey, lnAtLeastOne, permute, roundShift,
} from "../cli/mnist/fixed-math.ts";
import { evaluateFixed, FixedTrainer, type FixedPointOverflow } from "../cli/mnist/fixed-reference.ts";
import { evaluateFloat, FloatTrainer } from "../cli/mnist/float-reference.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { initParams, layerOffsets, paramsFromBytes, paramsHash, paramsToBytes } from "../cli/mnist/model.ts";
import { Schedule } from "../cli/mnist/schedule.ts";

describe("integer math shared with the guest", () => {
  it("R rounds half up on exact integers", () => {
    expect(roundShift(32768, 16)).toBe(1);
    expect(roundShift(32767, 16)).toBe(0);
    expect(roundShift(-32768, 16)).toBe(0); // −0.5 → 0 (half up), not −1
    expect(roundShift(-32769, 16)).toBe(-1);
    expect(roundShift(3 * 65536 + 32768, 16)).toBe(4);
  });

  it("expNeg is faithful over its whole domain (every d in [−12·2^16, 0]) and 0 below", () => {
    let maxErr = 0;
    let misrounded = 0;
    for (let d = -12 * 65536; d <= 0; d++) {
      const exact = Math.exp(d / 65536) * 65536;
      const v = expNeg(d);
      maxErr = Math.max(maxErr, Math.abs(v - exact));
      if (v !== Math.round(exact)) misrounded++;
    }
    expect(maxErr).toBeLessThan(0.51);
    expect(misrounded).toBeLessThan(400); // of 786,433: nearly always the correctly rounded value
    expect(expNeg(0)).toBe(65536);
    expect(expNeg(-12 * 65536 - 1)).toBe(0);
    expect(expNeg(-(2 ** 31))).toBe(0);
    expect(() => expNeg(1)).toThrow(RangeError);
  });

  it("lnAtLeastOne is within 0.51 ulp on [1, 2^15)", () => {
    let maxErr = 0;
    for (let y = 65536; y < 2 ** 31; y += 991 + (y >> 9)) {
      maxErr = Math.max(maxErr, Math.abs(lnAtLeastOne(y) - Math.log(y / 65536) * 65536));
    }
    expect(maxErr).toBeLessThan(0.51);
    expect(lnAtLeastOne(65536)).toBe(0);
    expect(() => lnAtLeastOne(65535)).toThrow(RangeError);
  });

  it("the per-epoch Feistel order is a permutation of [0, n), different per epoch and seed", () => {
    for (const n of [1, 2, 3, 100, 512, 1000, 60000]) {
      const keys = epochKeys(5, 0);
      const h = feistelHalfBits(n);
      expect(4 ** h).toBeGreaterThanOrEqual(n);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const s = permute(keys, h, i, n);
        expect(s >= 0 && s < n).toBe(true);
        seen[s]!++;
      }
      expect(seen.every((c) => c === 1)).toBe(true);
    }
    const order = (seed: number, epoch: number) => {
      const k = epochKeys(seed, epoch);
      return Array.from({ length: 64 }, (_, i) => permute(k, 8, i, 60000));
    };
    expect(order(1, 0)).toEqual(order(1, 0));
    expect(order(1, 1)).not.toEqual(order(1, 0));
    expect(order(2, 0)).not.toEqual(order(1, 0));
    // The first batch is spread over the whole set, not a contiguous block.
    expect(Math.max(...order(1, 0)) - Math.min(...order(1, 0))).toBeGreaterThan(30000);
  });

  it("Schedule maps global batches across epochs and drops the last partial batch", () => {
    const s = new Schedule(3, 100, 16); // 6 batches per epoch, 4 samples dropped each epoch
    expect(s.batchesPerEpoch).toBe(6);
    const seen = new Set<number>();
    const out = new Int32Array(16);
    for (let g = 0; g < 6; g++) {
      s.batchSamples(g, out);
      out.forEach((x) => seen.add(x));
    }
    expect(seen.size).toBe(96);
    const e1 = new Int32Array(16);
    s.batchSamples(6, e1);
    const e0 = new Int32Array(16);
    s.batchSamples(0, e0);
    expect(Array.from(e1)).not.toEqual(Array.from(e0));
    expect(() => new Schedule(0, 10, 16)).toThrow(RangeError);
  });

  it("the integer Gaussian has mean 0, variance 1 and is bounded by 6σ", () => {
    const key = initKey(9, 1);
    let s = 0;
    let s2 = 0;
    let mx = 0;
    const n = 50000;
    for (let i = 0; i < n; i++) {
      const g = gaussianRaw(key, i) / 65536;
      s += g;
      s2 += g * g;
      mx = Math.max(mx, Math.abs(g));
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
    expect(mx).toBeLessThanOrEqual(6);
  });

  it("initParams: He/Glorot scales, zero biases, reproducible per seed", () => {
    const layers = CONFIGS.exp1.layers;
    const p = initParams(layers, 0);
    expect(p.length).toBe(paramCount(layers));
    const [l1, l2] = layerOffsets(layers) as [ReturnType<typeof layerOffsets>[0], ReturnType<typeof layerOffsets>[0]];
    const std = (from: number, to: number) => {
      let s2 = 0;
      for (let i = from; i < to; i++) s2 += (p[i]! / 65536) ** 2;
      return Math.sqrt(s2 / (to - from));
    };
    expect(std(l1.w, l1.b) / Math.sqrt(2 / 784)).toBeCloseTo(1, 1);
    expect(std(l2.w, l2.b) / Math.sqrt(2 / 74)).toBeCloseTo(1, 1);
    expect(p.subarray(l1.b, l1.b + 64).every((v) => v === 0)).toBe(true);
    expect(paramsHash(initParams(layers, 0))).toEqual(paramsHash(p));
    expect(paramsHash(initParams(layers, 1))).not.toEqual(paramsHash(p));
    expect(paramsFromBytes(paramsToBytes(p))).toEqual(p);
  });

  it("config table and MAC counts match the reference document", () => {
    expect(Math.round(macsPerSample(CONFIGS.exp1.layers, 64))).toBe(103067);
    expect(Math.round(macsPerSample(CONFIGS.exp2.layers, 128))).toBe(228055);
    expect(CONFIGS.exp1.lrRaw).toBe(13107);
    expect(CONFIGS.exp3a.lr).toBe(0.1);
    expect(() => validateConfig({ layers: [784, 10], batch: 48, lrRaw: 1 })).toThrow(/power of two/);
    expect(() => validateConfig({ layers: [700, 10], batch: 64, lrRaw: 1 })).toThrow(/784/);
    expect(() => validateConfig({ layers: [784, 64, 9], batch: 64, lrRaw: 1 })).toThrow(/10/);
  });
});

describe("Q16.16 emulator vs float64 reference on 512 real samples", () => {
  const train = loadMnist("train");
  const test = loadMnist("test");
  const spec = { ...CONFIGS.exp1, samples: 512 };
  const EVAL = 500;

  it("accuracy rises, losses track, fixed stays within a few points of float", () => {
    const fx = new FixedTrainer(spec, train);
    const fl = new FloatTrainer(spec, train);
    const acc0 = evaluateFixed(spec.layers, fx.params, test, EVAL);
    expect(acc0).toBe(evaluateFloat(spec.layers, fl.params, test, EVAL)); // identical start
    const fixedLoss: number[] = [];
    const floatLoss: number[] = [];
    for (let e = 0; e < 3; e++) {
      fixedLoss.push(fx.trainBatches(e * 8, 8).meanLossRaw / 65536);
      floatLoss.push(fl.trainBatches(e * 8, 8));
    }
    for (let e = 0; e < 3; e++) expect(Math.abs(fixedLoss[e]! - floatLoss[e]!)).toBeLessThan(0.01);
    expect(fixedLoss[2]!).toBeLessThan(fixedLoss[0]! * 0.6);
    const accFixed = evaluateFixed(spec.layers, fx.params, test, EVAL);
    const accFloat = evaluateFloat(spec.layers, fl.params, test, EVAL);
    expect(accFixed).toBeGreaterThan(acc0 + 250); // from chance to > 60%
    expect(Math.abs(accFixed - accFloat)).toBeLessThanOrEqual(10); // ≤ 2 points of 500
  });

  it("is deterministic, and training in pieces equals training in one go", () => {
    const a = new FixedTrainer(spec, train);
    a.trainBatches(0, 5);
    const b = new FixedTrainer(spec, train);
    b.trainBatches(0, 2);
    const c = new FixedTrainer(spec, train, b.params);
    c.trainBatches(2, 3);
    expect(paramsHash(c.params)).toEqual(paramsHash(a.params));
    expect(paramsHash(a.params)).not.toEqual(paramsHash(initParams(spec.layers, spec.seed)));
    expect(a.bigIntFallbacks).toBe(0); // the recipe's sums stay far below 2^53
  });

  it("raises a typed FixedPointOverflow where the instructions would trap", () => {
    const huge = initParams(spec.layers, 0).map(() => 1 << 24);
    const t = new FixedTrainer(spec, train, huge);
    let err: unknown;
    try {
      t.trainBatches(0, 1);
    } catch (e) {
      err = e;
    }
    expect((err as FixedPointOverflow).kind).toBe("FixedPointOverflow");
    expect(() => new FixedTrainer({ ...spec, samples: 60001 }, train)).toThrow(RangeError);
  });
});
