/**
 * A wide benchmark AIR: W columns, each updated by a degree-2 transition c_j' = c_j·c_{j+1} + j + 1
 * (indices mod W), first row pinned to public input 0 in column 0. Degree 2, W constraints.
 */
import type { Air } from "../../verifier/air.ts";

const P = 2013265921;

export function wideAir(width: number): Air {
  return {
    name: `wide-${width}`,
    numPublicInputs: 1,
    tables: [
      {
        name: "wide",
        width,
        eval(b) {
          b.whenFirstRow().assertEq(b.col(0), b.pub(0), "c0");
          for (let j = 0; j < width; j++) {
            b.whenTransition().assertEq(b.next(j), b.col(j).mul(b.col((j + 1) % width)).add(j + 1), `step${j}`);
          }
        },
      },
    ],
  };
}

/** The trace, its columns in shared memory: the prover's LDE reads them in place instead of copying them. */
export function wideTrace(width: number, logN: number): { traces: Uint32Array[][]; publics: number[] } {
  const n = 2 ** logN;
  const cols = Array.from({ length: width }, () => new Uint32Array(new SharedArrayBuffer(4 * n)));
  for (let j = 0; j < width; j++) cols[j]![0] = j + 3;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < width; j++) {
      const a = cols[j]![i - 1]!, c = cols[(j + 1) % width]![i - 1]!;
      cols[j]![i] = (((a * (c >>> 16)) % P) * 65536 + a * (c & 0xffff) + j + 1) % P;
    }
  }
  return { traces: [cols], publics: [cols[0]![0]!] };
}
