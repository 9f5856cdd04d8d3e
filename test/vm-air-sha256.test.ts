// The SHA256 coprocessor table (vm/air/sha256/) on its own: a test AIR of the table, RANGE16, AND8 and a harness
// table standing in for the CPU (COP tuples) and the BOUNDARY table (MEM init and final records of every touched
// word), so the global LogUp sum balances only if the table reads and writes memory as sha256_compress does.
// Honest traces are checked against the executor (vm/intrinsics.ts) and node:crypto; every forgery below is a
// trace that is consistent except for the one thing it breaks.
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Air, AirBuilder, ConstraintSink, TableAir } from "../verifier/air.ts";
import { checkConstraints, type CheckResult } from "../prover/air-check.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { BUS, COP_ARITY, COP_KIND, VmAirError } from "../vm/air/buses.ts";
import { MEM_BASE } from "../vm/air/cpu/columns.ts";
import type { CopContext } from "../vm/air/cop.ts";
import { rangeTable, rangeTrace } from "../vm/air/range/constraints.ts";
import { and8Index, and8Table, and8TraceCompact } from "../vm/air/and8/constraints.ts";
import { BIG_SIGMA0, BIG_SIGMA1, SHA_WIDTH, SMALL_SIGMA0, SMALL_SIGMA1, sha256Table, shaCol } from "../vm/air/sha256/constraints.ts";
import { bigSigma0, bigSigma1, sha256Columns, sha256CopTuple, sha256Rows, smallSigma0, smallSigma1, type Sha256Fault, type Sha256TraceHooks } from "../vm/air/sha256/trace.ts";
import { sha256Compress, SHA256_IV } from "../vm/intrinsics.ts";
import { TEST_OPTS } from "./stark-helpers.ts";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { coprocessorTables, TABLE } from "../vm/air/index.ts";
import { cpuCol } from "../vm/air/cpu/columns.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";
import { check as vmCheck, cloneTraces, cpu, expectFail as vmExpectFail, rowWith, setupProgram } from "./vm-air-helpers.ts";

const P = 2013265921;
const INV4 = (P * 3 + 1) / 4;
const mod = (x: number): number => ((x % P) + P) % P;
const mulm = (x: number, y: number): number => Number((BigInt(mod(x)) * BigInt(mod(y))) % BigInt(P));

afterAll(async () => {
  await closeSharedPool();
});

// ---------------------------------------------------------------------------------------------
// Harness: COP sends, MEM init and final records

const H = { cop: 0, init: 1 + COP_ARITY, fin: 5 + COP_ARITY } as const;
const HARNESS_WIDTH = 10 + COP_ARITY;
const harnessTable: TableAir = {
  name: "harness",
  width: HARNESS_WIDTH,
  eval(b) {
    const c = (i: number) => b.col(i);
    for (const m of [H.cop, H.init, H.fin]) b.assertBool(c(m), `harness/mult${m}-bool`);
    b.send(BUS.COP, Array.from({ length: COP_ARITY }, (_, i) => c(H.cop + 1 + i)), c(H.cop), 1);
    b.send(BUS.MEM, [c(H.init + 1), c(H.init + 2), c(H.init + 3), b.constant(0)], c(H.init), 1);
    b.receive(BUS.MEM, [c(H.fin + 1), c(H.fin + 2), c(H.fin + 3), c(H.fin + 4)], c(H.fin), 1);
  },
};
const testAir: Air = { name: "sha256-test", numPublicInputs: 0, tables: [sha256Table, rangeTable, and8Table, harnessTable] };

/** Memory as the CPU trace builder would keep it: the last value and timestamp of every touched MEM address. */
class TestMem implements CopContext {
  readonly recs = new Map<number, { init: number; value: number; ts: number }>();
  readonly rangeMult = new Uint32Array(65536);
  readonly and8Mult = new Uint32Array(65536);
  constructor(private readonly initial: (addr: number) => number) {}
  peek(addr: number): number {
    return this.recs.get(addr)?.value ?? this.initial(addr);
  }
  access(addr: number, value: number, ts: number): { prev: number; pts: number } {
    let r = this.recs.get(addr);
    if (!r) {
      const v = this.initial(addr);
      r = { init: v, value: v, ts: 0 };
      this.recs.set(addr, r);
    }
    const out = { prev: r.value, pts: r.ts };
    r.value = value >>> 0;
    r.ts = ts;
    return out;
  }
  range(x: number): void {
    if (!Number.isInteger(x) || x < 0 || x >= 65536) throw new RangeError(`range ${x}`);
    this.rangeMult[x]!++;
  }
  and8(x: number, y: number): void {
    this.and8Mult[and8Index(x, y)]!++;
  }
}

