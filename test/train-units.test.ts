// Pure pieces of `zkvm train`: option checking (makePlan), the SVG chart, the progress line, the
// typed-error shape. No guest runs here (test/train.test.ts has those).

import { describe, expect, it } from "vitest";
import { ConfigError } from "../cli/mnist/config.ts";
import { GuestExitError } from "../cli/mnist/image.ts";
import { TrainError } from "../cli/train/errors.ts";
import { makePlan } from "../cli/train/orchestrate.ts";
import { formatEta, ProgressBar, progressLine, stepLine } from "../cli/train/progress.ts";
import { lineChart, niceTicks } from "../cli/train/svg.ts";
import { errorInfo } from "../vm/api.ts";
import { DEFAULT_SEGMENT_CYCLES } from "../vm/receipt/index.ts";

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

describe("makePlan: --batch and --segment-cycles", () => {
  it("--batch replaces the config's batch size (learning rate kept); --samples rounds to and starts at the new batch", () => {
    const p = plan({ batch: 2, samples: 5 });
    expect(p.config).toMatchObject({ name: "exp1", batch: 2, lr: 0.2, lrRaw: 13107 });
    expect(p.samplesPerEpoch).toBe(4);
    expect(plan({ batch: 1, samples: 1 }).samplesPerEpoch).toBe(1);
    expect(plan({ batch: 4096 }).samplesPerEpoch).toBe(57344); // 14 whole batches of 60,000
    expect(plan({ batch: 2 }).samplesPerEpoch).toBe(60000);
  });
  it("rejects a --batch the guest cannot take (not a power of two, beyond 4,096) and --samples below it", () => {
    for (const bad of [{ batch: 0 }, { batch: -2 }, { batch: 3 }, { batch: 96 }, { batch: 1.5 }, { batch: 8192 }, { batch: 60000 }, { batch: 8, samples: 7 }]) {
      expect(kindOf(() => plan(bad)), JSON.stringify(bad)).toBe("InvalidArgument");
    }
    expect(() => plan({ batch: 3 })).toThrow(/--batch must be a power of two/);
  });
  it("STARK mode: segments of DEFAULT_SEGMENT_CYCLES unless --segment-cycles, the first run given the seed's weights", () => {
    expect(plan({ prove: true })).toMatchObject({ prove: "stark", segmentCycles: DEFAULT_SEGMENT_CYCLES, initInGuest: false });
    expect(plan({ prove: true, segmentCycles: 16 })).toMatchObject({ segmentCycles: 16 });
    expect(plan({ prove: true, segmentCycles: 2 ** 27 })).toMatchObject({ segmentCycles: 2 ** 27 });
    // execute and dev modes: no proof to segment, and the guest keeps initialising the first run's weights
    expect(plan({})).toMatchObject({ prove: "none", segmentCycles: null, initInGuest: true });
    expect(plan({ prove: true, dev: true })).toMatchObject({ prove: "dev", segmentCycles: null, initInGuest: true });
  });
  it("--no-zk: STARK mode only; zero knowledge by default", () => {
    expect(plan({ prove: true })).toMatchObject({ zk: true });
    expect(plan({ prove: true, zk: false })).toMatchObject({ prove: "stark", zk: false });
    expect(() => plan({ zk: false })).toThrow(/--no-zk needs --prove without --dev/);
    expect(kindOf(() => plan({ prove: true, dev: true, zk: false }))).toBe("InvalidArgument");
  });
  it("rejects --segment-cycles outside [16, 2^27], non-integers, and without STARK mode", () => {
    for (const bad of [{ segmentCycles: 15 }, { segmentCycles: 2 ** 27 + 1 }, { segmentCycles: 100.5 }, { segmentCycles: Number.NaN }, { segmentCycles: 0 }]) {
      expect(kindOf(() => plan({ prove: true, ...bad })), JSON.stringify(bad)).toBe("InvalidArgument");
    }
    expect(() => plan({ prove: true, segmentCycles: 15 })).toThrow(/--segment-cycles must be an integer in \[16, 2\^27\], got 15/);
    expect(() => plan({ segmentCycles: 1024 })).toThrow(/--segment-cycles needs --prove without --dev/);
    expect(() => plan({ prove: true, dev: true, segmentCycles: 1024 })).toThrow(/--segment-cycles needs --prove without --dev/);
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
  it("STARK mode: each proof step of the current run follows the bar on the same line; a phase line clears it", () => {
    expect(stepLine("train-000003", { phase: "commit", k: 4, n: 9 })).toBe("train-000003: committed 4/9 parts (phase 1 of 2; memory + 8 segments)");
    expect(stepLine("eval-0001", { phase: "prove", k: 2, n: 2 })).toBe("eval-0001: proved 2/2 parts (phase 2 of 2; memory + 1 segment)");
    expect(stepLine("train-000000", { phase: "execute" })).toBe("train-000000: executing");
    const written: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream);
    bar.proving("train-000000", { phase: "commit", k: 1, n: 3 }); // before any run is done: no bar yet
    bar.trained(1, 2); // within 200 ms of the last draw: only remembered, not drawn
    bar.proving("train-000001", { phase: "prove", k: 3, n: 3 });
    bar.phase("epoch 1: evaluating");
    bar.proving("eval-0001", { phase: "trace" });
    bar.finish();
    expect(written).toEqual([
      "\rtrain-000000: committed 1/3 parts (phase 1 of 2; memory + 2 segments)\x1b[K",
      expect.stringMatching(/^\r\[#+-+\] 1\/2 samples .*ETA [\d:-]+  · train-000001: proved 3\/3 parts \(phase 2 of 2; memory \+ 2 segments\)\x1b\[K$/),
      "\nepoch 1: evaluating\n",
      expect.stringMatching(/^\r\[#+-+\] 1\/2 samples .*  · eval-0001: building the segments' traces\x1b\[K$/),
      "\n",
    ]);
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
