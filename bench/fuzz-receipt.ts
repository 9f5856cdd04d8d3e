/**
 * npm run fuzz:receipt [-- --flips 10000 --seed N --guest data|sum]
 * VM receipt mutation fuzzing (issue 6): random bit flips plus truncations and extensions of a real receipt
 * (zero-knowledge, default parameters); every mutant must be rejected with a typed error. Exits non-zero otherwise.
 * The default guest reads a data segment, so its receipt has a memory section (a data page, a zero page and
 * their multi-proof); `--guest sum` fuzzes a receipt without one.
 */
import { closeSharedPool } from "../prover/workers/pool.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import type { VerifyResult } from "../verifier/stark.ts";
import { mutationCampaign } from "../test/mutation-campaign.ts";
import { dataProgram, sumProgram } from "../test/receipt-helpers.ts";

const args = process.argv.slice(2);
const opt = (n: string, d: number) => { const i = args.indexOf(`--${n}`); return i >= 0 ? Number(args[i + 1]) : d; };
const flips = opt("flips", 10_000);
const seed = opt("seed", Date.now() % 2 ** 31);

const gi = args.indexOf("--guest");
const guest = gi >= 0 ? args[gi + 1] : "data";
if (guest !== "data" && guest !== "sum") throw new Error(`--guest must be data or sum, got ${guest}`);
const r = await proveReceipt(guest === "data" ? dataProgram() : sumProgram(4), new Uint8Array());
await closeSharedPool();
const t0 = performance.now();
const s = mutationCampaign(r.receipt, (b) => {
  const v = verifyReceipt(b, r.imageId);
  return (v.valid ? { ok: true, securityBits: v.securityBits } : { ok: false, error: v.error }) as VerifyResult;
}, flips, seed);
console.log(`vm receipt, guest ${guest} (${r.receipt.length} bytes): ${s.total} mutants in ${((performance.now() - t0) / 1000).toFixed(0)} s, accepted ${s.accepted}, untyped ${s.untyped}, kinds ${JSON.stringify(s.byKind)}`);
console.log(`seed ${seed}`);
process.exit(s.accepted !== 0 || s.untyped !== 0 || (s.byKind["Internal"] ?? 0) !== 0 ? 1 : 0);
