/**
 * Two tables joined by a LogUp bus. "cpu" rows (a, b, c, isMul) send (a, b, c) on the MUL bus when isMul = 1;
 * the "mul" table proves c = a·b for each of its rows and receives (a, b, c) with multiplicity m (how many
 * times the cpu used that row). Publics: none (the sum of all cpu c's is exposed as public input 0 to bind a
 * statement: the last row of an accumulator column).
 */
import type { Air } from "../../verifier/air.ts";

const P = 2013265921;
export const MUL_BUS = 2;

export const mulBusAir: Air = {
  name: "mul-bus",
  numPublicInputs: 1,
  tables: [
    {
      name: "cpu",
      // a, b, c, isMul, acc
      width: 5,
      eval(b) {
        const [a, x, c, isMul, acc] = [0, 1, 2, 3, 4].map((i) => b.col(i)) as [ReturnType<typeof b.col>, ReturnType<typeof b.col>, ReturnType<typeof b.col>, ReturnType<typeof b.col>, ReturnType<typeof b.col>];
        b.assertBool(isMul, "isMul bool");
        b.whenFirstRow().assertEq(acc, c.mul(isMul), "acc0");
        b.whenTransition().assertEq(b.next(4), acc.add(b.next(2).mul(b.next(3))), "acc step");
        b.whenLastRow().assertEq(acc, b.pub(0), "acc result");
        b.send(MUL_BUS, [a, x, c], isMul, 1);
      },
    },
    {
      name: "mul",
      // a, b, c, multiplicity
      width: 4,
      eval(b) {
        b.assertEq(b.col(2), b.col(0).mul(b.col(1)), "product");
        b.receive(MUL_BUS, [b.col(0), b.col(1), b.col(2)], b.col(3));
      },
    },
  ],
};

/** cpu of height 2^logCpu using products from a mul table of height 2^logMul (logMul ≤ logCpu). */
export function mulBusTrace(logCpu: number, logMul: number, seed = 1): { traces: Uint32Array[][]; publics: number[] } {
  const n = 2 ** logCpu, m = 2 ** logMul;
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s >>> 8);
  const ma = new Uint32Array(m), mb = new Uint32Array(m), mc = new Uint32Array(m), mm = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    ma[i] = rnd() % 65536; mb[i] = rnd() % 65536;
    mc[i] = Number((BigInt(ma[i]!) * BigInt(mb[i]!)) % BigInt(P));
  }
  const a = new Uint32Array(n), bb = new Uint32Array(n), c = new Uint32Array(n), isMul = new Uint32Array(n), acc = new Uint32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (rnd() % 4 !== 0) {
      const j = rnd() % m;
      a[i] = ma[j]!; bb[i] = mb[j]!; c[i] = mc[j]!; isMul[i] = 1; mm[j]!++;
    } else {
      a[i] = rnd() % 1000; bb[i] = rnd() % 1000; c[i] = rnd() % 1000; // unused rows carry junk, not sent
    }
    sum = (sum + c[i]! * isMul[i]!) % P;
    acc[i] = sum;
  }
  return { traces: [[a, bb, c, isMul, acc], [ma, mb, mc, mm]], publics: [sum] };
}
