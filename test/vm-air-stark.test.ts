// The prototype VM AIR through the real STARK (non-ZK parameters to keep the test short: the RANGE16 table
// makes every proof 2^16 rows high): an honest run proves and verifies; the statement cannot be changed;
// a forged trace that satisfies every row constraint but reads a value never written is rejected by the
// verifier's LogUp check.
import { afterAll, describe, expect, it } from "vitest";
import { asmProgram } from "../vm/executor/asm.ts";
import { buildVmTrace, vmAir, TABLE } from "../vm/air/index.ts";
import { cpuCol, portCol, PUB } from "../vm/air/cpu/columns.ts";
import { prove } from "../prover/stark.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { verify } from "../verifier/stark.ts";
import { DEFAULT_PARAMS, type StarkParams } from "../verifier/params.ts";
import { inv } from "../verifier/fp.ts";

const params: StarkParams = { ...DEFAULT_PARAMS, zk: false };
const program = asmProgram([["CONST", 0, 5], ["CONST", 1, 0], ["ADD", 1, 1, 0], ["ADDI", 0, 0, -1], ["BRNZ", 0, 2], ["EXIT", 1]]);

afterAll(async () => {
  await closeSharedPool();
});

describe("VM AIR prototype: STARK proofs", () => {
  it("proves and verifies a loop; a changed exit code or entry pc is rejected", async () => {
    const air = vmAir(program);
    const t = buildVmTrace(program);
    expect(t.exitCode).toBe(15);
    const r = await prove(air, t.traces, t.publics, { params });
    expect(verify(air, r.bytes, t.publics, { params })).toMatchObject({ ok: true });
    for (const [i, v] of [[PUB.exit0, 14], [PUB.entryPc, 1]] as const) {
      const forged = [...t.publics];
      forged[i] = v;
      const res = verify(air, r.bytes, forged, { params });
      expect(res.ok).toBe(false);
    }
  }, 120_000);

  it("rejects a proof of a trace whose BRNZ reads a value never written", async () => {
    const air = vmAir(program);
    const t = buildVmTrace(program);
    const cpu = t.traces[TABLE.cpu]!;
    const fBrnz = cpu[cpuCol("fBrnz")]!;
    const v0 = cpu[portCol("v0", 0)]!, v1 = cpu[portCol("v1", 0)]!, p0 = cpu[portCol("p0", 0)]!;
    const r = fBrnz.findIndex((f, i) => f === 1 && v0[i]! !== 0);
    v0[r]! += 1;
    p0[r]! += 1;
    cpu[cpuCol("S")]![r] = v0[r]! + v1[r]!;
    cpu[cpuCol("inv")]![r] = inv(v0[r]! + v1[r]!);
    const res = await prove(air, t.traces, t.publics, { params, check: false, testHooks: { allowInvalidWitness: true } });
    const v = verify(air, res.bytes, t.publics, { params });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error.kind).toBe("LogupSumNonZero");
  }, 120_000);
});
