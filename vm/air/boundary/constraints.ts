// BOUNDARY table (docs/vm-air.md §5.3): one row per touched address (every global slot, and every word of every
// touched page of linear memory), strictly increasing addresses (so no address is initialised twice),
// consuming the final record (addr, fin, fin_ts) on the MEM bus. Frame-stack rows (addr < 2^25) also produce
// the init record (addr, init, 0): init = 0 except on global rows, whose (slot, init) must match a row of the
// public GLOBALS table; since that table sends each global exactly once and addresses are unique, no other row
// can claim a global's slot. Memory rows (addr ≥ 2^25, is_mem = 1) produce no init record: the verifier sends
// (addr, word, 0) itself for every word of the pages the receipt opens against the image's memory root
// (public bus tuples), so a memory word's first value is the image's — or the row's final record is unmatched.
import type { TableAir } from "../../../verifier/air.ts";
import { BUS } from "../buses.ts";
import { MEM_BASE as MEM_BASE_ADDR, PUB } from "../cpu/columns.ts";

export const BOUNDARY_COLS = { isReal: 0, addr: 1, fin0: 2, fin1: 3, finTs: 4, g0: 5, g1: 6, init0: 7, init1: 8, isGlobal: 9, a0: 10, a1: 11, isMem: 12, grown: 13, gd0: 14, gd1: 15 } as const;
export const BOUNDARY_WIDTH = 16;
/** High limb of MEM_BASE = 2^25: is_mem ⇔ a1 ≥ 2^9. */
export const MEM_HI = 2 ** 9;
/** Slot addresses are fp + off < 2^24 + 2^24 = 2^25 (the CPU bounds fp by 2^24 on CALL, decode bounds off by
 *  2^24) and memory words sit at 2^25 + w with w < 2^28, so addresses and gaps are < 2^29: high limb < 2^13
 *  (and 2·2^29 < p, so a descending pair cannot pass the gap check). */
export const GAP_HI_BITS = 13;
export const ADDR_HI_BITS = 13;

/**
 * `gapHiBits` is the width of the gap's high limb (13 for slots < 2^25). Tests build weakened variants (16, or no
 * address range check) to show that the narrow checks are what reject a descending pair and a chain of rows
 * that wraps around the field back onto an address already initialised.
 */
export function makeBoundaryTable(gapHiBits: number = GAP_HI_BITS, checkAddr = true, checkIsMem = true): TableAir {
  return {
  name: "boundary",
  width: BOUNDARY_WIDTH,
  eval(b) {
    const C = BOUNDARY_COLS;
    const isReal = b.col(C.isReal), addr = b.col(C.addr);
    const g0 = b.col(C.g0), g1 = b.col(C.g1);
    const nReal = b.next(C.isReal);
    b.assertBool(isReal, "boundary/isReal-bool");
    b.whenTransition().assertZero(nReal.mul(b.constant(1).sub(isReal)), "boundary/real-prefix");
    // strictly increasing: addr' − addr − 1 = g0 + 2^16·g1, g0 16-bit, g1 9-bit. A plain pair of 16-bit
    // limbs would cover every field element and check nothing (soundness.md: range check too wide).
    b.whenTransition().assertZero(nReal.mul(b.next(C.addr).sub(addr).sub(1).sub(g0).sub(g1.mul(65536))), "boundary/sorted");
    b.send(BUS.RANGE, [g0], nReal, 1);
    b.send(BUS.RANGE, [g1], nReal, 1);
    b.send(BUS.RANGE, [g1.mul(2 ** (16 - gapHiBits))], nReal, 1);
    // every address itself < 2^29: sorted with positive gaps then means strictly increasing *integers*. Gaps
    // alone are not enough: a few rows with gaps near 2^25 (junk rows whose init and final records cancel)
    // could climb past p and come back to an address initialised earlier — a second init record for it.
    if (checkAddr) {
      const a0 = b.col(C.a0), a1 = b.col(C.a1);
      b.assertZero(isReal.mul(addr.sub(a0).sub(a1.mul(65536))), "boundary/addr-limbs");
      b.send(BUS.RANGE, [a0], isReal, 1);
      b.send(BUS.RANGE, [a1], isReal, 1);
      b.send(BUS.RANGE, [a1.mul(2 ** (16 - ADDR_HI_BITS))], isReal, 1);
    }
    const isGlobal = b.col(C.isGlobal), init0 = b.col(C.init0), init1 = b.col(C.init1), isMem = b.col(C.isMem);
    b.assertBool(isGlobal, "boundary/isGlobal-bool");
    b.assertZero(isGlobal.mul(b.constant(1).sub(isReal)), "boundary/global-only-on-real-rows");
    b.assertZero(b.constant(1).sub(isGlobal).mul(init0), "boundary/init-zero-lo");
    b.assertZero(b.constant(1).sub(isGlobal).mul(init1), "boundary/init-zero-hi");
    b.assertBool(isMem, "boundary/isMem-bool");
    b.assertZero(isMem.mul(b.constant(1).sub(isReal)), "boundary/mem-only-on-real-rows");
    b.assertZero(isMem.mul(isGlobal), "boundary/mem-not-global");
    // is_mem is exactly addr ≥ 2^25: with d = a1 − 2^9·is_mem, d < 2^9 on slot rows (d·2^7 is 16-bit) and
    // 0 ≤ d < 2^13 on memory rows (d·2^3 is 16-bit). Otherwise a memory word could pose as a zero-initialised
    // slot (is_mem = 0: it would make its own init record, 0 instead of the image's word), or a slot as memory.
    if (checkIsMem) {
      const d = b.col(C.a1).sub(isMem.mul(MEM_HI));
      b.send(BUS.RANGE, [d], isReal, 1);
      b.send(BUS.RANGE, [d.mul(b.constant(2 ** 7).sub(isMem.mul(2 ** 7 - 2 ** 3)))], isReal, 1);
    }
    // grown memory (MEMGROW): a word at or above the image's initial memory starts zero, so its row makes its
    // own init record (init = 0, as on every non-global row); `grown` is pinned to exactly those words by
    // addr − 2^25 − initialPages·2^14 = gd ∈ [0, 2^28) (a word of the initial memory would make it negative,
    // ≥ p − 2^28), and a grown word without the flag has no init record at all (the verifier sends tuples only
    // for the opened initial pages)
    const grown = b.col(C.grown), gd0 = b.col(C.gd0), gd1 = b.col(C.gd1);
    b.assertBool(grown, "boundary/grown-bool");
    b.assertZero(grown.mul(b.constant(1).sub(isMem)), "boundary/grown-is-memory");
    b.assertZero(grown.mul(addr.sub(MEM_BASE_ADDR).sub(b.pub(PUB.memPages).mul(2 ** 14)).sub(gd0).sub(gd1.mul(65536))), "boundary/grown-above-initial-memory");
    b.send(BUS.RANGE, [gd0], grown, 1);
    b.send(BUS.RANGE, [gd1.mul(16)], grown, 1);
    b.receive(BUS.GLOBALS, [addr, init0, init1], isGlobal, 1);
    b.send(BUS.MEM, [addr, init0, init1, 0], isReal.sub(isMem).add(grown), 1);
    b.receive(BUS.MEM, [addr, b.col(C.fin0), b.col(C.fin1), b.col(C.finTs)], isReal, 1);
  },
  };
}

export const boundaryTable: TableAir = makeBoundaryTable();
