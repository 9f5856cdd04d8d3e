// AND8 and POW2 fixed lookup tables (docs/vm-air.md §6; vm/air/and8, vm/air/pow2): honest tables satisfy their
// constraints and serve a client's lookups through the real STARK; every forgery (a tuple the table must not
// contain, a forged table row, a forged public column) is caught by the constraint or bus that targets it.
import { describe, expect, it } from "vitest";
import { AND8_COLS, AND8_WIDTH, and8Index, and8Table, and8Trace, and8TraceCompact } from "../vm/air/and8/constraints.ts";
import { POW2_HEIGHT, POW2_PERIODIC, pow2Limbs, pow2Table, pow2Trace } from "../vm/air/pow2/constraints.ts";
import { BUS, MIN_TABLE_HEIGHT } from "../vm/air/buses.ts";
import { checkConstraints, type CheckResult } from "../prover/air-check.ts";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import type { Air, AirBuilder, TableAir } from "../verifier/air.ts";
import { TEST_OPTS } from "./stark-helpers.ts";

const kindOf = (r: ReturnType<typeof verify>) => (r.ok ? "ok" : r.error.kind);
const CHEAT = { ...TEST_OPTS, check: false, testHooks: { allowInvalidWitness: true } } as const;

// ---- a client table: each row may look up one AND8 triple (deriving OR and XOR from it) and one POW2 tuple ----
const CL = { isAnd: 0, x: 1, y: 2, and: 3, or: 4, xor: 5, isPow: 6, s: 7, l0: 8 } as const;
const CLIENT_WIDTH = 12;
const clientTable: TableAir = {
  name: "client",
  width: CLIENT_WIDTH,
  eval(b) {
    const c = (i: number) => b.col(i);
    b.assertBool(c(CL.isAnd), "client/isAnd-bool");
    b.assertBool(c(CL.isPow), "client/isPow-bool");
    // OR = x + y − and, XOR = x + y − 2·and (bitwise identities; all terms < 2^9, no wrap)
    b.assertZero(c(CL.isAnd).mul(c(CL.or).sub(c(CL.x)).sub(c(CL.y)).add(c(CL.and))), "client/or");
    b.assertZero(c(CL.isAnd).mul(c(CL.xor).sub(c(CL.x)).sub(c(CL.y)).add(c(CL.and).mul(2))), "client/xor");
    b.send(BUS.AND8, [c(CL.x), c(CL.y), c(CL.and)], c(CL.isAnd), 1);
    b.send(BUS.POW2, [c(CL.s), c(CL.l0), c(CL.l0 + 1), c(CL.l0 + 2), c(CL.l0 + 3)], c(CL.isPow), 1);
  },
};
const air = (and8: TableAir = and8Table, pow2: TableAir = pow2Table): Air => ({ name: "and8-pow2-client", numPublicInputs: 0, tables: [clientTable, and8, pow2] });
const T = { client: 0, and8: 1, pow2: 2 } as const;

type AndLookup = readonly [x: number, y: number, and: number];
type PowLookup = readonly [s: number, l0: number, l1: number, l2: number, l3: number];
const AND_LOOKUPS: AndLookup[] = [[0, 0, 0], [255, 255, 255], [0xa5, 0x3c, 0x24], [200, 100, 64], [200, 100, 64], [1, 254, 0], [0x80, 0xff, 0x80]];
const POW_LOOKUPS: PowLookup[] = [0, 1, 15, 16, 31, 32, 47, 63, 63].map((s) => [s, ...pow2Limbs(s)] as const);

interface Witness {
  traces: Uint32Array[][];
  andMult: Uint32Array;
  powMult: Uint32Array;
}

/**
 * Client rows for the given lookups and the tables' multiplicities: a lookup of a tuple the table holds counts on
 * its row; any other tuple (a forgery) is charged to the row of its key (x, y) / s when there is one — the
 * cheating prover's best attempt at balancing the bus.
 */
