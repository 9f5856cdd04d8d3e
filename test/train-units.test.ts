// Pure pieces of `zkvm train`: option checking (makePlan), the SVG chart, the progress line, the
// typed-error shape. No guest runs here (test/train.test.ts has those).

import { describe, expect, it } from "vitest";
import { ConfigError } from "../cli/mnist/config.ts";
import { GuestExitError } from "../cli/mnist/image.ts";
import { TrainError } from "../cli/train/errors.ts";
import { makePlan } from "../cli/train/orchestrate.ts";
import { formatEta, progressLine } from "../cli/train/progress.ts";
import { lineChart, niceTicks } from "../cli/train/svg.ts";
import { errorInfo } from "../vm/api.ts";

const plan = (o: Partial<Parameters<typeof makePlan>[0]>) => makePlan({ config: "exp1", ...o }, 60000, 10000);
const kindOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as TrainError).kind;
  }
  return "no error";
};

describe("makePlan", () => {
  it("defaults: the config's epochs, every whole batch of 60,000, all 10,000 test images", () => {
    const p = plan({});
    expect(p).toMatchObject({ epochs: 10, samplesPerEpoch: 59968, evalSamples: 10000, batchesPerRun: 4, engine: "vm", float: true });
    expect(p.config).toMatchObject({ name: "exp1", layers: [784, 64, 10], batch: 64, seed: 0 });
    expect(makePlan({ config: "exp3b" }, 60000, 10000)).toMatchObject({ epochs: 25, samplesPerEpoch: 59904 });
  });
  it("rounds --samples down to whole batches and takes --seed", () => {
    expect(plan({ samples: 1000, seed: 7 })).toMatchObject({ samplesPerEpoch: 960, config: { seed: 7 } });
  });
  it("rejects out-of-range values with InvalidArgument", () => {
    for (const bad of [{ epochs: 0 }, { epochs: 1.5 }, { samples: 63 }, { samples: 60001 }, { evalSamples: 0 }, { evalSamples: 10001 },
      { batchesPerRun: 0 }, { seed: -1 }, { seed: 2 ** 32 }, { engine: "gpu" }, { config: "exp4" }, { config: "toString" }]) {
      expect(kindOf(() => plan(bad)), JSON.stringify(bad)).toBe("InvalidArgument");
    }
  });
  it("--prove / --dev / --workers: prove mode and provers; --dev and --workers need --prove, proving needs the vm engine", () => {
    expect(plan({})).toMatchObject({ prove: "none", workers: 1 });
    expect(plan({ prove: true })).toMatchObject({ prove: "stark", workers: 1 });
    expect(plan({ prove: true, dev: true, workers: 3 })).toMatchObject({ prove: "dev", workers: 3 });
    for (const bad of [{ dev: true }, { workers: 2 }, { prove: true, workers: 0 }, { prove: true, workers: 1.5 }, { prove: true, workers: 65 }, { prove: true, dev: true, engine: "wasm" }]) {
      expect(kindOf(() => plan(bad)), JSON.stringify(bad)).toBe("InvalidArgument");
    }
  });
});

describe("SVG chart", () => {
  it("nice ticks are 1/2/5 steps covering the range", () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(93.2, 97.9, 5)).toEqual([94, 95, 96, 97]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
  it("draws one path per non-empty series, escapes text, and is well-formed", () => {
    const svg = lineChart({
      title: "a < b & c", xLabel: "epoch", yLabel: "%",
      series: [{ name: "fixed", color: "#123456", points: [[1, 90], [2, 95], [3, 97]] }, { name: "none", color: "red", points: [] }],
    });
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain("a &lt; b &amp; c");
    expect(svg).not.toContain("NaN");
    const opens = svg.match(/<(svg|text|circle)\b/g)!.length;
    const closes = svg.match(/<\/(svg|text|circle)>/g)!.length;
    expect(opens).toBe(closes);
    // Higher accuracy is drawn higher (smaller y).
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[0]!).toBeGreaterThan(ys[1]!);
    expect(ys[1]!).toBeGreaterThan(ys[2]!);
  });
  it("a single point does not divide by zero", () => {
    expect(lineChart({ title: "t", xLabel: "x", yLabel: "y", series: [{ name: "s", color: "blue", points: [[1, 50]] }] })).not.toContain("NaN");
  });
});

describe("progress line", () => {
  it("shows done/total, rate and ETA", () => {
    expect(progressLine(1000, 4000, 2, 10)).toBe("[###-------] 1,000/4,000 samples  500/s  ETA 00:06");
    expect(progressLine(0, 100, 0, 4)).toBe("[----] 0/100 samples  0/s  ETA --:--");
    expect(formatEta(3725)).toBe("1:02:05");
  });
});

describe("typed errors", () => {
  it("TrainError and the MNIST modules' errors give {kind, message} through the toolchain's errorInfo", () => {
    expect(errorInfo(new TrainError("ChainBroken", "x"))).toEqual({ kind: "ChainBroken", message: "x" });
    expect(errorInfo(new ConfigError("bad"))).toEqual({ kind: "InvalidConfig", message: "bad" });
    // toJSON's further fields are kept.
    expect(errorInfo(new GuestExitError(3))).toEqual({ kind: "GuestExitCode", message: "training guest exited with code 3", exitCode: 3 });
    expect(errorInfo(new Error("plain"))).toBeUndefined();
    expect(errorInfo(Object.assign(new Error("numeric kind"), { kind: 7 }))).toBeUndefined();
    expect(errorInfo({ kind: "NotAnError", message: "plain object" })).toBeUndefined();
    expect(errorInfo("not an error")).toBeUndefined();
  });
});
