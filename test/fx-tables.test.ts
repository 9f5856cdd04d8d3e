// The constants hard-coded in guest-sdk/zkvm-guest/fx.ts, recomputed here from first principles with
// 160-bit BigInt arithmetic (test/fx-bigmath.ts): a wrong digit in a table would otherwise only show
// up as a rare misrounding. Also checks the BigInt reference itself against float64.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as big from "./fx-bigmath.ts";

const SOURCE = readFileSync(new URL("../guest-sdk/zkvm-guest/fx.ts", import.meta.url), "utf8");

/** The integer values of `const NAME: <type> = <literal>;` in fx.ts. */
function constant(name: string): bigint {
  const m = new RegExp(`const ${name}: \\w+ = (-?(?:0x[0-9A-Fa-f]+|\\d+));`).exec(SOURCE);
  if (!m) throw new Error(`constant ${name} not found in fx.ts`);
  return BigInt(m[1]!);
}

/** The entries of `const NAME: StaticArray<u64> = [ ... ];` in fx.ts. */
function table(name: string): bigint[] {
  const m = new RegExp(`const ${name}: StaticArray<u64> = \\[([^\\]]*)\\]`).exec(SOURCE);
  if (!m) throw new Error(`table ${name} not found in fx.ts`);
  return m[1]!.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) => BigInt(s));
}

const { ONE, FRAC } = big;
const div = (a: bigint, b: bigint) => (a << FRAC) / b;

describe("fx.ts constants", () => {
  it("BigInt reference agrees with float64", () => {
    for (const x of [-11.5, -3.25, -0.001, 0, 0.5, 1, 7.75, 10.39]) {
      const v = BigInt(Math.round(x * 65536));
      expect(Number(big.expBig(v << (FRAC - 16n))) / 2 ** 160).toBeCloseTo(Math.exp(Number(v) / 65536), 12);
    }
    for (const x of [1e-4, 0.3, 1, 2, 1000, 32767]) {
      const v = BigInt(Math.round(x * 65536));
      expect(Number(big.lnBig(v << (FRAC - 16n))) / 2 ** 160).toBeCloseTo(Math.log(Number(v) / 65536), 12);
    }
  });

  it("log2(e) two-word constant, ln 2, 1/n!, 1/n", () => {
    const log2e = div(ONE, big.LN2);
    const h = constant("LOG2E_H");
    expect(h).toBe((log2e << 42n) >> FRAC);
    expect(constant("LOG2E_L")).toBe(big.scaled((log2e << 42n) - (h << FRAC), 32n));
    expect(constant("LN2_Q64")).toBe(big.scaled(big.LN2, 64n));
    expect(constant("LN2_Q58")).toBe(big.scaled(big.LN2, 58n));
    let fact = 1n;
    for (let n = 2n; n <= 7n; n++) {
      fact *= n;
      expect(constant(`INV_FACT${n}`), `1/${n}!`).toBe(big.scaled(ONE / fact, 64n));
    }
    for (let n = 2n; n <= 8n; n++) expect(constant(`INV${n}`), `1/${n}`).toBe(big.scaled(ONE / n, 64n));
  });

  it("2^(j/64), 1/(1 + j/128) and ln(1 + j/128) tables", () => {
    const exp2 = table("EXP2_TABLE");
    expect(exp2).toHaveLength(64);
    exp2.forEach((v, j) => expect(v, `2^(${j}/64)`).toBe(big.scaled(big.expBig((BigInt(j) * big.LN2) / 64n), 62n)));
    const recip = table("RECIP_TABLE");
    const lnt = table("LN_TABLE");
    expect(recip).toHaveLength(128);
    expect(lnt).toHaveLength(128);
    for (let j = 1n; j < 128n; j++) {
      const m = ONE + (ONE * j) / 128n;
      expect(recip[Number(j)], `1/(1+${j}/128)`).toBe(big.scaled(div(ONE, m), 64n));
      expect(lnt[Number(j)], `ln(1+${j}/128)`).toBe(big.scaled(big.lnBig(m), 64n));
    }
    expect(lnt[0]).toBe(0n);
  });

  it("exp range limits are the exact boundaries", () => {
    const max = constant("EXP_MAX");
    const min = constant("EXP_MIN");
    const expRaw = (x: bigint) => big.toRawRounded(big.expBig(x << (FRAC - 16n)));
    expect(expRaw(max)).toBeLessThanOrEqual(2n ** 31n - 1n);
    expect(expRaw(max + 1n)).toBeGreaterThan(2n ** 31n - 1n);
    expect(expRaw(min)).toBe(1n);
    expect(expRaw(min - 1n)).toBe(0n);
  });
});
