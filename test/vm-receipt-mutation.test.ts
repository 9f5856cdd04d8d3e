// Receipt bit flips (issue 6 acceptance): ≥ 1,000 random single-bit flips of a real VM receipt, plus
// truncations and extensions, and every bit of the part before the proof (header, statement, image): all
// rejected, each with a typed error — never accepted, never an exception. `npm run fuzz:receipt` runs 10,000.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { decodeReceipt, proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import type { VerifyResult } from "../verifier/stark.ts";
import { mutationCampaign } from "./mutation-campaign.ts";
import { dataProgram, FAST_PARAMS, sumProgram } from "./receipt-helpers.ts";

let receipt: Uint8Array;
let id: string;

beforeAll(async () => {
  const r = await proveReceipt(sumProgram(3), new Uint8Array(), { params: FAST_PARAMS });
  receipt = r.receipt;
  id = r.imageId;
}, 120_000);

afterAll(async () => {
  await closeSharedPool();
});

const check = (b: Uint8Array): VerifyResult => {
  const r = verifyReceipt(b, id);
  return (r.valid ? { ok: true, securityBits: r.securityBits } : { ok: false, error: r.error }) as VerifyResult;
};

describe("VM receipt mutation", () => {
  it("the honest receipt verifies", () => {
    expect(check(receipt).ok).toBe(true);
  });

  it("1,000 random bit flips + 200 truncations/extensions: 100 % rejected, all typed", () => {
    const s = mutationCampaign(receipt, check, 1000, 0x5eed);
    expect(s.total).toBe(1200);
    expect(s.accepted).toBe(0);
    expect(s.untyped).toBe(0);
    expect(s.byKind.Internal ?? 0).toBe(0);
  }, 300_000);

  it("every bit of the header, statement and image parts", () => {
    const proofLen = decodeReceipt(receipt).proof!.length;
    const prefix = receipt.length - proofLen - 4 - 8 - 24; // up to the params (memory section: two zero counts)
    let accepted = 0;
    const kinds = new Set<string>();
    for (let bit = 0; bit < 8 * prefix; bit++) {
      const b = receipt.slice();
      b[bit >>> 3]! ^= 1 << (bit & 7);
      const r = check(b);
      if (r.ok) accepted++;
      else kinds.add(r.error.kind);
    }
    expect(accepted).toBe(0);
    expect(kinds.has("Internal")).toBe(false);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["ImageIdMismatch", "Malformed", "StatementMismatch", "UnsupportedVersion"]));
  }, 300_000);
});

describe("VM receipt mutation: the memory section of a receipt with data pages", () => {
  let data: Uint8Array;
  let dataId: string;
  beforeAll(async () => {
    const r = await proveReceipt(dataProgram(), new Uint8Array(), { params: FAST_PARAMS });
    data = r.receipt;
    dataId = r.imageId;
  }, 120_000);

  it("every bit of the opened pages and their siblings: rejected, typed (mostly MemoryMismatch)", () => {
    const r = decodeReceipt(data);
    expect(verifyReceipt(data, dataId).valid).toBe(true);
    expect(r.memory!.pages.map((p) => p.page.some((b) => b !== 0))).toEqual([true, false]); // one data page, one zero page
    const proofLen = r.proof!.length;
    const end = data.length - proofLen - 4; // the proof length field follows the memory section
    const start = end - (4 + r.memory!.pages.reduce((n, p) => n + 5 + (p.page.some((b) => b !== 0) ? 4096 : 0), 0) + 4 + 32 * r.memory!.siblings.length);
    let accepted = 0;
    const kinds = new Map<string, number>();
    for (let bit = 8 * start; bit < 8 * end; bit++) {
      const b = data.slice();
      b[bit >>> 3]! ^= 1 << (bit & 7);
      const v = verifyReceipt(b, dataId);
      if (v.valid) accepted++;
      else kinds.set(v.error.kind, (kinds.get(v.error.kind) ?? 0) + 1);
    }
    expect(accepted).toBe(0);
    expect(kinds.has("Internal")).toBe(false);
    expect(kinds.get("MemoryMismatch")!).toBeGreaterThan(0.9 * 8 * (end - start));
    expect([...kinds.keys()]).toEqual(expect.arrayContaining(["MemoryMismatch", "Malformed"]));
  }, 300_000);
});
