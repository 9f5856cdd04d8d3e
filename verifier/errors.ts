/**
 * The single list of verifier error kinds. Every way a proof (or its parameters) can be rejected maps to exactly
 * one kind here; FRI, parameters, Merkle and transcript code throw `VerifierError` with one of these kinds, and
 * `verify` turns every throw into `{ ok: false, error: { kind, message } }`.
 *
 * The order follows the verifier's order of checks (docs/proof-system.md, shared/reference/soundness.md).
 */
export const VERIFIER_ERROR_KINDS = [
  // 1. parameters
  "InvalidParams", // malformed parameter values (zero queries, bad arity, bad final-poly length, ...)
  "InsecureParams", // well formed but below the verifier's security target
  // 2. heights / shape
  "HeightOutOfRange", // a table height not a power of two in [2^minLog, 2^maxLog] or LDE beyond two-adicity
  "AirMismatch", // proof made for another AIR (table count, widths, digest)
  // 5. parsing
  "Malformed", // wrong tag/version, bad count, truncated
  "NonCanonical", // a field element >= p
  "TrailingBytes", // bytes left after a complete proof
  // 6. commitments
  "MerklePath", // a Merkle multi-proof does not reconstruct the committed root
  // 7. DEEP-ALI
  "OodPointInDomain", // the out-of-domain point landed in the trace domain or the LDE coset
  "OodMismatch", // constraints(ζ) ≠ quotient(ζ)·Z(ζ)
  // 8. FRI
  "FriFold", // a folding step is inconsistent
  "FriFinalDegree", // the final polynomial is too long / has the wrong degree
  "ProofOfWork", // the grinding nonce does not meet the difficulty
  "QueryCount", // number of query openings differs from the parameters
  // 9. lookups
  "LogupSumNonZero", // the LogUp running sums over all tables do not add up to zero
  "MultiplicityOverflow", // heights × multiplicity bounds could wrap mod p
  // 10. statement
  "PublicInputMismatch", // public inputs have the wrong count / non-canonical / do not match the proof
  // 11. anything else that escaped (a bug): still typed
  "Internal",
] as const;

export type VerifierErrorKind = (typeof VERIFIER_ERROR_KINDS)[number];

export interface VerifierErrorInfo {
  readonly kind: VerifierErrorKind;
  readonly message: string;
}

/** Thrown inside the verifier; `verify` catches it and returns it as a value. */
export class VerifierError extends Error implements VerifierErrorInfo {
  readonly kind: VerifierErrorKind;
  constructor(kind: VerifierErrorKind, message: string) {
    super(message);
    this.name = `VerifierError[${kind}]`;
    this.kind = kind;
  }
  toJSON(): VerifierErrorInfo {
    return { kind: this.kind, message: this.message };
  }
}

/** Throw a typed verifier error. */
export function fail(kind: VerifierErrorKind, message: string): never {
  throw new VerifierError(kind, message);
}

/** Throw `kind` unless `cond` holds. */
export function ensure(cond: boolean, kind: VerifierErrorKind, message: string): asserts cond {
  if (!cond) throw new VerifierError(kind, message);
}

export function isVerifierError(e: unknown): e is VerifierError {
  return e instanceof VerifierError;
}

/** Convert anything thrown into a typed error value (unknown exceptions become `Internal`). */
export function toErrorInfo(e: unknown): VerifierErrorInfo {
  if (e instanceof VerifierError) return { kind: e.kind, message: e.message };
  const msg = e instanceof Error ? e.message : String(e);
  return { kind: "Internal", message: msg };
}