function witness(ands: readonly AndLookup[], pows: readonly PowLookup[], compact = false, n = MIN_TABLE_HEIGHT): Witness {
  const cols = Array.from({ length: CLIENT_WIDTH }, () => new Uint32Array(n));
  const andMult = new Uint32Array(2 ** 16);
  const powMult = new Uint32Array(POW2_HEIGHT);
  ands.forEach(([x, y, a], r) => {
    cols[CL.isAnd]![r] = 1;
    cols[CL.x]![r] = x;
    cols[CL.y]![r] = y;
    cols[CL.and]![r] = a;
    cols[CL.or]![r] = x + y - a;
    cols[CL.xor]![r] = x + y - 2 * a;
    if (x < 256 && y < 256) andMult[and8Index(x, y)]!++;
  });
  pows.forEach(([s, ...l], r) => {
    cols[CL.isPow]![r] = 1;
    cols[CL.s]![r] = s;
    l.forEach((v, k) => (cols[CL.l0 + k]![r] = v));
    if (s < POW2_HEIGHT) powMult[s]!++;
  });
  return { traces: [cols, compact ? and8TraceCompact(andMult) : and8Trace(andMult), pow2Trace(powMult)], andMult, powMult };
}

function expectFail(res: CheckResult, want: { table: string; constraint: string; row: number } | "LogupSumNonZero"): void {
  expect(res.ok).toBe(false);
  if (res.ok) return;
  if (want === "LogupSumNonZero") expect(res.kind).toBe("LogupSumNonZero");
  else expect(res).toMatchObject({ kind: "ConstraintFailed", ...want });
}

/** `t` with the named constraints dropped: shows a forgery is caught by exactly those constraints. */
function without(t: TableAir, drop: RegExp): TableAir {
  return {
    ...t,
    eval(b) {
      const keep = (name?: string) => name === undefined || !drop.test(name);
      const proxy: AirBuilder = {
        width: b.width,
        col: (i) => b.col(i),
        next: (i) => b.next(i),
        periodic: (j) => b.periodic(j),
        pub: (i) => b.pub(i),
        constant: (v) => b.constant(v),
        assertZero: (e, n) => { if (keep(n)) b.assertZero(e, n); },
        assertEq: (x, y, n) => { if (keep(n)) b.assertEq(x, y, n); },
        assertBool: (e, n) => { if (keep(n)) b.assertBool(e, n); },
        // row-filtered scopes pass through unfiltered (neither table here has first/last/transition rules)
        whenFirstRow: () => b.whenFirstRow(),
        whenLastRow: () => b.whenLastRow(),
        whenTransition: () => b.whenTransition(),
        send: (bus, tuple, m, bound) => b.send(bus, tuple, m, bound),
        receive: (bus, tuple, m, bound) => b.receive(bus, tuple, m, bound),
      };
      t.eval(proxy);
    },
  };
}

/** Writes the row of the AND8 trace `cols` to hold bits xb, yb (arbitrary field values) and `and`. */
function forgeAndRow(cols: Uint32Array[], row: number, xb: readonly number[], yb: readonly number[], and: number): void {
  for (let i = 0; i < 8; i++) {
    cols[AND8_COLS.xBit + i]![row] = xb[i]!;
    cols[AND8_COLS.yBit + i]![row] = yb[i]!;
  }
  cols[AND8_COLS.and]![row] = and;
}
const bitsOf = (v: number) => Array.from({ length: 8 }, (_, i) => (v >>> i) & 1);

