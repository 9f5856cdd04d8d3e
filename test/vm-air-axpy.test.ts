// VM AIR v5: the AXPY coprocessor table (vm/air/axpy/, docs/vm-air.md §9). Honest AXPY ops of every shape
// satisfy the AIR and agree with an independent BigInt reference (signs, strides of either sign and zero, n = 0
// and 1, every shift 0..32, aliasing of x and y), traps stay traps, unprovable shapes get a typed error, every
// forgery below is caught by the rule named, and an AXPY program proves and verifies as a receipt.
import { afterAll, describe, expect, it } from "vitest";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { TABLE, tableIndex, VmAirError } from "../vm/air/index.ts";
import { AXPY_CARRY_OFFSET, AXPY_COL, axpyTable } from "../vm/air/axpy/constraints.ts";
import { P } from "../verifier/fp.ts";
import { isVmError } from "../vm/errors.ts";
import { execute } from "../vm/executor/index.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";
import { check, cloneTraces, cpu, expectFail, rowWith, rng, setupProgram, starkVerdictOfForgery, type Setup } from "./vm-air-helpers.ts";
import { cpuCol } from "../vm/air/cpu/columns.ts";

const X_ADDR = 64, Y_ADDR = 4096;
/** The AXPY table's index in these programs' AIR (the coprocessor tables present follow the fixed ones). */
const IDX = tableIndex(asmProgram([["AXPY", 0, 10]]).code, "axpy");
const i32Bytes = (v: readonly number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
const fe = (x: number): number => ((x % P) + P) % P;

interface AxpyCase { x: number[]; y: number[]; n?: number; sx?: number; sy?: number; a: number; shift?: number; xp?: number; yp?: number }
/** AXPY(args in r10..r16), then COMMIT the y vector (so the journal holds the result) and EXIT 0. */
function axpyProgram(c: AxpyCase): { instrs: AsmInstr[]; opts: { segments: { addr: number; bytes: Uint8Array }[] } } {
  const args = [c.yp ?? Y_ADDR, c.xp ?? X_ADDR, c.n ?? c.x.length, c.sy ?? 1, c.sx ?? 1, c.a, c.shift ?? 16];
  const instrs: AsmInstr[] = [...args.map((v, k): AsmInstr => ["CONST", 10 + k, v | 0]), ["AXPY", 10], ["CONST", 20, Y_ADDR], ["CONST", 21, 4 * c.y.length], ["COMMIT", 20, 21], ["CONST", 0, 0], ["EXIT", 0]];
  return { instrs, opts: { segments: [{ addr: X_ADDR, bytes: i32Bytes(c.x) }, { addr: Y_ADDR, bytes: i32Bytes(c.y) }] } };
}
const setupAxpy = (c: AxpyCase): Setup => { const { instrs, opts } = axpyProgram(c); return setupProgram(instrs, opts); };
const col = (traces: Uint32Array[][], name: keyof typeof AXPY_COL): Uint32Array => traces[IDX]![AXPY_COL[name]]!;
const rowsOf = (traces: Uint32Array[][], kind: keyof typeof AXPY_COL): number[] => [...col(traces, kind).keys()].filter((r) => col(traces, kind)[r] === 1);
const journalWords = (s: Setup): number[] => Array.from(new Int32Array(s.journal.slice().buffer));

/** y after the op by the ISA's definition, in BigInt (undefined: the executor traps with FixedPointOverflow).
 *  x and y live in one memory (x at X_ADDR, y at Y_ADDR unless a pointer says otherwise), so aliasing is modelled. */
function reference(c: AxpyCase): number[] | undefined {
  const mem = new Map<number, bigint>();
  c.x.forEach((v, i) => mem.set(X_ADDR + 4 * i, BigInt(v)));
  c.y.forEach((v, i) => mem.set(Y_ADDR + 4 * i, BigInt(v)));
  const n = c.n ?? c.x.length, sx = c.sx ?? 1, sy = c.sy ?? 1, sh = BigInt(c.shift ?? 16);
  let xa = c.xp ?? X_ADDR, ya = c.yp ?? Y_ADDR;
  for (let i = 0; i < n; i++) {
    const p = BigInt(c.a) * mem.get(xa)!;
    const t = sh === 0n ? p : (p + (1n << (sh - 1n))) >> sh;
    const y = mem.get(ya)! + t;
    if (t < -(2n ** 31n) || t >= 2n ** 31n || y < -(2n ** 31n) || y >= 2n ** 31n) return undefined;
    mem.set(ya, y);
    xa += 4 * sx;
    ya += 4 * sy;
  }
  return c.y.map((_, i) => Number(mem.get(Y_ADDR + 4 * i)!));
}

describe("AXPY: honest ops", () => {
  it("a Q16.16 update of 4 elements: n + 4 table rows, the CPU's clock jumps by 1 + n", () => {
    const c: AxpyCase = { x: [65536, -2 * 65536, 3 * 65536, 32768], y: [1, 2, 3, 4], a: -13107 };
    const s = setupAxpy(c);
    expect(journalWords(s)).toEqual(reference(c));
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    expect(rowsOf(s.traces, "sE").length).toBe(4);
    const r = rowWith(s.traces, "fAxpy");
    expect(cpu(s.traces, "clk")[r + 1]! - cpu(s.traces, "clk")[r]!).toBe(5);
  });

  it("random ops: signs, strides (negative, zero), n = 0 and 1, shifts 0..32, and x aliasing y", () => {
    const next = rng(77);
    const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
    let checked = 0, trapped = 0;
    for (let t = 0; t < 40; t++) {
      const n = [0, 1, 2, 3, 5, 9][t % 6]!;
      const sx = [1, 2, -1, 0, 3][t % 5]!, sy = [1, -1, 2, 1][t % 4]!;
      const shift = t < 33 ? t : int(0, 32);
      const mag = 2 ** int(0, t % 2 === 1 ? 31 : 15);
      const lenx = Math.max(1, Math.abs(sx) * n + 1), leny = Math.max(1, Math.abs(sy) * n + 1);
      const x = Array.from({ length: lenx }, () => int(-mag, mag - 1) | 0), y = Array.from({ length: leny }, () => int(-mag, mag - 1) | 0);
      const a = int(-(2 ** (t % 3 === 0 ? 31 : 17)), 2 ** (t % 3 === 0 ? 31 : 17) - 1) | 0;
      // every 7th case reads x from y itself (x = y, shifted by one element when possible)
      const alias = t % 7 === 6;
      const c: AxpyCase = { x, y, n, sx, sy, a, shift, xp: alias ? Y_ADDR + (sx < 0 ? 4 * (leny - 1) : 0) : X_ADDR + (sx < 0 ? 4 * (lenx - 1) : 0), yp: Y_ADDR + (sy < 0 ? 4 * (leny - 1) : 0) };
      if (alias) c.sx = Math.sign(sx) * Math.min(Math.abs(sx), Math.abs(sy) || 1);
      const want = reference(c);
      const { instrs, opts } = axpyProgram(c);
      if (want === undefined) {
        expect(() => setupProgram(instrs, opts)).toThrow(expect.objectContaining({ kind: "FixedPointOverflow" }));
        trapped++;
        continue;
      }
      const s = setupProgram(instrs, opts);
      expect(journalWords(s)).toEqual(want);
      const res = check(s.p, s.traces, s.publics, s.journal);
      if (!res.ok) throw new Error(`case ${t}: ${JSON.stringify(res)}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(trapped).toBeGreaterThan(0);
  });

  it("edges: t and y + t at the ends of i32, a = −2^31 at shift 0, the same element as x and y", () => {
    const cases: AxpyCase[] = [
      { x: [1], y: [2 ** 31 - 2], a: 1, shift: 0 },
      { x: [-1], y: [-(2 ** 31) + 1], a: 1, shift: 0 },
      { x: [1], y: [0], a: -(2 ** 31), shift: 0 },
      { x: [2 ** 31 - 1], y: [5], a: 2 ** 31 - 1, shift: 32 },
      { x: [-(2 ** 31)], y: [5], a: -(2 ** 31), shift: 32 },
      { x: [], y: [7, 11], a: 3, shift: 1, xp: Y_ADDR, n: 2 }, // y[i] += R(3·y[i], 1)
    ];
    for (const c of cases) {
      const s = setupAxpy(c);
      expect(journalWords(s)).toEqual(reference(c));
      expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    }
  });

  it("unprovable shapes: a typed VmAirError naming AXPY; trapping ops trap as the executor does", () => {
    for (const c of [{ shift: 40 }, { sx: 2 ** 28, n: 1 }, { yp: Y_ADDR + 1 }] as Partial<AxpyCase>[]) {
      const { instrs, opts } = axpyProgram({ x: [1, 2], y: [3, 4], a: 1, ...c });
      expect(execute(asmProgram(instrs, opts), new Uint8Array(0)).exitCode).toBe(0);
      expect(() => setupProgram(instrs, opts)).toThrow(VmAirError);
      expect(() => setupProgram(instrs, opts)).toThrow(/AXPY at clock \d+: .* not provable/);
    }
    for (const c of [{ xp: 65536 - 4, n: 2 }, { n: -1 }, { shift: 64 }, { y: [2 ** 31 - 1, 0], a: 65536 }] as Partial<AxpyCase>[]) {
      const { instrs, opts } = axpyProgram({ x: [1, 2], y: [3, 4], a: 1, ...c });
      let err: unknown;
      try { setupProgram(instrs, opts); } catch (e) { err = e; }
      expect(isVmError(err)).toBe(true);
    }
  });

  it("the table's degree", () => {
    const t = symbolicAir({ name: "axpy", numPublicInputs: 0, tables: [axpyTable] }).tables[0]!;
    expect(t.maxDegree).toBeLessThanOrEqual(3);
  });
});

describe("AXPY: forgeries", () => {
  const c: AxpyCase = { x: [70000, -123456, 99, 5], y: [-3, 65536 * 7, 12345, -1], a: 40000, shift: 16 };
  const base = setupAxpy(c);
  const E = rowsOf(base.traces, "sE"), A1 = rowsOf(base.traces, "sA1")[0]!, A3 = rowsOf(base.traces, "sA3")[0]!;
  const ops = [...rowsOf(base.traces, "sA0"), A1, ...rowsOf(base.traces, "sA2"), A3, ...E];
  const get = (row: number, name: keyof typeof AXPY_COL): number => col(base.traces, name)[row]!;
  const forge = (edit: (set: (row: number, name: keyof typeof AXPY_COL, v: number) => void) => void) => {
    const t = cloneTraces(base.traces);
    edit((row, name, v) => { t[IDX]![AXPY_COL[name]]![row] = fe(v); });
    return check(base.p, t, base.publics, base.journal);
  };

  it("the honest trace passes", () => expect(check(base.p, base.traces, base.publics, base.journal)).toEqual({ ok: true }));
  it("a wrong t (t0 + 1)", () => expectFail(forge((set) => set(E[1]!, "t0", get(E[1]!, "t0") + 1)), /axpy\/t-limb/));
  it("a wrong new y (y' + 1, t unchanged)", () => expectFail(forge((set) => set(E[2]!, "yv0", get(E[2]!, "yv0") + 1)), /axpy\/add-lo/));
  it("a wrong byte of AM (the op's multiplier)", () => expectFail(forge((set) => { for (const r of ops) set(r, "am2", get(r, "am2") ^ 1); }), /axpy\/am-limb/));
  it("a wrong byte of x", () => expectFail(forge((set) => set(E[0]!, "xb1", get(E[0]!, "xb1") ^ 4)), /axpy\/bytes-lo/));
  it("a flipped sign of the old y (an overflowing sum passed off as wrapping)", () => expectFail(forge((set) => set(E[3]!, "sgo", 1 - get(E[3]!, "sgo"))), /axpy\/add-hi/));
  it("another shift than the argument", () => expectFail(forge((set) => set(E[0]!, "sh", 15)), /axpy\/op-constant-sh/));
  it("an element dropped (the op ends early)", () => expectFail(forge((set) => { set(E[3]!, "sE", 0); }), /axpy\/(last|real-prefix|then-elements|rem-end)/));
  it("last set on an element that is not the op's last", () => expectFail(forge((set) => set(E[1]!, "last", 1)), /axpy\/last/));
  it("hasE cleared on A3 (skipping the pointer checks)", () => expectFail(forge((set) => set(A3, "hasE", 0)), /axpy\/has-elements/));
  it("a y element written at another timestamp", () => expectFail(forge((set) => set(E[2]!, "xts", get(E[2]!, "xts") + 4)), /axpy\/ts-element/));
  it("an argument read that changes the slot", () => expectFail(forge((set) => set(A1, "yv0", get(A1, "yv0") + 1)), /axpy\/arg-read-keeps-lo/));
  it("a carry of t moved (every limb equation holds, L0 leaves 16 bits): only the range lookup fails", () => {
    const t = cloneTraces(base.traces);
    const cc = (name: keyof typeof AXPY_COL): Uint32Array => t[IDX]![AXPY_COL[name]]!;
    const mult = t[TABLE.range]![1]!;
    const relook = (from: number, to: number): void => { mult[from]!--; if (to >= 0 && to < 65536) mult[to]!++; };
    const r = E.find((e) => get(e, "L1") > 0)!;
    const c0 = cc("c0")[r]!, L0 = cc("L0")[r]!, L1 = cc("L1")[r]!;
    const c0i = c0 > P / 2 ? c0 - P : c0;
    cc("c0")[r] = fe(c0i - 1); relook(c0i + AXPY_CARRY_OFFSET, c0i - 1 + AXPY_CARRY_OFFSET);
    cc("L0")[r] = L0 + 65536; relook(L0, L0 + 65536);
    cc("L1")[r] = L1 - 1; relook(L1, L1 - 1);
    expectFail(check(base.p, t, base.publics, base.journal), "LogupSumNonZero");
    // undoing the three moves (and only them) restores an accepted trace: the bookkeeping above was exact, so the
    // out-of-range L0 is the one thing that failed
    cc("L0")[r] = L0; mult[L0]!++;
    cc("c0")[r] = c0; relook(c0i - 1 + AXPY_CARRY_OFFSET, c0i + AXPY_CARRY_OFFSET);
    cc("L1")[r] = L1; relook(L1 - 1, L1);
    expect(check(base.p, t, base.publics, base.journal)).toEqual({ ok: true });
  });
  it("the CPU row's end clock is not its next row's clock", () => {
    const t = cloneTraces(base.traces);
    t[TABLE.cpu]![cpuCol("cend")]![rowWith(t, "fAxpy")]! += 1;
    expectFail(check(base.p, t, base.publics, base.journal), /cpu\/clk-coprocessor/);
  });
  it("an op the CPU never ran (a copy appended): the COP receive is unmatched", () => {
    const t = cloneTraces(base.traces);
    const first = ops[0]!, last = E[E.length - 1]!;
    for (const cl of t[IDX]!) for (let i = 0; i <= last - first; i++) cl[last + 1 + i] = cl[first + i]!;
    expectFail(check(base.p, t, base.publics, base.journal), "LogupSumNonZero");
  });
});

describe("AXPY: receipts", () => {
  it("an AXPY t + 1 (a row constraint broken) proven anyway is rejected by the STARK verifier", async () => {
    const s = setupAxpy({ x: [1 << 16, -(2 << 16), 7], y: [3 << 16, 5, -(1 << 16)], a: 12345, shift: 16 });
    const t = cloneTraces(s.traces);
    const kind = t[IDX]![AXPY_COL.sE]!;
    const r = kind.findIndex((v) => v === 1);
    t[IDX]![AXPY_COL.t0]![r]! += 1;
    expect(await starkVerdictOfForgery(s.p, t, s.publics, s.journal)).toBe("OodMismatch");
  }, 180_000);

  afterAll(async () => { await closeSharedPool(); });
  it("an AXPY program proves and verifies, its journal the updated vector", async () => {
    const c: AxpyCase = { x: [1 << 16, 2 << 16, -(3 << 16)], y: [5 << 16, -(1 << 15), 1 << 16], a: 3 << 15, shift: 16 };
    const { instrs, opts } = axpyProgram(c);
    const r = await proveReceipt(asmProgram(instrs, opts), new Uint8Array(), { params: FAST_PARAMS });
    const v = verifyReceipt(r.receipt, r.imageId);
    expect(v).toMatchObject({ valid: true, exitCode: 0, dev: false });
    expect(Array.from(new Int32Array(r.journal.slice().buffer))).toEqual(reference(c));
  }, 180_000);
});
