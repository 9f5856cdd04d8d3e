/**
 * Fibonacci: columns (a, b); publics (a₀, b₀, b_last). Rows step (a, b) → (b, a + b).
 */
import type { Air } from "../../verifier/air.ts";

const P = 2013265921;

export const fibonacciAir: Air = {
  name: "fibonacci",
  numPublicInputs: 3,
  tables: [
    {
      name: "fib",
      width: 2,
      eval(b) {
        const a = b.col(0), c = b.col(1);
        b.whenFirstRow().assertEq(a, b.pub(0), "a0");
        b.whenFirstRow().assertEq(c, b.pub(1), "b0");
        b.whenTransition().assertEq(b.next(0), c, "shift");
        b.whenTransition().assertEq(b.next(1), a.add(c), "sum");
        b.whenLastRow().assertEq(c, b.pub(2), "result");
      },
    },
  ],
};

/** Trace of height 2^logN and its public inputs. */
export function fibonacciTrace(logN: number, a0 = 0, b0 = 1): { traces: Uint32Array[][]; publics: number[] } {
  const n = 2 ** logN;
  const A = new Uint32Array(n), B = new Uint32Array(n);
  A[0] = a0; B[0] = b0;
  for (let i = 1; i < n; i++) {
    A[i] = B[i - 1]!;
    B[i] = (A[i - 1]! + B[i - 1]!) % P;
  }
  return { traces: [[A, B]], publics: [a0, b0, B[n - 1]!] };
}
