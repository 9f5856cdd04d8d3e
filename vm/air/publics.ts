// The statement as the AIR's public inputs (vm/air/cpu/columns.ts PUB), computed the same way by the prover
// (from its run) and the verifier (from the receipt).
import { sha256 } from "../../verifier/sha256.ts";
import { digestLimbs, MAX_PROVABLE_PAGES } from "./cpu/columns.ts";

/** Which part of a (possibly segmented) run a proof covers: a single proof is the first and last segment. */
export interface SegmentPosition {
  readonly index: number;
  readonly first: boolean;
  readonly last: boolean;
}
export const WHOLE_RUN: SegmentPosition = { index: 0, first: true, last: true };

/** [entryPc, initial fp, exit code lo, hi, cycles, image ID limbs ×16, journal digest limbs ×16, memory pages,
 *  journal length, the most pages memory can grow to (min of the image's maximum and 16,384: the executor's),
 *  first segment?, last segment?, segment index]. */
export function vmPublics(imageId: Uint8Array, entryPc: number, globalSlots: number, exitCode: number, cycles: number, journal: Uint8Array, memPages: number, maxPages: number, seg: SegmentPosition = WHOLE_RUN): number[] {
  const code = exitCode >>> 0;
  return [entryPc, globalSlots, code & 0xffff, code >>> 16, cycles, ...digestLimbs(imageId), ...digestLimbs(sha256(journal)), memPages, journal.length, Math.min(maxPages, MAX_PROVABLE_PAGES), seg.first ? 1 : 0, seg.last ? 1 : 0, seg.index];
}
