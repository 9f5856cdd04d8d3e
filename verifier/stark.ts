/**
 * STARK verifier. Order of checks (shared/reference/soundness.md):
 *  1. parameters (InvalidParams) · public inputs (PublicInputMismatch)
 *  2. heights bounded before any shift (HeightOutOfRange), security at this LDE size (InsecureParams),
 *     LogUp no-wrap bound (MultiplicityOverflow)
 *  5. strict parse (Malformed, NonCanonical, TrailingBytes) — interleaved with 2: heights are read first
 *  3. transcript seeded with version, params, AIR digest, heights, public inputs
 *  4. every prover message absorbed before the challenges that depend on it
 *  7. ζ outside trace and LDE domains (OodPointInDomain); constraints(ζ) = Q(ζ)·V(ζ) per table (OodMismatch)
 *  8. FRI: layer roots, final polynomial, proof of work (ProofOfWork), query rows (QueryCount), Merkle paths
 *     (MerklePath), DEEP recomputation and folds (FriFold), final polynomial values (FriFinalDegree)
 *  9. LogUp sums add up to zero (LogupSumNonZero)
 *     — a joint proof (`verifyJoint`, steps J1–J6 below) runs 1–8 per part with α, β injected from the global
 *     seed and checks 9 once, over all parts
 * 11. anything unexpected becomes `Internal` — never an exception to the caller.
 */
import type { Air } from "./air.ts";
import { symbolicAir, type SymbolicAir, type SymbolicTable } from "./symbolic.ts";
import { VerifierError, ensure, toErrorInfo, type VerifierErrorInfo } from "./errors.ts";
import { GENERATOR, P, add, mul, pow, rootOfUnity } from "./field.ts";
import { eAdd, eEq, eMul, eMulAt, ePow, extOf, eIsZero, EXT_ZERO, type Ext } from "./ext.ts";
import { evalNodes } from "./air-eval.ts";
import { periodicAt, periodicColumnsAt } from "./periodic.ts";
import { compileTable, constraintSumsByDomain } from "./air-compile.ts";
import { multiplicitiesCannotWrap, publicLogupSum } from "./logup.ts";
import {
  DEFAULT_PARAMS, DEFAULT_SECURITY_TARGET, PROTOCOL_VERSION, checkParams, drawOodPoint, inverseVanishingAt, jointChallenges, proofMultiplicityTotal,
  proofShape, seedTranscript, type JointChallenges, type ProofShape, type StarkParams,
} from "./protocol.ts";
import { decodeProof, roundWidths } from "./proof.ts";
import { deepValuesFlat } from "./deep.ts";
import { Transcript } from "./transcript.ts";
import { hashLeavesFlat, verifyMultiProofFlat } from "./merkle.ts";
import { friVerifyCommitPhase, friVerifyQueries, type FriProof } from "./fri.ts";
import type { CommitmentOpening, StarkProof, TableOodValues } from "./proof-types.ts";

export type VerifyResult = { readonly ok: true; readonly securityBits: number } | { readonly ok: false; readonly error: VerifierErrorInfo };

export interface VerifyOptions {
  readonly params?: StarkParams;
  /** minimum conjectured security bits accepted (default 100) */
  readonly minSecurityBits?: number;
  /**
   * Optional profiling hook: called with a phase name and the milliseconds (performance.now() deltas) spent in it
   * since the previous phase ended. Phases may repeat; sum them. Never changes what is checked.
   */
  readonly timing?: VerifyTiming;
}

/** Profiling hook of `verify` (see VerifyOptions.timing). */
export type VerifyTiming = (phase: string, ms: number) => void;
/** A lap timer: `lap(phase)` reports the time since the previous lap (or creation) under `phase`. */
export type Lap = (phase: string) => void;

/** A lap timer over `hook`, or undefined when there is no hook (callers use `lap?.(…)`: no cost when off). */
export function lapTimer(hook: VerifyTiming | undefined): Lap | undefined {
  if (hook === undefined) return undefined;
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    hook(phase, now - last);
    last = now;
  };
}

