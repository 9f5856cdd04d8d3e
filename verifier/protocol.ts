/**
 * Protocol pieces shared by prover and verifier: parameters, proof shape, transcript seeding, the OOD point,
 * DEEP coefficient layout. Both sides call exactly these functions so they cannot drift apart.
 */
import { VerifierError, ensure } from "./errors.ts";
import { GENERATOR, P, inv, mul, pow, rootOfUnity, TWO_ADICITY } from "./field.ts";
import { eIsBase, ePow, eSub, eMul, extOf, eIsZero, type Ext } from "./ext.ts";
import { quotientShape, type QuotientShape, type SymbolicAir } from "./symbolic.ts";
import { multiplicityTotal, multiplicitiesCannotWrap } from "./logup.ts";
import type { Transcript } from "./backend.ts";

export const PROTOCOL_VERSION = 1;
export const MIN_LOG_HEIGHT = 2;
export const MAX_LOG_HEIGHT = 24;
/** Collision resistance of SHA-256 caps the security level. */
const HASH_BITS = 128;
/** log2 |F_p^4| ≈ 4·30.9 = 123.6 → 123 (floor). */
const EXT_FIELD_BITS = 123;

export interface StarkParams {
  /** log2 of the blowup factor (LDE size / FRI degree bound). */
  readonly logBlowup: number;
  readonly numQueries: number;
  /** proof-of-work bits before the query phase. */
  readonly powBits: number;
  /** log2 of the number of coefficients of FRI's final polynomial. */
  readonly logFinalLen: number;
  /** zero knowledge: hiding trace randomisation, salted leaves, masked quotient and DEEP input. */
  readonly zk: boolean;
}

export const DEFAULT_PARAMS: StarkParams = { logBlowup: 2, numQueries: 84, powBits: 16, logFinalLen: 3, zk: true };
export const DEFAULT_SECURITY_TARGET = 100;

/** Structural parameter check (before anything else). */
export function checkParams(p: StarkParams): void {
  const int = (v: unknown, lo: number, hi: number, what: string) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) throw new VerifierError("InvalidParams", `${what} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  };
  int(p.logBlowup, 1, 6, "logBlowup");
  int(p.numQueries, 1, 512, "numQueries");
  int(p.powBits, 0, 30, "powBits");
  int(p.logFinalLen, 0, 10, "logFinalLen");
  if (typeof p.zk !== "boolean") throw new VerifierError("InvalidParams", "zk must be a boolean");
}

export interface SecurityBits {
  /** conservative conjectured bits: min(ext bits − log2 LDE, queries·logBlowup + pow) − 1, capped by hashes */
  readonly conjectured: number;
  /** a proven-style figure (unique-decoding regime: queries·log2(2/(1+ρ)) + pow, and field term) */
  readonly proven: number;
}

export function securityBits(p: StarkParams, logLde: number): SecurityBits {
  const fri = p.numQueries * p.logBlowup + p.powBits;
  const conjectured = Math.min(EXT_FIELD_BITS - logLde, fri, HASH_BITS) - 1;
  const rho = 2 ** -p.logBlowup;
  const perQuery = -Math.log2((1 + rho) / 2);
  const proven = Math.floor(Math.min(EXT_FIELD_BITS - logLde - 1, p.numQueries * perQuery + p.powBits, HASH_BITS));
  return { conjectured, proven };
}

export function encodeParams(p: StarkParams): Uint32Array {
  return Uint32Array.of(PROTOCOL_VERSION, p.logBlowup, p.numQueries, p.powBits, p.logFinalLen, p.zk ? 1 : 0);
}

/** Everything about a proof's size that follows from AIR, params and heights. */
export interface ProofShape {
  readonly logHeights: readonly number[];
  /** random coefficients added to each trace polynomial (0 without zk) */
  readonly hiding: number;
  readonly logFriDegree: number;
  readonly logLde: number;
  readonly numFriLayers: number;
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
  const maxLog = Math.max(...logHeights);
  let logFriDegree = maxLog;
  while (2 ** logFriDegree < 2 ** maxLog + hiding) logFriDegree++;
  const logLde = logFriDegree + p.logBlowup;
  ensure(logLde <= TWO_ADICITY && logLde <= MAX_LOG_HEIGHT + 6, "HeightOutOfRange", `LDE of 2^${logLde} exceeds the two-adic domain`);
  ensure(p.logFinalLen <= logFriDegree, "InvalidParams", `final polynomial (2^${p.logFinalLen}) longer than the degree bound 2^${logFriDegree}`);
  const security = securityBits(p, logLde);
  ensure(security.conjectured >= minSecurityBits, "InsecureParams", `parameters give ${security.conjectured} conjectured bits at LDE 2^${logLde}, below the target ${minSecurityBits}`);
  const total = multiplicityTotal(sym.tables.map((t) => [...t.interactions]), logHeights.map((l) => 2 ** l));
  ensure(multiplicitiesCannotWrap(total), "MultiplicityOverflow", `bounded bus multiplicities total ${total} ≥ p: LogUp could wrap`);
  const quotient = sym.tables.map((t, i) => quotientShape(t, logHeights[i]!, hiding));
  quotient.forEach((q, i) => ensure(q.logQuotientDomain <= logLde, "HeightOutOfRange", `table ${i}: constraint degree too high for blowup 2^${p.logBlowup}`));
  return {
    logHeights: [...logHeights],
    hiding,
    logFriDegree,
    logLde,
    numFriLayers: Math.max(0, logFriDegree - p.logFinalLen),
    quotient,
    mainWidth: sym.tables.map((t) => t.width),
    auxWidth: sym.tables.map((t) => 4 * t.auxWidth),
    quotWidth: quotient.map((q) => 4 * q.numChunks + (p.zk ? 4 : 0)),
    security,
  };
}

export function seedTranscript(t: Transcript, p: StarkParams, sym: SymbolicAir, logHeights: readonly number[], publics: readonly number[]): void {
  t.absorbFields("params", encodeParams(p));
  t.absorbBytes("air", sym.digest);
  t.absorbFields("heights", Uint32Array.from([logHeights.length, ...logHeights]));
  t.absorbFields("publics", Uint32Array.from([publics.length, ...publics]));
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
  const zi = invExt(zh);
  return { every: zi, transition: eMul(xmLast, zi), first: invExt(xm1), last: invExt(xmLast) };
}

import { eInv } from "./ext.ts";
function invExt(a: Ext): Ext {
  return eInv(a);
}
void P;
