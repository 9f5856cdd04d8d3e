/**
 * Protocol pieces shared by prover and verifier: parameters, proof shape, transcript seeding, the OOD point,
 * DEEP coefficient layout. Both sides call exactly these functions so they cannot drift apart.
 */
import { VerifierError, ensure } from "./errors.ts";
import { encodeParams } from "./params.ts";
import { GENERATOR, inv, mul, pow, rootOfUnity, TWO_ADICITY } from "./field.ts";
import { eInv, eIsBase, ePow, eSub, eMul, extOf, eIsZero, type Ext } from "./ext.ts";
import { quotientShape, type QuotientShape, type SymbolicAir } from "./symbolic.ts";
import { LOGUP_NUM_CHALLENGES, multiplicityTotal, multiplicitiesCannotWrap } from "./logup.ts";
import { Transcript } from "./transcript.ts";
import { friShape, MAX_EXCESS_SHIFT, type FriShape } from "./fri.ts";

/**
 * 2: LogUp interactions batched in pairs per aux column (verifier/logup.ts); 3: one DEEP mask per proof; 4: zero
 * knowledge by t + Z_H·r (a hidden column has n + h coefficients, not 2n: half the LDE and quotient domains)
 */
export const PROTOCOL_VERSION = 4;
export const MIN_LOG_HEIGHT = 2;
export const MAX_LOG_HEIGHT = 24;

// Parameters, their validation and security figures live in verifier/params.ts (H3); re-exported here so the
// STARK layer has one import.
export { DEFAULT_PARAMS, SECURITY_TARGET_BITS as DEFAULT_SECURITY_TARGET, securityBits, encodeParams, validateParams as checkParams } from "./params.ts";
export type { StarkParams, SecurityFigures as SecurityBits } from "./params.ts";
import { securityBits, type StarkParams, type SecurityFigures as SecurityBits } from "./params.ts";

/** Everything about a proof's size that follows from AIR, params and heights. */
export interface ProofShape {
  readonly logHeights: readonly number[];
  /**
   * number of evaluations of each committed polynomial a proof may reveal (numQueries + 2 with zk, else 0): with zk
   * a table of height n commits polynomials of n + hiding coefficients (trace t + Z_H·r, quotient chunks with
   * x^n·r tails; docs/proof-system.md "Zero knowledge")
   */
  readonly hiding: number;
  /** FRI's degree bound: 2^logFriDegree + friExcess coefficients (the DEEP polynomial's; FriShape.degreeExcess) */
  readonly logFriDegree: number;
  readonly friExcess: number;
  readonly logLde: number;
  readonly fri: FriShape;
  readonly quotient: readonly QuotientShape[];
  /** committed widths per table, in base columns */
  readonly mainWidth: readonly number[];
  readonly auxWidth: readonly number[];
  readonly quotWidth: readonly number[];
  readonly security: SecurityBits;
}

/**
 * Checks heights (before any shift) and derives the proof shape; throws HeightOutOfRange, InsecureParams,
 * MultiplicityOverflow.
 */
export function proofShape(sym: SymbolicAir, p: StarkParams, logHeights: readonly number[], minSecurityBits: number): ProofShape {
  ensure(logHeights.length === sym.tables.length, "AirMismatch", `proof has ${logHeights.length} tables, AIR has ${sym.tables.length}`);
  logHeights.forEach((l, t) => {
    ensure(Number.isInteger(l) && l >= MIN_LOG_HEIGHT && l <= MAX_LOG_HEIGHT, "HeightOutOfRange", `table ${t}: log height ${l} not in [${MIN_LOG_HEIGHT}, ${MAX_LOG_HEIGHT}]`);
    for (const col of sym.tables[t]!.periodic) ensure(col.length <= 2 ** l, "HeightOutOfRange", `table ${t}: height below its periodic column length`);
  });
  const hiding = p.zk ? p.numQueries + 2 : 0;
  // The DEEP polynomial has at most maxN + hiding − 1 coefficients (its terms: trace polynomials of n + hiding
  // coefficients divided by linear factors). FRI's bound is the power of two 2^k ≥ maxN plus an excess of at most
  // 2^k/64 (FriShape): a 2^20-row proof keeps LDE 2^22 at blowup 4 and loses < 0.001 bit per query; a small one
  // whose hiding coefficients would be a larger share moves to the next power of two instead.
  const maxN = Math.max(...logHeights.map((l) => 2 ** l));
  const need = hiding > 0 ? maxN + hiding - 1 : maxN;
  let logFriDegree = Math.log2(maxN);
  while (need > 2 ** logFriDegree && (need - 2 ** logFriDegree) * 2 ** MAX_EXCESS_SHIFT > 2 ** logFriDegree) logFriDegree++;
  const friExcess = Math.max(0, need - 2 ** logFriDegree);
  const logLde = logFriDegree + p.logBlowup;
  ensure(logLde <= TWO_ADICITY && logLde <= MAX_LOG_HEIGHT + 6, "HeightOutOfRange", `LDE of 2^${logLde} exceeds the two-adic domain`);
  const fri = friShape(p, logFriDegree, friExcess); // InvalidParams if the final polynomial exceeds the degree bound
  const security = securityBits(p, logLde, friExcess);
  ensure(security.conjectured >= minSecurityBits, "InsecureParams", `parameters give ${security.conjectured} conjectured bits at LDE 2^${logLde}, below the target ${minSecurityBits}`);
  const total = multiplicityTotal(sym.tables.map((t) => [...t.interactions]), logHeights.map((l) => 2 ** l), sym.publicTupleCount);
  ensure(multiplicitiesCannotWrap(total), "MultiplicityOverflow", `bounded bus multiplicities total ${total} ≥ p: LogUp could wrap`);
  const quotient = sym.tables.map((t, i) => quotientShape(t, logHeights[i]!, hiding));
  quotient.forEach((q, i) => ensure(q.logQuotientDomain <= logLde, "HeightOutOfRange", `table ${i}: constraint degree too high for blowup 2^${p.logBlowup}`));
  return {
    logHeights: [...logHeights],
    hiding,
    logFriDegree,
    friExcess,
    logLde,
    fri,
    quotient,
    mainWidth: sym.tables.map((t) => t.width),
    auxWidth: sym.tables.map((t) => 4 * t.auxWidth),
    // the DEEP mask R (4 columns, zk only) is committed once, with the first table's quotient (protocol v3; it
    // enters f once, which is all the masking needs)
    quotWidth: quotient.map((q, i) => 4 * q.numChunks + (p.zk && i === 0 ? 4 : 0)),
    security,
  };
}

