import { describe, expect, it } from "vitest";
import { checkConstraints } from "../prover/air-check.ts";
import { symbolicAir, quotientShape } from "../verifier/symbolic.ts";
import { fibonacciAir, fibonacciTrace } from "../prover/examples/fibonacci.ts";
import { mulBusAir, mulBusTrace } from "../prover/examples/mul-bus.ts";
import { range16Air, range16Trace } from "../prover/examples/range16.ts";
import type { Air } from "../verifier/air.ts";

describe("AIR framework: symbolic analysis", () => {
  it("computes degrees, aux widths and a digest that changes with any constraint", () => {
    const s = symbolicAir(fibonacciAir);
    expect(s.tables[0]!.maxDegree).toBe(1);
    expect(s.tables[0]!.auxWidth).toBe(0);
    expect(s.numChallenges).toBe(0);
    const m = symbolicAir(mulBusAir);
    expect(m.numChallenges).toBe(2);
    expect(m.tables.map((t) => t.auxWidth)).toEqual([2, 2]);
    // LogUp constraint h·(α − f) − μ has degree 1 (h) + 1 (f linear) = 2; the cpu's own bool is 2.
    expect(m.tables[0]!.maxDegree).toBe(2);
    const tweaked: Air = {
      ...fibonacciAir,
      tables: [{ ...fibonacciAir.tables[0]!, eval: (b) => { fibonacciAir.tables[0]!.eval(b); b.assertZero(b.col(0).sub(b.col(0))); } }],
    };
    expect(Buffer.from(symbolicAir(tweaked).digest).equals(Buffer.from(s.digest))).toBe(false);
    // same description → same digest (memo-independent)
    const copy: Air = { ...fibonacciAir, tables: [...fibonacciAir.tables] };
    expect(Buffer.from(symbolicAir(copy).digest).equals(Buffer.from(s.digest))).toBe(true);
  });

  it("sizes the quotient from the constraint degrees", () => {
    const [cpu, m] = symbolicAir(mulBusAir).tables as [ReturnType<typeof symbolicAir>["tables"][0], ReturnType<typeof symbolicAir>["tables"][0]];
    const q = quotientShape(m, 8, 0);
    expect(q.numChunks).toBe(1); // degree-2 constraints over every/transition rows → Q of degree < n
    // a degree-2 first-row constraint is only divided by (x − 1): Q has degree ~2n
    expect(quotientShape(cpu, 8, 0)).toMatchObject({ numChunks: 2, logQuotientDomain: 9 });
    const fib = symbolicAir(fibonacciAir).tables[0]!;
    expect(quotientShape(fib, 8, 0).numChunks).toBe(1);
    const zk = quotientShape(m, 8, 40);
    expect(zk.traceDegree).toBe(296);
    expect(zk.numChunks).toBe(2);
  });

  it("rejects ill-formed AIRs with a clear error", () => {
    expect(() => symbolicAir({ name: "x", numPublicInputs: 0, tables: [{ name: "t", width: 1, eval: (b) => b.assertZero(b.col(1)) }] })).toThrow(/column 1 out of range/);
    expect(() => symbolicAir({ name: "x", numPublicInputs: 0, tables: [{ name: "t", width: 1, eval: (b) => b.assertZero(b.pub(0)) }] })).toThrow(/public input/);
    expect(() => symbolicAir({ name: "x", numPublicInputs: 0, tables: [{ name: "t", width: 1, periodic: [[1, 2, 3]], eval: (b) => b.assertZero(b.periodic(0)) }] })).toThrow(/power of two/);
  });
});

describe("checkConstraints", () => {
  it("accepts valid example traces", () => {
    const f = fibonacciTrace(6);
    expect(checkConstraints(fibonacciAir, f.traces, f.publics)).toEqual({ ok: true });
    const m = mulBusTrace(6, 4);
    expect(checkConstraints(mulBusAir, m.traces, m.publics)).toEqual({ ok: true });
  });

  it("names the failing constraint and row", () => {
    const f = fibonacciTrace(5);
    f.traces[0]![1]![9] = 12345;
    const r = checkConstraints(fibonacciAir, f.traces, f.publics);
    expect(r).toMatchObject({ ok: false, kind: "ConstraintFailed", table: "fib", constraint: "sum", row: 8 });
    const g = fibonacciTrace(5);
    const r2 = checkConstraints(fibonacciAir, g.traces, [0, 1, 7]);
    expect(r2).toMatchObject({ ok: false, constraint: "result", row: 31 });
  });

  it("detects an unbalanced bus (wrong multiplicity)", () => {
    const m = mulBusTrace(6, 4);
    const mult = m.traces[1]![3]!;
    const j = mult.findIndex((x) => x > 0);
    mult[j]! -= 1;
    expect(checkConstraints(mulBusAir, m.traces, m.publics)).toMatchObject({ ok: false, kind: "LogupSumNonZero" });
  });

  it("range16: a value ≥ 2^16 is caught by the bus", { timeout: 120_000 }, () => {
    const ok = range16Trace(4, 3);
    expect(checkConstraints(range16Air, ok.traces, ok.publics)).toEqual({ ok: true });
    const bad = range16Trace(4, 3, [5, 65536, 7, 9]);
    expect(checkConstraints(range16Air, bad.traces, bad.publics)).toMatchObject({ ok: false, kind: "LogupSumNonZero" });
  });
});
