/**
 * STARK / FRI parameters, their validation, and the security level they give.
 *
 * Security figures (bits), for an LDE domain of size 2^logLde:
 *
 *  conjectured = min( min(EXT_FIELD_BITS − logLde, numQueries·logBlowup + powBits) − 1, HASH_BITS )
 *    The usual "conservative conjecture" (ethSTARK §5.9, soundness.md): each query catches a far-from-code word
 *    except with probability ρ = 2^−logBlowup; the field term bounds the DEEP/ALI and folding-challenge errors;
 *    SHA-256 collisions (128 bits) cap everything. EXT_FIELD_BITS = 124 as in the issue and soundness.md (exactly
 *    log2(p⁴) = 123.6; the rounding costs < 0.4 bit and is the convention the targets were stated in).
 *
 *  proven (FRI in the list-decoding regime up to the Johnson bound; ethSTARK Thm 2 / BCIKS20 proximity gaps),
 *    with Johnson slack parameter m = 3, rate ρ, domain n = 2^logLde, |F| = p⁴:
 *      commit-phase error  ε_C = (m + 1/2)^7 / (3·ρ^{3/2}) · n² / |F|   (per folding step; we multiply by the
 *                                number of folding steps and by the arity, a union-bound overestimate)
 *      query-phase error   ε_Q = (√ρ · (1 + 1/(2m)))^numQueries · 2^−powBits
 *      proven = min(−log2(ε_C·steps·arity), −log2 ε_Q, HASH_BITS) − 1
 *    This is the FRI low-degree test alone; the DEEP-ALI layer adds error terms of order (constraint degree ·
 *    n)/|F| that are far smaller than ε_C here. With a degree-4 extension, ε_C dominates: the proven figure is ~60–70
 *    bits for LDE 2^20..2^22. That is the honest state of BabyBear⁴ without a larger extension.
 */
import { VerifierError } from "./errors.ts";
import { TWO_ADICITY } from "./field.ts";
import { MAX_POW_BITS } from "./pow.ts";

export interface StarkParams {
  /** log2 of the blowup factor 1/ρ (LDE size / degree bound), 1..6. */
  readonly logBlowup: number;
  /** FRI queries, 1..MAX_QUERIES. */
  readonly numQueries: number;
  /** log2 of the FRI folding arity, 1..4 (arity 2, 4, 8, 16). */
  readonly logFoldingArity: number;
  /** log2 of the number of coefficients of FRI's final polynomial (its degree is < 2^logFinalLen), 0..MAX_LOG_FINAL_LEN. */
  readonly logFinalLen: number;
  /** proof-of-work bits ground after the FRI commit phase, 0..MAX_POW_BITS. */
  readonly powBits: number;
  /** zero knowledge (salted leaves, randomised traces). */
  readonly zk: boolean;
}

export const EXT_FIELD_BITS = 124;
export const EXT_FIELD_BITS_EXACT = 4 * Math.log2(2013265921);
export const HASH_BITS = 128;
export const MAX_QUERIES = 256;
export const MAX_LOG_BLOWUP = 6;
export const MAX_LOG_ARITY = 4;
export const MAX_LOG_FINAL_LEN = 10;
/** The verifier's default security target (conjectured bits). */
export const SECURITY_TARGET_BITS = 100;
/** Johnson slack parameter of the proven bound. */
const JOHNSON_M = 3;

/**
 * Defaults: rate 1/4, 43 queries + 16 bits of grinding → 43·2 + 16 = 102, so conjectured = min(124 − logLde, 102) − 1
 * = 101 for an LDE up to 2^22 and 100 at 2^23 (the field term takes over above that). Folding arity 8: at 2^20
 * extension evaluations (bench/fri.ts, 43 queries) the FRI proof is 144 KB at arity 2, 77 KB at arity 4, 60 KB at
 * arity 8 and 60 KB at arity 16, with the fewest layers (Merkle hashing) to verify at 8–16. Final polynomial of 8
 * coefficients.
 */
