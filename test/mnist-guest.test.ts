// The AssemblyScript training guest, compiled with asc and run in V8 with the VM's own host
// functions (vm/intrinsics.ts, vm/host-io.ts), against the exact Q16.16 emulator: identical weight
// hashes and loss, identical integer math, typed failures on bad input.

import { beforeAll, describe, expect, it } from "vitest";
import { packSegments } from "../cli/mnist/dataset.ts";
import * as fm from "../cli/mnist/fixed-math.ts";
import { evaluateFixed, FixedTrainer } from "../cli/mnist/fixed-reference.ts";
import { decodeJournal, encodeInput, type GuestRequest, JournalError, type TrainJournal, type EvalJournal } from "../cli/mnist/guest-io.ts";
import { loadMnist } from "../cli/mnist/idx.ts";
import { initParams, paramsHash, toHex } from "../cli/mnist/model.ts";
import { compileGuestForV8, GUEST_TEST_EXPORTS, runGuestV8 } from "../cli/mnist/v8-runner.ts";
import { buildMnistImage, runMnistGuest } from "../cli/mnist/image.ts";
import { subset } from "../cli/mnist/idx.ts";
import { VmError } from "../vm/errors.ts";
import { readFileSync } from "node:fs";
import { expTablesSource } from "../cli/mnist/exp-tables-source.ts";

const train = loadMnist("train");
const test = loadMnist("test");
const segments = new Map(packSegments(train, test).map((s) => [s.name, s.bytes]));
let guest: Uint8Array;

beforeAll(async () => {
  guest = await compileGuestForV8();
});

async function runTrain(req: GuestRequest): Promise<TrainJournal> {
  const r = await runGuestV8(guest, encodeInput(req), segments);
  expect(r.exitCode).toBe(0);
  const j = decodeJournal(r.journal);
  expect(j.mode).toBe("train");
  return j as TrainJournal;
}

async function failure(input: Uint8Array): Promise<VmError> {
  try {
    await runGuestV8(guest, input, segments);
  } catch (e) {
    expect(e).toBeInstanceOf(VmError);
    return e as VmError;
  }
  throw new Error("guest did not fail");
}

describe("guest integer math equals cli/mnist/fixed-math.ts", () => {
  type Exports = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
  let ex: Exports;
  beforeAll(async () => {
    const wasm = await compileGuestForV8(GUEST_TEST_EXPORTS);
    const inst = await WebAssembly.instantiate(await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>), {
      env: { abort: () => { throw new Error("abort"); } },
    });
    ex = inst.exports as unknown as Exports;
  });

  it("expNeg, exhaustively over [−12·2^16 − 8, 0]", () => {
    const from = -12 * 65536 - 8;
    const count = -from + 1;
    const out = ex.alloc!(4 * count) >>> 0;
    ex.expNegRange!(from, count, out);
    const got = new Int32Array(ex.memory.buffer, out, count);
    let mismatches = 0;
    for (let i = 0; i < count; i++) if (got[i] !== fm.expNeg(from + i)) mismatches++;
    expect(mismatches).toBe(0);
    expect(ex.expNeg!(-(2 ** 31))).toBe(0);
  });

  it("the exp tables compiled into the guest are its own series' values, and the generated file is current", () => {
    for (let i = 0; i < 256; i++) {
      expect(ex.expSeries!(i << 18)).toBe(fm.EXP_HI[i]);
      expect(ex.expSeries!(i << 10)).toBe(fm.EXP_LO[i]);
    }
    const committed = readFileSync(new URL("../guests/mnist-train/lib/exp-tables.ts", import.meta.url), "utf8");
    expect(committed, "stale: run npx tsx scripts/gen-exp-tables.ts").toBe(expTablesSource());
  });

  it("mix2, Gaussian, init scales, Feistel permutation and ln on sampled arguments", () => {
    let x = 12345;
    const next = () => (x = fm.mix32(x + 1));
    for (let i = 0; i < 2000; i++) {
      const a = next();
      const b = next();
      expect(ex.mix2!(a, b) >>> 0).toBe(fm.mix2(a, b));
      expect(ex.gaussianRaw!(a, b & 0xfffff)).toBe(fm.gaussianRaw(a, b & 0xfffff));
      expect(ex.initKey!(a, i & 7) >>> 0).toBe(fm.initKey(a, i & 7));
      const y = 65536 + (b & 0x3fffffff) % (2 ** 31 - 65536);
      expect(ex.lnAtLeastOne!(y)).toBe(fm.lnAtLeastOne(y));
    }
    for (let fan = 1; fan <= 5000; fan += 7) expect(ex.initStdRaw!(fan)).toBe(fm.initStdRaw(fan));
    for (const n of [1, 2, 5, 512, 60000, 1 << 24]) expect(ex.feistelHalfBits!(n)).toBe(fm.feistelHalfBits(n));
    for (const n of [7, 512, 60000]) {
      for (let i = 0; i < n; i += Math.ceil(n / 300)) {
        expect(ex.permuteAt!(99, 3, i, n)).toBe(fm.permute(fm.epochKeys(99, 3), fm.feistelHalfBits(n), i, n));
      }
    }
  });
});

