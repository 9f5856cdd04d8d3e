// VM AIR v5: the DOT coprocessor table (vm/air/dot/, docs/vm-air.md §9). Honest DOT ops of every shape satisfy
// the AIR and agree with the executor (signs, strides of either sign and zero, n = 0 and 1, a 64-bit
// accumulator, every shift 0..32, results at the edges of i32, aliasing); every forgery below is caught by the
// rule named; runs the table cannot prove are refused with a typed error, and trapping ones trap as the
// executor does; a DOT program proves and verifies as a receipt.
import { afterAll, describe, expect, it } from "vitest";
import type { AsmInstr } from "../vm/executor/asm.ts";
import { coprocessorTables, TABLE, tableIndex, VmAirError } from "../vm/air/index.ts";
import { checkConstraints } from "../prover/air-check.ts";
import { CARRY_OFFSET, DOT_COL, dotTable } from "../vm/air/dot/constraints.ts";
import { P } from "../verifier/fp.ts";
import { isVmError } from "../vm/errors.ts";
import { execute } from "../vm/executor/index.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";
import { airFor, check, cloneTraces, cpu, expectFail, rowWith, rng, setupProgram, starkVerdictOfForgery, type Setup } from "./vm-air-helpers.ts";
import { asmProgram } from "../vm/executor/asm.ts";

const X_ADDR = 64, Y_ADDR = 4096;
/** The DOT table's index in these programs' AIR (the coprocessor tables present follow the fixed ones). */
const IDX = tableIndex(asmProgram([["DOT", 0, 10]]).code, "dot");
const i32Bytes = (v: readonly number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);

interface DotCase { x: number[]; y: number[]; n?: number; sx?: number; sy?: number; acc?: bigint; shift?: number; xp?: number; yp?: number; dst?: number }
/** r[dst] = DOT(args in r10..r17) then EXIT r[dst]; x at X_ADDR and y at Y_ADDR as data segments. */
function dotProgram(c: DotCase): { instrs: AsmInstr[]; opts: { segments: { addr: number; bytes: Uint8Array }[] } } {
  const acc = BigInt.asUintN(64, c.acc ?? 0n);
  const args = [c.xp ?? X_ADDR, c.yp ?? Y_ADDR, c.n ?? c.x.length, c.sx ?? 1, c.sy ?? 1, Number(acc & 0xffffffffn), Number(acc >> 32n), c.shift ?? 16];
  const dst = c.dst ?? 0;
  const instrs: AsmInstr[] = [...args.map((v, k): AsmInstr => ["CONST", 10 + k, v | 0]), ["DOT", dst, 10], ["EXIT", dst]];
  return { instrs, opts: { segments: [{ addr: X_ADDR, bytes: i32Bytes(c.x) }, { addr: Y_ADDR, bytes: i32Bytes(c.y) }] } };
}
const setupDot = (c: DotCase): Setup => { const { instrs, opts } = dotProgram(c); return setupProgram(instrs, opts); };
const exitOf = (s: Setup): number => (s.publics[2]! | (s.publics[3]! << 16)) | 0;
const dotCol = (traces: Uint32Array[][], name: keyof typeof DOT_COL): Uint32Array => traces[IDX]![DOT_COL[name]]!;
const rowsOf = (traces: Uint32Array[][], kind: keyof typeof DOT_COL): number[] => [...dotCol(traces, kind).keys()].filter((r) => dotCol(traces, kind)[r] === 1);
const fe = (x: number): number => ((x % P) + P) % P;

/** The exact result: ⌊(acc + Σ x·y (mod 2^64) + 2^(shift−1)) / 2^shift⌋ (BigInt). */
function reference(c: DotCase): bigint {
  const n = c.n ?? c.x.length, sx = c.sx ?? 1, sy = c.sy ?? 1;
  let s = c.acc ?? 0n;
  for (let i = 0; i < n; i++) s += BigInt(c.x[i * sx]!) * BigInt(c.y[i * sy]!);
  s = BigInt.asIntN(64, s);
  const sh = BigInt(c.shift ?? 16);
  return sh === 0n ? s : (s + (1n << (sh - 1n))) >> sh;
}

