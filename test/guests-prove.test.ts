// The example guests under VM AIR v4, built with the real toolchain: `input` (READ, INPUTLEN, byte loads/stores,
// MEMFILL, a journal) and `sha256` (bitwise, shifts, MEMCOPY, i64) are proven and verified with zero knowledge;
// the honest traces of all six example guests satisfy the AIR (a run that executed an instruction outside it
// would be refused naming it: test/receipt.test.ts, test/cli-prove.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, execute, prove, verify, type Image } from "../vm/api.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";
import { checkConstraints } from "../prover/air-check.ts";

const EX = join(import.meta.dirname, "../guests/examples");
const images: Record<string, Image> = {};
const u32 = (v: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const INPUTS: Record<string, Uint8Array> = {
  fib: u32(50),
  input: Uint8Array.of(5, 0, 0, 0, 10, 20, 30, 40, 50, 99, 98),
  "data-blob": new Uint8Array(0),
  sort: Uint8Array.of(3, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0),
  sha256: Uint8Array.of(1, 2, 3),
  "i64-math": new Uint8Array(0),
};

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "zkvm-gprove-"));
  writeFileSync(join(dir, "blob.bin"), new Uint8Array(777).map((_, i) => (i * 131 + 7) & 0xff));
  for (const name of Object.keys(INPUTS)) {
    const data = name === "data-blob" ? [{ name: "blob", file: join(dir, "blob.bin") }] : [];
    images[name] = (await build(join(EX, `${name}.ts`), { data })).image;
  }
}, 240_000);

describe("example guests under VM AIR v4", () => {
  it("fib, input, data-blob, sort (CALLI) and sha256 (MEMCOPY): honest traces satisfy the AIR, journals equal the executor's", () => {
    for (const name of ["fib", "input", "data-blob", "sort", "sha256"]) {
      const p = images[name]!.program;
      const t = buildVmTrace(p, INPUTS[name]);
      const run = execute(images[name]!, INPUTS[name], { log: () => {} });
      expect(Buffer.from(t.journal).toString("hex"), name).toBe(Buffer.from(run.journal).toString("hex"));
      expect(checkConstraints(vmAir(p, t.pages, t.journal), t.traces, t.publics), name).toEqual({ ok: true });
    }
  });

  it("input proves with zero knowledge and verifies; the journal is the guest's (bytes reversed, unread count)", async () => {
    const r = await prove(images.input!.program, INPUTS.input);
    expect([...r.journal]).toEqual([5, 0, 0, 0, 50, 40, 30, 20, 10, 2, 0, 0, 0]);
    const v = verify(r.receipt, r.imageId);
    expect(v).toMatchObject({ valid: true, exitCode: 0, cycles: r.cycles });
    expect([...(v as { journal: Uint8Array }).journal]).toEqual([...r.journal]);
  });

  it("sha256 proves and verifies: the journal is SHA-256 of the private input (node:crypto)", async () => {
    const msg = new Uint8Array(100).map((_, i) => (i * 29 + 3) & 0xff);
    const r = await prove(images.sha256!.program, msg);
    expect(Buffer.from(r.journal).toString("hex")).toBe(createHash("sha256").update(msg).digest("hex"));
    const v = verify(r.receipt, r.imageId);
    expect(v).toMatchObject({ valid: true, exitCode: 0, cycles: r.cycles });
  });

  it("sort of 50 values (DIVU64 in the standard library's sort) and i64-math (64-bit division, shifts, counts) satisfy the AIR", () => {
    const u32s = (...v: number[]) => { const b = new Uint8Array(4 * v.length); const d = new DataView(b.buffer); v.forEach((x, i) => d.setUint32(4 * i, x, true)); return b; };
    const seedRounds = new Uint8Array(12);
    new DataView(seedRounds.buffer).setBigUint64(0, 12345678901234n, true);
    new DataView(seedRounds.buffer).setUint32(8, 3, true);
    const sortInput = u32s(50, ...Array.from({ length: 50 }, (_, i) => (i * 2654435761) >>> 0));
    const t = buildVmTrace(images.sort!.program, sortInput);
    expect(checkConstraints(vmAir(images.sort!.program, t.pages, t.journal), t.traces, t.publics)).toEqual({ ok: true });
    const m = buildVmTrace(images["i64-math"]!.program, seedRounds);
    const run = execute(images["i64-math"]!, seedRounds, { log: () => {} });
    expect(Buffer.from(m.journal).toString("hex")).toBe(Buffer.from(run.journal).toString("hex"));
    expect(checkConstraints(vmAir(images["i64-math"]!.program, m.pages, m.journal), m.traces, m.publics)).toEqual({ ok: true });
  });
});