describe("training guest in V8 vs the Q16.16 emulator", () => {
  it("4-layer net across an epoch boundary: same start/end weight hash and mean loss", async () => {
    const spec = { layers: [784, 32, 16, 10], batch: 16, lrRaw: 13107, seed: 7, samples: 256 };
    const j = await runTrain({ mode: "train", ...spec, startBatch: 13, numBatches: 6 }); // epochs 0 and 1
    const em = new FixedTrainer(spec, train);
    expect(j.startHash).toBe(toHex(paramsHash(em.params)));
    const r = em.trainBatches(13, 6);
    expect(j.endHash).toBe(toHex(paramsHash(em.params)));
    expect(j.meanLossRaw).toBe(BigInt(r.meanLossRaw));
    expect(j).toMatchObject({ ...spec, startBatch: 13, numBatches: 6, weightsFromSeed: true, samplesTrained: 96 });
    expect(j.endHash).not.toBe(j.startHash);
  });

  it("exp1 shape, chained: seed-initialised run, then a run from the given weights", async () => {
    const spec = { layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 3, samples: 1024 };
    const em = new FixedTrainer(spec, train);
    const first = await runTrain({ mode: "train", ...spec, startBatch: 0, numBatches: 2 });
    em.trainBatches(0, 2);
    expect(first.endHash).toBe(toHex(paramsHash(em.params)));
    const second = await runTrain({ mode: "train", ...spec, startBatch: 2, numBatches: 1, params: em.params });
    expect(second.weightsFromSeed).toBe(false);
    expect(second.startHash).toBe(first.endHash); // the chain link a verifier checks
    em.trainBatches(2, 1);
    expect(second.endHash).toBe(toHex(paramsHash(em.params)));
  });

  it("sums beyond 2^53 (the emulator's BigInt path) still match the guest's i64 arithmetic", async () => {
    // One first-layer weight of ≈ 16384 on the centre pixel: the layer-1 forward sums reach 2^56 and
    // the hidden activations 2^30, so the layer-2 weight-gradient sums (batch 256) reach 2^53.
    const spec = { layers: [784, 16, 10], batch: 256, lrRaw: 13107, seed: 4, samples: 1024 };
    const p = initParams(spec.layers, 4);
    p[14 * 28 + 14] = 2 ** 30 - 1; // W_1[0][406]
    const em = new FixedTrainer(spec, train, p);
    em.trainBatches(0, 1);
    expect(em.bigIntFallbacks).toBe(2);
    const j = await runTrain({ mode: "train", ...spec, startBatch: 0, numBatches: 1, params: p });
    expect(j.endHash).toBe(toHex(paramsHash(em.params)));
  });

  it("evaluation mode commits the emulator's test accuracy", async () => {
    const spec = { layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 1, samples: 2048 };
    const em = new FixedTrainer(spec, train);
    em.trainBatches(0, 32);
    const r = await runGuestV8(guest, encodeInput({ mode: "eval", layers: spec.layers, batch: 0, lrRaw: 0, seed: 0, samples: 300, startBatch: 0, numBatches: 0, params: em.params }), segments);
    const j = decodeJournal(r.journal) as EvalJournal;
    expect(j.mode).toBe("eval");
    expect(j.evaluated).toBe(300);
    expect(j.correct).toBe(evaluateFixed(spec.layers, em.params, test, 300));
    expect(j.correct).toBeGreaterThan(210); // one epoch on 2048 samples: > 70% (chance is 10%)
    expect(j.startHash).toBe(toHex(paramsHash(em.params)));
  });
});

