// Differential test of the compiled constraint evaluator (verifier/air-compile.ts) against the interpreter
// (verifier/air-eval.ts), and of the barycentric periodic evaluation against periodicAt: random extension points
// and random inputs, for every table of the VM AIR (a program with data pages and a journal, so public tuples and
// every table are present) and of the example AIRs.
import { describe, expect, it } from "vitest";
import { symbolicAir, type SymbolicTable } from "../verifier/symbolic.ts";
import { evalNodes } from "../verifier/air-eval.ts";
import { compileTable, evalCompiled } from "../verifier/air-compile.ts";
import { oodIdentity, oodIdentityInterpreted } from "../verifier/stark.ts";
import { periodicAt, periodicColumnsAt } from "../verifier/periodic.ts";
import { extOf, eEq, type Ext } from "../verifier/ext.ts";
import { P, rootOfUnity } from "../verifier/field.ts";
import type { Air } from "../verifier/air.ts";
import type { TableOodValues } from "../verifier/proof-types.ts";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { mulBusAir } from "../prover/examples/mul-bus.ts";
import { range16Air } from "../prover/examples/range16.ts";
import { wideAir } from "../prover/examples/wide.ts";
import { vmAir } from "../vm/air/index.ts";
import { initPagesOf } from "../vm/air/index.ts";
import { asmProgram } from "../vm/executor/asm.ts";

function rng(seed: number): () => number {
  let s = BigInt(seed);
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
    return Number((s >> 33n) % BigInt(P));
  };
}

function vmExampleAir(): Air {
  const p = asmProgram(
    [["CONST", 0, 8], ["LOAD32", 1, 0, 0], ["LOAD32", 2, 0, 4], ["ADD", 1, 1, 2], ["STORE32", 0, 1, 16], ["COMMIT", 1, 1], ["EXIT", 1]] as never,
    { initialPages: 1, maxPages: 2, segments: [{ addr: 8, bytes: Uint8Array.of(5, 0, 0, 0, 7, 0, 0, 0) }] },
  );
  return vmAir(p, initPagesOf(p, [0, 1]), Uint8Array.of(12, 0, 0, 0));
}

const AIRS: [string, () => Air][] = [
  ["fibonacci", () => fibonacciAir],
  ["mul-bus", () => mulBusAir],
  ["range16", () => range16Air],
  ["wide(40)", () => wideAir(40)],
  ["vm", vmExampleAir],
];

function randomOod(t: SymbolicTable, numChunks: number, r: () => number): TableOodValues {
  const exts = (n: number) => Array.from({ length: n }, () => extOf(r(), r(), r(), r()));
  return { mainZ: exts(t.width), mainZw: exts(t.width), auxZ: exts(4 * t.auxWidth), auxZw: exts(4 * t.auxWidth), quotZ: exts(4 * numChunks) };
}

