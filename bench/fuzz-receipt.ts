/**
 * npm run fuzz:receipt [-- --flips 10000 --seed N --guest data|sum|io]
 * VM receipt mutation fuzzing (issue 6): random bit flips plus truncations and extensions of a real receipt
 * (zero-knowledge, default parameters); every mutant must be rejected with a typed error. Exits non-zero otherwise.
 * The default guest reads a data segment, so its receipt has a memory section (a data page, a zero page and
 * their multi-proof); `--guest sum` fuzzes a receipt without one.
 */
import { asmProgram } from "../vm/executor/asm.ts";
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
if (guest !== "data" && guest !== "sum" && guest !== "io") throw new Error(`--guest must be data, sum or io, got ${guest}`);
// io: reads private input and commits a journal (the journal's bytes and length are in the statement and the
// proof's public tuples)
const ioProgram = () => asmProgram([
  ["INPUTLEN", 0], ["CONST", 1, 16], ["READ", 1, 0], ["CONST", 2, 5], ["COMMIT", 1, 2], ["CONST", 3, 0x1234], ["SHLI", 4, 3, 3],
  ["STORE32", 1, 4, 8], ["CONST", 5, 4], ["ADDI", 6, 1, 8], ["COMMIT", 6, 5], ["EXIT", 2],
]);
const r = guest === "io"
  ? await proveReceipt(ioProgram(), Uint8Array.of(9, 8, 7, 6, 5, 4, 3))
  : await proveReceipt(guest === "data" ? dataProgram() : sumProgram(4), new Uint8Array());
await closeSharedPool();
const t0 = performance.now();
const s = mutationCampaign(r.receipt, (b) => {
  const v = verifyReceipt(b, r.imageId);
  return (v.valid ? { ok: true, securityBits: v.securityBits } : { ok: false, error: v.error }) as VerifyResult;
}, flips, seed);
console.log(`vm receipt, guest ${guest} (${r.receipt.length} bytes): ${s.total} mutants in ${((performance.now() - t0) / 1000).toFixed(0)} s, accepted ${s.accepted}, untyped ${s.untyped}, kinds ${JSON.stringify(s.byKind)}`);
console.log(`seed ${seed}`);
process.exit(s.accepted !== 0 || s.untyped !== 0 || (s.byKind["Internal"] ?? 0) !== 0 ? 1 : 0);