describe("DOT: honest ops", () => {
  it("a Q16.16 dot product of 4 elements: n + 5 table rows, the CPU's clock jumps by 1 + n", () => {
    const c = { x: [65536, -2 * 65536, 3 * 65536, 32768], y: [65536, 65536, -65536, 65536] };
    const s = setupDot(c);
    expect(exitOf(s)).toBe((1 - 2 - 3) * 65536 + 32768);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    expect(rowsOf(s.traces, "sE").length).toBe(4);
    expect(["sA0", "sA1", "sA2", "sA3", "sF"].map((k) => rowsOf(s.traces, k as keyof typeof DOT_COL).length)).toEqual([1, 1, 1, 1, 1]);
    const r = rowWith(s.traces, "fDot");
    expect(cpu(s.traces, "clk")[r + 1]! - cpu(s.traces, "clk")[r]!).toBe(5);
    expect(s.publics[4]).toBe(execute(s.p, new Uint8Array(0)).cycles);
  });

  it("random ops: signs, strides (negative, zero), n = 0 and 1, 64-bit accumulators, shifts 0..32, aliasing", () => {
    const next = rng(2026);
    const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
    let checked = 0;
    for (let t = 0; t < 40; t++) {
      const n = [0, 1, 2, 3, 7, 16][t % 6]!;
      const sx = [1, 2, -1, 0, 3][t % 5]!, sy = [1, -2, 0, 1][t % 4]!;
      const shift = t < 33 ? t : int(0, 32);
      const mag = 2 ** int(0, t % 2 === 1 ? 31 : 15);
      const len = Math.max(1, Math.abs(sx) * n + 1), leny = Math.max(1, Math.abs(sy) * n + 1);
      const x = Array.from({ length: len }, () => int(-mag, mag - 1) | 0), y = Array.from({ length: leny }, () => int(-mag, mag - 1) | 0);
      const acc = BigInt(int(-(2 ** 31), 2 ** 31)) << BigInt(int(0, t % 2 === 1 ? 31 : 4));
      // negative strides start at the far end
      const c: DotCase = { x, y, n, sx, sy, acc, shift, xp: X_ADDR + (sx < 0 ? 4 * (len - 1) : 0), yp: Y_ADDR + (sy < 0 ? 4 * (leny - 1) : 0), dst: t % 3 === 0 ? 12 : 0 };
      const cx: DotCase = { ...c, x: sx < 0 ? [...x].reverse() : x, y: sy < 0 ? [...y].reverse() : y, sx: Math.abs(sx), sy: Math.abs(sy) };
      const want = reference(cx);
      const { instrs, opts } = dotProgram(c);
      if (want < -(2n ** 31n) || want >= 2n ** 31n) {
        // the executor traps (FixedPointOverflow): no trace
        expect(() => setupProgram(instrs, opts)).toThrow(expect.objectContaining({ kind: "FixedPointOverflow" }));
        continue;
      }
      const s = setupProgram(instrs, opts);
      expect(BigInt(exitOf(s))).toBe(want);
      const res = check(s.p, s.traces, s.publics);
      if (!res.ok) throw new Error(`case ${t}: ${JSON.stringify(res)}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(25);
  });

  it("results at the edges of i32, x = y (the same vector read twice per element), and several ops in one run", () => {
    for (const [v, shift] of [[2 ** 31 - 1, 0], [-(2 ** 31), 0], [2 ** 30, 31], [-(2 ** 31), 32]] as const) {
      const s = setupDot({ x: [v], y: [1], shift, acc: 0n });
      expect(exitOf(s)).toBe(Number(reference({ x: [v], y: [1], shift })));
      expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    }
    const same = setupDot({ x: [3, -4, 5], y: [], yp: X_ADDR, shift: 0 });
    expect(exitOf(same)).toBe(9 + 16 + 25);
    expect(check(same.p, same.traces, same.publics)).toEqual({ ok: true });
    // two DOTs (the second uses the first's result as its accumulator) and a STORE between them
    const { instrs, opts } = dotProgram({ x: [1, 2, 3], y: [4, 5, 6], shift: 0 });
    const prog: AsmInstr[] = [...instrs.slice(0, -1), ["MOV", 15, 0], ["CONST", 16, 0], ["CONST", 20, X_ADDR], ["STORE32", 20, 0, 4], ["DOT", 1, 10], ["EXIT", 1]];
    const two = setupProgram(prog, opts);
    expect(exitOf(two)).toBe(32 + (4 + 32 * 5 + 18));
    expect(check(two.p, two.traces, two.publics)).toEqual({ ok: true });
    expect(rowsOf(two.traces, "sA0").length).toBe(2);
  });

  it("runs the table does not prove: a typed VmAirError naming DOT, before any proof", () => {
    for (const c of [{ shift: 33 }, { sx: 2 ** 28, n: 1 }, { xp: X_ADDR + 2 }] as Partial<DotCase>[]) {
      const { instrs, opts } = dotProgram({ x: [1, 2], y: [3, 4], ...c });
      expect(execute(asmProgram(instrs, opts), new Uint8Array(0)).exitCode).toBeTypeOf("number"); // the executor runs it
      expect(() => setupProgram(instrs, opts)).toThrow(VmAirError);
      expect(() => setupProgram(instrs, opts)).toThrow(/DOT at clock \d+: .* not provable/);
    }
  });

  it("trapping ops (out of bounds, negative n, bad shift) trap as in the executor: no trace", () => {
    for (const c of [{ xp: 65536 - 4, n: 2 }, { n: -1 }, { shift: 64 }] as Partial<DotCase>[]) {
      const { instrs, opts } = dotProgram({ x: [1, 2], y: [3, 4], ...c });
      let err: unknown;
      try { setupProgram(instrs, opts); } catch (e) { err = e; }
      expect(isVmError(err)).toBe(true);
    }
  });

  it("the table is in the AIR iff the code contains DOT; left out, a DOT run cannot balance the COP bus", () => {
    expect(coprocessorTables(asmProgram([["CONST", 0, 1], ["EXIT", 0]]).code)).toEqual([]);
    const s = setupDot({ x: [1, 2], y: [3, 4], shift: 0 });
    expect(coprocessorTables(s.p.code)).toEqual(["dot"]);
    const air = airFor(s.p, s.traces);
    expect(air.tables.map((t) => t.name).slice(-1)).toEqual(["dot"]);
    const without = { ...air, tables: air.tables.slice(0, IDX) };
    expectFail(checkConstraints(without, s.traces.slice(0, IDX), s.publics), "LogupSumNonZero");
  });

  it("the table's degree and size", () => {
    const t = symbolicAir({ name: "dot", numPublicInputs: 0, tables: [dotTable] }).tables[0]!;
    expect(t.maxDegree).toBeLessThanOrEqual(3);
    expect(t.width).toBe(dotTable.width);
  });
});

describe("DOT: forgeries", () => {
  const base = setupDot({ x: [70000, -123456, 99, 5], y: [-3, 65536 * 7, 12345, -1], acc: -5n, shift: 16 });
  const E = rowsOf(base.traces, "sE"), F = rowsOf(base.traces, "sF")[0]!, A = ["sA0", "sA1", "sA2", "sA3"].map((k) => rowsOf(base.traces, k as keyof typeof DOT_COL)[0]!);
  const forge = (edit: (set: (row: number, col: keyof typeof DOT_COL, v: number) => void, t: Uint32Array[][]) => void) => {
    const t = cloneTraces(base.traces);
    edit((row, col, v) => { t[IDX]![DOT_COL[col]]![row] = fe(v); }, t);
    return check(base.p, t, base.publics);
  };
  const get = (row: number, col: keyof typeof DOT_COL): number => dotCol(base.traces, col)[row]!;

  it("the honest trace passes", () => expect(check(base.p, base.traces, base.publics)).toEqual({ ok: true }));
  it("a wrong result (r + 1, written and exited consistently is still not R(S, shift))", () => {
    expectFail(forge((set) => set(F, "xv0", get(F, "xv0") + 1)), /dot\/round-limb/);
  });
  it("a wrong accumulator after an element", () => expectFail(forge((set) => set(E[1]!, "A0", get(E[1]!, "A0") + 1)), /dot\/acc-limb-0/));
  it("a wrong byte of x", () => expectFail(forge((set) => set(E[0]!, "xb1", get(E[0]!, "xb1") ^ 1)), /dot\/x-bytes-lo/));
  it("a flipped sign bit of y (the product changes)", () => expectFail(forge((set) => set(E[1]!, "sgy", 1 - get(E[1]!, "sgy"))), /dot\/acc-limb/));
  it("a rounding carry moved (every limb equation still holds, L0 leaves 16 bits): only the range lookup fails", () => {
    // the prover also moves the RANGE multiplicities of the values it changed, where the table has them
    const t = cloneTraces(base.traces);
    const col = (c: keyof typeof DOT_COL): Uint32Array => t[IDX]![DOT_COL[c]]!;
    const mult = t[TABLE.range]![1]!;
    const relook = (from: number, to: number): void => { mult[from]!--; if (to >= 0 && to < 65536) mult[to]!++; };
    const c0 = col("c0")[F]!, L0 = col("L0")[F]!, L1 = col("L1")[F]!;
    const c0i = c0 > P / 2 ? c0 - P : c0;
    expect(L1).toBeGreaterThan(0);
    col("c0")[F] = fe(c0i - 1); relook(c0i + CARRY_OFFSET, c0i - 1 + CARRY_OFFSET);
    col("L0")[F] = L0 + 65536; relook(L0, L0 + 65536);
    col("L1")[F] = L1 - 1; relook(L1, L1 - 1);
    expectFail(check(base.p, t, base.publics), "LogupSumNonZero");
    // undoing the three moves (and only them) restores an accepted trace: the bookkeeping above was exact, so the
    // out-of-range L0 is the one thing that failed
    col("L0")[F] = L0; mult[L0]!++;
    col("c0")[F] = c0; relook(c0i - 1 + CARRY_OFFSET, c0i + CARRY_OFFSET);
    col("L1")[F] = L1; relook(L1 - 1, L1);
    expect(check(base.p, t, base.publics)).toEqual({ ok: true });
  });
  it("another shift than the argument", () => expectFail(forge((set) => set(F, "sh", 17)), /dot\/op-constant-sh/));
  it("another stride than the argument", () => expectFail(forge((set) => { for (const r of [...A, ...E, F]) set(r, "sx", 2); }), /dot\/arg-sx/));
  it("an element row dropped (the op ends early): rem does not reach 0", () => {
    expectFail(forge((set) => { set(E[3]!, "sE", 0); set(E[3]!, "sF", 1); }), /dot\/(result-ends-the-op|rem-end|ts-result|result-address|s-bytes|round)/);
  });
  it("the first element not at the x pointer", () => expectFail(forge((set) => set(E[0]!, "qx", get(E[0]!, "qx") + 1)), /dot\/(x-address|x-pointer)/));
  it("hasE cleared on A3 (skipping the pointer checks)", () => expectFail(forge((set) => set(A[3]!, "hasE", 0)), /dot\/has-elements/));
  it("an element read at another timestamp", () => expectFail(forge((set) => set(E[2]!, "xts", get(E[2]!, "xts") + 4)), /dot\/ts-element/));
  it("a read that changes memory (x's value sent back differs)", () => expectFail(forge((set) => set(E[0]!, "xp0", get(E[0]!, "xp0") + 1)), /dot\/x-read-keeps-lo/));
  it("the CPU row's end clock is not the clock of its next row", () => {
    const t = cloneTraces(base.traces);
    t[TABLE.cpu]![cpuColIndex("cend")]![rowWith(t, "fDot")]! += 1;
    expectFail(check(base.p, t, base.publics), /cpu\/clk-coprocessor/);
  });
  it("the table writes another slot than the CPU's DOT names (dst moved on every row of the op): COP unbalanced", () => {
    expectFail(forge((set) => { for (const r of [...A, ...E, F]) set(r, "dst", get(r, "dst") + 1); set(F, "xa", get(F, "xa") + 1); }), "LogupSumNonZero");
  });
  it("an op the CPU never ran (a second op appended to the table): the COP receive is unmatched", () => {
    const t = cloneTraces(base.traces);
    const dot = t[IDX]!;
    const first = A[0]!, last = F;
    const len = last - first + 1, at = last + 1;
    for (const col of dot) for (let i = 0; i < len; i++) col[at + i] = col[first + i]!;
    expectFail(check(base.p, t, base.publics), "LogupSumNonZero");
  });
  it("a padding row that receives an op", () => {
    expectFail(forge((set) => set(F + 3, "sA0", 1)), /dot\/(real-prefix|a0-then-a1)/);
  });
  it("an accumulator carry wrapping the field (c0 = p − 1 stays unbalanced)", () => {
    expectFail(forge((set) => set(E[0]!, "c0", CARRY_OFFSET - 1 - 2 ** 16)), /dot\/acc-limb-0/);
  });
});

describe("DOT: receipts", () => {
  it("a DOT result + 1 (a row constraint broken) proven anyway is rejected by the STARK verifier", async () => {
    const s = setupDot({ x: [1 << 16, -(2 << 16), 7], y: [3 << 16, 5, -(1 << 16)], shift: 16 });
    const t = cloneTraces(s.traces);
    const kind = t[IDX]![DOT_COL.sF]!;
    const r = kind.findIndex((v) => v === 1);
    t[IDX]![DOT_COL.xv0]![r]! += 1;
    expect(await starkVerdictOfForgery(s.p, t, s.publics, s.journal)).toBe("OodMismatch");
  }, 180_000);

  afterAll(async () => { await closeSharedPool(); });
  it("a DOT program proves and verifies; the journal-free statement carries its exit code", async () => {
    const { instrs, opts } = dotProgram({ x: [1 << 16, 2 << 16, -(3 << 16)], y: [5 << 16, -(1 << 15), 1 << 16], shift: 16 });
    const p = asmProgram(instrs, opts);
    const r = await proveReceipt(p, new Uint8Array(), { params: FAST_PARAMS });
    expect(r.exitCode).toBe((5 - 1 - 3) << 16);
    expect(verifyReceipt(r.receipt, r.imageId)).toMatchObject({ valid: true, exitCode: (5 - 1 - 3) << 16, dev: false });
  }, 180_000);
});

import { cpuCol as cpuColIndex } from "../vm/air/cpu/columns.ts";
