// The quotient's WASM program (prover/quotient-kernel.ts) against the JavaScript interpreter (prover/vec-eval.ts)
// on random LDE matrices: every table of the VM AIR (degree 3, batched LogUp, periodic columns) and a table with
// every operand shape (base/ext add, sub both ways, mul, neg, constant and first/last/transition constraints).
import { describe, expect, it } from "vitest";
import { evaluateQuotientRange } from "../prover/quotient.ts";
import { symbolicAir, quotientShape, type SymbolicTable } from "../verifier/symbolic.ts";
import { extOf } from "../verifier/ext.ts";
import { P } from "../verifier/field.ts";
import type { Air } from "../verifier/air.ts";
import { asmProgram } from "../vm/executor/asm.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";

function rnd(len: number, seed: number): Uint32Array {
  const x = new Uint32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = s % P; }
  return x;
}

function compare(t: SymbolicTable, logN: number, numPublics: number, extraCols = 3) {
  const shape = quotientShape(t, logN, 2 ** logN);
  const logLde = shape.logQuotientDomain + 1, N = 2 ** logLde, q = 2 ** shape.logQuotientDomain;
  const mw = t.width + extraCols, aw = 4 * t.auxWidth + 2;
  const inputs = {
    table: t, shape, logLde, main: rnd(N * mw, 1), mainLayout: { stride: mw, offset: 2 },
    aux: t.auxWidth > 0 ? rnd(N * aw, 2) : undefined, auxLayout: t.auxWidth > 0 ? { stride: aw, offset: 1 } : undefined,
    publics: Array.from(rnd(numPublics, 3)), challenges: [extOf(5, 6, 7, 8), extOf(9, 10, 11, 12)], logupSum: extOf(13, 14, 15, 16),
    gamma: extOf(17, 18, 19, 20),
  };
  const a = new Uint32Array(4 * q), b = new Uint32Array(4 * q);
  evaluateQuotientRange(inputs, 0, q, a);
  evaluateQuotientRange({ ...inputs, noKernel: true }, 0, q, b);
  expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer))).toBe(0);
}

describe("quotient: WASM program = JavaScript interpreter", () => {
  it("every table of the VM AIR", () => {
    const program = asmProgram([["CONST", 0, 5], ["ADDI", 0, 0, -1], ["BRNZ", 0, 1], ["EXIT", 0]], { initialPages: 1 });
    const tr = buildVmTrace(program);
    const air = vmAir(program, tr.pages, tr.journal);
    const sym = symbolicAir(air);
    for (const t of sym.tables) compare(t, Math.max(5, Math.log2(Math.max(...t.periodic.map((p) => p.length), 1))), sym.numPublicInputs);
  });

  it("every operand shape", () => {
    const air: Air = {
      name: "shapes", numPublicInputs: 2,
      tables: [{
        name: "shapes", width: 4, periodic: [[1, 2, 3, 4]],
        eval(b) {
          const [x, y, z, u] = [b.col(0), b.col(1), b.col(2), b.col(3)];
          b.assertZero(x.mul(y).sub(z).add(b.pub(0)).neg().mul(u));
          b.assertZero(b.periodic(0).mul(x).sub(7));
          b.whenFirstRow().assertEq(x, b.pub(1));
          b.whenLastRow().assertEq(b.next(0), y.square());
          b.whenTransition().assertEq(b.next(1), x.add(y).mul(z));
          b.send(3, [x, y.add(1)], z, 1);
          b.receive(3, [u], b.constant(2).sub(x), 2);
          b.send(4, [b.constant(9)], x.mul(y), 3);
        },
      }],
    };
    compare(symbolicAir(air).tables[0]!, 6, 2);
  });

  it("mixed base/extension operands in both orders (a hand-built DAG)", () => {
    const nodes = [
      { op: "main", col: 0, next: false }, { op: "challenge", index: 0 }, { op: "sub", a: 0, b: 1 }, { op: "neg", a: 2 },
      { op: "sub", a: 1, b: 0 }, { op: "add", a: 0, b: 1 }, { op: "mul", a: 0, b: 1 }, { op: "mul", a: 1, b: 0 },
      { op: "add", a: 1, b: 0 }, { op: "main", col: 1, next: true }, { op: "neg", a: 9 }, { op: "mul", a: 2, b: 3 },
    ] as const;
    const isExt = Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1]);
    const t: SymbolicTable = {
      name: "hand", width: 2, periodic: [], nodes, degrees: Int32Array.from([1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]), isExt,
      constraints: [2, 3, 4, 5, 6, 7, 8, 10, 11].map((node, i) => ({ node, domain: (["every", "first", "last", "transition"] as const)[i % 4]!, name: `c${i}` })),
      interactions: [], auxWidth: 0, logupGroups: [], maxDegree: 2,
    };
    compare(t, 5, 0);
  });
});
