/**
 * LogUp interaction batching (verifier/logup.ts, R5): two interactions share one aux column when the pair's
 * constraint h·(α − f_1)(α − f_2) = s_1μ_1(α − f_2) + s_2μ_2(α − f_1) stays within the table's degree. These
 * tests pin the grouping rule and try to break a batched pair: a wrong multiplicity or an absent value in either
 * member, and an aux column that keeps the sum but breaks the pair constraint.
 */
import { describe, expect, it } from "vitest";
import { prove } from "../prover/stark.ts";
import { checkConstraints } from "../prover/air-check.ts";
import { verify } from "../verifier/stark.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { logupGroupDegree, logupGroups } from "../verifier/logup.ts";
import { mul, P } from "../verifier/field.ts";
import { eAdd, eInv, eMul, eMulBase, eSub, extOf } from "../verifier/ext.ts";
import type { Air, TableAir } from "../verifier/air.ts";
import { asmProgram } from "../vm/executor/asm.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";
import { TEST_OPTS } from "./stark-helpers.ts";

const BUS = 9;
const N = 64;
const kindOf = (r: ReturnType<typeof verify>) => (r.ok ? "ok" : r.error.kind);
const CHEAT = { ...TEST_OPTS, check: false, testHooks: { allowInvalidWitness: true } } as const;

/** Rows (x, y, m, z): sends x (multiplicity 1) and y (multiplicity m ∈ {0,1}); z = x³ makes the table degree 3. */
function userTable(cubic: boolean): TableAir {
  return {
    name: "user",
    width: 4,
    eval(b) {
      b.assertBool(b.col(2), "user/m-bool");
      if (cubic) b.assertEq(b.col(3), b.col(0).mul(b.col(0)).mul(b.col(0)), "user/cube");
      else b.assertEq(b.col(3), b.col(0).mul(b.col(0)), "user/square");
      b.send(BUS, [b.col(0)]);
      b.send(BUS, [b.col(1)], b.col(2), 1);
    },
  };
}

/** Rows (value, count): receives value count times (the lookup table side: unbounded multiplicity). */
const lookupTable: TableAir = {
  name: "lookup",
  width: 2,
  eval(b) {
    b.receive(BUS, [b.col(0)], b.col(1));
  },
};

const air = (cubic = true): Air => ({ name: "batch", numPublicInputs: 0, tables: [userTable(cubic), lookupTable] });

function traces(cubic = true, edit?: (x: Uint32Array, y: Uint32Array, m: Uint32Array) => void): Uint32Array[][] {
  const x = new Uint32Array(N), y = new Uint32Array(N), m = new Uint32Array(N), z = new Uint32Array(N);
  for (let i = 0; i < N; i++) { x[i] = (5 * i) % N; y[i] = (3 * i + 1) % N; m[i] = i % 3 === 0 ? 1 : 0; }
  const value = new Uint32Array(N), count = new Uint32Array(N);
  for (let i = 0; i < N; i++) { value[i] = i; count[x[i]!]!++; if (m[i]) count[y[i]!]!++; }
  edit?.(x, y, m); // after the counts: an edit unbalances the bus
  for (let i = 0; i < N; i++) z[i] = cubic ? mul(mul(x[i]!, x[i]!), x[i]!) : mul(x[i]!, x[i]!);
  return [[x, y, m, z], [value, count]];
}

describe("LogUp batching: grouping", () => {
  it("pairs interactions whose combined constraint stays within the table degree", () => {
    expect(logupGroupDegree([1, 1], [0, 1])).toBe(3);
    expect(logupGroupDegree([1, 2], [1, 1])).toBe(4);
    expect(logupGroupDegree([1], [2])).toBe(2);
    expect(logupGroups([1, 1, 1, 1, 1], [1, 1, 1, 1, 1], 3)).toEqual([[0, 1], [2, 3], [4]]);
    expect(logupGroups([1, 2, 1, 2], [1, 1, 1, 1], 3)).toEqual([[0, 2], [1], [3]]);
    expect(logupGroups([1, 1], [1, 1], 2)).toEqual([[0], [1]]);
  });

  it("a degree-3 table batches its two sends into one column; a degree-2 table keeps them apart", () => {
    const [u3] = symbolicAir(air(true)).tables;
    expect(u3!.logupGroups).toEqual([[0, 1]]);
    expect([u3!.auxWidth, u3!.maxDegree]).toEqual([2, 3]);
    const [u2] = symbolicAir(air(false)).tables;
    expect(u2!.logupGroups).toEqual([[0], [1]]);
    expect([u2!.auxWidth, u2!.maxDegree]).toEqual([3, 2]);
  });

  it("the VM AIR: batching never raises a table's degree and narrows the CPU's aux columns", () => {
    const program = asmProgram([["CONST", 0, 5], ["ADDI", 0, 0, -1], ["BRNZ", 0, 1], ["EXIT", 0]], { initialPages: 1 });
    const t = buildVmTrace(program);
    const sym = symbolicAir(vmAir(program, t.pages, t.journal));
    for (const tb of sym.tables) {
      expect(tb.maxDegree).toBeLessThanOrEqual(3);
      expect(tb.logupGroups.flat().sort((a, b) => a - b)).toEqual(tb.interactions.map((_, i) => i)); // each exactly once
      expect(tb.auxWidth).toBe(tb.logupGroups.length + (tb.interactions.length > 0 ? 1 : 0));
    }
    const cpu = sym.tables.find((tb) => tb.name === "cpu")!;
    expect(cpu.auxWidth).toBeLessThan(cpu.interactions.length * 0.75);
  });
});

