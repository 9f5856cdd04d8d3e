// The receipt prover's parameter choice (vm/receipt/prove.ts receiptParams) and COMPACT_PARAMS' security figures.
import { describe, expect, it } from "vitest";
import { COMPACT_MAX_LOG_LDE, DEFAULT_SEGMENT_CYCLES, receiptParams, segmentCyclesFor } from "../vm/receipt/prove.ts";
import { COMPACT_PARAMS, DEFAULT_PARAMS, SECURITY_TARGET_BITS, securityBits } from "../verifier/params.ts";
import { vmAir } from "../vm/air/index.ts";
import { asmProgram } from "../vm/executor/asm.ts";

// program, cpu, boundary, range16, globals, and8, pow2, tablefn, byteprop
const heights = (cpu: number) => [6, cpu, 11, 16, 6, 6, 6, 6, 10];

describe("receipt parameters", () => {
  const air = vmAir(asmProgram([["CONST", 0, 3], ["ADDI", 0, 0, -1], ["BRNZ", 0, 1], ["EXIT", 0]] as never));

  it("COMPACT_PARAMS reach the target up to an LDE of 2^23 and not beyond", () => {
    for (let l = 18; l <= 23; l++) expect(securityBits(COMPACT_PARAMS, l).conjectured, `2^${l}`).toBeGreaterThanOrEqual(SECURITY_TARGET_BITS);
    expect(securityBits(COMPACT_PARAMS, 24).conjectured).toBeLessThan(SECURITY_TARGET_BITS);
    expect(securityBits(COMPACT_PARAMS, 20).conjectured).toBe(101);
  });

  it("takes COMPACT_PARAMS up to an LDE of 2^19 (runs of ≤ 2^16 cycles), DEFAULT_PARAMS beyond or when asked", () => {
    expect(COMPACT_MAX_LOG_LDE).toBe(19);
    expect(receiptParams(air, heights(8))).toEqual(COMPACT_PARAMS);
    expect(receiptParams(air, heights(16))).toEqual(COMPACT_PARAMS); // zk degree 2^16 + 45, LDE 2^19
    expect(receiptParams(air, heights(17))).toEqual(DEFAULT_PARAMS); // LDE 2^20 at rate 1/8: too costly to prove
    expect(receiptParams(air, heights(20))).toEqual(DEFAULT_PARAMS); // LDE 2^23 at rate 1/8: 100 bits, too costly
    expect(receiptParams(air, heights(8), false)).toEqual({ ...COMPACT_PARAMS, zk: false });
    expect(receiptParams(air, heights(16), false)).toEqual({ ...COMPACT_PARAMS, zk: false }); // LDE 2^19 as with zk
    expect(receiptParams(air, heights(17), false)).toEqual({ ...DEFAULT_PARAMS, zk: false }); // 2^20
    expect(receiptParams(air, heights(8), true, true)).toEqual(DEFAULT_PARAMS);
  });
});

describe("segment size", () => {
  it("one proof up to DEFAULT_SEGMENT_CYCLES cycles, segments of that size beyond; a requested size always wins", () => {
    expect(segmentCyclesFor(1)).toBeUndefined();
    expect(segmentCyclesFor(DEFAULT_SEGMENT_CYCLES)).toBeUndefined();
    expect(segmentCyclesFor(DEFAULT_SEGMENT_CYCLES + 1)).toBe(DEFAULT_SEGMENT_CYCLES);
    expect(segmentCyclesFor(100_000_000)).toBe(DEFAULT_SEGMENT_CYCLES);
    expect(segmentCyclesFor(10, 64)).toBe(64);
    expect(segmentCyclesFor(10_000_000, 1 << 15)).toBe(1 << 15);
  });
});
