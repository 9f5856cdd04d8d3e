// Segments (continuations, docs/vm-air.md §11): a run split into segments proves as N + 1 joint proofs (the memory
// proof, then one per segment) that verify only together and only in order; the segment boundary (the handoff
// row's STATE record) cannot be forged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { buildVmSegments, vmProgramAir, vmSegmentedAirs, type SegmentedAirs } from "../vm/air/index.ts";
import { cpuCol } from "../vm/air/cpu/columns.ts";
import { buildCpuRows } from "../vm/air/cpu/trace.ts";
import { proveJoint } from "../prover/stark.ts";
import { verifyJoint } from "../verifier/stark.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { decodeReceipt, encodeReceipt, proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { execute } from "../vm/executor/index.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";

// Σ_{i=1..40} i, stored to memory and reloaded each iteration (memory records cross segments), committed to the
// journal at the end (the journal's public tuples live in the memory proof)
const LOOP: AsmInstr[] = [
  ["CONST", 0, 40], ["CONST", 1, 0], ["CONST", 2, 64],
  /* 3 */ ["LOAD32", 3, 2, 0], ["ADD", 3, 3, 0], ["STORE32", 2, 3, 0], ["ADDI", 0, 0, -1], ["BRNZ", 0, 3],
  ["CONST", 4, 4], ["COMMIT", 2, 4], ["LOAD32", 5, 2, 0], ["EXIT", 5],
];
const program = asmProgram(LOOP);
const SEG_CYCLES = 64;
/** buildVmSegments with every segment's columns built once (tests forge them in place) */
function materialized(...args: Parameters<typeof buildVmSegments>) {
  const t = buildVmSegments(...args);
  return { ...t, segments: t.segments.map((s) => ({ ...s, traces: s.traces() })) };
}
type Traces = Uint32Array[][];
/** Parts whose buses do not balance jointly: the honest prover refuses them, and a forced proof is rejected by the
 *  joint verifier on the LogUp sum. */
async function expectUnbalanced(airs: SegmentedAirs, memory: { traces: Traces; publics: number[] }, segs: readonly { tables: number; traces: Traces; publics: number[] }[]): Promise<void> {
  const parts = [{ air: airs.memory, traces: memory.traces, publics: memory.publics }, ...segs.map((s) => ({ air: airs.segment(s.tables), traces: s.traces, publics: s.publics }))];
  await expect(proveJoint(parts, { params: FAST_PARAMS })).rejects.toMatchObject({ kind: "LogupSumNonZero" });
  const forced = await proveJoint(parts, { params: FAST_PARAMS, check: false, testHooks: { allowInvalidWitness: true } });
  const v = verifyJoint(parts.map((p, k) => ({ air: p.air, proof: forced[k]!.bytes, publics: p.publics })), { params: FAST_PARAMS });
  expect(v.ok).toBe(false);
  if (!v.ok) expect(v.error.kind).toBe("LogupSumNonZero");
}
const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

afterAll(async () => { await closeSharedPool(); });

describe("segments: trace layout", () => {
  it("splits at fetched rows; every segment but the last ends in a handoff row carrying the next one's start", () => {
    const t = materialized(program, new Uint8Array(0), SEG_CYCLES);
    const run = execute(program, new Uint8Array(0));
    expect(t.exitCode).toBe(820);
    expect(t.cycles).toBe(run.cycles);
    expect(t.segments.length).toBeGreaterThanOrEqual(3);
    t.segments.forEach((s, k) => {
      const cpu = s.traces[0]!;
      const real = [...cpu[cpuCol("isReal")]!].lastIndexOf(1);
      const hand = cpu[cpuCol("fHand")]![real];
      expect(hand).toBe(k + 1 < t.segments.length ? 1 : 0);
      if (k + 1 < t.segments.length) {
        const next = t.segments[k + 1]!.traces[0]!;
        for (const c of ["pc", "fp", "clk", "msz", "inRem", "jpos"]) expect(cpu[cpuCol(c)]![real]).toBe(next[cpuCol(c)]![0]);
        expect(s.clkEnd).toBe(t.segments[k + 1]!.clkStart);
        // a segment's CPU table is as full as it may be: < SEG_CYCLES rows (room for the handoff row), and the next
        // instruction (≤ 4 rows) would not have fitted
        expect(real).toBeLessThan(SEG_CYCLES);
        expect(real).toBeGreaterThanOrEqual(SEG_CYCLES - 4);
        expect(cpu[0]!.length).toBe(SEG_CYCLES);
      }
    });
  });
});

