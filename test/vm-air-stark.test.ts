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

describe("VM AIR v4 forgeries through the STARK verifier (not only the row-by-row check)", () => {
  it("a journal byte changed (JOURNAL bus), a COMMIT byte row committing another byte (a row constraint), an output word off by one (MUL)", async () => {
    const p = asmProgram([
      ["CONST", 0, 12], ["CONST", 1, 3], ["CONST", 2, 0x04030201], ["STORE32", 0, 2, 0], ["COMMIT", 0, 1],
      ["CONST", 3, 1234567], ["MUL", 4, 3, 3], ["EXIT", 4],
    ]);
    const t = buildVmTrace(p);
    const air = vmAir(p, t.pages, t.journal);
    const honest = await prove(air, t.traces, t.publics, { params });
    expect(verify(air, honest.bytes, t.publics, { params }).ok).toBe(true);
    // 1. the statement's journal changed: the verifier's public JOURNAL tuples no longer match the trace
    const j = t.journal.slice();
    j[1] ^= 1;
    const other = vmAir(p, t.pages, j);
    const forged1 = await prove(other, t.traces, t.publics, { params, check: false, testHooks: { allowInvalidWitness: true } });
    const v1 = verify(other, forged1.bytes, t.publics, { params });
    expect(v1.ok).toBe(false);
    if (!v1.ok) expect(v1.error.kind).toBe("LogupSumNonZero");
    // 2. a COMMIT byte row whose byte is not the word's byte at the offset (byte-select fails on that row)
    const forgedTraces = t.traces.map((tb) => tb.map((c) => c.slice()));
    const cpu = forgedTraces[TABLE.cpu]!;
    const r = cpu[cpuCol("fByte")]!.findIndex((x) => x === 1);
    cpu[cpuCol("byte")]![r]! ^= 1;
    cpu[cpuCol("nb")]![r]! ^= 1;
    const forged2 = await prove(air, forgedTraces, t.publics, { params, check: false, testHooks: { allowInvalidWitness: true } });
    const v2 = verify(air, forged2.bytes, t.publics, { params });
    expect(v2.ok).toBe(false);
    if (!v2.ok) expect(["OodMismatch", "LogupSumNonZero"]).toContain(v2.error.kind);
    // 3. the product's low word + 1 (the MUL row's result constraint), exit code to match
    const t3 = t.traces.map((tb) => tb.map((c) => c.slice()));
    const cpu3 = t3[TABLE.cpu]!;
    const m = cpu3[cpuCol("fMul")]!.findIndex((x) => x === 1);
    cpu3[portCol("v0", 2)]![m]! += 1;
    const pub3 = [...t.publics];
    pub3[PUB.exit0]! += 1;
    const forged3 = await prove(air, t3, pub3, { params, check: false, testHooks: { allowInvalidWitness: true } });
    expect(verify(air, forged3.bytes, pub3, { params }).ok).toBe(false);
  }, 240_000);
});
