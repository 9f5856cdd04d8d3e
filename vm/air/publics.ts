// The statement as the AIR's public inputs (vm/air/cpu/columns.ts PUB), computed the same way by the prover
// (from its run) and the verifier (from the receipt).
import { sha256 } from "../../verifier/sha256.ts";
import { digestLimbs, MAX_PROVABLE_PAGES } from "./cpu/columns.ts";

/** [entryPc, initial fp, exit code lo, hi, cycles, image ID limbs ×16, journal digest limbs ×16, memory pages,
 *  journal length, the most pages memory can grow to (min of the image's maximum and 16,384: the executor's)]. */
export function vmPublics(imageId: Uint8Array, entryPc: number, globalSlots: number, exitCode: number, cycles: number, journal: Uint8Array, memPages: number, maxPages: number): number[] {
  const code = exitCode >>> 0;
  return [entryPc, globalSlots, code & 0xffff, code >>> 16, cycles, ...digestLimbs(imageId), ...digestLimbs(sha256(journal)), memPages, journal.length, Math.min(maxPages, MAX_PROVABLE_PAGES)];
}
