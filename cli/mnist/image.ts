// The training image built by the real toolchain (vm/api.ts): the guest of guests/mnist-train with the
// four MNIST segments embedded by `--data`, and a typed way to run it on either engine.

import { build, execute, type Engine, type Image, type ImageId } from "../../vm/api.ts";
import type { DataSegment } from "./dataset.ts";
import { decodeJournal, encodeInput, type GuestRequest, type MnistJournal } from "./guest-io.ts";
import { GUEST_ENTRY } from "./v8-runner.ts";

export interface MnistImage {
  readonly image: Image;
  readonly imageId: ImageId;
}

/** `zkvm build guests/mnist-train/main.ts --data train-images=… --data train-labels=… …` as a call. */
export async function buildMnistImage(segments: readonly DataSegment[]): Promise<MnistImage> {
  return build(GUEST_ENTRY, { data: segments.map((s) => ({ name: s.name, bytes: s.bytes })) });
}

export class GuestExitError extends Error {
  readonly kind = "GuestExitCode";
  constructor(readonly exitCode: number) {
    super(`training guest exited with code ${exitCode}`);
  }
  toJSON(): { kind: string; message: string; exitCode: number } {
    return { kind: this.kind, message: this.message, exitCode: this.exitCode };
  }
}

export interface GuestRun {
  readonly journal: MnistJournal;
  readonly journalBytes: Uint8Array;
  /** VM trace rows (CPU + coprocessor); null on the wasm engine. */
  readonly cycles: number | null;
}

/** Executes one request; guest faults surface as the toolchain's typed VmError. */
export function runMnistGuest(img: MnistImage, req: GuestRequest, engine: Engine = "vm", maxCycles?: number): GuestRun {
  const r = execute(img.image, encodeInput(req), { engine, log: () => {}, ...(maxCycles !== undefined ? { maxCycles } : {}) });
  if (r.exitCode !== 0) throw new GuestExitError(r.exitCode);
  return { journal: decodeJournal(r.journal), journalBytes: r.journal, cycles: r.cycles };
}