describe("AND8 / POW2 tables: shape", () => {
  it("degree 2 everywhere; 18 committed columns for AND8 (17 constraints + 1 LogUp), 1 for POW2 (LogUp only)", () => {
    const s = symbolicAir(air());
    const and8 = s.tables[T.and8]!, pow2 = s.tables[T.pow2]!;
    expect([and8.width, and8.maxDegree, and8.auxWidth]).toEqual([AND8_WIDTH, 2, 2]);
    const own = (t: typeof and8) => t.constraints.filter((c) => !c.name.includes("/logup/"));
    expect(own(and8).length).toBe(17);
    expect(and8.constraints.length).toBe(21); // + LogUp: h0 (degree 2), running sum first/step/last (degree 1)
    expect([pow2.width, pow2.maxDegree, pow2.periodic.length, own(pow2).length]).toEqual([1, 2, 5, 0]);
    for (const t of s.tables) expect(t.maxDegree).toBeLessThanOrEqual(3);
  });

  it("the full AND8 trace holds every byte pair once, with its AND, at row 256·x + y", () => {
    const mult = new Uint32Array(2 ** 16);
    mult[and8Index(7, 9)] = 3;
    const cols = and8Trace(mult);
    expect(cols.length).toBe(AND8_WIDTH);
    expect(cols[0]!.length).toBe(2 ** 16);
    const val = (base: number, r: number) => cols.slice(base, base + 8).reduce((acc, c, i) => acc + c[r]! * 2 ** i, 0);
    for (let r = 0; r < 2 ** 16; r++) {
      const x = val(AND8_COLS.xBit, r), y = val(AND8_COLS.yBit, r);
      if (x !== r >>> 8 || y !== (r & 255) || cols[AND8_COLS.and]![r] !== (x & y)) throw new Error(`row ${r}`);
    }
    expect(cols[AND8_COLS.mult]![and8Index(7, 9)]).toBe(3);
    expect(() => and8Trace(new Uint32Array(256))).toThrow(RangeError);
  });

  it("POW2 public columns are s and the 16-bit limbs of 2^s", () => {
    for (let s = 0; s < 64; s++) {
      const v = POW2_PERIODIC.slice(1).reduce((acc, col, k) => acc + BigInt(col[s]!) * (1n << BigInt(16 * k)), 0n);
      expect([POW2_PERIODIC[0]![s], v]).toEqual([s, 1n << BigInt(s)]);
      for (const col of POW2_PERIODIC.slice(1)) expect(col[s]!).toBeLessThan(2 ** 16);
    }
    expect(POW2_HEIGHT).toBeGreaterThanOrEqual(MIN_TABLE_HEIGHT);
    // the height cannot drop below the 64 public rows (the verifier's HeightOutOfRange; here checkConstraints)
    const w = witness(AND_LOOKUPS, POW_LOOKUPS, true);
    w.traces[T.pow2] = [w.traces[T.pow2]![0]!.slice(0, 32)];
    expect(checkConstraints(air(), w.traces, [])).toMatchObject({ ok: false, kind: "BadTrace" });
  });
});

describe("AND8 / POW2 tables: honest traces", () => {
  it("full and compact AND8 tables satisfy every constraint and balance the buses", () => {
    expect(checkConstraints(air(), witness(AND_LOOKUPS, POW_LOOKUPS).traces, [])).toEqual({ ok: true });
    const c = witness(AND_LOOKUPS, POW_LOOKUPS, true);
    expect(c.traces[T.and8]![0]!.length).toBe(MIN_TABLE_HEIGHT);
    expect(checkConstraints(air(), c.traces, [])).toEqual({ ok: true });
  });

  it("200 random pairs: AND, OR and XOR from one lookup each", () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed >>> 16);
    const ands: AndLookup[] = Array.from({ length: 200 }, () => {
      const x = rnd() & 255, y = rnd() & 255;
      return [x, y, x & y];
    });
    const w = witness(ands, POW_LOOKUPS, true, 256);
    const cl = w.traces[T.client]!;
    for (let r = 0; r < 200; r++) {
      const x = cl[CL.x]![r]!, y = cl[CL.y]![r]!;
      expect([cl[CL.or]![r], cl[CL.xor]![r]]).toEqual([x | y, x ^ y]);
    }
    expect(checkConstraints(air(), w.traces, [])).toEqual({ ok: true });
  });

  it("the full 2^16-row AND8 table and POW2 prove and verify with a client (real STARK)", async () => {
    const w = witness(AND_LOOKUPS, POW_LOOKUPS);
    const r = await prove(air(), w.traces, [], { ...TEST_OPTS, check: false });
    expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("ok");
  });

  it("a compact AND8 table proves and verifies too", async () => {
    const w = witness(AND_LOOKUPS, POW_LOOKUPS, true);
    const r = await prove(air(), w.traces, [], TEST_OPTS);
    expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("ok");
  });
});

