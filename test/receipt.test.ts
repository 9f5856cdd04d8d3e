// Receipts end to end through the library API (vm/receipt): an honest run proves and verifies; every part of
// the statement and the image is bound (changing any of them is rejected with a typed error); dev receipts
// are refused unless allowed; traps and unprovable images produce no receipt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { sha256 } from "../verifier/sha256.ts";
import { asmProgram } from "../vm/executor/asm.ts";
import { isVmError } from "../vm/errors.ts";
import { computeImageId, imageIdBytes, imageIdFromParts, memoryMultiProof, type ImageId } from "../vm/image/image-id.ts";
import { decodeReceipt, encodeReceipt, proveReceipt, ReceiptError, verifyReceipt, type Receipt } from "../vm/receipt/index.ts";
import { RECEIPT_VERSION } from "../vm/receipt/format.ts";
import { verify } from "../vm/api.ts";
import { VM_AIR_VERSION } from "../vm/air/air.ts";
import { buildVmTrace, vmAir } from "../vm/air/index.ts";
import { DIGEST_LIMBS, digestLimbs, PUB } from "../vm/air/cpu/columns.ts";
import { prove as proveStark } from "../prover/stark.ts";
import { verify as verifyStark } from "../verifier/stark.ts";
import { FAST_PARAMS, sumProgram } from "./receipt-helpers.ts";

let honest: Uint8Array;
let id: ImageId;
const program = sumProgram(5, [7]);

beforeAll(async () => {
  const r = await proveReceipt(program, new Uint8Array(), { params: FAST_PARAMS });
  honest = r.receipt;
  id = r.imageId;
}, 120_000);

afterAll(async () => {
  await closeSharedPool();
});

/** Re-encodes the honest receipt with one change (the parse/encode pair is the identity otherwise). */
function tamper(f: (r: Receipt) => Receipt): Uint8Array {
  return encodeReceipt(f(decodeReceipt(honest)));
}

const kindOf = (b: Uint8Array, pin: string = id): string => {
  const r = verifyReceipt(b, pin);
  if (!r.valid) expect(r.error.kind, r.error.message).not.toBe("Internal"); // a rejection, never a crash
  if (process.env.SHOW_KINDS) console.log(r.valid ? "ACCEPTED" : `${r.error.kind}: ${r.error.message}`);
  return r.valid ? "ACCEPTED" : r.error.kind;
};

describe("receipt: honest run", () => {
  it("verifies and returns the statement", () => {
    const r = verifyReceipt(honest, id);
    expect(r).toMatchObject({ valid: true, imageId: id, exitCode: 15, cycles: 18, segments: 1, dev: false });
    if (r.valid) {
      expect(r.journal).toHaveLength(0);
      expect(r.securityBits).toBeGreaterThanOrEqual(100);
    }
    expect(encodeReceipt(decodeReceipt(honest))).toEqual(honest);
    // the API also takes the image itself
    expect(verify(honest, { program, wasm: new Uint8Array() }).valid).toBe(true);
  });
});

