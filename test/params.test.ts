import { describe, expect, it } from "vitest";
import {
  DEFAULT_PARAMS, SECURITY_TARGET_BITS, validateParams, validateDomain, securityBits, checkSecurity, encodeParams,
  securityTable, EXT_FIELD_BITS, type StarkParams,
} from "../verifier/params.ts";
import { isVerifierError } from "../verifier/errors.ts";

function kindOf(fn: () => unknown): string {
  try { fn(); } catch (e) { return isVerifierError(e) ? e.kind : `untyped ${String(e)}`; }
  return "ok";
}
const P = (over: Partial<Record<keyof StarkParams, unknown>>): StarkParams => ({ ...DEFAULT_PARAMS, ...over }) as StarkParams;

describe("STARK parameters", () => {
  it("rejects malformed parameters with InvalidParams", () => {
    const bad: Partial<Record<keyof StarkParams, unknown>>[] = [
      { numQueries: 0 }, { numQueries: -3 }, { numQueries: 257 }, { numQueries: 2.5 },
      { logBlowup: 0 }, { logBlowup: 7 },
      { logFoldingArity: 0 }, { logFoldingArity: 5 }, { logFoldingArity: 1.5 },
      { logFinalLen: -1 }, { logFinalLen: 11 },
      { powBits: -1 }, { powBits: 49 }, { powBits: 64 }, { powBits: Number.NaN },
      { zk: 1 }, { numQueries: "40" },
    ];
    for (const b of bad) expect(kindOf(() => validateParams(P(b))), JSON.stringify(b)).toBe("InvalidParams");
    expect(kindOf(() => validateParams(null as unknown as StarkParams))).toBe("InvalidParams");
    expect(kindOf(() => validateParams(DEFAULT_PARAMS))).toBe("ok");
  });

  it("checks the domain: two-adicity and final polynomial length", () => {
    expect(kindOf(() => validateDomain(DEFAULT_PARAMS, 25))).toBe("ok"); // 25 + 2 = 27
    expect(kindOf(() => validateDomain(DEFAULT_PARAMS, 26))).toBe("HeightOutOfRange");
    expect(kindOf(() => validateDomain(P({ logBlowup: 6 }), 22))).toBe("HeightOutOfRange");
    expect(kindOf(() => validateDomain(DEFAULT_PARAMS, -1))).toBe("HeightOutOfRange");
    expect(kindOf(() => validateDomain(P({ logFinalLen: 5 }), 4))).toBe("InvalidParams");
    expect(kindOf(() => validateDomain(P({ logFinalLen: 4 }), 4))).toBe("ok");
  });

  it("conjectured bits follow min(124 − log LDE, q·log ρ⁻¹ + pow) − 1, capped by the hash", () => {
    const s = securityBits(DEFAULT_PARAMS, 20);
    expect(s.conjectured).toBe(Math.min(EXT_FIELD_BITS - 20, 43 * 2 + 16) - 1);
    expect(securityBits(DEFAULT_PARAMS, 24).conjectured).toBe(EXT_FIELD_BITS - 24 - 1);
    // with many queries the field term binds (the 128-bit hash cap cannot bind with a 124-bit field)
    expect(securityBits(P({ numQueries: 200, logBlowup: 4, powBits: 30 }), 1).conjectured).toBe(EXT_FIELD_BITS - 1 - 1);
    expect(securityBits(P({ numQueries: 10, powBits: 0 }), 20).conjectured).toBe(19);
    // a degree excess e (zk: 2^k + e coefficients) lowers the rate bits to log2(N/(2^k + e)), floored: 2^20 rows with
    // 44 extra coefficients keep 101.997 query bits → 100 conjectured; an excess of 2^k/64 costs 43·0.022 bits
    expect(securityBits(DEFAULT_PARAMS, 22, 44).conjectured).toBe(100);
    expect(securityBits(DEFAULT_PARAMS, 22, 44).queryBits).toBe(101);
    expect(securityBits(DEFAULT_PARAMS, 22, 0).conjectured).toBe(101);
    expect(securityBits(DEFAULT_PARAMS, 14, 2 ** 12 / 64).conjectured).toBe(Math.floor(43 * (2 - Math.log2(1 + 1 / 64)) + 16 - 1));
    expect(securityBits(DEFAULT_PARAMS, 14, 2 ** 12 / 64).proven).toBeLessThan(securityBits(DEFAULT_PARAMS, 14).proven + 1);
    // proven is smaller than conjectured, and more queries never lower it
    for (let l = 10; l <= 25; l++) {
      const a = securityBits(DEFAULT_PARAMS, l);
      expect(a.proven).toBeLessThan(a.conjectured);
      expect(securityBits(P({ numQueries: 80 }), l).proven).toBeGreaterThanOrEqual(a.proven);
    }
  });

  it("defaults reach the 100-bit target for LDE up to 2^23 and the verifier refuses weaker parameters", () => {
    for (let logDegree = 4; logDegree <= 21; logDegree++) {
      const s = checkSecurity(DEFAULT_PARAMS, logDegree);
      expect(s.conjectured).toBeGreaterThanOrEqual(SECURITY_TARGET_BITS);
    }
    expect(kindOf(() => checkSecurity(DEFAULT_PARAMS, 22))).toBe("InsecureParams"); // LDE 2^24: field term 99
    expect(kindOf(() => checkSecurity(P({ numQueries: 40 }), 16))).toBe("InsecureParams");
    expect(kindOf(() => checkSecurity(P({ powBits: 12 }), 16))).toBe("InsecureParams");
    expect(kindOf(() => checkSecurity(P({ numQueries: 0 }), 16))).toBe("InvalidParams");
    expect(kindOf(() => checkSecurity(P({ numQueries: 40 }), 16, 80))).toBe("ok");
  });

  it("encodes every field for the transcript and prints a table", () => {
    expect([...encodeParams(DEFAULT_PARAMS)]).toEqual([2, 43, 3, 3, 16, 1]);
    const variants = [P({}), P({ zk: false }), P({ powBits: 17 }), P({ logFinalLen: 2 }), P({ logFoldingArity: 2 }), P({ numQueries: 44 }), P({ logBlowup: 3 })];
    expect(new Set(variants.map((v) => encodeParams(v).join(","))).size).toBe(variants.length);
    const table = securityTable(DEFAULT_PARAMS, 20, 24);
    expect(table.split("\n").length).toBe(2 + 5);
    expect(table).toContain("NO"); // 2^24 is below target
  });
});
