import { prove, type ProveOptions } from "../prover/stark.ts";
import type { StarkParams } from "../verifier/protocol.ts";
import { fibonacciAir, fibonacciTrace } from "../prover/examples/fibonacci.ts";

/** Small, fast parameters for tests that need many verifications (40 conjectured bits; tests lower the target). */
export const TEST_PARAMS: StarkParams = { logBlowup: 2, numQueries: 16, logFoldingArity: 1, powBits: 6, logFinalLen: 2, zk: true };
export const TEST_OPTS = { params: TEST_PARAMS, minSecurityBits: 30 } as const;

export async function fibProof(logN = 6, extra: ProveOptions = {}) {
  const { traces, publics } = fibonacciTrace(logN);
  const r = await prove(fibonacciAir, traces, publics, { ...TEST_OPTS, ...extra });
  return { ...r, publics, traces };
}