describe("LogUp batching: prove and try to break a batched pair", () => {
  for (const cubic of [true, false]) {
    it(`honest traces prove and verify (${cubic ? "batched pair" : "unbatched"})`, async () => {
      const a = air(cubic), tr = traces(cubic);
      expect(checkConstraints(a, tr, [])).toEqual({ ok: true });
      const r = await prove(a, tr, [], TEST_OPTS);
      expect(kindOf(verify(a, r.bytes, [], TEST_OPTS))).toBe("ok");
    });
  }

  const forgeries: [string, (x: Uint32Array, y: Uint32Array, m: Uint32Array) => void][] = [
    ["the second member's multiplicity 0 → 1 on one row", (_x, _y, m) => { m[1] = 1; }],
    ["the second member's multiplicity 1 → 0 on one row", (_x, _y, m) => { m[3] = 0; }],
    ["the second member sends a value absent from the table", (_x, y, _m) => { y[3] = 1000; }],
    ["the first member sends a value absent from the table", (x, _y, _m) => { x[7] = 1000; }],
    ["the members' values swapped on a row with m = 0", (x, y, _m) => { const v = x[1]!; x[1] = y[1]!; y[1] = v; }],
  ];
  for (const [what, edit] of forgeries) {
    it(`rejected: ${what}`, async () => {
      const a = air(true), tr = traces(true, edit);
      const c = checkConstraints(a, tr, []);
      expect(c.ok).toBe(false);
      expect(c.ok ? "" : c.kind).toBe("LogupSumNonZero");
      await expect(prove(a, tr, [], TEST_OPTS)).rejects.toThrow(/LogupSumNonZero|balance/);
      const r = await prove(a, tr, [], CHEAT);
      expect(kindOf(verify(a, r.bytes, [], TEST_OPTS))).toBe("LogupSumNonZero");
    });
  }

  it("rejected: a pair column that keeps the total but breaks the pair constraint on two rows (OodMismatch)", async () => {
    const a = air(true), tr = traces(true);
    const r = await prove(a, tr, [], {
      ...CHEAT,
      testHooks: {
        allowInvalidWitness: true,
        tamperAux: (table, aux) => {
          if (table !== 0) return aux;
          const [h, S] = aux.columns;
          // move 1 from row 1 to row 0 of the pair column: every running-sum value from row 1 on is unchanged
          h![0] = (h![0]! + 1) % P; h![1] = (h![1]! + P - 1) % P;
          S![0] = (S![0]! + 1) % P;
          return aux;
        },
      },
    });
    expect(kindOf(verify(a, r.bytes, [], TEST_OPTS))).toBe("OodMismatch");
  });

  it("rejected: a pair column holding only the first member's share, the sum claimed as honest (OodMismatch)", async () => {
    const a = air(true), tr = traces(true);
    const r = await prove(a, tr, [], {
      ...CHEAT,
      testHooks: {
        allowInvalidWitness: true,
        tamperAux: (table, aux, ch) => {
          if (table !== 0) return aux;
          // h = 1/(α − f(x)) on every row (the y member dropped); S rebuilt; claimed sum left as the honest one
          const alpha = ch[0]!, beta = ch[1]!;
          const n = N, h = aux.columns[0]!, S = aux.columns[1]!;
          for (let i = 0; i < n; i++) {
            // f = bus + β·len + β²·x (verifier/logup.ts), len = 1
            const f = eAdd(eAdd(extOf(BUS), beta), eMulBase(eMul(beta, beta), tr[0]![0]![i]!));
            const v = eInv(eSub(alpha, f));
            for (let k = 0; k < 4; k++) h[k * n + i] = v[k]!;
          }
          for (let k = 0; k < 4; k++) { let acc = 0; for (let i = 0; i < n; i++) { acc = (acc + h[k * n + i]!) % P; S[k * n + i] = acc; } }
          return aux;
        },
      },
    });
    expect(kindOf(verify(a, r.bytes, [], TEST_OPTS))).toBe("OodMismatch");
  });
});