interface OpSpec { clk: number; statePtr: number; blockPtr: number; msz?: number; hooks?: Sha256TraceHooks }
interface Built {
  rows: Uint32Array[];
  sha: Uint32Array[];
  mem: TestMem;
  cops: number[][];
  /** executor memory after the ops (honest runs) */
  live: DataView;
}

/** Deterministic pseudo-random words. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** Builds the SHA256 trace of `ops` over memory `init` (msz pages), running the executor alongside. */
function build(init: Uint8Array, msz: number, ops: readonly OpSpec[], execute = true): Built {
  const live = new DataView(init.slice().buffer);
  const junk = rng(0xabcdef);
  const forged = new Map<number, number>();
  const initView = new DataView(init.slice().buffer);
  const mem = new TestMem((addr) => {
    const w = addr - MEM_BASE;
    if (w >= 0 && 4 * w + 4 <= initView.byteLength) return initView.getUint32(4 * w, true);
    if (!forged.has(addr)) forged.set(addr, junk());
    return forged.get(addr)!;
  });
  const rows: Uint32Array[] = [];
  const cops: number[][] = [];
  for (const op of ops) {
    const m = op.msz ?? msz;
    const lim = op.hooks?.limbs ?? [op.statePtr & 0xffff, op.statePtr >>> 16, op.blockPtr & 0xffff, op.blockPtr >>> 16];
    const sw = mod(mulm(lim[0], INV4) + mulm(lim[1], 2 ** 14)), bw = mod(mulm(lim[2], INV4) + mulm(lim[3], 2 ** 14));
    const state = Uint32Array.from({ length: 8 }, (_, j) => mem.peek(mod(MEM_BASE + sw + j)));
    const block = Uint32Array.from({ length: 16 }, (_, t) => mem.peek(mod(MEM_BASE + bw + t)));
    rows.push(...sha256Rows({ clk: op.clk, statePtr: op.statePtr, blockPtr: op.blockPtr, msz: m, state, block }, mem, op.hooks));
    cops.push(op.hooks?.limbs ? [COP_KIND.SHA256, op.clk, ...lim, m].map(mod) : sha256CopTuple({ clk: op.clk, statePtr: op.statePtr, blockPtr: op.blockPtr, msz: m }));
    if (execute) sha256Compress(live, op.statePtr, op.blockPtr);
  }
  return { rows, sha: sha256Columns(rows), mem, cops, live };
}

/** RANGE16 and AND8 multiplicities read off the SHA256 columns (so a forged column changes them consistently). */
function lookupCounts(sha: readonly Uint32Array[]): { range: Uint32Array; and8: Uint32Array } {
  const range = new Uint32Array(65536), and8 = new Uint32Array(65536);
  const col = (n: string) => sha[shaCol(n)]!;
  const isReal = col("isReal");
  for (let r = 0; r < isReal.length; r++) {
    if (isReal[r] !== 1) continue;
    for (const x of [col("d0B")[r]!, col("d1B")[r]!, col("d2B")[r]!, col("d0S")[r]!, col("d1S")[r]!, mod(8 * col("d1S")[r]!)]) if (x < 65536) range[x]!++;
    const bits = (g: string, k: number) => { let v = 0; for (let j = 0; j < 8; j++) v += col(`${g}${8 * k + j}`)[r]! << j; return v; };
    for (let k = 0; k < 4; k++) {
      const ab = bits("a", k), eb = bits("e", k), B = col(`B${k}`)[r]!, C = col(`C${k}`)[r]!;
      const pairs = [[ab, B], [C, mod(ab + B - 2 * col(`mjn${k}`)[r]!)], [eb, col(`F${k}`)[r]!], [255 - eb, col(`G${k}`)[r]!]];
      for (const [x, y] of pairs) if (x! < 256 && y! < 256) and8[and8Index(x!, y!)]!++;
    }
  }
  return { range, and8 };
}

/** Final records to replace: a u32, or limbs as given (a forged, non-canonical pair). */
type FinOverride = ReadonlyMap<number, number | readonly [number, number]>;

function harnessColumns(b: Built, finOverride: FinOverride = new Map()): Uint32Array[] {
  const recs = [...b.mem.recs.entries()];
  let n = 64;
  while (n < Math.max(b.cops.length, recs.length)) n *= 2;
  const cols = Array.from({ length: HARNESS_WIDTH }, () => new Uint32Array(n));
  b.cops.forEach((tuple, i) => { cols[H.cop]![i] = 1; tuple.forEach((x, k) => { cols[H.cop + 1 + k]![i] = x; }); });
  recs.forEach(([addr, r], i) => {
    const fin = finOverride.get(addr) ?? r.value;
    const [f0, f1] = typeof fin === "number" ? [fin & 0xffff, fin >>> 16] : fin;
    cols[H.init]![i] = 1; cols[H.init + 1]![i] = addr; cols[H.init + 2]![i] = r.init & 0xffff; cols[H.init + 3]![i] = r.init >>> 16;
    cols[H.fin]![i] = 1; cols[H.fin + 1]![i] = addr; cols[H.fin + 2]![i] = f0; cols[H.fin + 3]![i] = f1; cols[H.fin + 4]![i] = r.ts;
  });
  return cols;
}