export const DEFAULT_PARAMS: StarkParams = Object.freeze({
  logBlowup: 2,
  numQueries: 43,
  logFoldingArity: 3,
  logFinalLen: 3,
  powBits: 16,
  zk: true,
});

/**
 * Smaller proofs for a costlier prover: rate 1/8, 28 queries + 18 bits of grinding → 28·3 + 18 = 102, so
 * conjectured = min(124 − logLde, 102) − 1 = 101 for an LDE up to 2^22, 100 at 2^23, and 99 (refused by the
 * default target) from 2^24 on. Final polynomial of 32 coefficients: a VM proof's FRI degree bound is 2^17 (the
 * 2^16-row RANGE16 table with zk padding), and 17 − 5 = 12 halvings are exactly four arity-8 layers.
 * Measured on VM receipts (bench/verify-profile.ts, bench/prove.ts, bench/prove-phases.ts; docs/receipt.md):
 * ≈ 27 % smaller receipts (the query-dependent part — opened rows, Merkle paths, FRI openings — is ~90 % of a VM
 * proof and shrinks with the query count) and faster verification, for ≈ 1.7× the prover's CPU and 1.3–1.8× its
 * peak memory (the LDE doubles). The VM receipt prover uses it for runs up to an LDE of 2^20 (≤ 2^16 cycles;
 * vm/receipt/prove.ts `receiptParams`).
 */
export const COMPACT_PARAMS: StarkParams = Object.freeze({
  logBlowup: 3,
  numQueries: 28,
  logFoldingArity: 3,
  logFinalLen: 5,
  powBits: 18,
  zk: true,
});