describe("receipt: statement and image binding", () => {
  it("another image ID, or not an image ID at all", () => {
    expect(kindOf(honest, computeImageId(sumProgram(6)))).toBe("ImageIdMismatch");
    expect(kindOf(honest, "xyz")).toBe("InvalidArgument");
    expect(verifyReceipt("not bytes" as unknown as Uint8Array, id)).toMatchObject({ valid: false, error: { kind: "InvalidArgument" } });
  });

  it("exit code and cycle count changed", () => {
    for (const d of [1, -1, 0x10000]) expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, exitCode: r.statement.exitCode + d } })))).not.toBe("ACCEPTED");
    for (const d of [1, -1]) expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, cycles: r.statement.cycles + d } })))).not.toBe("ACCEPTED");
    expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, cycles: 0 } })))).toBe("StatementMismatch");
    expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, cycles: 2 ** 27 } })))).toBe("StatementMismatch");
  });

  it("journal changed (digest kept, or digest updated too)", () => {
    const j = Uint8Array.of(1, 2, 3);
    expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, journal: j } })))).toBe("StatementMismatch");
    // a consistent statement with another journal: the proof's public journal tuples, length and digest differ
    const other = kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, journal: j, journalDigest: sha256(j) } })));
    expect(["OodMismatch", "LogupSumNonZero"]).toContain(other);
    expect(kindOf(tamper((r) => ({ ...r, statement: { ...r.statement, journalDigest: sha256(j) } })))).toBe("StatementMismatch");
  });

  it("code, globals or memory root changed under the same image ID", () => {
    const code = program.code.slice();
    code[2] = 6; // CONST r0, 6 instead of 5
    expect(kindOf(tamper((r) => ({ ...r, image: { ...r.image, code } })))).toBe("ImageIdMismatch");
    const config = decodeReceipt(honest).image.configBytes.slice();
    config[16] ^= 1; // the global's initial value
    expect(kindOf(tamper((r) => ({ ...r, image: { ...r.image, configBytes: config } })))).toBe("ImageIdMismatch");
    const mem = new Uint8Array(32).fill(9);
    expect(kindOf(tamper((r) => ({ ...r, image: { ...r.image, memoryRoot: mem } })))).toBe("ImageIdMismatch");
  });

  it("a proof of one program relabelled as a receipt of another (consistent image parts, ID pinned to it)", () => {
    const code = program.code.slice();
    code[2] = 6;
    const r0 = decodeReceipt(honest);
    const otherId = imageIdFromParts(code, r0.image.memoryRoot, r0.image.configBytes).imageId;
    // exit code and cycles of the other program's run (21 = 1+…+6, 21 cycles): only the proof is foreign
    const forged = encodeReceipt({ ...r0, image: { ...r0.image, code }, statement: { ...r0.statement, imageId: imageIdBytes(otherId), exitCode: 21, cycles: 21 } });
    expect(kindOf(forged, otherId)).not.toBe("ACCEPTED");
    expect(["OodMismatch", "PublicInputMismatch", "MerklePath", "FriFold", "LogupSumNonZero", "AirMismatch"]).toContain(kindOf(forged, otherId));
  });

  it("proofs of two different runs spliced (statement of one, proof of the other)", async () => {
    const other = await proveReceipt(sumProgram(6, [7]), new Uint8Array(), { params: FAST_PARAMS });
    const a = decodeReceipt(honest), b = decodeReceipt(other.receipt);
    expect(kindOf(encodeReceipt({ ...b, proof: a.proof! }), other.imageId)).not.toBe("ACCEPTED");
    expect(kindOf(encodeReceipt({ ...a, proof: b.proof! }))).not.toBe("ACCEPTED");
    expect(kindOf(other.receipt, other.imageId)).toBe("ACCEPTED");
  }, 60_000);

  it("weaker or malformed parameters", () => {
    expect(kindOf(tamper((r) => ({ ...r, params: { ...r.params!, numQueries: 20 } })))).toBe("InsecureParams");
    expect(kindOf(tamper((r) => ({ ...r, params: { ...r.params!, logBlowup: 0 } })))).toBe("InvalidParams");
    expect(kindOf(tamper((r) => ({ ...r, params: { ...r.params!, numQueries: 44 } })))).not.toBe("ACCEPTED");
    const b = honest.slice();
    const zkFlagAt = decodeReceipt(honest).proof!.length + 4 + 4; // from the end: proof, its length, the zk flag
    b[b.length - zkFlagAt] = 2;
    expect(kindOf(b)).toBe("Malformed");
  });

  it("unknown container or AIR version", () => {
    for (const v of [RECEIPT_VERSION - 1, RECEIPT_VERSION + 1]) {
      const b = honest.slice();
      b[8] = v; // receipt version (u32 LE after the 8-byte magic)
      expect(kindOf(b)).toBe("UnsupportedVersion");
    }
    for (const v of [VM_AIR_VERSION - 1, VM_AIR_VERSION + 1]) expect(kindOf(tamper((r) => ({ ...r, airVersion: v })))).toBe("UnsupportedVersion");
  });
});

