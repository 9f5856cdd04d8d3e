/**
 * Joint proofs (docs/proof-system.md "Joint proofs"): N proofs sharing their LogUp challenges α, β, drawn from a
 * global seed over every part's statement and main root; only the sum of the parts' LogUp totals must vanish.
 * Buses here balance only jointly: part A sends 1..n, parts B (and C) receive them.
 */
import { describe, expect, it } from "vitest";
import { commitMainPhase, finishProof, prove, proveJoint, type JointProvePart, type ProveResult } from "../prover/stark.ts";
import { verify, verifyJoint, type JointPart } from "../verifier/stark.ts";
import { jointChallenges } from "../verifier/protocol.ts";
import { VERIFIER_ERROR_KINDS } from "../verifier/errors.ts";
import { P, mul } from "../verifier/field.ts";
import { extOf } from "../verifier/ext.ts";
import type { Air, PublicInteractions, TableAir } from "../verifier/air.ts";
import { TEST_OPTS } from "./stark-helpers.ts";
import { mutationCampaign } from "./mutation-campaign.ts";

const BUS = 5;
const N = 16;
const kindOf = (r: ReturnType<typeof verify>) => (r.ok ? "ok" : r.error.kind);
const CHEAT = { ...TEST_OPTS, check: false, testHooks: { allowInvalidWitness: true } } as const;

/** Rows (isReal, v, v²): sends (or receives) v once per real row; v² keeps the table degree 2. */
function busTable(name: string, direction: "send" | "receive", bound = 1): TableAir {
  return {
    name,
    width: 3,
    eval(b) {
      b.assertBool(b.col(0), `${name}/real-bool`);
      b.assertEq(b.col(2), b.col(1).mul(b.col(1)), `${name}/square`);
      if (direction === "send") b.send(BUS, [b.col(1)], b.col(0), bound);
      else b.receive(BUS, [b.col(1)], b.col(0), bound);
    },
  };
}

/** One public input (unconstrained: it only enters the statement, so a changed one must be rejected). */
const air = (name: string, direction: "send" | "receive", pubs?: PublicInteractions[], bound = 1): Air =>
  ({ name, numPublicInputs: 1, tables: [busTable(name, direction, bound)], publicInteractions: pubs });
const SENDER = air("sender", "send");
const RECEIVER = air("receiver", "receive");

