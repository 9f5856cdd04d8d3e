/**
 * 16-bit range check. "values" (height 2^k) sends each x on the RANGE bus; "range16" is the table 0 … 65535
 * (exactly 2^16 rows: v₀ = 0, v' = v + 1, v_last = 65535) receiving each v with multiplicity m_v.
 * Public input 0: the sum of all x (binds the values to a statement).
 */
import type { Air } from "../../verifier/air.ts";

const P = 2013265921;
export const RANGE_BUS = 1;

export const range16Air: Air = {
  name: "range16",
  numPublicInputs: 1,
  tables: [
    {
      name: "values",
      // x, acc
      width: 2,
      eval(b) {
        b.whenFirstRow().assertEq(b.col(1), b.col(0), "acc0");
        b.whenTransition().assertEq(b.next(1), b.col(1).add(b.next(0)), "acc step");
        b.whenLastRow().assertEq(b.col(1), b.pub(0), "acc result");
        b.send(RANGE_BUS, [b.col(0)], 1, 1);
      },
    },
    {
      name: "range16",
      // v, m
      width: 2,
      eval(b) {
        b.whenFirstRow().assertZero(b.col(0), "v0");
        b.whenTransition().assertEq(b.next(0), b.col(0).add(1), "v step");
        b.whenLastRow().assertEq(b.col(0), 65535, "v last");
        b.receive(RANGE_BUS, [b.col(0)], b.col(1));
      },
    },
  ],
};

export function range16Trace(logValues: number, seed = 7, values?: readonly number[]): { traces: Uint32Array[][]; publics: number[] } {
  const n = 2 ** logValues;
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s >>> 8);
  const x = new Uint32Array(n), acc = new Uint32Array(n);
  const v = new Uint32Array(65536), m = new Uint32Array(65536);
  for (let i = 0; i < 65536; i++) v[i] = i;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x[i] = values ? values[i % values.length]! : rnd() % 65536;
    if (x[i]! < 65536) m[x[i]!]!++;
    sum = (sum + x[i]!) % P;
    acc[i] = sum;
  }
  return { traces: [[x, acc], [v, m]], publics: [sum] };
}