describe("receipt: dev mode, traps, unprovable images", () => {
  it("a dev receipt is refused unless allowed, and never passes for a proof", async () => {
    const d = await proveReceipt(program, new Uint8Array(), { dev: true });
    expect(d.dev).toBe(true);
    expect(verifyReceipt(d.receipt, id)).toMatchObject({ valid: false, error: { kind: "DevReceipt" } });
    expect(verifyReceipt(d.receipt, id, { allowDev: true })).toMatchObject({ valid: true, dev: true, exitCode: 15, cycles: 18, securityBits: 0 });
    const flipped = d.receipt.slice();
    flipped[12] = 0; // kind dev → STARK: no params, no proof
    expect(verifyReceipt(flipped, id, { allowDev: true })).toMatchObject({ valid: false, error: { kind: "Malformed" } });
    // allowDev does not weaken the image check
    expect(verifyReceipt(d.receipt, computeImageId(sumProgram(6)), { allowDev: true })).toMatchObject({ valid: false, error: { kind: "ImageIdMismatch" } });
  });

  it("a trapping run gives its typed VmError and no receipt", async () => {
    const trap = asmProgram([["CONST", 0, 1], ["TRAP"]]);
    const e = await proveReceipt(trap, new Uint8Array(), { params: FAST_PARAMS }).catch((x: unknown) => x);
    expect(isVmError(e)).toBe(true);
    const loop = asmProgram([["JMP", 0]]);
    const c = await proveReceipt(loop, new Uint8Array(), { params: FAST_PARAMS, maxCycles: 1000 }).catch((x: unknown) => x);
    expect(isVmError(c) && c.kind).toBe("CycleLimit");
  });

  it("data segments: a run reading the image's data proves; a receipt claiming other initial memory is rejected", async () => {
    const code: Parameters<typeof asmProgram>[0] = [["CONST", 0, 8], ["LOAD32", 1, 0, 0], ["LOAD32", 2, 0, 8192], ["ADD", 1, 1, 2], ["EXIT", 1]];
    const withData = asmProgram(code, { initialPages: 1, maxPages: 1, segments: [{ addr: 8, bytes: Uint8Array.of(5, 0, 0, 0) }] });
    const honest = await proveReceipt(withData, new Uint8Array(), { params: FAST_PARAMS });
    expect(verifyReceipt(honest.receipt, honest.imageId)).toMatchObject({ valid: true, exitCode: 5 });
    const r = decodeReceipt(honest.receipt);
    expect(r.memory!.pages.map((p) => p.index)).toEqual([0, 2]); // page 2 (addr 8200) is a zero page
    const reject = (x: Receipt) => verifyReceipt(encodeReceipt(x), honest.imageId);
    // 1. the zero-memory run of the same code, relabelled with the data image's ID and opening its own
    //    (zero) pages: a valid proof, but its pages do not hash to the data image's memory root
    const zero = asmProgram(code, { initialPages: 1, maxPages: 1 });
    const t = buildVmTrace(zero);
    const publics = [...t.publics];
    publics.splice(PUB.imageId, DIGEST_LIMBS, ...digestLimbs(imageIdBytes(honest.imageId)));
    const zeroProof = await proveStark(vmAir(zero, t.pages), t.traces, publics, { params: FAST_PARAMS });
    const zeroStatement = { ...r.statement, exitCode: 0 };
    const relabelled = { ...r, statement: zeroStatement, memory: { pages: t.pages, siblings: memoryMultiProof([], [0, 2]) }, proof: zeroProof.bytes };
    expect(reject(relabelled)).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    expect(verifyStark(vmAir(zero, t.pages), zeroProof.bytes, publics, { params: FAST_PARAMS }).ok).toBe(true); // the rule is load-bearing
    // 2. the image's true pages opened, the zero run's trace proven against them (a cheating prover)
    const cheat = await proveStark(vmAir(withData, r.memory!.pages), t.traces, publics, { params: FAST_PARAMS, check: false, testHooks: { allowInvalidWitness: true } });
    expect(reject({ ...r, statement: zeroStatement, proof: cheat.bytes })).toMatchObject({ valid: false, error: { kind: "LogupSumNonZero" } });
    // 3. the honest proof with a page dropped, another page's bytes, a page outside memory, a wrong sibling
    const m = r.memory!;
    expect(reject({ ...r, memory: { pages: m.pages.slice(1), siblings: m.siblings } })).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    const other = m.pages.map((p, i) => (i === 0 ? { index: p.index, page: p.page.map((b, j) => (j === 8 ? 6 : b)) } : p));
    expect(reject({ ...r, memory: { pages: other, siblings: m.siblings } })).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    expect(reject({ ...r, memory: { pages: [...m.pages, { index: 16, page: new Uint8Array(4096) }], siblings: m.siblings } })).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    const sibs = m.siblings.map((x, i) => (i === 3 ? x.map((b) => b ^ 1) : x));
    expect(reject({ ...r, memory: { pages: m.pages, siblings: sibs } })).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    expect(reject({ ...r, memory: { pages: m.pages, siblings: m.siblings.slice(1) } })).toMatchObject({ valid: false, error: { kind: "MemoryMismatch" } });
    // 4. pages that do hash to the root but are not the ones the proof was made with (the AIR digest binds them)
    const fewer = { pages: [m.pages[0]!], siblings: memoryMultiProof(withData.segments, [0]) };
    expect(reject({ ...r, memory: fewer })).toMatchObject({ valid: false });
  }, 120_000);

  it("a run executing an instruction outside the AIR is refused, naming it and where", async () => {
    const p = asmProgram([["CONST", 0, 0], ["CONST", 1, 0], ["ADD64", 1, 0, 2], ["ADD64", 1, 0, 2], ["EXIT", 10]]);
    const e = await proveReceipt(p, new Uint8Array(), { params: FAST_PARAMS }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReceiptError);
    expect((e as ReceiptError).kind).toBe("UnprovableImage");
    expect((e as ReceiptError).message).toMatch(/pc 2: the run executes ADD64 \(i64 operands overlapping by one slot\)/);
    // the dev path still executes it
    const d = await proveReceipt(p, new Uint8Array(), { dev: true });
    expect(d.exitCode).toBe(0);
  });
});