function tracesOf(b: Built, finOverride?: FinOverride): Uint32Array[][] {
  const { range, and8 } = lookupCounts(b.sha);
  return [b.sha, rangeTrace(range), and8TraceCompact(and8), harnessColumns(b, finOverride)];
}
const check = (b: Built, finOverride?: FinOverride): CheckResult => checkConstraints(testAir, tracesOf(b, finOverride), []);

function expectFail(res: CheckResult, constraint: string, row?: number): void {
  if (constraint === "LogupSumNonZero") {
    expect(res).toMatchObject({ ok: false, kind: "LogupSumNonZero" });
  } else {
    expect(res).toMatchObject({ ok: false, kind: "ConstraintFailed", table: "sha256", constraint, ...(row === undefined ? {} : { row }) });
  }
}

/** The test AIR with some SHA256 constraints left out: a forgery that passes it shows those constraints are what
 *  rejects it. */
function dropping(names: readonly string[]): Air {
  const keep = (n: string | undefined): boolean => n === undefined || !names.includes(n);
  const filtered = (s: ConstraintSink): ConstraintSink => ({
    assertZero: (e, n) => { if (keep(n)) s.assertZero(e, n); },
    assertEq: (x, y, n) => { if (keep(n)) s.assertEq(x, y, n); },
    assertBool: (e, n) => { if (keep(n)) s.assertBool(e, n); },
  });
  const table: TableAir = {
    ...sha256Table,
    eval(b) {
      const proxy: AirBuilder = {
        ...filtered(b),
        width: b.width,
        col: (i) => b.col(i), next: (i) => b.next(i), periodic: (j) => b.periodic(j), pub: (i) => b.pub(i), constant: (v) => b.constant(v),
        whenFirstRow: () => filtered(b.whenFirstRow()), whenLastRow: () => filtered(b.whenLastRow()), whenTransition: () => filtered(b.whenTransition()),
        send: (bus, tuple, m, bound) => b.send(bus, tuple, m, bound), receive: (bus, tuple, m, bound) => b.receive(bus, tuple, m, bound),
      };
      sha256Table.eval(proxy);
    },
  };
  return { ...testAir, tables: [table, ...testAir.tables.slice(1)] };
}

/** `traces` fail on `constraint` (at `row`) and pass once it (and `also`, which the forgery breaks too) is gone. */
function expectKilled(traces: Uint32Array[][], constraint: string, row: number, also: readonly string[] = []): void {
  expectFail(checkConstraints(testAir, traces, []), constraint, row);
  expect(checkConstraints(dropping([constraint, ...also]), traces, [])).toEqual({ ok: true });
}

/** Memory of `pages` pages filled with pseudo-random words. */
function randomMemory(pages: number, seed: number): Uint8Array {
  const m = new Uint8Array(65536 * pages);
  const v = new DataView(m.buffer);
  const r = rng(seed);
  for (let i = 0; i < m.length; i += 4) v.setUint32(i, r(), true);
  return m;
}

/** The one-block FIPS 180-4 message "abc": state (IV) at 0x100, padded block at 0x200. */
function abcMemory(): Uint8Array {
  const m = new Uint8Array(65536);
  const v = new DataView(m.buffer);
  SHA256_IV.forEach((h, j) => v.setUint32(0x100 + 4 * j, h, true));
  m.set([0x61, 0x62, 0x63, 0x80], 0x200);
  m[0x200 + 63] = 24; // message length in bits, big-endian
  return m;
}
const digestAt = (v: DataView, at: number): Buffer => {
  const out = Buffer.alloc(32);
  for (let j = 0; j < 8; j++) out.writeUInt32BE(v.getUint32(at + 4 * j, true), 4 * j);
  return out;
};

/** The final MEM records of the trace agree with the executor's memory on every touched word. */
function expectMemoryMatchesExecutor(b: Built): void {
  for (const [addr, r] of b.mem.recs) {
    const w = addr - MEM_BASE;
    expect(r.value, `word ${w}`).toBe(b.live.getUint32(4 * w, true));
  }
}

// ---------------------------------------------------------------------------------------------