describe("compiled constraint evaluation", () => {
  for (const [name, make] of AIRS) {
    it(`${name}: every node and both sides of the OOD identity equal the interpreter's, on random points`, () => {
      const sym = symbolicAir(make());
      if (name === "vm") {
        expect(sym.tables.map((t) => t.name)).toEqual(["program", "cpu", "boundary", "range16", "globals", "and8", "pow2", "tablefn", "byteprop"]);
        expect(sym.publicInteractions.length).toBe(2); // memory words and journal bytes
        expect(sym.tables[1]!.nodes.length).toBeGreaterThan(3000);
      }
      const r = rng(name.length * 7919 + 1);
      for (const t of sym.tables) {
        for (let trial = 0; trial < 4; trial++) {
          const ext = () => extOf(r(), r(), r(), r());
          const mainCur = Array.from({ length: t.width }, ext), mainNext = Array.from({ length: t.width }, ext);
          const auxCur = Array.from({ length: t.auxWidth }, ext), auxNext = Array.from({ length: t.auxWidth }, ext);
          const periodic = t.periodic.map(ext);
          const publics = Array.from({ length: sym.numPublicInputs }, r);
          const challenges = Array.from({ length: sym.numChallenges }, ext);
          const logupSum = ext();
          const want = evalNodes(t, { mainCur, mainNext, auxCur, auxNext, periodic, publics, challenges, logupSum });
          const flat = (xs: Ext[]) => { const o = new Uint32Array(4 * xs.length); xs.forEach((x, i) => o.set(x, 4 * i)); return o; };
          const got = evalCompiled(compileTable(t), {
            mainCur: flat(mainCur), mainNext: flat(mainNext), auxCur: flat(auxCur), auxNext: flat(auxNext), periodic: flat(periodic),
            publics, challenges: flat(challenges), logupSum,
          });
          for (let i = 0; i < t.nodes.length; i++) {
            if (!eEq(got.subarray(4 * i, 4 * i + 4), want[i]!)) expect.fail(`${t.name} node ${i} (${JSON.stringify(t.nodes[i])}) differs`);
          }
          // the whole identity (periodic columns at ζ, vanishing factors, γ-combination, quotient chunks)
          const logN = Math.max(2, ...t.periodic.map((c) => Math.log2(c.length))) + (trial % 2);
          const numChunks = 1 + (trial % 3);
          const o = randomOod(t, numChunks, r);
          const zeta = ext(), gamma = ext();
          const a = oodIdentity(t, o, logN, numChunks, zeta, gamma, publics, challenges, logupSum);
          const b = oodIdentityInterpreted(t, o, logN, numChunks, zeta, gamma, publics, challenges, logupSum);
          expect(eEq(a.lhs, b.lhs), `${t.name}: lhs`).toBe(true);
          expect(eEq(a.rhs, b.rhs), `${t.name}: rhs`).toBe(true);
        }
      }
    });
  }

  it("base-field specialisation: a product of constants and public inputs stays exact", () => {
    const air: Air = {
      name: "base-mix", numPublicInputs: 2,
      tables: [{ name: "t", width: 2, eval: (b) => {
        const k = b.pub(0).mul(b.pub(1)).mul(P - 1).add(3);
        b.assertZero(b.col(0).mul(k).sub(k.mul(b.col(1))).add(k.mul(k)));
        b.whenTransition().assertZero(b.next(0).sub(b.col(1)).mul(b.constant(5).mul(b.pub(1))));
      } }],
    };
    const t = symbolicAir(air).tables[0]!;
    const r = rng(5);
    for (let i = 0; i < 20; i++) {
      const ext = () => extOf(r(), r(), r(), r());
      const x = { mainCur: [ext(), ext()], mainNext: [ext(), ext()], auxCur: [], auxNext: [], periodic: [], publics: [r(), i === 0 ? 0 : r()], challenges: [], logupSum: extOf(0) };
      const want = evalNodes(t, x);
      const flat = (xs: Ext[]) => { const o = new Uint32Array(4 * xs.length); xs.forEach((v, j) => o.set(v, 4 * j)); return o; };
      const got = evalCompiled(compileTable(t), { ...x, mainCur: flat(x.mainCur), mainNext: flat(x.mainNext), auxCur: new Uint32Array(0), auxNext: new Uint32Array(0), periodic: new Uint32Array(0), challenges: new Uint32Array(0) });
      want.forEach((w, j) => expect(eEq(got.subarray(4 * j, 4 * j + 4), w)).toBe(true));
    }
  });
});

describe("barycentric periodic columns", () => {
  it("equal periodicAt for every length, at random points and at points where ζ^(n/m) lies in H_m", () => {
    const r = rng(11);
    const cols = [1, 2, 4, 8, 64, 256].flatMap((m) => [Array.from({ length: m }, r), Array.from({ length: m }, (_, i) => (i % 3 === 0 ? 0 : r()))]);
    const logN = 9;
    const points: Ext[] = Array.from({ length: 6 }, () => extOf(r(), r(), r(), r()));
    points.push(extOf(rootOfUnity(logN)), extOf(1), extOf(r())); // y ∈ H_m for every m: the fallback path
    for (const zeta of points) {
      const got = periodicColumnsAt(cols, logN, zeta);
      cols.forEach((c, j) => expect(eEq(got.subarray(4 * j, 4 * j + 4), periodicAt(c, logN, zeta)), `len ${c.length} at ${zeta}`).toBe(true));
    }
  });
});
