// The SHA256 coprocessor table (vm/air/sha256/) on its own: a test AIR of the table, RANGE16, AND8 and a harness
// table standing in for the CPU (COP tuples) and the BOUNDARY table (MEM init and final records of every touched
// word), so the global LogUp sum balances only if the table reads and writes memory as sha256_compress does.
// Honest traces are checked against the executor (vm/intrinsics.ts) and node:crypto; every forgery below is a
// trace that is consistent except for the one thing it breaks.
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Air, TableAir } from "../verifier/air.ts";
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
import { SHA_COLS, SHA_WIDTH, sha256Table, shaCol } from "../vm/air/sha256/constraints.ts";
import { sha256Columns, sha256CopTuple, sha256Rows, type Sha256Fault, type Sha256TraceHooks } from "../vm/air/sha256/trace.ts";
import { sha256Compress, SHA256_IV } from "../vm/intrinsics.ts";
import { TEST_OPTS } from "./stark-helpers.ts";

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
  return { sha: sha256Columns(rows), mem, cops, live };
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

function harnessColumns(b: Built, finOverride: ReadonlyMap<number, number> = new Map()): Uint32Array[] {
  const recs = [...b.mem.recs.entries()];
  let n = 64;
  while (n < Math.max(b.cops.length, recs.length)) n *= 2;
  const cols = Array.from({ length: HARNESS_WIDTH }, () => new Uint32Array(n));
  b.cops.forEach((tuple, i) => { cols[H.cop]![i] = 1; tuple.forEach((x, k) => { cols[H.cop + 1 + k]![i] = x; }); });
  recs.forEach(([addr, r], i) => {
    const fin = finOverride.get(addr) ?? r.value;
    cols[H.init]![i] = 1; cols[H.init + 1]![i] = addr; cols[H.init + 2]![i] = r.init & 0xffff; cols[H.init + 3]![i] = r.init >>> 16;
    cols[H.fin]![i] = 1; cols[H.fin + 1]![i] = addr; cols[H.fin + 2]![i] = fin & 0xffff; cols[H.fin + 3]![i] = fin >>> 16; cols[H.fin + 4]![i] = r.ts;
  });
  return cols;
}

function tracesOf(b: Built, finOverride?: ReadonlyMap<number, number>): Uint32Array[][] {
  const { range, and8 } = lookupCounts(b.sha);
  return [b.sha, rangeTrace(range), and8TraceCompact(and8), harnessColumns(b, finOverride)];
}
const check = (b: Built, finOverride?: ReadonlyMap<number, number>): CheckResult => checkConstraints(testAir, tracesOf(b, finOverride), []);

function expectFail(res: CheckResult, constraint: string, row?: number): void {
  if (constraint === "LogupSumNonZero") {
    expect(res).toMatchObject({ ok: false, kind: "LogupSumNonZero" });
  } else {
    expect(res).toMatchObject({ ok: false, kind: "ConstraintFailed", table: "sha256", constraint, ...(row === undefined ? {} : { row }) });
  }
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
      { clk: 400, statePtr: 0x3000, blockPtr: 0x3020 }, // block = state words... and the aliased state of op 3
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
