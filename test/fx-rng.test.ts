// fx.Rng: the PCG32 reference vector, exact agreement with the TypeScript twin (test/fx-rng.ts) for
// every method, unbiased bounded integers, and the moments of the Gaussian sampler.

import { beforeAll, describe, expect, it } from "vitest";
import { compileFx, instantiateFx, trapKind, type FxModule } from "./fx-harness.ts";
import { Pcg32 } from "./fx-rng.ts";

let fx: FxModule;
beforeAll(async () => {
  fx = await instantiateFx(await compileFx());
});

describe("fx.Rng", () => {
  it("reproduces the PCG32 reference output for seed 42, stream 54", () => {
    fx.rngSeed(42n, 54n);
    const got = Array.from({ length: 6 }, () => fx.rngNext() >>> 0);
    expect(got).toEqual([0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]);
  });

  it("matches the TypeScript twin bit for bit on every method", () => {
    for (const [seed, stream] of [[0n, 0n], [1n, 0n], [0xdeadbeefcafebaben, 7n], [(1n << 64n) - 1n, (1n << 63n) - 1n]] as const) {
      fx.rngSeed(BigInt.asIntN(64, seed), BigInt.asIntN(64, stream));
      const ts = new Pcg32(seed, stream);
      for (let i = 0; i < 2000; i++) {
        expect(fx.rngNext() >>> 0).toBe(ts.nextU32());
        expect(fx.rngUniform()).toBe(ts.uniform());
        const bound = 1 + (i * 7919) % 1000;
        expect(fx.rngBelow(bound)).toBe(ts.below(bound));
        expect(fx.rngGaussian()).toBe(ts.gaussian());
        expect(fx.rngNormal(23170)).toBe(ts.normal(23170)); // std √(1/8)
      }
    }
  });

  it("different seeds and streams give different sequences", () => {
    const first = (seed: bigint, stream: bigint) => {
      fx.rngSeed(seed, stream);
      return [fx.rngNext(), fx.rngNext(), fx.rngNext()];
    };
    expect(first(1n, 0n)).not.toEqual(first(2n, 0n));
    expect(first(1n, 0n)).not.toEqual(first(1n, 1n));
    expect(first(5n, 3n)).toEqual(first(5n, 3n));
  });

  it("below(n) stays in range and is uniform; below(0) aborts", () => {
    fx.rngSeed(3n, 0n);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const v = fx.rngBelow(10);
      expect(v).toBeLessThan(10);
      counts[v]!++;
    }
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300); // > 4σ
    expect(trapKind(() => fx.rngBelow(0))).toBe("Abort");
  });

  it("gaussian has mean 0, variance 1 and the support of a 12-term Irwin–Hall sum", () => {
    fx.rngSeed(11n, 0n);
    const n = 100_000;
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const g = fx.rngGaussian() / 65536;
      expect(Math.abs(g)).toBeLessThanOrEqual(6);
      sum += g;
      sq += g * g;
      if (Math.abs(g) > 2) beyond2++;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.015); // σ/√n = 0.0032
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.005); // N(0,1): 4.55 % beyond 2σ
  });
});
