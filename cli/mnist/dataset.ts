// Data segments for the training guest. The guest reads MNIST through plain pointers
// (dataPtr/dataLen of `zkvm-guest`), so a segment is simply the IDX payload without its header:
//   train-images / test-images: count·784 u8 pixels, image i at byte 784·i, row-major 28×28;
//   train-labels / test-labels: count u8 labels, label i at byte i.
// Zero deserialisation in the guest: it derives the sample count from dataLen and indexes directly.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MnistSet } from "./idx.ts";

export const SEGMENT_NAMES = {
  trainImages: "train-images",
  trainLabels: "train-labels",
  testImages: "test-images",
  testLabels: "test-labels",
} as const;

export interface DataSegment {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The four segments of a training image (train and test split), in a fixed order. */
export function packSegments(train: MnistSet, test: MnistSet): DataSegment[] {
  return [
    { name: SEGMENT_NAMES.trainImages, bytes: train.images.pixels },
    { name: SEGMENT_NAMES.trainLabels, bytes: train.labels.labels },
    { name: SEGMENT_NAMES.testImages, bytes: test.images.pixels },
    { name: SEGMENT_NAMES.testLabels, bytes: test.labels.labels },
  ];
}

/**
 * Writes each segment to `<dir>/<name>.bin` and returns the `--data NAME=FILE` arguments for
 * `zkvm build` (or the `data` option of buildGuest).
 */
export function writeSegments(dir: string, segments: DataSegment[]): { name: string; file: string }[] {
  mkdirSync(dir, { recursive: true });
  return segments.map((s) => {
    const file = join(dir, `${s.name}.bin`);
    writeFileSync(file, s.bytes);
    return { name: s.name, file };
  });
}
