// LogUp aux columns built by row ranges on the worker threads (prover/logup-parallel.ts) against the in-thread
// builder (prover/logup-trace.ts): the VM's CPU table of a real run (next-row reads across the range boundary and
// the wrap from the last row to the first, paired interactions, periodic columns), and a zero denominator.
import { afterAll, describe, expect, it } from "vitest";
import { buildAuxTrace, logupGroupColumns } from "../prover/logup-trace.ts";
import { buildAuxTraceParallel } from "../prover/logup-parallel.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { extOf } from "../verifier/ext.ts";
import type { Air } from "../verifier/air.ts";
import { asmProgram } from "../vm/executor/asm.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";

afterAll(closeQuotientPool);

const same = (a: Uint32Array, b: Uint32Array) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe("LogUp columns on workers = in-thread", () => {
  it("every table of a VM run (CPU 2^12 rows, range16 2^16), bit for bit, and any row range equals the slice of the whole", async () => {
    const loop = [["CONST", 0, 700], ["CONST", 2, 256], ["LOAD32", 4, 2, 0], ["ADD", 4, 4, 0], ["STORE32", 2, 4, 0], ["ADDI", 0, 0, -1], ["BRNZ", 0, 2], ["EXIT", 0]] as const;
    const program = asmProgram(loop.map((x) => [...x]) as never, { initialPages: 1 });
    const tr = buildVmTrace(program);
    const air = vmAir(program, tr.pages, tr.journal);
    const sym = symbolicAir(air);
    const challenges = [extOf(123, 4, 5, 6), extOf(7, 8, 9, 10)];
    let parallelTables = 0;
    for (let ti = 0; ti < sym.tables.length; ti++) {
      const t = sym.tables[ti]!;
      if (t.auxWidth === 0) continue;
      const main = tr.traces[ti]!, n = main[0]!.length;
      const periodic = t.periodic.map((p) => Uint32Array.from(p));
      const a = buildAuxTrace(t, main, periodic, tr.publics, challenges);
      const b = await buildAuxTraceParallel(t, main, periodic, tr.publics, challenges, true);
      expect(b.columns.length).toBe(a.columns.length);
      a.columns.forEach((c, i) => expect(same(c, b.columns[i]!), `${t.name} column ${i}`).toBe(true));
      expect(Array.from(b.sum)).toEqual(Array.from(a.sum));
      if (n >= 1 << 12) {
        parallelTables++;
        // the last range (its next row wraps to row 0) and an interior one
        for (const [from, to] of [[n - 64, n], [1000, 1256]] as const) {
          const part = logupGroupColumns(t, main, periodic, tr.publics, challenges, from, to);
          part.forEach((c, g) => {
            for (let k = 0; k < 4; k++) expect(same(c.subarray(k * (to - from), (k + 1) * (to - from)), a.columns[g]!.subarray(k * n + from, k * n + to))).toBe(true);
          });
        }
      }
    }
    expect(parallelTables).toBeGreaterThan(0); // the CPU table took the worker path
  });

  it("a zero denominator is the same RangeError on the workers", async () => {
    const air: Air = {
      name: "zero-denominator", numPublicInputs: 0,
      tables: [{ name: "t", width: 1, periodic: [], eval(b) { b.send(0, [b.col(0)], b.constant(1), 1); } }],
    };
    const t = symbolicAir(air).tables[0]!;
    const n = 1 << 12;
    // α − (bus + β·len + β²·x) = 0 for x chosen from α, β with coordinates 1..3 zero: α = (a, 0, 0, 0), β = (1, 0, 0, 0)
    const alpha = extOf(1000, 0, 0, 0), beta = extOf(1, 0, 0, 0);
    const col = new Uint32Array(n).fill(5);
    col[n - 3] = 1000 - 0 - 1; // bus 0, len 1: 0 + 1·1 + 1·x = 1000
    const periodic: Uint32Array[] = [];
    expect(() => buildAuxTrace(t, [col], periodic, [], [alpha, beta])).toThrow(RangeError);
    await expect(buildAuxTraceParallel(t, [col], periodic, [], [alpha, beta], true)).rejects.toThrow(RangeError);
  });
});