describe("SHA256 table: honest traces", () => {
  it("shape: 180 columns, degree ≤ 3, and the builder's lookup counts are the columns'", () => {
    const sym = symbolicAir(testAir).tables[0]!;
    expect(SHA_WIDTH).toBe(180);
    expect(sym.maxDegree).toBeLessThanOrEqual(3);
    const b = build(abcMemory(), 1, [{ clk: 10, statePtr: 0x100, blockPtr: 0x200 }]);
    const { range, and8 } = lookupCounts(b.sha);
    expect(b.mem.rangeMult).toEqual(range);
    expect(b.mem.and8Mult).toEqual(and8);
  });

  it("the constraints' Σ/σ bit maps are the builder's word functions", () => {
    const r = rng(99);
    for (const [f, taps] of [[bigSigma0, BIG_SIGMA0], [bigSigma1, BIG_SIGMA1], [smallSigma0, SMALL_SIGMA0], [smallSigma1, SMALL_SIGMA1]] as const) {
      for (let n = 0; n < 200; n++) {
        const x = r();
        let y = 0;
        taps.forEach((tp, i) => { y |= tp.reduce((acc, j) => acc ^ ((x >>> j) & 1), 0) << i; });
        expect(y >>> 0).toBe(f(x));
      }
    }
  });

  it("FIPS 180-4 \"abc\": the written state is node:crypto's digest", () => {
    const b = build(abcMemory(), 1, [{ clk: 10, statePtr: 0x100, blockPtr: 0x200 }]);
    const t0 = performance.now();
    expect(check(b)).toEqual({ ok: true });
    console.log(`checkConstraints, 1 op: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(digestAt(b.live, 0x100).toString("hex")).toBe(createHash("sha256").update("abc").digest("hex"));
    expectMemoryMatchesExecutor(b);
  });

  it("several ops: random states and blocks, aliasing state and block, consecutive ops on one state", () => {
    const init = randomMemory(2, 7);
    const ops: OpSpec[] = [
      { clk: 5, statePtr: 0x1000, blockPtr: 0x2000 },
      { clk: 80, statePtr: 0x1000, blockPtr: 0x2040 }, // the same state again
      { clk: 150, statePtr: 0x3014, blockPtr: 0x3000 }, // state = block words 5 … 12
      { clk: 222, statePtr: 0x4000, blockPtr: 0x4000 }, // state = block words 0 … 7
      { clk: 300, statePtr: 0x1ffe0, blockPtr: 0x1ffc0 }, // the last bytes of memory
      { clk: 400, statePtr: 0x3000, blockPtr: 0x3020 }, // overlaps op 3's state and block
    ];
    const b = build(init, 2, ops);
    const t0 = performance.now();
    expect(check(b)).toEqual({ ok: true });
    console.log(`checkConstraints, ${ops.length} ops: ${(performance.now() - t0).toFixed(0)} ms`);
    expectMemoryMatchesExecutor(b);
    const { range, and8 } = lookupCounts(b.sha);
    expect(b.mem.rangeMult).toEqual(range);
    expect(b.mem.and8Mult).toEqual(and8);
  });

  it("refuses unaligned and out-of-bounds pointers (the executor traps on the latter)", () => {
    const init = randomMemory(1, 3);
    for (const [sp, bp] of [[0x102, 0x200], [0x100, 0x201], [65536 - 28, 0x200], [0x100, 65536 - 60]] as const) {
      expect(() => build(init, 1, [{ clk: 1, statePtr: sp, blockPtr: bp }], false)).toThrow(VmAirError);
    }
  });
});

describe("SHA256 table: the real STARK", () => {
  it("proves and verifies one compression (the \"abc\" block)", async () => {
    const b = build(abcMemory(), 1, [{ clk: 10, statePtr: 0x100, blockPtr: 0x200 }]);
    const traces = tracesOf(b);
    let t0 = performance.now();
    const r = await prove(testAir, traces, [], TEST_OPTS);
    const tProve = performance.now() - t0;
    t0 = performance.now();
    const v = verify(testAir, r.bytes, [], TEST_OPTS);
    console.log(`STARK (sha256 64 rows + range16 2^16 + and8 + harness): prove ${(tProve / 1000).toFixed(1)} s, verify ${(performance.now() - t0).toFixed(0)} ms, ${r.bytes.length} bytes`);
    expect(v).toMatchObject({ ok: true });
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------
// Forgeries. `flip(kind, t, mask)` rebuilds the ops with one value of round t XORed with mask and everything
// else (later rounds, the schedule relay, memory writes, the harness's final records) consistent with it.

describe("SHA256 table: forgeries", () => {
  const MEM = randomMemory(1, 11);
  const OPS: OpSpec[] = [{ clk: 20, statePtr: 0x100, blockPtr: 0x200 }, { clk: 100, statePtr: 0x300, blockPtr: 0x400 }];
  const honest = (): Built => build(MEM, 1, OPS);
  const flip = (kind: Sha256Fault, t: number, mask: number, op = 0): Built =>
    build(MEM, 1, OPS.map((o, i) => (i === op ? { ...o, hooks: { fault: (k, tt, v) => (k === kind && tt === t ? (v ^ mask) >>> 0 : v) } } : o)), false);
  const col = (b: Built, name: string): Uint32Array => b.sha[shaCol(name)]!;

  it("the unforged base passes", () => {
    expect(check(honest())).toEqual({ ok: true });
  });

  it("Σ0: a wrong bit (round 5) or a wrong byte (round 44)", () => {
    expectKilled(tracesOf(flip("Sigma0", 5, 1 << 3)), "sha256/round-a-lo", 5);
    expectKilled(tracesOf(flip("Sigma0", 44, 0xff << 24)), "sha256/round-a-hi", 44);
  });

  it("Σ1: a wrong bit (round 33) or a wrong byte (round 2)", () => {
    // Σ1 enters both round sums
    expectKilled(tracesOf(flip("Sigma1", 33, 1 << 20)), "sha256/round-a-hi", 33, ["sha256/round-e-hi"]);
    expectKilled(tracesOf(flip("Sigma1", 2, 0xff)), "sha256/round-a-lo", 2, ["sha256/round-e-lo"]);
  });

  it("σ0 and σ1: a wrong bit of the schedule's σ0 (W_10) or σ1 (W_20), the relay carrying it on", () => {
    expectKilled(tracesOf(flip("sigma0", 10, 1 << 1)), "sha256/sigma0-lo", 10);
    expectKilled(tracesOf(flip("sigma0", 30, 0xff << 16)), "sha256/sigma0-hi", 30);
    expectKilled(tracesOf(flip("sigma1", 20, 1 << 17)), "sha256/sigma1-hi", 20);
    expectKilled(tracesOf(flip("sigma1", 40, 1 << 4)), "sha256/sigma1-lo", 40);
  });

  it("Ch and Maj: a wrong bit or byte of an AND8 result (the lookup is the only check)", () => {
    expectFail(check(flip("ch", 7, 1 << 9)), "LogupSumNonZero");
    expectFail(check(flip("ch", 63, 0xff << 8)), "LogupSumNonZero");
    expectFail(check(flip("maj", 40, 1 << 25)), "LogupSumNonZero");
    expectFail(check(flip("maj", 0, 0xff)), "LogupSumNonZero");
  });

  it("a wrong round constant", () => {
    expectKilled(tracesOf(flip("K", 30, 1)), "sha256/round-a-lo", 30, ["sha256/round-e-lo"]);
    expectKilled(tracesOf(flip("K", 63, 1 << 31)), "sha256/round-a-hi", 63, ["sha256/round-e-hi"]);
  });

  it("W_t for t ≥ 16 changed (bit 5 of W_20, byte 2 of W_63)", () => {
    expectKilled(tracesOf(flip("W", 20, 1 << 5)), "sha256/w-schedule-lo", 19, ["sha256/w-schedule-hi"]); // its carry moves
    expectKilled(tracesOf(flip("W", 63, 0xff << 16)), "sha256/w-schedule-hi", 62);
  });

  it("a carry off by one (round sum, schedule sum) or out of range", () => {
    let b = honest();
    const d = col(b, "ca0");
    d[12] = d[12]! === 2 ? 1 : d[12]! + 1;
    expectKilled(tracesOf(b), "sha256/round-a-lo", 12, ["sha256/round-a-hi"]); // the carry into the high limb too
    b = honest();
    col(b, "ce2")[70] = (col(b, "ce2")[70]! + 1) % 3;
    expectKilled(tracesOf(b), "sha256/round-e-hi", 70);
    b = honest();
    col(b, "cw0")[30] = 1 - col(b, "cw0")[30]!;
    expectKilled(tracesOf(b), "sha256/w-schedule-lo", 29, ["sha256/w-schedule-hi"]);
    b = honest();
    col(b, "ca1")[5] = 3;
    expectFail(check(b), "sha256/ca1-ternary", 5);
  });

  it("a written state limb changed, and the harness's final record with it: MEM balances, the write does not", () => {
    const b = honest();
    const r = 58; // state word 2 of op 0
    const nv0 = col(b, "nv0"), d0B = col(b, "d0B");
    nv0[r] = nv0[r]! ^ 1;
    d0B[r] = nv0[r]!;
    const addr = [...b.mem.recs.keys()].find((a) => a === MEM_BASE + 0x100 / 4 + 2)!;
    const fin = (b.mem.recs.get(addr)!.value ^ 1) >>> 0;
    expectKilled(tracesOf(b, new Map([[addr, fin]])), "sha256/write2-lo", r);
  });

  it("MEMWF: the right word written as non-canonical limbs (lo + 2^16, hi − 1) is refused", () => {
    const b = honest();
    // a write whose low limb carried: new0 + 2^16 = prev0 + F0, so k0 = 1
    const r = [56, 57, 58, 59, 60, 61, 62, 63].find((x) => col(b, "k0")[x] === 1 && col(b, "nv1")[x]! > 0)!;
    expect(r).toBeDefined();
    const addr = MEM_BASE + 0x100 / 4 + (r - 56);
    const forged: [number, number] = [col(b, "nv0")[r]! + 65536, col(b, "nv1")[r]! - 1];
    col(b, "k0")[r] = 0;
    [col(b, "nv0")[r], col(b, "nv1")[r]] = forged;
    col(b, "d2B")[r] = forged[1]; // the high limb's slot follows; the low limb's stays the honest one
    expectKilled(tracesOf(b, new Map([[addr, forged]])), "sha256/written-lo-range", r);
    col(b, "d0B")[r] = forged[0]; // or the slot follows too: then no RANGE16 row matches
    expectFail(check(b, new Map([[addr, forged]])), "LogupSumNonZero");
  });

  it("a state word read on row 5 that is not f of round 0 (memory, the read and the write-back all agree)", () => {
    const b = honest();
    const addr = MEM_BASE + 0x100 / 4 + 5;
    const rec = b.mem.recs.get(addr)!;
    // memory held word 5 with bit 0 flipped: the read on row 5 and the write on row 61 see that value
    const delta = (rec.init & 1) === 0 ? 1 : -1;
    for (const r of [5, 61]) col(b, "p0")[r] = col(b, "p0")[r]! + delta;
    col(b, "nv0")[5] = col(b, "p0")[5]!;
    const nv61 = col(b, "nv0")[61]! + delta;
    expect(nv61 >= 0 && nv61 < 65536).toBe(true);
    col(b, "nv0")[61] = nv61;
    col(b, "d0B")[61] = nv61;
    rec.init = (rec.init + delta) >>> 0;
    const fin = (rec.value + delta) >>> 0;
    expectKilled(tracesOf(b, new Map([[addr, fin]])), "sha256/read-h5-lo", 4);
  });

  it("the carry register or the delay line changed on one row", () => {
    let b = honest();
    col(b, "R0")[3] = col(b, "R0")[3]! ^ 4;
    expectKilled(tracesOf(b), "sha256/r0-carry-lo", 2);
    b = honest();
    col(b, "R6")[61] = col(b, "R6")[61]! + 1; // slot 3 (e_64) on row 61
    expectKilled(tracesOf(b), "sha256/write4-lo", 60, ["sha256/r3-carry-lo"]);
    b = honest();
    col(b, "C1")[10] = col(b, "C1")[10]! ^ 0x10;
    expectFail(check(b), "sha256/c-from-b1", 9);
  });

  it("out of bounds: the state or the block beyond msz pages (row constraint or range check)", () => {
    const oob = (sp: number, bp: number, msz: number): Built => build(randomMemory(2, 5), 2, [{ clk: 9, statePtr: sp, blockPtr: bp, msz, hooks: { unchecked: true } }], false);
    // the honest decomposition of a negative difference: every row constraint holds, the range lookups do not
    expectFail(check(oob(65536 - 16, 0x200, 1)), "LogupSumNonZero");
    expectFail(check(oob(0x100, 65536 - 32, 1)), "LogupSumNonZero");
    expectFail(check(oob(0x10000, 0x200, 1)), "LogupSumNonZero"); // msz too small for a word that exists
    // in-range slots instead: the bound equation fails
    const b = oob(65536 - 16, 0x200, 1);
    for (const n of ["d0B", "d1B", "d2B"]) col(b, n)[16] = 0;
    expectKilled(tracesOf(b), "sha256/state-in-bounds", 16);
    // msz = 2^14 + 1 pages (past the provable 1 GiB): a state at word 2^28 is "in bounds"; only msz ≤ 2^14 refuses
    const big = oob(0x40000000, 0x200, 16385);
    expectFail(check(big), "LogupSumNonZero");
    col(big, "d2B")[21] = 0;
    expectKilled(tracesOf(big), "sha256/msz-high", 21);
    // and the last in-bounds words are fine
    expect(check(build(randomMemory(1, 5), 1, [{ clk: 9, statePtr: 65536 - 32, blockPtr: 65536 - 64 }]))).toEqual({ ok: true });
  });

  it("unaligned pointers and forged limbs (a pointer ≥ p, a high limb p − 1 that wraps the word index)", () => {
    const one = (o: Omit<OpSpec, "clk">): Built => build(randomMemory(1, 6), 1, [{ clk: 9, ...o }], false);
    const b0 = (b: Built): number => Math.min(...b.mem.recs.keys()); // lowest MEM address touched
    // 0xF0000002: q = 2/4 = (p + 1)/2 and 2^14·61440 = (p − 1)/2, so the word index is p ≡ 0 — in bounds, aliasing
    // word 0; only the alignment check (R16 of q) rejects it
    const unaligned = one({ statePtr: 0xf0000002, blockPtr: 0x200, hooks: { unchecked: true } });
    expect(b0(unaligned)).toBe(MEM_BASE);
    expectFail(check(unaligned), "LogupSumNonZero");
    col(unaligned, "d0B")[18] = 0; // an in-range slot instead
    expectKilled(tracesOf(unaligned), "sha256/state-aligned", 18);
    expectFail(check(one({ statePtr: 0x102, blockPtr: 0x200, hooks: { unchecked: true } })), "LogupSumNonZero");
    expectFail(check(one({ statePtr: 0x100, blockPtr: 0x203, hooks: { unchecked: true } })), "LogupSumNonZero");
    // a pointer whose integer exceeds p: s0 + 2^16·s1 ≡ 0x100 (mod p), but the word index is not reduced
    expectFail(check(one({ statePtr: (P + 0x100) >>> 0, blockPtr: 0x200, hooks: { unchecked: true } })), "LogupSumNonZero");
    // s1 = p − 1: the word index wraps to q − 2^14 (frame slots below MEM_BASE); in bounds and aligned, so only
    // the 16-bit check of s1 catches it
    const b = one({ statePtr: 0, blockPtr: 0x200, hooks: { unchecked: true, limbs: [4 * 0x40, P - 1, 0x200, 0] } });
    expect([...b.mem.recs.keys()].some((a) => a < MEM_BASE)).toBe(true);
    expectFail(check(b), "LogupSumNonZero");
    col(b, "d0B")[20] = 0;
    expectKilled(tracesOf(b), "sha256/state-hi-16bit", 20);
  });

  it("a timestamp out of order: an op at an earlier clock than the previous access to its state", () => {
    const b = build(MEM, 1, [{ clk: 1000, statePtr: 0x100, blockPtr: 0x200 }, { clk: 900, statePtr: 0x100, blockPtr: 0x600, hooks: { unchecked: true } }], false);
    expectFail(check(b), "LogupSumNonZero"); // ts − pts − 1 < 0 has no 29-bit decomposition
    // in-range slots instead (op 1's state reads, rows 64 … 71, are the accesses before their predecessors)
    for (let r = 64; r < 72; r++) for (const n of ["d0S", "d1S"]) col(b, n)[r] = 0;
    expectKilled(tracesOf(b), "sha256/state-ts-order", 64);
    // a block read before its predecessor, decomposed mod p with d1 < 2^16: only d2 = 8·d1 (the 13-bit check
    // of d1) stands between a wrapped difference and acceptance
    const c = build(MEM, 1, [{ clk: 1000, statePtr: 0x100, blockPtr: 0x200 }, { clk: 900, statePtr: 0x700, blockPtr: 0x200, hooks: { unchecked: true } }], false);
    expect(col(c, "d1B")[64]).toBeLessThan(65536);
    expect(col(c, "d2B")[64]).toBeGreaterThanOrEqual(65536);
    for (let r = 64; r < 80; r++) col(c, "d2B")[r] = 0;
    expectKilled(tracesOf(c), "sha256/block-d2", 64);
  });

  it("rows out of step: two rows of an op swapped, an op of 63 rows", () => {
    const b = honest();
    const rows = b.rows.slice();
    [rows[20], rows[21]] = [rows[21]!, rows[20]!];
    expectFail(checkConstraints(testAir, tracesOf({ ...b, sha: sha256Columns(rows) }), []), "sha256/b-from-a0", 19);
    const short = [...b.rows.slice(0, 63), ...b.rows.slice(64), new Uint32Array(SHA_WIDTH)];
    expectFail(checkConstraints(testAir, tracesOf({ ...b, sha: sha256Columns(short) }), []), "sha256/clk-const", 62);
  });

  it("clk_op or a pointer changing inside an op", () => {
    let b = honest();
    for (let r = 30; r < 64; r++) col(b, "clk")[r]! += 1;
    expectFail(check(b), "sha256/clk-const", 29);
    b = honest();
    for (let r = 40; r < 64; r++) col(b, "sp0")[r]! += 4;
    expectFail(check(b), "sha256/sp0-const", 39);
    b = honest();
    for (let r = 100; r < 128; r++) col(b, "msz")[r]! += 1;
    expectFail(check(b), "sha256/msz-const", 99);
  });

  it("padding: a padding row that claims to be real, a real op after padding", () => {
    const three = build(MEM, 1, [...OPS, { clk: 200, statePtr: 0x500, blockPtr: 0x600 }]);
    expect(three.sha[0]!.length).toBe(256);
    col(three, "isReal")[200] = 1;
    expectFail(check(three), "sha256/real-prefix", 199);
    const b = honest();
    const gap = [...b.rows.slice(0, 64), ...Array.from({ length: 64 }, () => new Uint32Array(SHA_WIDTH)), ...b.rows.slice(64)];
    const moved = { ...b, sha: sha256Columns(gap) };
    expect(moved.sha[0]!.length).toBe(256);
    expectKilled(tracesOf(moved), "sha256/real-prefix", 127);
  });

  it("an op the CPU did not ask for, or asked for with other pointers", () => {
    const b = honest();
    expectFail(checkConstraints(testAir, tracesOf({ ...b, cops: b.cops.slice(0, 1) }), []), "LogupSumNonZero");
    const other = b.cops.map((c, i) => (i === 1 ? c.map((x, k) => (k === 2 ? x + 4 : x)) : c));
    expectFail(checkConstraints(testAir, tracesOf({ ...b, cops: other }), []), "LogupSumNonZero");
  });
});

// ---------------------------------------------------------------------------------------------
// SHA256 in the VM AIR (v5): the CPU row, the COP tuple, the clock, receipts

describe("SHA256 instruction in the VM AIR", () => {
  const STATE = 256, BLOCK = 1024;
  const ivBytes = new Uint8Array(Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]).buffer);
  /** "abc" padded to one block (FIPS 180-4 §5.1.1). */
  const abcBlock = (): Uint8Array => { const b = new Uint8Array(64); b.set([0x61, 0x62, 0x63, 0x80]); b[63] = 24; return b; };
  /** SHA256 of the state at STATE with the block at r[blockSlot], twice when `twice`, then COMMIT the state. */
  const program = (opts: { twice?: boolean; alias?: boolean } = {}): AsmInstr[] => [
    ["CONST", 0, STATE], ["CONST", 1, BLOCK], ["SHA256", 0, opts.alias ? 0 : 1], ...(opts.twice ? [["SHA256", 0, 1] as AsmInstr] : []),
    ["CONST", 2, 32], ["COMMIT", 0, 2], ["CONST", 3, 0], ["EXIT", 3],
  ];
  const segs = { segments: [{ addr: STATE, bytes: ivBytes }, { addr: BLOCK, bytes: abcBlock() }] };
  const digestLE = (j: Uint8Array): string => Buffer.from(new Uint32Array(j.slice().buffer).reduce<number[]>((a, w) => [...a, w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255], [])).toString("hex");

  it("\"abc\" through the CPU row: the journal is node:crypto's digest, the trace satisfies the AIR, the clock jumps by 65", () => {
    const s = setupProgram(program(), segs);
    expect(digestLE(s.journal)).toBe(createHash("sha256").update("abc").digest("hex"));
    expect(vmCheck(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    const r = rowWith(s.traces, "fSha");
    expect(cpu(s.traces, "clk")[r + 1]! - cpu(s.traces, "clk")[r]!).toBe(65);
    expect(coprocessorTables(s.p.code)).toEqual(["sha256"]);
  });

  it("two compressions in a row, and the state pointer as the block pointer (aliased operand)", () => {
    for (const o of [{ twice: true }, { alias: true }]) {
      const s = setupProgram(program(o), segs);
      expect(vmCheck(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    }
  });

  it("forgeries at the CPU row: another clock jump, another block pointer sent", () => {
    const s = setupProgram(program(), segs);
    const r = rowWith(s.traces, "fSha");
    const t1 = cloneTraces(s.traces);
    t1[TABLE.cpu]![cpuCol("clk")]![r + 1]! += 1;
    vmExpectFail(vmCheck(s.p, t1, s.publics, s.journal), /cpu\/clk-sha256/);
    const t2 = cloneTraces(s.traces);
    t2[TABLE.cpu]![cpuCol("C0")]![r]! += 4; // the CPU sends BLOCK + 4 while the slot holds BLOCK
    vmExpectFail(vmCheck(s.p, t2, s.publics, s.journal), /cpu\/operand-C-lo/);
  });

  it("an unaligned state pointer is refused naming SHA256's pc; out of bounds traps as in the executor", () => {
    const unaligned: AsmInstr[] = [["CONST", 0, STATE + 2], ...program().slice(1)];
    expect(() => setupProgram(unaligned, segs)).toThrow(/pc 2: .*unaligned/);
    const oob: AsmInstr[] = [["CONST", 0, 65536 - 16], ...program().slice(1)];
    expect(() => setupProgram(oob, segs)).toThrow(expect.objectContaining({ kind: "MemoryOutOfBounds" }));
  });

  it("a SHA256 program proves and verifies as a receipt, its journal the digest", async () => {
    const r = await proveReceipt(asmProgram(program(), segs), new Uint8Array(), { params: FAST_PARAMS });
    expect(verifyReceipt(r.receipt, r.imageId)).toMatchObject({ valid: true, exitCode: 0, dev: false });
    expect(digestLE(r.journal)).toBe(createHash("sha256").update("abc").digest("hex"));
    await closeSharedPool();
  }, 180_000);
});