/** Verifies `proof` (bytes) for `air` and `publics`. Never throws. */
export function verify(air: Air, proof: Uint8Array, publics: readonly number[], opts: VerifyOptions = {}): VerifyResult {
  try {
    const securityBits = verifyOrThrow(air, proof, publics, opts);
    return { ok: true, securityBits };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

/** Same as `verify` but throws `VerifierError` (every failure typed). Returns the conjectured security bits. */
export function verifyOrThrow(air: Air, bytes: Uint8Array, publics: readonly number[], opts: VerifyOptions = {}): number {
  const params = opts.params ?? DEFAULT_PARAMS;
  const lap = lapTimer(opts.timing);
  // steps 1, 2, 5
  const part = parseProof(air, bytes, publics, params, opts.minSecurityBits ?? DEFAULT_SECURITY_TARGET, lap);
  // steps 3, 4 (seed, main root), LogUp challenges from the proof's own transcript, steps 4–8
  const sigma = verifyParsed(part, statementTranscript(part, params), params, undefined, lap);
  // 9. LogUp balance: the tables' claimed sums plus the verifier's own share for public tuples
  if (sigma) ensure(eIsZero(sigma), "LogupSumNonZero", "LogUp running sums of all tables (and the public bus tuples) do not add up to zero");
  lap?.("stark/logup-public");
  return part.shape.security.conjectured;
}

/** One part of a joint proof (docs/proof-system.md "Joint proofs"). */
export interface JointPart {
  readonly air: Air;
  readonly proof: Uint8Array;
  readonly publics: readonly number[];
}

/**
 * Verifies N proofs that share their LogUp challenges (`proveJoint`), in the caller's order. Never throws; the
 * security figure is the weakest part's.
 */
export function verifyJoint(parts: readonly JointPart[], opts: VerifyOptions = {}): VerifyResult {
  try {
    const securityBits = verifyJointOrThrow(parts, opts);
    return { ok: true, securityBits };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

/**
 * Same as `verifyJoint` but throws `VerifierError`. Steps:
 *  J1. every part parsed as a single proof is (steps 1, 2, 5: params, publics, heights, shape, strict parse)
 *  J2. no-wrap over all parts: Σ_parts heights × bounds + public tuples < p (MultiplicityOverflow; R4)
 *  J3. every part's statement digest: its transcript after the seed (step 3) and its main root
 *  J4. global seed and α, β from the statement digests in order (protocol.ts `jointChallenges`)
 *  J5. every part verified with α, β injected and the seed absorbed after its main root (steps 4–8)
 *  J6. Σ_parts (tables' σ + the part's public-tuple share) = 0 (LogupSumNonZero): public interactions belong to
 *      the AIR of the part that declares them and are counted once, there.
 */
export function verifyJointOrThrow(parts: readonly JointPart[], opts: VerifyOptions = {}): number {
  const params = opts.params ?? DEFAULT_PARAMS;
  const lap = lapTimer(opts.timing);
  ensure(Array.isArray(parts) && parts.length > 0, "Malformed", "a joint proof needs at least one part");
  // J1
  const parsed = parts.map((p) => parseProof(p.air, p.proof, p.publics, params, opts.minSecurityBits ?? DEFAULT_SECURITY_TARGET, lap));
  // J2
  const total = parsed.reduce((s, p) => s + proofMultiplicityTotal(p.sym, p.shape.logHeights), 0);
  ensure(multiplicitiesCannotWrap(total), "MultiplicityOverflow", `bounded bus multiplicities total ${total} ≥ p over all parts: LogUp could wrap`);
  // J3, J4
  const trs = parsed.map((p) => statementTranscript(p, params));
  const joint = jointChallenges(trs.map((t) => t.digest));
  lap?.("stark/joint-digest");
  // J5
  let sigma: Ext | undefined;
  parsed.forEach((p, k) => {
    const s = verifyParsed(p, trs[k]!, params, joint, lap);
    if (s) sigma = sigma ? eAdd(sigma, s) : s;
  });
  // J6
  if (sigma) ensure(eIsZero(sigma), "LogupSumNonZero", "LogUp sums of all parts (tables and public bus tuples) do not add up to zero");
  lap?.("stark/logup-public");
  return Math.min(...parsed.map((p) => p.shape.security.conjectured));
}

/** A proof parsed against its AIR and statement. */
interface ParsedProof {
  readonly sym: SymbolicAir;
  readonly proof: StarkProof<FriProof>;
  readonly shape: ProofShape;
  readonly publics: readonly number[];
}

/** Steps 1, 2, 5: parameters, the AIR, public inputs, heights and shape, the strict parse. */
function parseProof(air: Air, bytes: Uint8Array, publics: readonly number[], params: StarkParams, minBits: number, lap?: Lap): ParsedProof {
  checkParams(params);
  let sym: SymbolicAir;
  try {
    sym = symbolicAir(air);
  } catch (e) {
    throw new VerifierError("AirMismatch", `ill-formed AIR: ${(e as Error).message}`);
  }
  lap?.("stark/symbolic-air");
  ensure(Array.isArray(publics) && publics.length === sym.numPublicInputs, "PublicInputMismatch", `expected ${sym.numPublicInputs} public inputs`);
  for (const v of publics) ensure(Number.isInteger(v) && v >= 0 && v < P, "PublicInputMismatch", `public input ${v} is not a canonical field element`);
  const hasAux = sym.tables.map((t) => t.auxWidth > 0);
  const { proof, shape } = decodeProof(bytes, sym.tables.length, hasAux, params, (lh) => proofShape(sym, params, lh, minBits));
  lap?.("stark/parse");
  return { sym, proof, shape, publics };
}

/** Step 3 and the start of step 4: the transcript seeded with the statement, the main root absorbed. */
function statementTranscript(p: ParsedProof, params: StarkParams): Transcript {
  const tr = new Transcript(`zkvm-ts/stark/v${PROTOCOL_VERSION}`);
  seedTranscript(tr, params, p.sym, p.shape.logHeights, p.publics);
  p.proof.mainRoots.forEach((r) => tr.absorbDigest("main", r)); // one root per round
  return tr;
}

/**
 * Steps 4 (from the LogUp challenges on) to 8 on a transcript that has absorbed the statement and the main root.
 * The LogUp challenges are drawn from it (a single proof) or `joint`'s (the global seed absorbed first).
 * Returns σ = Σ_tables σ_t + the AIR's public-tuple share (undefined without LogUp) for step 9 / J6.
 */
function verifyParsed(part: ParsedProof, tr: Transcript, params: StarkParams, joint: JointChallenges | undefined, lap?: Lap): Ext | undefined {
  const { sym, proof, shape, publics } = part;
  const { logHeights, logLde } = shape;
  const challenges: Ext[] = [];
  if (joint) tr.absorbDigest("joint/global", joint.seed);
  for (let i = 0; i < sym.numChallenges; i++) challenges.push(joint ? joint.challenges[i]! : tr.challengeExt("logup"));
  proof.auxRoots.forEach((r) => tr.absorbDigest("aux", r));
  tr.absorbExts("logup/sums", proof.logupSums);
  const gamma = tr.challengeExt("gamma");
  proof.quotientRoots.forEach((r) => tr.absorbDigest("quotient", r));
  const zeta = drawOodPoint(tr, logHeights, logLde);
  for (const o of proof.ood) for (const v of [o.mainZ, o.mainZw, o.auxZ, o.auxZw, o.quotZ]) tr.absorbExts("ood", v);
  lap?.("stark/transcript");

  // 7. constraints at ζ
  let sumIdx = 0;
  const sums: Ext[] = [];
  sym.tables.forEach((t, ti) => {
    const logupSum = t.auxWidth > 0 ? proof.logupSums[sumIdx++]! : EXT_ZERO;
    if (t.auxWidth > 0) sums.push(logupSum);
    const ok = oodConstraintsHold(t, proof.ood[ti]!, logHeights[ti]!, shape.quotient[ti]!.numChunks, zeta, gamma, publics, challenges, logupSum);
    ensure(ok, "OodMismatch", `table ${t.name}: constraints at ζ do not match the quotient`);
  });
  lap?.("stark/ood-constraints");

  // 8. DEEP + FRI
  const lambda = tr.challengeExt("deep");
  const ch = friVerifyCommitPhase(tr, shape.fri, proof.fri);
  lap?.("stark/transcript");
  const indices = ch.indices;
  const uniq = [...new Set(indices)].sort((a, b) => a - b);
  const U = uniq.length;
  const W = roundWidths(shape);
  const q = proof.queries;
  ensure(q.main.rows.length === U * W.main, "QueryCount", `proof opens ${q.main.rows.length / W.main} rows, the queries need ${U}`);
  const checkOpening = (c: CommitmentOpening, root: Uint8Array, width: number, what: string) => {
    const leaves = hashLeavesFlat(c.rows, width, U, params.zk ? c.salts : undefined);
    ensure(verifyMultiProofFlat(root, logLde, uniq, leaves, c.proof), "MerklePath", `${what}: Merkle multi-proof does not match the root`);
  };
  // one tree per round; each opened row holds every table's row side by side
  checkOpening(q.main, proof.mainRoots[0]!, W.main, "main round");
  if (q.aux) checkOpening(q.aux, proof.auxRoots[0]!, W.aux, "aux round");
  checkOpening(q.quotient, proof.quotientRoots[0]!, W.quotient, "quotient round");
  lap?.("stark/merkle-trace");
  const zetaW = logHeights.map((l) => eMul(zeta, extOf(rootOfUnity(l))));
  const wN = rootOfUnity(logLde);
  const xs = uniq.map((idx) => mul(GENERATOR, pow(wN, idx)));
  const deep = deepValuesFlat(shape, proof.ood, lambda, zeta, zetaW, xs, { main: q.main.rows, aux: q.aux?.rows, quotient: q.quotient.rows });
  const slotOf = new Map<number, number>();
  uniq.forEach((idx, k) => slotOf.set(idx, k));
  lap?.("stark/deep");
  friVerifyQueries(shape.fri, proof.fri, ch, indices.map((i) => { const k = slotOf.get(i)!; return deep.subarray(4 * k, 4 * k + 4); }), lap);

  // the proof's LogUp total: its tables' claimed sums plus the verifier's own share for the AIR's public tuples
  if (sums.length === 0) return undefined;
  return sums.reduce((a, b) => eAdd(a, b), publicLogupSum(sym.publicInteractions, challenges));
}

/**
 * The DEEP-ALI identity of one table at ζ: Σ_k γ^k·C_k(ζ)/V_k(ζ) = Σ_c ζ^{c·n}·Q_c(ζ). Also used by the prover as
 * a last check of its own witness before it spends the FRI work. Evaluated with the compiled DAG
 * (verifier/air-compile.ts); `oodIdentityInterpreted` is the reference form over verifier/air-eval.ts.
 */
export function oodConstraintsHold(
  t: SymbolicTable, o: TableOodValues, logN: number, numChunks: number, zeta: Ext, gamma: Ext,
  publics: readonly number[], challenges: readonly Ext[], logupSum: Ext,
): boolean {
  const { lhs, rhs } = oodIdentity(t, o, logN, numChunks, zeta, gamma, publics, challenges, logupSum);
  return eEq(lhs, rhs);
}

/** Both sides of the DEEP-ALI identity at ζ (compiled evaluation). */
export function oodIdentity(
  t: SymbolicTable, o: TableOodValues, logN: number, numChunks: number, zeta: Ext, gamma: Ext,
  publics: readonly number[], challenges: readonly Ext[], logupSum: Ext,
): { lhs: Ext; rhs: Ext } {
  const c = compileTable(t);
  const sums = constraintSumsByDomain(c, {
    mainCur: flatExts(o.mainZ), mainNext: flatExts(o.mainZw), auxCur: recombineFlat(o.auxZ, t.auxWidth), auxNext: recombineFlat(o.auxZw, t.auxWidth),
    periodic: periodicColumnsAt(t.periodic, logN, zeta), publics, challenges: flatExts(challenges), logupSum,
  }, gamma);
  const vinv = inverseVanishingAt(zeta, logN);
  // sums: every, first, last, transition (air-compile.ts DOMAINS order)
  const lhs = new Uint32Array(4) as Ext;
  const tmp = new Uint32Array(4);
  const domains = [vinv.every, vinv.first, vinv.last, vinv.transition];
  for (let d = 0; d < 4; d++) {
    eMulAt(tmp, 0, sums, 4 * d, domains[d]!, 0);
    for (let k = 0; k < 4; k++) lhs[k] = add(lhs[k]!, tmp[k]!);
  }
  return { lhs, rhs: quotientAt(o, numChunks, zeta, logN) };
}

/** Σ_c ζ^{c·n}·Q_c(ζ), each chunk Q_c recombined from its 4 base coordinate columns. */
function quotientAt(o: TableOodValues, numChunks: number, zeta: Ext, logN: number): Ext {
  let rhs = extOf(0);
  const zn = ePow(zeta, 2 ** logN);
  let zc = extOf(1);
  for (let c = 0; c < numChunks; c++) {
    rhs = eAdd(rhs, eMul(zc, recombine(o.quotZ.slice(4 * c, 4 * c + 4))));
    zc = eMul(zc, zn);
  }
  return rhs;
}

/** The reference form of `oodIdentity`: the DAG interpreted node by node (verifier/air-eval.ts). For tests. */
export function oodIdentityInterpreted(
  t: SymbolicTable, o: TableOodValues, logN: number, numChunks: number, zeta: Ext, gamma: Ext,
  publics: readonly number[], challenges: readonly Ext[], logupSum: Ext,
): { lhs: Ext; rhs: Ext } {
  const auxExt = (vals: Ext[]) => Array.from({ length: t.auxWidth }, (_, c) => recombine(vals.slice(4 * c, 4 * c + 4)));
  const nodeVals = evalNodes(t, {
    mainCur: o.mainZ, mainNext: o.mainZw, auxCur: auxExt(o.auxZ), auxNext: auxExt(o.auxZw),
    periodic: t.periodic.map((p) => periodicAt(p, logN, zeta)),
    publics, challenges, logupSum,
  });
  const vinv = inverseVanishingAt(zeta, logN);
  let lhs = extOf(0);
  let g = extOf(1);
  for (const c of t.constraints) {
    lhs = eAdd(lhs, eMul(eMul(g, nodeVals[c.node]!), vinv[c.domain]));
    g = eMul(g, gamma);
  }
  return { lhs, rhs: quotientAt(o, numChunks, zeta, logN) };
}

function flatExts(xs: readonly Uint32Array[]): Uint32Array {
  const out = new Uint32Array(4 * xs.length);
  for (let i = 0; i < xs.length; i++) out.set(xs[i]!.subarray(0, 4), 4 * i);
  return out;
}

/** The `width` extension columns committed as 4 base coordinate columns each, recombined (flat). */
function recombineFlat(vals: readonly Ext[], width: number): Uint32Array {
  const out = new Uint32Array(4 * width);
  for (let c = 0; c < width; c++) out.set(recombine(vals.slice(4 * c, 4 * c + 4)), 4 * c);
  return out;
}

/** Σ_k X^k·v_k: an extension column committed as 4 base coordinate columns, opened at an extension point. */
function recombine(v: readonly Ext[]): Ext {
  // X^k as extension elements: (0,…,1 at k,…)
  let acc = extOf(0);
  for (let k = 0; k < 4; k++) {
    const xk = extOf(k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0, k === 3 ? 1 : 0);
    acc = eAdd(acc, eMul(xk, v[k]!));
  }
  return acc;
}