export function seedTranscript(t: Transcript, p: StarkParams, sym: SymbolicAir, logHeights: readonly number[], publics: readonly number[]): void {
  t.seed(PROTOCOL_VERSION, encodeParams(p), sym.digest, logHeights, publics);
}

/** True when ζ (or ζ·ω for any table) lies in a trace domain H_n or in the LDE coset g·H_N. */
export function oodPointInDomain(zeta: Ext, logHeights: readonly number[], logLde: number): boolean {
  if (!eIsBase(zeta)) return false;
  const z = zeta[0]!;
  if (z === 0) return true; // 0 is in no domain but makes x − ζ trivial; refuse it too
  for (const l of logHeights) if (pow(z, 2 ** l) === 1) return true;
  return pow(mul(z, inv(GENERATOR)), 2 ** logLde) === 1;
}

const MAX_OOD_DRAWS = 8;

/** Draws ζ, redrawing (identically on both sides) while it falls in a domain. */
export function drawOodPoint(t: Transcript, logHeights: readonly number[], logLde: number): Ext {
  for (let i = 0; i < MAX_OOD_DRAWS; i++) {
    const z = t.challengeExt("ood/zeta");
    if (!oodPointInDomain(z, logHeights, logLde)) return z;
  }
  throw new VerifierError("OodPointInDomain", `no out-of-domain point after ${MAX_OOD_DRAWS} draws`);
}

/** Values of the vanishing-related factors at ζ for a table of height 2^logN: 1/V for each domain. */
export function inverseVanishingAt(zeta: Ext, logN: number): { every: Ext; transition: Ext; first: Ext; last: Ext } {
  const n = 2 ** logN;
  const one = extOf(1);
  const zh = eSub(ePow(zeta, n), one);
  const wInv = inv(rootOfUnity(logN));
  const xmLast = eSub(zeta, extOf(wInv));
  const xm1 = eSub(zeta, one);
  for (const v of [zh, xmLast, xm1]) if (eIsZero(v)) throw new VerifierError("OodPointInDomain", "ζ is a root of a vanishing polynomial");
  const zi = eInv(zh);
  return { every: zi, transition: eMul(xmLast, zi), first: eInv(xm1), last: eInv(xmLast) };
}

/**
 * Joint proofs (docs/proof-system.md "Joint proofs"): N proofs sharing their LogUp challenges. Each part's
 * statement digest is its own transcript state after the seed (protocol version, params, AIR digest — which covers
 * the AIR's public interactions —, heights, public inputs) and its main root. The global transcript absorbs the
 * part count, then every part's statement digest in the caller's order; its state is the global seed, absorbed by
 * every part's transcript right after its main root ("joint/global"), and α, β are drawn from it.
 */
export const JOINT_TRANSCRIPT_LABEL = `zkvm-ts/stark/joint/v${PROTOCOL_VERSION}`;

export interface JointChallenges {
  /** 32-byte global digest (binds every part's statement and main root, in order) */
  readonly seed: Uint8Array;
  /** α, β (LOGUP_NUM_CHALLENGES of them) */
  readonly challenges: readonly Ext[];
}

/** The global seed and the shared LogUp challenges from the parts' statement digests (in order). */
export function jointChallenges(statementDigests: readonly Uint8Array[]): JointChallenges {
  const g = new Transcript(JOINT_TRANSCRIPT_LABEL);
  g.absorbUints("joint/parts", [statementDigests.length]);
  for (const d of statementDigests) g.absorbDigest("joint/part", d);
  const seed = g.digest;
  const challenges: Ext[] = [];
  for (let i = 0; i < LOGUP_NUM_CHALLENGES; i++) challenges.push(g.challengeExt("joint/logup"));
  return { seed, challenges };
}

/** The LogUp no-wrap total of one proof (as `proofShape` checks it); joint proofs check the sum over parts (R4). */
export function proofMultiplicityTotal(sym: SymbolicAir, logHeights: readonly number[]): number {
  return multiplicityTotal(sym.tables.map((t) => [...t.interactions]), logHeights.map((l) => 2 ** l), sym.publicTupleCount);
}
