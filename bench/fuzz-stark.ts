/**
 * npm run fuzz:stark [-- --flips 10000 --seed N]
 * Receipt mutation fuzzing: ≥ 10,000 random bit flips plus truncations and extensions of a proof; every mutant
 * must be rejected with a typed error kind. Exits non-zero otherwise.
 */
import { verify } from "../verifier/stark.ts";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { mulBusAir, mulBusTrace } from "../prover/examples/mul-bus.ts";
import { prove } from "../prover/stark.ts";
import { fibProof, TEST_OPTS } from "../test/stark-helpers.ts";
import { mutationCampaign } from "../test/mutation-campaign.ts";

const args = process.argv.slice(2);
const opt = (n: string, d: number) => { const i = args.indexOf(`--${n}`); return i >= 0 ? Number(args[i + 1]) : d; };
const flips = opt("flips", 10_000);
const seed = opt("seed", Date.now() % 2 ** 31);

let failed = false;
const report = (name: string, s: ReturnType<typeof mutationCampaign>) => {
  console.log(`${name}: ${s.total} mutants, accepted ${s.accepted}, untyped ${s.untyped}, kinds ${JSON.stringify(s.byKind)}`);
  if (s.accepted !== 0 || s.untyped !== 0 || (s.byKind["Internal"] ?? 0) !== 0) failed = true;
};
const fib = await fibProof(5);
report("fibonacci", mutationCampaign(fib.bytes, (b) => verify(fibonacciAir, b, fib.publics, TEST_OPTS), flips, seed));
const mb = mulBusTrace(5, 3);
const mp = await prove(mulBusAir, mb.traces, mb.publics, TEST_OPTS);
report("mul-bus (LogUp)", mutationCampaign(mp.bytes, (b) => verify(mulBusAir, b, mb.publics, TEST_OPTS), Math.ceil(flips / 4), seed + 1));
console.log(`seed ${seed}`);
process.exit(failed ? 1 : 0);