describe("segments: rebuilt on demand", () => {
  it("a run that traps gives the executor's typed error, not a trace", () => {
    const trapping = asmProgram([["CONST", 0, 1], ["CONST", 1, 0], ["DIVS", 2, 0, 1], ["EXIT", 2]]);
    expect(() => buildVmSegments(trapping, new Uint8Array(0), SEG_CYCLES)).toThrow(expect.objectContaining({ kind: "DivideByZero", pc: 2 }));
  });

  it("a segment's rows, asked for in any order and again, are the whole run's rows in that clock window", () => {
    const whole = buildCpuRows(program, new Uint8Array(0));
    const t = buildVmSegments(program, new Uint8Array(0), SEG_CYCLES);
    const clk = cpuCol("clk"), hand = cpuCol("fHand");
    const first = cpuCol("isFirst"); // set by the column layout on each table's first row
    const rowsOf = (cols: Uint32Array[]): number[][] => range(0, cols[0]!.length).filter((i) => cols[cpuCol("isReal")]![i] === 1 && cols[hand]![i] === 0).map((i) => cols.map((c, j) => (j === first ? 0 : c[i]!)));
    const expected = t.segments.map((s) => whole.rows.filter((r) => r[clk]! >= s.clkStart && r[clk]! < s.clkEnd).map((r) => [...r]));
    expect(expected.flat().length).toBe(whole.rows.length);
    // backwards, then forwards twice: each out-of-order request replays the run from its start
    const order = [...range(0, t.segments.length).reverse(), ...range(0, t.segments.length), ...range(0, t.segments.length)];
    for (const k of order) expect(rowsOf(t.segments[k]!.traces()[0]!)).toEqual(expected[k]);
  });
});

describe("segments: joint proofs", () => {
  let receipt: Uint8Array;
  let imageId: string;
  beforeAll(async () => {
    const r = await proveReceipt(program, new Uint8Array(0), { params: FAST_PARAMS, segmentCycles: SEG_CYCLES });
    receipt = r.receipt;
    imageId = r.imageId;
    expect(r.segments).toBeGreaterThanOrEqual(3);
    expect(r.exitCode).toBe(820);
  }, 240_000);

  it("a segmented receipt verifies, reporting its segments", () => {
    const v = verifyReceipt(receipt, imageId);
    expect(v).toMatchObject({ valid: true, exitCode: 820, dev: false });
    if (v.valid) expect(v.segments).toBe(decodeReceipt(receipt).proofs!.length - 1);
  });

  it("a segment dropped, two swapped, one duplicated, or the memory proof moved: rejected", () => {
    const r = decodeReceipt(receipt);
    const n = r.proofs!.length; // the memory proof (part 0), then the segments; each segment keeps its table mask
    const variants = [
      [0, ...range(2, n)], // the first segment dropped
      [0, ...range(1, n - 1)], // the last segment dropped
      [0, 2, 1, ...range(3, n)], // two swapped
      [0, 1, ...range(1, n)], // one duplicated
      [...range(1, n), 0], // the memory proof last
    ];
    for (const parts of variants) {
      const proofs = parts.map((i) => r.proofs![i]!);
      const segmentTables = parts.slice(1).map((i) => (i === 0 ? 0 : r.segmentTables![i - 1]!));
      const v = verifyReceipt(encodeReceipt({ ...r, proofs, segmentTables }), imageId);
      expect(v.valid).toBe(false);
    }
  });

  it("300 random bit flips and 50 truncations of a segmented receipt: all rejected with typed errors", () => {
    let seed = 12345;
    const rand = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    const kinds = new Set<string>();
    for (let i = 0; i < 350; i++) {
      const m = receipt.slice(0, i < 300 ? receipt.length : rand(receipt.length));
      if (i < 300) { const bit = rand(receipt.length * 8); m[bit >> 3]! ^= 1 << (bit & 7); }
      const v = verifyReceipt(m, imageId);
      expect(v.valid).toBe(false);
      if (!v.valid) { expect(v.error.kind).not.toBe("Internal"); kinds.add(v.error.kind); }
    }
    expect(kinds.size).toBeGreaterThan(2);
  });

  it("another exit code, cycle count or journal in the statement: rejected", () => {
    const r = decodeReceipt(receipt);
    for (const statement of [{ ...r.statement, exitCode: 821 }, { ...r.statement, cycles: r.statement.cycles + 1 }]) {
      expect(verifyReceipt(encodeReceipt({ ...r, statement }), imageId).valid).toBe(false);
    }
  });

  it("a middle segment starting from another state (its input cursor + 1 on every row, handoff included): every row constraint holds, the STATE bus does not balance", async () => {
    const t = materialized(program, new Uint8Array(0), SEG_CYCLES);
    expect(t.segments.length).toBeGreaterThanOrEqual(3);
    const airs = vmSegmentedAirs(vmProgramAir(program), program.code, t.pages, t.journal);
    const seg1 = t.segments[1]!.traces[0]!;
    const inRem = seg1[cpuCol("inRem")]!, real = seg1[cpuCol("isReal")]!;
    for (let i = 0; i < inRem.length; i++) if (real[i] === 1) inRem[i]! += 1;
    await expectUnbalanced(airs, t.memory, t.segments);
  }, 240_000);

  it("a handoff row that writes memory (a port enabled): refused by its row constraint", async () => {
    const t = materialized(program, new Uint8Array(0), SEG_CYCLES);
    const airs = vmSegmentedAirs(vmProgramAir(program), program.code, t.pages, t.journal);
    const seg0 = t.segments[0]!.traces[0]!;
    const h = [...seg0[cpuCol("fHand")]!].indexOf(1);
    seg0[cpuCol("en2")]![h] = 1;
    const parts = [{ air: airs.memory, traces: t.memory.traces, publics: t.memory.publics }, ...t.segments.map((s) => ({ air: airs.segment(s.tables), traces: s.traces, publics: s.publics }))];
    await expect(proveJoint(parts, { params: FAST_PARAMS, check: true })).rejects.toThrow(/handoff-port2-off/);
  }, 240_000);
});