describe("training image built by the toolchain (zkvm build --data), both engines", () => {
  it("VM and wasm engines give the emulator's weight hash and loss, and the V8 harness's journal", async () => {
    const img = await buildMnistImage(packSegments(subset(train, 512), subset(test, 64)));
    const spec = { layers: [784, 16, 10], batch: 16, lrRaw: 13107, seed: 11, samples: 512 };
    const req: GuestRequest = { mode: "train", ...spec, startBatch: 30, numBatches: 3 }; // crosses epoch 0 → 1
    const vm = runMnistGuest(img, req, "vm");
    const wasm = runMnistGuest(img, req, "wasm");
    const j = vm.journal as TrainJournal;
    const em = new FixedTrainer(spec, train);
    const res = em.trainBatches(30, 3);
    expect(j.endHash).toBe(toHex(paramsHash(em.params)));
    expect(j.meanLossRaw).toBe(BigInt(res.meanLossRaw));
    expect(Buffer.from(wasm.journalBytes).equals(Buffer.from(vm.journalBytes))).toBe(true);
    const v8 = await runGuestV8(guest, encodeInput(req), segments);
    expect(Buffer.from(v8.journal).equals(Buffer.from(vm.journalBytes))).toBe(true);
    // Cost: coprocessor rows dominate; the CPU rows around them are a small fraction.
    expect(vm.cycles!).toBeGreaterThan(v8.dotRows + v8.axpyRows);
    // Evaluation mode through the toolchain too.
    const ev = runMnistGuest(img, { mode: "eval", layers: spec.layers, batch: 0, lrRaw: 0, seed: 0, samples: 64, startBatch: 0, numBatches: 0, params: em.params }, "vm");
    expect((ev.journal as EvalJournal).correct).toBe(evaluateFixed(spec.layers, em.params, test, 64));
  });
});

describe("training guest rejects bad input with typed errors", () => {
  const ok: GuestRequest = { mode: "train", layers: [784, 16, 10], batch: 16, lrRaw: 13107, seed: 0, samples: 64, startBatch: 0, numBatches: 1 };
  const patch = (word: number, value: number, req = ok) => {
    const b = encodeInput(req);
    new DataView(b.buffer).setUint32(4 * word, value, true);
    return b;
  };

  it("bad magic, bad mode, bad layer widths, non-power-of-two batch → Abort with the reason", async () => {
    expect((await failure(patch(0, 0xdeadbeef))).kind).toBe("Abort");
    expect((await failure(patch(1, 2))).message).toMatch(/mode/);
    expect((await failure(patch(3, 783))).message).toMatch(/784/);
    expect((await failure(patch(6, 48))).message).toMatch(/power of two/);
  });

  it("more samples than the dataset → Abort; truncated weights → InputExhausted", async () => {
    expect((await failure(patch(9, 60001))).message).toMatch(/dataset/);
    expect((await failure(patch(10, 0xffffffff))).message).toMatch(/overflows/); // startBatch + numBatches wraps
    const withParams = encodeInput({ ...ok, params: new Int32Array(784 * 16 + 16 + 16 * 10 + 10) });
    expect((await failure(withParams.subarray(0, withParams.length - 4))).kind).toBe("InputExhausted");
  });

  it("a missing data segment → Abort naming it (the SDK's directory lookup)", async () => {
    const without = new Map([...segments].filter(([name]) => name !== "train-labels"));
    const run = runGuestV8(guest, encodeInput(ok), without);
    await expect(run).rejects.toBeInstanceOf(VmError);
    await expect(run).rejects.toMatchObject({ kind: "Abort", message: expect.stringMatching(/no data segment named train-labels/) });
  });

  it("decodeJournal is strict about length and magic", async () => {
    const r = await runGuestV8(guest, encodeInput(ok), segments);
    const j = r.journal;
    expect(() => decodeJournal(j.subarray(0, j.length - 1))).toThrow(JournalError);
    const longer = new Uint8Array(j.length + 1);
    longer.set(j);
    expect(() => decodeJournal(longer)).toThrow(/trailing/);
    const bad = j.slice();
    bad[0] ^= 1;
    expect(() => decodeJournal(bad)).toThrow(/MNJ1/);
  });
});