function trace(values: readonly number[], n = N): Uint32Array[][] {
  const cols = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  values.forEach((v, i) => { cols[0]![i] = 1; cols[1]![i] = v; cols[2]![i] = mul(v, v); });
  return [cols];
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const ALL = range(1, N); // A sends 1..16
const part = (a: Air, values: readonly number[], pub: number): JointProvePart & { traces: Uint32Array[][] } => ({ air: a, traces: trace(values), publics: [pub] });
const A = part(SENDER, ALL, 11);
const B = part(RECEIVER, ALL, 22); // two parts: B receives everything
const B1 = part(RECEIVER, range(1, 10), 33); // three parts: B1 receives 1..10, C 11..16 (same AIR as B1)
const C = part(RECEIVER, range(11, 16), 44);

const asParts = (ps: readonly JointProvePart[], rs: readonly ProveResult[]): JointPart[] => ps.map((p, k) => ({ air: p.air, proof: rs[k]!.bytes, publics: p.publics }));

describe("joint proofs: prove and verify", () => {
  it("two parts whose bus balances only jointly", async () => {
    const t0 = performance.now();
    const rs = await proveJoint([A, B], TEST_OPTS);
    const t1 = performance.now();
    const r = verifyJoint(asParts([A, B], rs), TEST_OPTS);
    console.log(`joint 2 parts × 2^4: prove ${Math.round(t1 - t0)} ms, verify ${Math.round(performance.now() - t1)} ms, ${rs.map((x) => x.bytes.length).join(" + ")} bytes`);
    expect(kindOf(r)).toBe("ok");
    // each part alone does not balance: the honest single prover refuses it
    await expect(prove(A.air, A.traces, A.publics, TEST_OPTS)).rejects.toThrow(/LogupSumNonZero/);
  });

  it("three parts (two of them with the same AIR)", async () => {
    const rs = await proveJoint([A, B1, C], TEST_OPTS);
    expect(kindOf(verifyJoint(asParts([A, B1, C], rs), TEST_OPTS))).toBe("ok");
  });

  it("the phases are usable from outside: commitMainPhase → jointChallenges → finishProof (what a segment worker does)", async () => {
    const ms = [await commitMainPhase(A.air, A.traces, A.publics, TEST_OPTS, true), await commitMainPhase(B.air, B.traces, B.publics, TEST_OPTS, true)];
    const joint = jointChallenges(ms.map((m) => m.statementDigest));
    const rs = [await finishProof(ms[0]!, joint), await finishProof(ms[1]!, joint)];
    expect(kindOf(verifyJoint(asParts([A, B], rs), TEST_OPTS))).toBe("ok");
    // a part's statement digest binds its main root: the proof carries that root
    expect(rs[0]!.proof.mainRoots[0]).toEqual(ms[0]!.mainRoot);
    // commitMainPhase without `joint` refuses a part that does not balance alone (checkConstraints)
    await expect(commitMainPhase(A.air, A.traces, A.publics, TEST_OPTS)).rejects.toThrow(/LogupSumNonZero/);
  });

  it("single proofs are phase 1 + own challenges + phase 2 and still verify with verify (not with verifyJoint of one part)", async () => {
    const selfBalanced: Air = { name: "self", numPublicInputs: 1, tables: [busTable("s", "send"), busTable("r", "receive")] };
    const tr = [...trace(ALL), ...trace([...ALL].reverse())];
    const r = await finishProof(await commitMainPhase(selfBalanced, tr, [7], TEST_OPTS));
    expect(kindOf(verify(selfBalanced, r.bytes, [7], TEST_OPTS))).toBe("ok");
    expect(kindOf(verifyJoint([{ air: selfBalanced, proof: r.bytes, publics: [7] }], TEST_OPTS))).not.toBe("ok");
    // a joint proof of one self-balanced part verifies jointly, not as a single proof
    const [j] = await proveJoint([{ air: selfBalanced, traces: tr, publics: [7] }], TEST_OPTS);
    expect(kindOf(verifyJoint([{ air: selfBalanced, proof: j!.bytes, publics: [7] }], TEST_OPTS))).toBe("ok");
    expect(kindOf(verify(selfBalanced, j!.bytes, [7], TEST_OPTS))).not.toBe("ok");
  });

  it("public bus tuples live in the AIR of the part that declares them and count once", async () => {
    // A' sends 1..8 from its trace and 9..16 publicly; B receives 1..16
    const pub: PublicInteractions = { bus: BUS, arity: 1, tuples: Uint32Array.from(range(9, 16)), direction: "send" };
    const Ap = part(air("sender+pub", "send", [pub]), range(1, 8), 55);
    const rs = await proveJoint([Ap, B], TEST_OPTS);
    expect(kindOf(verifyJoint(asParts([Ap, B], rs), TEST_OPTS))).toBe("ok");
    // the same tuples declared by B's AIR as well (counted twice) does not balance: the prover refuses
    const Bp = part(air("receiver+pub", "receive", [pub]), ALL, 22);
    await expect(proveJoint([Ap, Bp], TEST_OPTS)).rejects.toThrow(/LogupSumNonZero/);
  });
});

describe("joint proofs: rejected", () => {
  let three: ProveResult[] | undefined;
  const proveThree = async () => (three ??= await proveJoint([A, B1, C], TEST_OPTS));

  it("one part alone: refused by the prover, LogupSumNonZero from verifyJoint, not a single proof either", async () => {
    await expect(proveJoint([A], TEST_OPTS)).rejects.toThrow(/LogupSumNonZero/);
    const [a] = await proveJoint([A], CHEAT);
    expect(kindOf(verifyJoint([{ air: A.air, proof: a!.bytes, publics: A.publics }], TEST_OPTS))).toBe("LogupSumNonZero");
    const rs = await proveThree();
    // part A of the three-part proof checked alone (as a joint of one, or as a single proof)
    expect(kindOf(verifyJoint(asParts([A], rs), TEST_OPTS))).not.toBe("ok");
    expect(kindOf(verify(A.air, rs[0]!.bytes, A.publics, TEST_OPTS))).not.toBe("ok");
  });

  it("a dropped, swapped, duplicated or reordered part", async () => {
    const rs = await proveThree();
    const ps = asParts([A, B1, C], rs);
    expect(kindOf(verifyJoint(ps, TEST_OPTS))).toBe("ok");
    const variants: [string, JointPart[]][] = [
      ["C dropped", [ps[0]!, ps[1]!]],
      ["B1 dropped", [ps[0]!, ps[2]!]],
      ["B1, C swapped (same AIR)", [ps[0]!, ps[2]!, ps[1]!]],
      ["A moved last", [ps[1]!, ps[2]!, ps[0]!]],
      ["B1 duplicated", [ps[0]!, ps[1]!, ps[1]!, ps[2]!]],
      ["A duplicated", [ps[0]!, ps[0]!, ps[1]!, ps[2]!]],
      ["B1's and C's proofs exchanged, statements kept", [ps[0]!, { ...ps[1]!, proof: ps[2]!.proof }, { ...ps[2]!, proof: ps[1]!.proof }]],
      ["B1's public input changed", [ps[0]!, { ...ps[1]!, publics: [34] }, ps[2]!]],
    ];
    // the global seed (hence α, β) changes: the parts' LogUp columns no longer satisfy their constraints at ζ
    for (const [what, v] of variants) expect(kindOf(verifyJoint(v, TEST_OPTS)), what).toBe("OodMismatch");
    // two joint proofs of the same statement: a part from one does not combine with the others from the other
    const other = await proveJoint([A, B1, C], TEST_OPTS);
    expect(kindOf(verifyJoint([ps[0]!, ps[1]!, { ...ps[2]!, proof: other[2]!.bytes }], TEST_OPTS))).not.toBe("ok");
    expect(kindOf(verifyJoint(asParts([A, B1, C], other), TEST_OPTS))).toBe("ok");
  });

  it("a part whose phase 2 used another seed or other challenges", async () => {
    const ms = [];
    for (const p of [A, B]) ms.push(await commitMainPhase(p.air, p.traces, p.publics, TEST_OPTS, true));
    const joint = jointChallenges(ms.map((m) => m.statementDigest));
    const a = await finishProof(ms[0]!, joint);
    const ok = await finishProof(ms[1]!, joint);
    expect(kindOf(verifyJoint(asParts([A, B], [a, ok]), TEST_OPTS))).toBe("ok");
    const otherJoint = jointChallenges([ms[1]!.statementDigest, ms[0]!.statementDigest]);
    const seed = joint.seed.slice(); seed[0]! ^= 1;
    const ch = [extOf(1, 2, 3, 4), joint.challenges[1]!];
    const bad: [string, Parameters<typeof finishProof>[1]][] = [
      ["another digest's seed and challenges", otherJoint],
      ["the right challenges, another seed", { challenges: joint.challenges, seed }],
      ["the right seed, another α", { seed: joint.seed, challenges: ch }],
      ["its own challenges (a single proof)", undefined],
    ];
    for (const [what, inj] of bad) {
      // B alone does not balance: its single proof (own challenges) needs the cheat switch
      const b = await finishProof(inj ? ms[1]! : { ...ms[1]!, opts: CHEAT }, inj);
      expect(kindOf(verifyJoint(asParts([A, B], [a, b]), TEST_OPTS)), what).toBe("OodMismatch");
    }
    // phase 2 may run again from the same phase-1 state (nothing of it is consumed)
    const again = await finishProof(ms[1]!, joint);
    expect(kindOf(verifyJoint(asParts([A, B], [a, again]), TEST_OPTS))).toBe("ok");
  });

  it("a tampered main root of any part", async () => {
    const rs = await proveThree();
    for (let k = 0; k < 3; k++) {
      const bytes = rs[k]!.bytes.slice();
      const root = rs[k]!.proof.mainRoots[0]!;
      const at = indexOf(bytes, root);
      expect(at).toBeGreaterThan(0);
      bytes[at + 7]! ^= 0x10;
      const ps = asParts([A, B1, C], rs);
      ps[k] = { ...ps[k]!, proof: bytes };
      const r = verifyJoint(ps, TEST_OPTS);
      expect(kindOf(r)).toBe("OodMismatch"); // every part's α, β, γ, ζ change
    }
  });

  it("phase 2 reuses phase 1's Merkle nodes only for the same traces: a trace builder that changes one value between the phases is refused", async () => {
    // traces as a function: called once per phase (and for the joint balance); here the second call differs in one row
    let calls = 0;
    const flaky: JointProvePart = {
      air: RECEIVER, publics: [33],
      traces: () => {
        calls++;
        const t = trace(range(1, 10));
        if (calls > 1) t[0]![2]![15] = 1; // one value of an unused row changed
        return t;
      },
    };
    await expect(proveJoint([A, flaky, C], TEST_OPTS)).rejects.toThrow(/the recomputed commitment differs from the kept Merkle nodes/);
    // a builder whose second call returns another height is refused before any LDE
    let n = 0;
    const taller: JointProvePart = { ...flaky, traces: () => trace(range(1, 10), n++ === 0 ? N : 2 * N) };
    await expect(proveJoint([A, taller, C], TEST_OPTS)).rejects.toThrow(/part 1: its traces differ between phase 1 and phase 2 \(shape/);
    // the same parts with a deterministic builder prove and verify (phase 2 used the kept nodes of parts 0 and 1)
    const steady: JointProvePart = { ...flaky, traces: () => trace(range(1, 10)) };
    const rs = await proveJoint([A, steady, C], TEST_OPTS);
    expect(kindOf(verifyJoint(asParts([A, steady, C], rs), TEST_OPTS))).toBe("ok");
  });

  it("a part whose trace breaks a bus value: refused by the prover, LogupSumNonZero from the verifier", async () => {
    const bad = part(RECEIVER, range(11, 16).map((v) => (v === 13 ? 1013 : v)), 44);
    await expect(proveJoint([A, B1, bad], TEST_OPTS)).rejects.toThrow(/LogupSumNonZero/);
    const rs = await proveJoint([A, B1, bad], CHEAT);
    expect(kindOf(verifyJoint(asParts([A, B1, bad], rs), TEST_OPTS))).toBe("LogupSumNonZero");
    // a value received twice and one not at all
    const twice = part(RECEIVER, [11, 12, 12, 14, 15, 16], 44);
    const rs2 = await proveJoint([A, B1, twice], CHEAT);
    expect(kindOf(verifyJoint(asParts([A, B1, twice], rs2), TEST_OPTS))).toBe("LogupSumNonZero");
  });

  it("the no-wrap bound is summed over all parts (R4)", async () => {
    // bound p/20 at height 16: 0.8·p per part (each proof alone passes), 1.6·p jointly
    const big = Math.floor(P / 20);
    const S = part(air("sender-big", "send", undefined, big), ALL, 1);
    const R = part(air("receiver-big", "receive", undefined, big), ALL, 2);
    await expect(proveJoint([S, R], TEST_OPTS)).rejects.toThrow(/MultiplicityOverflow/);
    const ms = [await commitMainPhase(S.air, S.traces, S.publics, TEST_OPTS, true), await commitMainPhase(R.air, R.traces, R.publics, TEST_OPTS, true)];
    const joint = jointChallenges(ms.map((m) => m.statementDigest));
    const rs = [await finishProof(ms[0]!, joint), await finishProof(ms[1]!, joint)];
    expect(kindOf(verifyJoint(asParts([S, R], rs), TEST_OPTS))).toBe("MultiplicityOverflow");
  });

  it("bit flips, truncations and extensions of any part: rejected with typed errors", async () => {
    const rs = await proveThree();
    const ps = asParts([A, B1, C], rs);
    for (let k = 0; k < 3; k++) {
      const stats = mutationCampaign(rs[k]!.bytes, (b) => { const v = ps.slice(); v[k] = { ...v[k]!, proof: b }; return verifyJoint(v, TEST_OPTS); }, 200, 0x10 + k);
      expect(stats.accepted).toBe(0);
      expect(stats.untyped).toBe(0);
      for (const kind of Object.keys(stats.byKind)) expect(VERIFIER_ERROR_KINDS).toContain(kind);
      expect(stats.byKind["Internal"] ?? 0).toBe(0);
    }
    // an empty part list, a non-array publics: typed
    expect(kindOf(verifyJoint([], TEST_OPTS))).toBe("Malformed");
    expect(kindOf(verifyJoint([{ ...ps[0]!, publics: [P] }, ps[1]!, ps[2]!], TEST_OPTS))).toBe("PublicInputMismatch");
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe("seeded phase-1 randomness (R6)", () => {
  it("the same seed gives the same field elements and salts, another seed others; elements are canonical", async () => {
    const { seededRng, randomSeed } = await import("../prover/random.ts");
    const s1 = randomSeed(), s2 = randomSeed();
    const a = seededRng(s1), b = seededRng(s1), c = seededRng(s2);
    const fa = a.fieldElements(5000), fb = b.fieldElements(5000), fc = c.fieldElements(5000);
    expect(fa).toEqual(fb);
    expect(fa).not.toEqual(fc);
    expect(fa.every((v) => v < 2013265921)).toBe(true);
    expect(new Set(fa).size).toBeGreaterThan(4990);
    expect(a.salts(100)).toEqual(b.salts(100));
    expect(() => seededRng(new Uint8Array(31))).toThrow(RangeError);
  });
});