describe("AND8 kill tests", () => {
  it("a wrong AND value (x & y + 1) looked up: unbalanced bus (checkConstraints and the STARK verifier)", async () => {
    const forged: AndLookup[] = [...AND_LOOKUPS, [0xa5, 0x3c, (0xa5 & 0x3c) + 1]];
    expect(checkConstraints(air(), witness([...AND_LOOKUPS, [0xa5, 0x3c, 0xa5 & 0x3c]], POW_LOOKUPS).traces, [])).toEqual({ ok: true });
    expectFail(checkConstraints(air(), witness(forged, POW_LOOKUPS).traces, []), "LogupSumNonZero");
    const r = await prove(air(), witness(forged, POW_LOOKUPS, true).traces, [], CHEAT);
    expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("LogupSumNonZero");
  });

  it("a non-byte x = 256 looked up: unbalanced bus", () => {
    expectFail(checkConstraints(air(), witness([...AND_LOOKUPS, [256, 5, 0]], POW_LOOKUPS).traces, []), "LogupSumNonZero");
    // nor does it hide as x = 256 − p·k: cells are canonical, and −1 ≡ p − 1 is no byte either
    expectFail(checkConstraints(air(), witness([...AND_LOOKUPS, [2013265920, 5, 0]], POW_LOOKUPS).traces, []), "LogupSumNonZero");
  });

  it("a forged table row holding (x, y, x & y + 1): caught by and8/and, and only by it", () => {
    // (0x5a, 0xc3) is looked up only in its forged form; its table row is rewritten to receive that form
    const ands: AndLookup[] = [...AND_LOOKUPS, [0x5a, 0xc3, (0x5a & 0xc3) + 1]];
    const w = witness(ands, POW_LOOKUPS);
    const row = and8Index(0x5a, 0xc3);
    forgeAndRow(w.traces[T.and8]!, row, bitsOf(0x5a), bitsOf(0xc3), (0x5a & 0xc3) + 1);
    expect(w.traces[T.and8]![AND8_COLS.mult]![row]).toBe(1);
    expectFail(checkConstraints(air(), w.traces, []), { table: "and8", constraint: "and8/and", row });
    expect(checkConstraints(air(without(and8Table, /^and8\/and$/)), w.traces, [])).toEqual({ ok: true });
  });

  it("a forged table row holding x = 256 (bit x7 = 2): caught by and8/x7-bool; the STARK verifier rejects it", async () => {
    const ands: AndLookup[] = [...AND_LOOKUPS, [256, 5, 0]];
    for (const compact of [false, true]) {
      const w = witness(ands, POW_LOOKUPS, compact);
      // a row with multiplicity 0 becomes the row (256, 5, 0): x = 2·2^7 with bits x0..x6 = 0
      const mult = w.traces[T.and8]![AND8_COLS.mult]!;
      const row = mult.findIndex((m, r) => m === 0 && r > 0);
      forgeAndRow(w.traces[T.and8]!, row, [0, 0, 0, 0, 0, 0, 0, 2], bitsOf(5), 0);
      mult[row] = 1;
      expectFail(checkConstraints(air(), w.traces, []), { table: "and8", constraint: "and8/x7-bool", row });
      expect(checkConstraints(air(without(and8Table, /^and8\/x7-bool$/)), w.traces, [])).toEqual({ ok: true });
      if (compact) {
        const r = await prove(air(), w.traces, [], CHEAT);
        expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("OodMismatch");
      }
    }
  });

  it("non-boolean bits that still sum to bytes (x0 = 3; x1 = (p + 1)/2): a wrong AND, caught by the bit's bool", () => {
    const half = (2013265921 + 1) / 2; // 2·half ≡ 1 mod p
    // (3, 2, 0) although 3 & 2 = 2: x = 3·2^0 with x0 = 3, so Σ 2^i·x_i·y_i misses y1's bit;
    // (1, 1, 0) although 1 & 1 = 1: x = 2^1·half ≡ 1, so the product sees y1 = 0 where x1 ≠ 0 and x0 = 0
    const cases = [
      { t: [3, 2, 0], xb: [3, 0, 0, 0, 0, 0, 0, 0], bit: "and8/x0-bool" },
      { t: [1, 1, 0], xb: [0, half, 0, 0, 0, 0, 0, 0], bit: "and8/x1-bool" },
    ] as const;
    for (const { t, xb, bit } of cases) {
      const w = witness([...AND_LOOKUPS, t], POW_LOOKUPS);
      const row = and8Index(t[0], t[1]);
      forgeAndRow(w.traces[T.and8]!, row, xb, bitsOf(t[1]), t[2]);
      expectFail(checkConstraints(air(), w.traces, []), { table: "and8", constraint: bit, row });
      expect(checkConstraints(air(without(and8Table, new RegExp(`^${bit}$`))), w.traces, [])).toEqual({ ok: true });
    }
  });
});