// A DOT early, CPU work, an AXPY late: segments hold only the coprocessor tables they have ops for.
const X_ADDR = 1024, Y_ADDR = 2048;
const words = (v: readonly number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
const COP_LOOP: AsmInstr[] = [
  ...[X_ADDR, Y_ADDR, 8, 1, 1, 0, 0, 16].map((v, k): AsmInstr => ["CONST", 10 + k, v]),
  /* 8 */ ["DOT", 0, 10],
  /* 9 */ ["CONST", 1, 40], /* 10 */ ["ADDI", 1, 1, -1], /* 11 */ ["BRNZ", 1, 10],
  ...[Y_ADDR, X_ADDR, 8, 1, 1, 65536, 16].map((v, k): AsmInstr => ["CONST", 10 + k, v]),
  ["AXPY", 10],
  ["CONST", 20, Y_ADDR], ["CONST", 21, 32], ["COMMIT", 20, 21], ["EXIT", 0],
];
const copProgram = asmProgram(COP_LOOP, { segments: [{ addr: X_ADDR, bytes: words([1, 2, 3, 4, 5, 6, 7, 8].map((x) => x << 16)) }, { addr: Y_ADDR, bytes: words([8, 7, 6, 5, 4, 3, 2, 1].map((x) => x << 16)) }] });
const popcount = (m: number): number => (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1);

describe("segments: only the coprocessor tables a segment uses", () => {
  const DOT = 1, AXPY = 2; // coprocessorTables(code) order: dot, axpy
  let receipt: Uint8Array;
  let imageId: string;

  it("a segment's proof holds the CPU and the tables of its own ops", () => {
    const t = materialized(copProgram, new Uint8Array(0), 32);
    const masks = t.segments.map((s) => s.tables);
    expect(masks[0]).toBe(DOT); // the DOT runs in the first segment
    expect(masks.filter((m) => m === AXPY).length).toBe(1);
    expect(masks.indexOf(0)).toBeGreaterThan(0); // the loop between: CPU only
    expect(masks.indexOf(AXPY)).toBeGreaterThan(masks.indexOf(0));
    t.segments.forEach((s) => expect(s.traces.length).toBe(1 + popcount(s.tables)));
  });

  beforeAll(async () => {
    const r = await proveReceipt(copProgram, new Uint8Array(0), { params: FAST_PARAMS, segmentCycles: 32 });
    receipt = r.receipt;
    imageId = r.imageId;
  }, 240_000);

  it("the receipt records each segment's tables and verifies", () => {
    const r = decodeReceipt(receipt);
    expect(r.segmentTables![0]).toBe(DOT);
    expect(r.segmentTables!.some((m) => m === 0)).toBe(true);
    expect(verifyReceipt(receipt, imageId)).toMatchObject({ valid: true, exitCode: 120 * 65536 }); // EXIT r0 = the DOT: Σ x·y = 120 in Q16.16
  });

  it("another table mask for a segment: rejected with a typed error", () => {
    const r = decodeReceipt(receipt);
    const empty = r.segmentTables!.indexOf(0);
    const variants: [number, number, string | undefined][] = [
      [0, 0, undefined], // the DOT segment without its DOT table
      [0, DOT | AXPY, undefined], // an extra table the proof does not hold
      [empty, DOT, undefined],
      [empty, 4, "Malformed"], // a SHA-256 table this program does not have
    ];
    for (const [seg, mask, kind] of variants) {
      const segmentTables = r.segmentTables!.map((m, k) => (k === seg ? mask : m));
      const v = verifyReceipt(encodeReceipt({ ...r, segmentTables }), imageId);
      expect(v.valid).toBe(false);
      if (!v.valid) {
        expect(v.error.kind).not.toBe("Internal");
        if (kind !== undefined) expect(v.error.kind).toBe(kind);
      }
    }
  });

  it("a prover that leaves out the DOT table of the segment running the DOT: the COP send is never received", async () => {
    const t = materialized(copProgram, new Uint8Array(0), 32);
    const airs = vmSegmentedAirs(vmProgramAir(copProgram), copProgram.code, t.pages, t.journal);
    const segs = t.segments.map((s, k) => (k === 0 ? { ...s, tables: 0, traces: s.traces.slice(0, 1) } : s));
    await expectUnbalanced(airs, t.memory, segs);
  }, 240_000);
});