function int(v: unknown, lo: number, hi: number, what: string): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi)
    throw new VerifierError("InvalidParams", `${what} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
}

/** Structural validation (soundness.md step 1). Throws InvalidParams. */
export function validateParams(p: StarkParams): void {
  if (p === null || typeof p !== "object") throw new VerifierError("InvalidParams", "parameters must be an object");
  int(p.logBlowup, 1, MAX_LOG_BLOWUP, "logBlowup");
  int(p.numQueries, 1, MAX_QUERIES, "numQueries");
  int(p.logFoldingArity, 1, MAX_LOG_ARITY, "logFoldingArity");
  int(p.logFinalLen, 0, MAX_LOG_FINAL_LEN, "logFinalLen");
  int(p.powBits, 0, MAX_POW_BITS, "powBits");
  if (typeof p.zk !== "boolean") throw new VerifierError("InvalidParams", "zk must be a boolean");
}

/**
 * Domain checks for a FRI degree bound 2^logDegree (the STARK's largest committed polynomial degree bound):
 * logDegree + logBlowup ≤ two-adicity (HeightOutOfRange), final polynomial no longer than the degree bound
 * (InvalidParams).
 */
export function validateDomain(p: StarkParams, logDegree: number): void {
  validateParams(p);
  if (!Number.isInteger(logDegree) || logDegree < 0 || logDegree + p.logBlowup > TWO_ADICITY)
    throw new VerifierError("HeightOutOfRange", `degree bound 2^${logDegree} with blowup 2^${p.logBlowup} exceeds the two-adic domain 2^${TWO_ADICITY}`);
  if (p.logFinalLen > logDegree)
    throw new VerifierError("InvalidParams", `final polynomial (2^${p.logFinalLen} coefficients) longer than the degree bound 2^${logDegree}`);
}

export interface SecurityFigures {
  readonly logLde: number;
  /** the field term EXT_FIELD_BITS − logLde */
  readonly fieldBits: number;
  /** numQueries·log2(1/rate) + powBits, rounded down (= numQueries·logBlowup + powBits without excess) */
  readonly queryBits: number;
  readonly conjectured: number;
  readonly proven: number;
  readonly provenCommitBits: number;
  readonly provenQueryBits: number;
}

/**
 * Security figures for these parameters at LDE size 2^logLde (floors, so never optimistic by rounding). The FRI
 * degree bound is 2^(logLde − logBlowup) + `excess` coefficients: a zero-knowledge proof's polynomials have a few
 * more coefficients than their trace height (docs/proof-system.md "Zero knowledge"), so the code's rate is a little
 * above 2^−logBlowup and each query is worth log2(N / (D + excess)) bits instead of logBlowup.
 */
export function securityBits(p: StarkParams, logLde: number, excess = 0): SecurityFigures {
  const fieldBits = EXT_FIELD_BITS - logLde;
  const D = 2 ** (logLde - p.logBlowup);
  const rateBits = p.logBlowup - Math.log2(1 + excess / D);
  const exactQueryBits = p.numQueries * rateBits + p.powBits;
  const queryBits = Math.floor(exactQueryBits);
  const conjectured = Math.floor(Math.min(Math.min(fieldBits, exactQueryBits) - 1, HASH_BITS));
  const rho = 2 ** -rateBits;
  const m = JOHNSON_M;
  const steps = Math.max(1, Math.ceil((logLde - p.logBlowup - p.logFinalLen) / p.logFoldingArity));
  const log2EpsC = 7 * Math.log2(m + 0.5) - Math.log2(3) - 1.5 * Math.log2(rho) + 2 * logLde - EXT_FIELD_BITS_EXACT + Math.log2(steps) + p.logFoldingArity;
  const provenCommitBits = -log2EpsC;
  const provenQueryBits = -p.numQueries * Math.log2(Math.sqrt(rho) * (1 + 1 / (2 * m))) + p.powBits;
  const proven = Math.floor(Math.min(provenCommitBits, provenQueryBits, HASH_BITS) - 1);
  return { logLde, fieldBits, queryBits, conjectured, proven, provenCommitBits, provenQueryBits };
}

/**
 * The verifier's gate (soundness.md step 1): structurally valid, domain fits, and conjectured bits ≥ target
 * (InsecureParams otherwise). Returns the figures.
 */
export function checkSecurity(p: StarkParams, logDegree: number, targetBits = SECURITY_TARGET_BITS, excess = 0): SecurityFigures {
  validateDomain(p, logDegree);
  const s = securityBits(p, logDegree + p.logBlowup, excess);
  if (s.conjectured < targetBits)
    throw new VerifierError("InsecureParams", `parameters give ${s.conjectured} conjectured bits at LDE 2^${s.logLde}, below the target ${targetBits}`);
  return s;
}

/** Canonical field-element encoding of the parameters, for the transcript seed (Transcript.seed). */
export function encodeParams(p: StarkParams): Uint32Array {
  return Uint32Array.of(p.logBlowup, p.numQueries, p.logFoldingArity, p.logFinalLen, p.powBits, p.zk ? 1 : 0);
}

/** A human-readable table of the security figures for LDE sizes 2^lo..2^hi. */
export function securityTable(p: StarkParams, lo = 16, hi = 24): string {
  const lines = [
    `params: blowup 2^${p.logBlowup}, ${p.numQueries} queries, arity 2^${p.logFoldingArity}, final poly 2^${p.logFinalLen}, pow ${p.powBits} bits, zk ${p.zk}`,
    "log2(LDE) | field term | query term | conjectured | proven (FRI, Johnson m=3: min of commit, query) | ok (≥ " + SECURITY_TARGET_BITS + ")",
  ];
  for (let l = lo; l <= hi; l++) {
    const s = securityBits(p, l);
    lines.push(
      `${String(l).padStart(9)} | ${String(s.fieldBits).padStart(10)} | ${String(s.queryBits).padStart(10)} | ${String(s.conjectured).padStart(11)} | ${String(s.proven).padStart(6)} (${Math.floor(s.provenCommitBits)}, ${Math.floor(s.provenQueryBits)})`.padEnd(52) + `| ${s.conjectured >= SECURITY_TARGET_BITS ? "yes" : "NO"}`,
    );
  }
  return lines.join("\n");
}