describe("POW2 kill tests (with a compact AND8 table)", () => {
  it("a wrong limb looked up (2^5 + 1): unbalanced bus (checkConstraints and the STARK verifier)", async () => {
    const forged: PowLookup[] = [...POW_LOOKUPS, [5, 33, 0, 0, 0]];
    expect(checkConstraints(air(), witness(AND_LOOKUPS, [...POW_LOOKUPS, [5, 32, 0, 0, 0]], true).traces, [])).toEqual({ ok: true });
    expectFail(checkConstraints(air(), witness(AND_LOOKUPS, forged, true).traces, []), "LogupSumNonZero");
    // the integer 2^20 again, but with a limb that is not 16-bit (l0 = 2^20 instead of l1 = 2^4)
    expectFail(checkConstraints(air(), witness(AND_LOOKUPS, [...POW_LOOKUPS, [20, 2 ** 20, 0, 0, 0]], true).traces, []), "LogupSumNonZero");
    const r = await prove(air(), witness(AND_LOOKUPS, forged, true).traces, [], CHEAT);
    expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("LogupSumNonZero");
  });

  it("s = 64 looked up (as 2^64 mod 2^64 = 0 or with an out-of-range limb): unbalanced bus", () => {
    for (const t of [[64, 0, 0, 0, 0], [64, 0, 0, 0, 2 ** 16]] as PowLookup[]) {
      expectFail(checkConstraints(air(), witness(AND_LOOKUPS, [...POW_LOOKUPS, t], true).traces, []), "LogupSumNonZero");
    }
  });

  it("the values are the verifier's: a proof over forged public columns does not verify against the real AIR", async () => {
    const forgedCols = POW2_PERIODIC.map((c, j) => (j === 1 ? c.map((v, s) => (s === 5 ? 33 : v)) : c));
    const forgedPow2: TableAir = { ...pow2Table, periodic: forgedCols };
    const w = witness(AND_LOOKUPS, [...POW_LOOKUPS, [5, 33, 0, 0, 0]], true);
    expect(checkConstraints(air(and8Table, forgedPow2), w.traces, [])).toEqual({ ok: true });
    const r = await prove(air(and8Table, forgedPow2), w.traces, [], TEST_OPTS);
    expect(kindOf(verify(air(and8Table, forgedPow2), r.bytes, [], TEST_OPTS))).toBe("ok");
    // the periodic values are in the AIR digest that seeds the transcript: every challenge changes, and the
    // quotient identity at ζ (where the real l0 column differs) fails
    expect(kindOf(verify(air(), r.bytes, [], TEST_OPTS))).toBe("OodMismatch");
  });
});
