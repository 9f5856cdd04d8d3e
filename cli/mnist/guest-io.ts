// The training guest's private input and public journal (guests/mnist-train/assembly/index.ts reads
// and writes exactly these layouts). All integers little-endian u32/i32 unless noted.
//
// Input:   magic "MNT1" | mode (0 train, 1 eval) | nSizes | sizes[nSizes] | batch | lrRaw | seed |
//          samples | startBatch | numBatches | weightsSource (0 = init from seed, 1 = given) |
//          [params: paramCount(sizes) i32, only when weightsSource = 1]
//   train: samples = N, the first N training images form the dataset; global batch g covers positions
//          (g mod ⌊N/B⌋)·B … +B−1 of epoch ⌊g / ⌊N/B⌋⌋'s permutation; batches [startBatch, startBatch+numBatches).
//   eval:  samples = M, accuracy over the first M test images; batch/lr/startBatch/numBatches unused (0).
// Journal: magic "MNJ1" | the input header above, word for word (mode … weightsSource) |
//          SHA-256(start params) (32 bytes) |
//   train: SHA-256(final params) (32 bytes) | mean loss, Q16.16 as i64 (8 bytes) | samples trained (u32)
//   eval:  correct (u32) | evaluated (u32)

import { ConfigError, paramCount, validateConfig } from "./config.ts";
import { toHex } from "./model.ts";

export const INPUT_MAGIC = 0x3154_4e4d; // bytes "MNT1"
export const JOURNAL_MAGIC = 0x314a_4e4d; // bytes "MNJ1"

export type GuestMode = "train" | "eval";

export interface GuestRequest {
  readonly mode: GuestMode;
  readonly layers: readonly number[];
  readonly batch: number;
  readonly lrRaw: number;
  readonly seed: number;
  /** train: N training samples used; eval: M test samples evaluated. */
  readonly samples: number;
  readonly startBatch: number;
  readonly numBatches: number;
  /** Starting parameters; absent = initialise from `seed` in the guest. */
  readonly params?: Int32Array;
}

export function encodeInput(r: GuestRequest): Uint8Array {
  if (r.mode === "train") validateConfig(r);
  const np = paramCount(r.layers);
  if (r.params !== undefined && r.params.length !== np) {
    throw new ConfigError(`${r.params.length} parameters given, the layers need ${np}`);
  }
  const words = [
    INPUT_MAGIC, r.mode === "train" ? 0 : 1, r.layers.length, ...r.layers,
    r.batch, r.lrRaw, r.seed >>> 0, r.samples, r.startBatch, r.numBatches, r.params === undefined ? 0 : 1,
  ];
  const out = new Uint8Array(4 * words.length + (r.params === undefined ? 0 : 4 * np));
  const dv = new DataView(out.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, true));
  if (r.params !== undefined) {
    const base = 4 * words.length;
    for (let i = 0; i < np; i++) dv.setInt32(base + 4 * i, r.params[i]!, true);
  }
  return out;
}

export interface JournalHeader {
  readonly mode: GuestMode;
  readonly layers: number[];
  readonly batch: number;
  readonly lrRaw: number;
  readonly seed: number;
  readonly samples: number;
  readonly startBatch: number;
  readonly numBatches: number;
  readonly weightsFromSeed: boolean;
  readonly startHash: string; // hex
}
export interface TrainJournal extends JournalHeader {
  readonly mode: "train";
  readonly endHash: string;
  /** Mean cross-entropy over the trained samples, Q16.16 raw. */
  readonly meanLossRaw: bigint;
  readonly samplesTrained: number;
}
export interface EvalJournal extends JournalHeader {
  readonly mode: "eval";
  readonly correct: number;
  readonly evaluated: number;
}
export type MnistJournal = TrainJournal | EvalJournal;

export class JournalError extends Error {
  readonly kind = "InvalidJournal";
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

/** Strict parse of a training-guest journal: exact length, known magic and mode. */
export function decodeJournal(bytes: Uint8Array): MnistJournal {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new JournalError(`journal truncated at byte ${pos} (need ${n} more)`);
  };
  const u32 = () => { need(4); const v = dv.getUint32(pos, true); pos += 4; return v; };
  const hash = () => { need(32); const h = toHex(bytes.subarray(pos, pos + 32)); pos += 32; return h; };
  if (u32() !== JOURNAL_MAGIC) throw new JournalError("journal does not start with MNJ1");
  const modeWord = u32();
  if (modeWord > 1) throw new JournalError(`unknown mode ${modeWord}`);
  const n = u32();
  if (n < 2 || n > 8) throw new JournalError(`bad layer count ${n}`);
  const layers: number[] = [];
  for (let i = 0; i < n; i++) layers.push(u32());
  const head = {
    layers, batch: u32(), lrRaw: u32() | 0, seed: u32(), samples: u32(), startBatch: u32(), numBatches: u32(),
    weightsFromSeed: u32() === 0, startHash: hash(),
  };
  let j: MnistJournal;
  if (modeWord === 0) {
    const endHash = hash();
    need(8);
    const meanLossRaw = dv.getBigInt64(pos, true);
    pos += 8;
    j = { mode: "train", ...head, endHash, meanLossRaw, samplesTrained: u32() };
  } else {
    j = { mode: "eval", ...head, correct: u32(), evaluated: u32() };
  }
  if (pos !== bytes.length) throw new JournalError(`${bytes.length - pos} trailing bytes after the journal`);
  return j;
}
