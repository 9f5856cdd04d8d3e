// The statement as the AIR's public inputs (vm/air/cpu/columns.ts PUB), computed the same way by the prover
// (from its run) and the verifier (from the receipt).
import { sha256 } from "../../verifier/sha256.ts";
import { digestLimbs } from "./cpu/columns.ts";

/** [entryPc, initial fp, exit code lo, hi, cycles, image ID limbs ×16, journal digest limbs ×16, memory pages,
 *  journal length]. */
export function vmPublics(imageId: Uint8Array, entryPc: number, globalSlots: number, exitCode: number, cycles: number, journal: Uint8Array, memPages: number): number[] {
  const code = exitCode >>> 0;
  return [entryPc, globalSlots, code & 0xffff, code >>> 16, cycles, ...digestLimbs(imageId), ...digestLimbs(sha256(journal)), memPages, journal.length];
}
