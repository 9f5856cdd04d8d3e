/**
 * Public API of the verifier (browser-safe: no Node built-ins).
 */
export { verify, verifyOrThrow, verifyJoint, verifyJointOrThrow, type JointPart, type VerifyResult, type VerifyOptions } from "./stark.ts";
export { VERIFIER_ERROR_KINDS, VerifierError, type VerifierErrorKind, type VerifierErrorInfo } from "./errors.ts";
export type { Air, TableAir, AirBuilder, ConstraintSink, Expr, ExprLike, Interaction, ConstraintDomain } from "./air.ts";
export { symbolicAir, quotientShape, type SymbolicAir, type SymbolicTable } from "./symbolic.ts";
export { DEFAULT_PARAMS, DEFAULT_SECURITY_TARGET, securityBits, checkParams, proofShape, jointChallenges, type JointChallenges, type StarkParams, type ProofShape } from "./protocol.ts";
export { decodeProof, encodeProof, PROOF_VERSION } from "./proof.ts";
