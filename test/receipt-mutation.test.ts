/**
 * Receipt mutation: random bit flips, truncations and extensions of a valid proof are all rejected, each with a
 * typed error kind (never an exception, never "ok").
 */
import { describe, expect, it } from "vitest";
import { verify } from "../verifier/stark.ts";
import { VERIFIER_ERROR_KINDS } from "../verifier/errors.ts";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { fibProof, TEST_OPTS } from "./stark-helpers.ts";
import { mutationCampaign } from "./mutation-campaign.ts";

describe("receipt mutation", () => {
  it("1,000 bit flips + truncations + extensions: 100% rejected with typed errors", async () => {
    const { bytes, publics } = await fibProof(5);
    expect(verify(fibonacciAir, bytes, publics, TEST_OPTS).ok).toBe(true);
    const stats = mutationCampaign(bytes, (b) => verify(fibonacciAir, b, publics, TEST_OPTS), 1000, 0x5eed);
    expect(stats.accepted).toBe(0);
    expect(stats.untyped).toBe(0);
    expect(stats.total).toBeGreaterThanOrEqual(1000 + 100);
    for (const k of Object.keys(stats.byKind)) expect(VERIFIER_ERROR_KINDS).toContain(k);
    expect(stats.byKind["Internal"] ?? 0).toBe(0);
  });
});
