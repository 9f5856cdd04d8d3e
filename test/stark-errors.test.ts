/**
 * One test per verifier error kind, and the cheating-prover tests of issue 4 (wrong trace cell, wrong LogUp
 * multiplicity, wrong public input, wrong final polynomial, skipped proof of work, other claimed height).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prove } from "../prover/stark.ts";
import { verify } from "../verifier/stark.ts";
import { decodeProof, encodeProof } from "../verifier/proof.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { proofShape, oodPointInDomain, drawOodPoint, inverseVanishingAt, checkParams, DEFAULT_PARAMS, securityBits } from "../verifier/protocol.ts";
import { VERIFIER_ERROR_KINDS, toErrorInfo, VerifierError } from "../verifier/errors.ts";
import { extOf } from "../verifier/ext.ts";
import { GENERATOR, rootOfUnity, P } from "../verifier/field.ts";
import { fibonacciAir, fibonacciTrace } from "../prover/examples/fibonacci.ts";
import { mulBusAir, mulBusTrace } from "../prover/examples/mul-bus.ts";
import type { Air } from "../verifier/air.ts";
import { fibProof, TEST_OPTS, TEST_PARAMS } from "./stark-helpers.ts";

const kindOf = (r: ReturnType<typeof verify>) => (r.ok ? "ok" : r.error.kind);

function reencode(bytes: Uint8Array, air: Air, edit: (p: ReturnType<typeof decodeProof>["proof"]) => void): Uint8Array {
  const sym = symbolicAir(air);
  const { proof, shape } = decodeProof(bytes, sym.tables.length, sym.tables.map((t) => t.auxWidth > 0), TEST_PARAMS, (lh) => proofShape(sym, TEST_PARAMS, lh, 0));
  edit(proof);
  return encodeProof(proof, shape, TEST_PARAMS);
}

describe("verifier error kinds", () => {
  let base: Awaited<ReturnType<typeof fibProof>>;
  beforeAll(async () => { base = await fibProof(6); });
  const v = (bytes: Uint8Array, publics = base.publics, opts: Parameters<typeof verify>[3] = TEST_OPTS) => kindOf(verify(fibonacciAir, bytes, publics, opts));

  it("accepts the honest proof", async () => expect(v(base.bytes)).toBe("ok"));

  it("InvalidParams: zero queries, bad blowup or arity, grinding beyond 48 bits, non-integer, final poly too long", async () => {
    for (const bad of [{ numQueries: 0 }, { logBlowup: 0 }, { logFoldingArity: 0 }, { logFoldingArity: 5 }, { powBits: 49 }, { powBits: 64 }, { powBits: -1 }, { numQueries: 1.5 }, { logFinalLen: 99 }, { logFinalLen: 10 }]) {
      expect(v(base.bytes, base.publics, { params: { ...TEST_PARAMS, ...bad }, minSecurityBits: 0 })).toBe("InvalidParams");
    }
  });
  it("grinding of 0, 31, 32 bits is arithmetic-safe: a typed rejection of this proof, never a crash", async () => {
    for (const powBits of [0, 31, 32]) {
      const k = v(base.bytes, base.publics, { params: { ...TEST_PARAMS, powBits }, minSecurityBits: 0 });
      expect(k).not.toBe("ok"); // params are absorbed: a proof made with 6 bits fails under any other setting
      expect(VERIFIER_ERROR_KINDS).toContain(k);
    }
  });
  it("InvalidParams also for a non-object", async () => {
    expect(v(base.bytes, base.publics, { params: 5 as unknown as typeof TEST_PARAMS })).toBe("InvalidParams");
    expect(v(base.bytes, base.publics, { params: { ...TEST_PARAMS, zk: "yes" as unknown as boolean } })).toBe("InvalidParams");
  });
  it("InsecureParams: below the target", async () => {
    expect(v(base.bytes, base.publics, { params: TEST_PARAMS })).toBe("InsecureParams"); // default target 100
    expect(securityBits(DEFAULT_PARAMS, 22).conjectured).toBeGreaterThanOrEqual(100);
  });
  it("HeightOutOfRange: a claimed height beyond the bound, before any shift", async () => {
    const b = base.bytes.slice();
    new DataView(b.buffer).setUint32(12, 40, true);
    expect(v(b)).toBe("HeightOutOfRange");
    new DataView(b.buffer).setUint32(12, 1, true);
    expect(v(b)).toBe("HeightOutOfRange");
  });
  it("AirMismatch: a proof checked against another AIR", async () => {
    expect(kindOf(verify(mulBusAir, base.bytes, [0], TEST_OPTS))).toBe("AirMismatch");
  });
  it("Malformed: bad magic, version, truncation", async () => {
    const b = base.bytes.slice();
    b[0]! ^= 1;
    expect(v(b)).toBe("Malformed");
    expect(v(base.bytes.subarray(0, base.bytes.length - 1))).toBe("Malformed");
    expect(v(new Uint8Array(0))).toBe("Malformed");
    expect(v("not bytes" as unknown as Uint8Array)).toBe("Malformed");
    expect(v(null as unknown as Uint8Array)).toBe("Malformed");
  });
  it("NonCanonical: a field element ≥ p", async () => {
    // first OOD value sits after header (16) + 2 roots (64)
    const b = base.bytes.slice();
    new DataView(b.buffer).setUint32(16 + 64, P, true);
    expect(v(b)).toBe("NonCanonical");
  });
  it("TrailingBytes", async () => {
    const b = new Uint8Array(base.bytes.length + 1);
    b.set(base.bytes);
    expect(v(b)).toBe("TrailingBytes");
  });
  it("MerklePath: an opened row changed", async () => {
    const b = reencode(base.bytes, fibonacciAir, (p) => { const r = p.queries.main.rows as Uint32Array; r[0] = (r[0]! + 1) % P; });
    expect(v(b)).toBe("MerklePath");
  });
  it("QueryCount: fewer opened rows than the queries need", async () => {
    const b = reencode(base.bytes, fibonacciAir, (p) => {
      const q = p.queries as unknown as { main: { rows: Uint32Array; salts: Uint8Array; proof: Uint8Array[] } };
      q.main = { ...q.main, rows: q.main.rows.subarray(0, q.main.rows.length - 2), salts: q.main.salts.subarray(16) };
      const qq = p.queries as unknown as { quotient: { rows: Uint32Array; salts: Uint8Array; proof: Uint8Array[] } };
      const w = qq.quotient.rows.length / (q.main.rows.length / 2 + 1);
      qq.quotient = { ...qq.quotient, rows: qq.quotient.rows.subarray(0, qq.quotient.rows.length - w), salts: qq.quotient.salts.subarray(16) };
    });
    expect(v(b)).toBe("QueryCount");
  });
  it("OodPointInDomain: points of H_n and of the LDE coset are refused (typed, no crash)", async () => {
    expect(oodPointInDomain(extOf(rootOfUnity(6)), [6], 10)).toBe(true);
    expect(oodPointInDomain(extOf(GENERATOR), [6], 10)).toBe(true);
    expect(oodPointInDomain(extOf(0), [6], 10)).toBe(true);
    expect(oodPointInDomain(extOf(5, 1), [6], 10)).toBe(false);
    expect(() => inverseVanishingAt(extOf(1), 6)).toThrow(VerifierError);
    try { inverseVanishingAt(extOf(1), 6); } catch (e) { expect(toErrorInfo(e).kind).toBe("OodPointInDomain"); }
    // a transcript that only ever yields in-domain points is refused after the redraw budget
    const stuck = { challengeExt: () => extOf(1) } as unknown as Parameters<typeof drawOodPoint>[0];
    expect(() => drawOodPoint(stuck, [6], 10)).toThrow(/out-of-domain/);
  });
  it("OodMismatch: wrong public input (cheating statement)", async () => {
    expect(v(base.bytes, [0, 1, (base.publics[2]! + 1) % P])).toBe("OodMismatch");
  });
  it("FriFold: DEEP values inconsistent with the committed columns", async () => {
    expect(v((await fibProof(6, { testHooks: { corruptDeep: true } })).bytes)).toBe("FriFold");
  });
  it("FriFinalDegree: wrong final polynomial", async () => {
    expect(v((await fibProof(6, { testHooks: { corruptFinalPoly: true } })).bytes)).toBe("FriFinalDegree");
  });
  it("ProofOfWork: skipped grinding", async () => {
    expect(v((await fibProof(6, { testHooks: { skipProofOfWork: true } })).bytes)).toBe("ProofOfWork");
  });
  it("PublicInputMismatch: wrong count or non-canonical", async () => {
    expect(v(base.bytes, [0, 1])).toBe("PublicInputMismatch");
    expect(v(base.bytes, [0, 1, P])).toBe("PublicInputMismatch");
    expect(v(base.bytes, [0, 1, -1])).toBe("PublicInputMismatch");
  });
  it("MultiplicityOverflow: bus bounds that could wrap mod p", async () => {
    const overflowing: Air = {
      name: "fibonacci", numPublicInputs: 3,
      tables: [{ ...fibonacciAir.tables[0]!, eval: (b) => { fibonacciAir.tables[0]!.eval(b); b.send(9, [b.col(0)], b.col(1), 2 ** 25); b.receive(9, [b.col(0)], b.col(1), 2 ** 25); } }],
    };
    expect(kindOf(verify(overflowing, base.bytes, base.publics, TEST_OPTS))).toBe("MultiplicityOverflow");
  });
  it("LogupSumNonZero and Internal", async () => {
    const { traces, publics } = mulBusTrace(6, 4);
    const mult = traces[1]![3]!;
    mult[mult.findIndex((x) => x > 0)]! += 1; // the mul table claims one more use than the cpu made
    const r = await prove(mulBusAir, traces, publics, { ...TEST_OPTS, testHooks: { allowInvalidWitness: true } });
    expect(kindOf(verify(mulBusAir, r.bytes, publics, TEST_OPTS))).toBe("LogupSumNonZero");
    expect(toErrorInfo(new Error("boom")).kind).toBe("Internal");
  });
  it("every declared kind is exercised here or by FRI/Merkle tests", async () => {
    expect(VERIFIER_ERROR_KINDS.length).toBeGreaterThan(15);
    expect(() => checkParams({ ...TEST_PARAMS, zk: 1 as unknown as boolean })).toThrow(/zk/);
  });
});

describe("cheating provers", () => {
  it("wrong trace cell → rejected", async () => {
    const { traces, publics } = fibonacciTrace(6);
    traces[0]![0]![20] = (traces[0]![0]![20]! + 1) % P;
    const r = await prove(fibonacciAir, traces, publics, { ...TEST_OPTS, testHooks: { allowInvalidWitness: true } });
    expect(kindOf(verify(fibonacciAir, r.bytes, publics, TEST_OPTS))).toMatch(/OodMismatch|FriFold|FriFinalDegree/);
  });
  it("the honest prover refuses an invalid witness with the failing constraint", async () => {
    const { traces, publics } = fibonacciTrace(6);
    traces[0]![1]![7] = 3;
    await expect(prove(fibonacciAir, traces, publics, TEST_OPTS)).rejects.toThrow(/fib: constraint/);
  });
  it("claimed other height → rejected", async () => {
    const base = await fibProof(6);
    const b = base.bytes.slice();
    new DataView(b.buffer).setUint32(12, 7, true);
    const k = kindOf(verify(fibonacciAir, b, base.publics, TEST_OPTS));
    expect(k).not.toBe("ok");
    expect(VERIFIER_ERROR_KINDS).toContain(k);
    // a genuine proof at another height, with the publics of this one, is rejected too
    const other = await fibProof(7);
    expect(kindOf(verify(fibonacciAir, other.bytes, base.publics, TEST_OPTS))).toBe("OodMismatch");
  });
});

describe("honest prover input checks", () => {
  it("refuses non-canonical cells, bad shapes and unbalanced buses without the row-by-row check", async () => {
    const f = fibonacciTrace(5);
    f.traces[0]![0]![3] = P;
    await expect(prove(fibonacciAir, f.traces, f.publics, TEST_OPTS)).rejects.toMatchObject({ kind: "BadTrace" });
    await expect(prove(fibonacciAir, [[new Uint32Array(6), new Uint32Array(6)]], [0, 0, 0], TEST_OPTS)).rejects.toMatchObject({ kind: "BadTrace" });
    const m = mulBusTrace(6, 4);
    m.traces[1]![3]![0]! += 1;
    await expect(prove(mulBusAir, m.traces, m.publics, { ...TEST_OPTS, check: false })).rejects.toMatchObject({ kind: "LogupSumNonZero" });
    const g = fibonacciTrace(6);
    g.traces[0]![1]![9] = 77;
    await expect(prove(fibonacciAir, g.traces, g.publics, { ...TEST_OPTS, check: false })).rejects.toMatchObject({ kind: "ConstraintFailed" });
  });
});
