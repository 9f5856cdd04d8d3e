/**
 * STARK prover for multi-table AIRs (protocol in docs/proof-system.md):
 *   seed transcript → commit main traces (LDE, ZK-randomised, salted) → LogUp challenges → commit aux columns,
 *   send running sums → γ → commit quotient chunks (+ DEEP mask) → ζ → send OOD values → λ → DEEP
 *   composition → FRI (commit, proof of work, queries) → open every commitment at the query rows.
 */
import type { Air } from "../verifier/air.ts";
import { symbolicAir, type SymbolicAir, type SymbolicTable } from "../verifier/symbolic.ts";
import { GENERATOR, P, rootOfUnity } from "../verifier/field.ts";
import { eAdd, eIsZero, eMul, eSub, ePow, extOf, type Ext, EXT_ZERO } from "../verifier/ext.ts";
import { Transcript } from "../verifier/transcript.ts";
import {
  DEFAULT_PARAMS, DEFAULT_SECURITY_TARGET, checkParams, drawOodPoint, jointChallenges, proofMultiplicityTotal, proofShape, seedTranscript, PROTOCOL_VERSION,
  type ProofShape, type StarkParams,
} from "../verifier/protocol.ts";
import { deepCoefficients } from "../verifier/deep.ts";
import { oodConstraintsHold } from "../verifier/stark.ts";
import type { CommitmentOpening, StarkProof, TableOodValues } from "../verifier/proof-types.ts";
import { encodeProof } from "../verifier/proof.ts";
import { checkConstraints } from "./air-check.ts";
import { type AuxTrace } from "./logup-trace.ts";
import { buildAuxTraceParallel } from "./logup-parallel.ts";
import { multiplicitiesCannotWrap, publicLogupSum } from "../verifier/logup.ts";
import { splitQuotient } from "./quotient.ts";
import { evaluateQuotientParallel } from "./quotient-parallel.ts";
import { barycentricWeights, evalBarycentric, evalCoeffColumns, extPowersFlat, rotatedWeights } from "./ood.ts";
import { deepDivide } from "./deep-divide.ts";
import { interpolate } from "./ntt.ts";
import { MerkleTree } from "./merkle.ts";
import { friCommitPhase, friGrindAndQuery, friProof } from "./fri.ts";
import { cheatFriCommitPhase, cheatGrindAndQuery } from "./fri-cheats.ts";
import { commitParallel, evaluateColumnsParallel, ldeColumnsParallel } from "./workers/parallel.ts";
import { combineColumns } from "./kernels/linalg.ts";
import { combineColumnsParallel } from "./workers/linalg-parallel.ts";
import type { WorkerPool } from "./workers/pool.ts";
import { randomFieldElements, randomSeed, seededRng, systemRng, type ProverRng } from "./random.ts";
import { releaseSharedBuffers } from "./workers/release.ts";
import type { FriProof } from "../verifier/fri.ts";

export interface ProveOptions {
  readonly params?: StarkParams;
  /** Refuse to prove below this many conjectured bits (default 100). */
  readonly minSecurityBits?: number;
  /**
   * Run checkConstraints (row by row, names the failing constraint and row) before proving. Default: only for
   * small traces (≤ 2^14 rows in all); larger invalid witnesses are still refused — by the prover's own check of
   * the DEEP-ALI identity at ζ (ConstraintFailed) and of the LogUp balance (LogupSumNonZero) — without the row.
   */
  readonly check?: boolean;
  /** Use worker threads for LDEs, Merkle trees, the quotient and DEEP (default true; small inputs stay in-thread). */
  readonly workers?: boolean;
  /** Called as the parts of a joint proof progress: phase 1 (commit) then phase 2 (prove), part k of n. */
  readonly onPart?: (phase: "commit" | "prove", k: number, n: number) => void;
  /**
   * Cheating-prover switches for soundness tests ONLY: they make the prover emit proofs of false statements or
   * malformed FRI data, which the verifier must reject.
   */
  readonly testHooks?: CheatHooks;
}

export interface CheatHooks {
  /** skip checkConstraints and truncate a non-divisible quotient instead of refusing */
  readonly allowInvalidWitness?: boolean;
  /** add 1 to every DEEP value before FRI (commitments stay consistent, the DEEP relation does not) */
  readonly corruptDeep?: boolean;
  /** change the final polynomial's top coefficient before absorbing it */
  readonly corruptFinalPoly?: boolean;
  /** send a nonce that fails the proof-of-work check */
  readonly skipProofOfWork?: boolean;
  /** replace a table's LogUp aux columns (and claimed sum) after they are built, before they are committed */
  readonly tamperAux?: (table: number, aux: AuxTrace, challenges: readonly Ext[]) => AuxTrace;
}

export class ProverError extends Error {
  constructor(readonly kind: string, message: string) {
    super(`${kind}: ${message}`);
  }
}

export interface ProveResult {
  readonly proof: StarkProof<FriProof>;
  readonly bytes: Uint8Array;
  readonly shape: ProofShape;
  /** wall-clock milliseconds per prover phase */
  readonly timings: Readonly<Record<string, number>>;
}

interface Commitment {
  readonly tree: MerkleTree;
  /** row-major, N rows */
  readonly matrix: Uint32Array;
  readonly width: number;
  readonly salts: Uint8Array | undefined;
}

/**
 * ZK trace randomisation (docs/proof-system.md "Zero knowledge"): each committed trace column t becomes
 * t + Z_H·r with r uniformly random of `hiding` coefficients. It agrees with t on H_n, and any `hiding` of its
 * evaluations outside H_n are jointly uniform. The tails r are what this returns (none without zk).
 */
function hidingTails(count: number, hiding: number, rng: ProverRng = systemRng): Uint32Array[] {
  return hiding === 0 ? [] : Array.from({ length: count }, () => rng.fieldElements(hiding));
}

/**
 * Coefficient columns as the LDE takes them: their first m coefficients, and what lies beyond (the zk tails, all
 * of one length; none when no column is longer than m).
 */
function splitAt(cols: readonly Uint32Array[], m: number): { low: Uint32Array[]; tails: Uint32Array[] } {
  const low = cols.map((c) => c.subarray(0, m));
  const tails = cols.some((c) => c.length > m) ? cols.map((c) => c.subarray(m)) : [];
  return { low, tails };
}

/** Where one table's columns sit in a round's matrix (column-major: column c at [(offset + c)·N, …)). */
interface TableView {
  readonly matrix: Uint32Array;
  readonly stride: number;
  readonly offset: number;
  readonly columnMajor: true;
}

/** Rows whose block of leaves is re-hashed when a round reuses kept Merkle nodes (a consistency check, not a proof). */
const SPOT_CHECK_ROWS = 16;

/**
 * One commitment round: leaf i holds the rows of every table (present in the round) at LDE index i, side by side,
 * so a round has one Merkle tree and the proof one multi-proof per round instead of one per table (all tables
 * share the LDE coset g·H_N). The round's matrix is allocated once (shared memory, column-major) and every
 * table's LDE is written straight into its columns (`lde`): no per-table matrix, no row-major scatter. The Merkle
 * leaf hashing transposes chunks of rows in the kernel; the quotient reads columns directly.
 */
class Round {
  readonly width: number;
  readonly matrix: Uint32Array;
  readonly offsets: number[];
  constructor(readonly widths: readonly number[], readonly N: number) {
    this.width = widths.reduce((a, b) => a + b, 0);
    this.matrix = new Uint32Array(new SharedArrayBuffer(4 * N * this.width));
    let off = 0;
    this.offsets = widths.map((w) => { const o = off; off += w; return o; });
  }
  /**
   * LDE of table t's columns [first, first + cols.length): evaluations on H_n (a trace; its tails, if any, are
   * added times Z_H), or coefficients (tails times x^m, m the coefficients' power-of-two length).
   */
  async lde(
    t: number, cols: readonly Uint32Array[], kind: "evals" | "coeffs", logLde: number, pool: WorkerPool | null | undefined,
    tails: readonly Uint32Array[] = [], first = 0,
  ): Promise<void> {
    if (first + cols.length > this.widths[t]!) {
      throw new ProverError("Internal", `table ${t}: columns [${first}, ${first + cols.length}) for a width of ${this.widths[t]}`);
    }
    if (cols.length === 0) return;
    const into = { data: this.matrix, width: this.width, offset: this.offsets[t]! + first, columnMajor: true };
    const tl = tails.length > 0 ? { data: tails, minusOne: kind === "evals" } : undefined;
    if (kind === "coeffs") await evaluateColumnsParallel(cols, logLde, GENERATOR, { pool, into, tails: tl });
    else await ldeColumnsParallel(cols, logLde - Math.log2(cols[0]!.length), GENERATOR, { pool, into, tails: tl });
  }
  /**
   * `nodes`: this round's Merkle nodes from an earlier commitment of the same matrix and salts (a joint proof's
   * phase 1): the tree is rebuilt from them instead of hashing every row again, after a spot check of
   * SPOT_CHECK_ROWS leaves against the recomputed rows.
   */
  async commit(
    zk: boolean, pool: WorkerPool | null | undefined, rng: ProverRng = systemRng, nodes?: Uint8Array,
  ): Promise<Commitment & { readonly views: (TableView | undefined)[] }> {
    const salts = zk ? rng.salts(this.N) : undefined;
    let tree: MerkleTree;
    if (nodes === undefined) tree = await commitParallel(this.matrix, this.width, this.N, salts, { pool, columnMajor: true });
    else {
      tree = new MerkleTree(this.matrix, this.width, this.N, salts, nodes, true);
      for (let k = 0; k < SPOT_CHECK_ROWS; k++) {
        const i = Math.floor(Math.random() * this.N);
        if (!tree.checkBlock(i)) {
          throw new ProverError("Internal", `row ${i}: the recomputed commitment differs from the kept Merkle nodes`);
        }
      }
    }
    const views = this.widths.map((w, t) => (w === 0 ? undefined : { matrix: this.matrix, stride: this.N, offset: this.offsets[t]!, columnMajor: true as const }));
    return { tree, matrix: this.matrix, width: this.width, salts, views };
  }
}

function openCommitment(c: Commitment, indices: readonly number[]): CommitmentOpening {
  const rows = new Uint32Array(indices.length * c.width);
  const salts = new Uint8Array(c.salts ? 16 * indices.length : 0);
  indices.forEach((i, k) => {
    rows.set(c.tree.getRow(i), k * c.width);
    if (c.salts) salts.set(c.salts.subarray(16 * i, 16 * i + 16), 16 * k);
  });
  return { rows, salts, proof: c.tree.openMulti(indices) };
}

function periodicColumns(t: SymbolicTable): Uint32Array[] {
  return t.periodic.map((p) => Uint32Array.from(p));
}

/**
 * Proves that `traces` (per table: columns of equal power-of-two height) satisfy `air` with `publics`.
 * Throws ProverError for a bad witness or parameters (never produces a proof of a false statement knowingly).
 * Phase 1 (`commitMainPhase`), the LogUp challenges drawn from the proof's own transcript, phase 2 (`finishProof`).
 */
export async function prove(air: Air, traces: readonly (readonly Uint32Array[])[], publics: readonly number[], opts: ProveOptions = {}): Promise<ProveResult> {
  const result = await finishProof(await commitMainPhase(air, traces, publics, opts));
  await releaseSharedBuffers(); // this proof's matrices, before the caller proves the next (prover/workers/release.ts)
  return result;
}

/**
 * LogUp challenges supplied from outside (joint proofs, docs/proof-system.md "Joint proofs"): `challenges` replace
 * the ones a single proof draws from its transcript, and `seed` (32 bytes, the global digest) is absorbed under
 * "joint/global" right after the main root, so every later challenge (γ, ζ, λ, FRI, queries) depends on it.
 */
export interface InjectedChallenges {
  /** α, β (at least the AIR's numChallenges; extra ones are ignored) */
  readonly challenges: readonly Ext[];
  readonly seed: Uint8Array;
}

/**
 * Phase 1's result: the main traces committed, their root absorbed into the proof's transcript. Phase 2
 * (`finishProof`) may run more than once from one state (each run works on a copy of the transcript).
 */
export interface MainPhase {
  readonly air: Air;
  readonly sym: SymbolicAir;
  readonly params: StarkParams;
  readonly opts: ProveOptions;
  readonly traces: readonly (readonly Uint32Array[])[];
  readonly publics: readonly number[];
  readonly logHeights: readonly number[];
  readonly shape: ProofShape;
  /** the main round's Merkle root */
  readonly mainRoot: Uint8Array;
  /**
   * The transcript state after its seed (protocol version, params, AIR digest, heights, public inputs) and the
   * main root: what a joint proof's global digest absorbs for this part (32 bytes).
   */
  readonly statementDigest: Uint8Array;
  /** @internal the transcript after the main root (cloned by each phase 2) */
  readonly transcript: Transcript;
  /** @internal the traces (evaluations on H_n) and their zero-knowledge tails (t + Z_H·r; none without zk) */
  readonly mainEvals: readonly (readonly Uint32Array[])[];
  /** @internal */ readonly mainTails: readonly Uint32Array[][];
  /** @internal */ readonly mainRound: Commitment & { readonly views: (TableView | undefined)[] };
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * Phase 1: checks the witness, seeds the transcript, commits the main traces (LDE, ZK-randomised, salted).
 * `joint`: the part of a joint proof — its buses need not balance alone (checkConstraints' LogupSumNonZero is
 * ignored; the joint balance is the caller's to check).
 */
export async function commitMainPhase(air: Air, traces: readonly (readonly Uint32Array[])[], publics: readonly number[], opts: ProveOptions = {}, joint = false): Promise<MainPhase> {
  return commitMain(air, traces, publics, opts, joint);
}

/** One part of a joint proof. */
export interface JointProvePart {
  readonly air: Air;
  /** the part's traces, or a function building them: called whenever the part is worked on (up to three times:
   *  phase 1, the joint balance, phase 2), so only one part's traces need to be in memory at a time */
  readonly traces: readonly (readonly Uint32Array[])[] | (() => readonly (readonly Uint32Array[])[]);
  readonly publics: readonly number[];
}

const tracesOf = (p: JointProvePart): readonly (readonly Uint32Array[])[] => (typeof p.traces === "function" ? p.traces() : p.traces);

/**
 * Merkle nodes of phase-1 main commitments a joint proof keeps for phase 2 (bytes, all parts together): with them
 * phase 2 recomputes a part's LDE but does not hash its rows again. A 2^17-row segment's nodes take 4 MiB (LDE
 * 2^19, the levels from prover/merkle.ts CUT = 3 up), so 64 parts fit; parts beyond are hashed again. Measured on
 * 2^20 cycles in 8 segments with full trees (32 MiB a part): 72.5 → 64.5 s, peak RSS 2.39 → 2.84 GiB; storing
 * levels ≥ CUT only then took that run's peak RSS from 2,574 to 2,337 MiB (same load).
 */
const JOINT_KEPT_NODES_BYTES = 256 * 2 ** 20;

/**
 * Proves N parts whose LogUp buses balance only together (docs/proof-system.md "Joint proofs"; verify with
 * `verifyJoint` and the parts in the same order): phase 1 for every part, the global seed and α, β from every
 * part's statement digest (`jointChallenges`), phase 2 for every part with them injected. The honest prover
 * refuses (LogupSumNonZero) when Σ_parts σ ≠ 0, and (MultiplicityOverflow) when the no-wrap total over all
 * parts reaches p. Returns one proof per part, in order. Memory: one part's commitments at a time (phase 1's
 * randomness is seeded per part and the main LDE recomputed when the part is finished), plus up to
 * JOINT_KEPT_NODES_BYTES of phase 1's Merkle nodes.
 */
export async function proveJoint(parts: readonly JointProvePart[], opts: ProveOptions = {}): Promise<ProveResult[]> {
  if (parts.length === 0) throw new ProverError("BadTrace", "a joint proof needs at least one part");
  // Phase 1 for every part with its own secret seed, keeping only what the global challenges need (root, digest,
  // heights): the part's main LDE (and its tree, beyond the kept-nodes budget) is dropped and recomputed from the same
  // seed when the part is finished, so at most one part's commitments are in memory at a time (docs/proof-system.md
  // "Joint proofs").
  const seeds = parts.map(() => randomSeed());
  const heads: { digest: Uint8Array; root: Uint8Array; total: number; nodes: Uint8Array | undefined; shape: string }[] = [];
  const last = parts.length - 1;
  // the last part's commitment is kept: phase 2 starts with it, so it is not recomputed
  let kept: MainPhase | undefined;
  // the others keep their Merkle nodes while they fit the budget: phase 2 then recomputes only their LDE
  let keptNodeBytes = 0;
  const head = async (k: number) => {
    const p = parts[k]!;
    const traces = tracesOf(p);
    const m = await commitMain(p.air, traces, p.publics, opts, true, seededRng(seeds[k]!));
    if (k === last) kept = m;
    let nodes: Uint8Array | undefined = m.mainRound.tree.nodes;
    if (k === last || keptNodeBytes + nodes.length > JOINT_KEPT_NODES_BYTES) nodes = undefined;
    else keptNodeBytes += nodes.length;
    return { digest: m.statementDigest, root: m.mainRoot, total: proofMultiplicityTotal(m.sym, m.logHeights), nodes, shape: traceShape(traces) };
  };
  for (let k = 0; k < parts.length; k++) {
    heads.push(await head(k));
    await releaseSharedBuffers(); // the part's LDE and tree, now unreferenced (prover/workers/release.ts)
    opts.onPart?.("commit", k + 1, parts.length);
  }
  const total = heads.reduce((s, h) => s + h.total, 0);
  if (!multiplicitiesCannotWrap(total)) throw new ProverError("MultiplicityOverflow", `bounded bus multiplicities total ${total} ≥ p over all parts: LogUp could wrap`);
  const joint = jointChallenges(heads.map((h) => h.digest));
  // The joint balance is checked from the sums phase 2 computes anyway: checking it before phase 2 meant building
  // every part's aux trace twice, measured at a quarter of an MNIST segment's proving time. An unbalanced
  // witness therefore fails after the parts are proven, with the same LogupSumNonZero, and no proof is returned.
  const check = !opts.testHooks?.allowInvalidWitness;
  let sigma = EXT_ZERO;
  let anyAux = false;
  const out: ProveResult[] = new Array<ProveResult>(parts.length);
  const finish = async (k: number) => {
    const p = parts[k]!;
    let m = kept;
    kept = undefined;
    if (m === undefined) {
      const traces = tracesOf(p), h = heads[k]!;
      // With kept nodes the root is phase 1's by construction, so the traces must be phase 1's too: their shape is
      // compared here, their values by Round.commit's spot check (a changed trace value changes its column's
      // polynomial, hence that column at every point of the LDE coset, so any re-hashed block differs).
      if (h.nodes !== undefined && traceShape(traces) !== h.shape) throw new ProverError("Internal", `part ${k}: its traces differ between phase 1 and phase 2 (shape ${traceShape(traces)}, was ${h.shape})`);
      m = await commitMain(p.air, traces, p.publics, { ...opts, check: false }, true, seededRng(seeds[k]!), h.nodes);
      h.nodes = undefined;
      if (!bytesEqual(m.mainRoot, heads[k]!.root)) throw new ProverError("Internal", `part ${k}: the recomputed main commitment differs from phase 1's`);
    }
    const ap = await auxPhase(m, joint);
    if (ap.sums.length > 0) { sigma = eAdd(sigma, logupTotal(m.sym, ap.sums, joint.challenges)); anyAux = true; }
    return completeProof(ap);
  };
  // the last part first (its phase-1 commitment is still in memory), then the others in order
  const order = [last, ...Array.from({ length: last }, (_, k) => k)];
  for (let i = 0; i < order.length; i++) {
    out[order[i]!] = await finish(order[i]!);
    await releaseSharedBuffers();
    opts.onPart?.("prove", i + 1, parts.length);
  }
  if (check && anyAux && !eIsZero(sigma)) throw new ProverError("LogupSumNonZero", "bus interactions do not balance across the parts of the joint proof");
  return out;
}

/**
 * Tables' widths × heights. Replaces a checksum of every trace value, which cost ≈ 0.17 s per 2^17-row part in each
 * phase (profile of `bench:prove -- --sizes 18`): the spot check of the recomputed rows catches changed values.
 */
function traceShape(traces: readonly (readonly Uint32Array[])[]): string {
  return traces.map((cols) => `${cols.length}×${cols[0]?.length ?? 0}`).join(",");
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function commitMain(
  air: Air, traces: readonly (readonly Uint32Array[])[], publics: readonly number[], opts: ProveOptions, joint: boolean,
  rng: ProverRng = systemRng, keptNodes?: Uint8Array,
): Promise<MainPhase> {
  const pool = opts.workers === false ? null : undefined;
  const params = opts.params ?? DEFAULT_PARAMS;
  const sym = symbolicAir(air);
  try {
    checkParams(params);
  } catch (e) {
    throw new ProverError("InvalidParams", (e as Error).message);
  }
  if (traces.length !== sym.tables.length) throw new ProverError("BadTrace", `expected ${sym.tables.length} tables`);
  if (publics.length !== sym.numPublicInputs || publics.some((v) => !Number.isInteger(v) || v < 0 || v >= P)) throw new ProverError("BadPublicInputs", "wrong count or non-canonical public inputs");
  const logHeights = traces.map((cols, t) => {
    const n = cols[0]?.length ?? 0;
    if (cols.length !== sym.tables[t]!.width) throw new ProverError("BadTrace", `${sym.tables[t]!.name}: expected ${sym.tables[t]!.width} columns, got ${cols.length}`);
    if (n < 1 || (n & (n - 1)) !== 0 || cols.some((c) => c.length !== n)) throw new ProverError("BadTrace", `${sym.tables[t]!.name}: columns must share a power-of-two height`);
    for (const c of cols) {
      for (let i = 0; i < n; i++) if (c[i]! >= P) throw new ProverError("BadTrace", `${sym.tables[t]!.name}: row ${i} holds ${c[i]}, not a canonical field element`);
    }
    return Math.log2(n);
  });
  const hooks = opts.testHooks ?? {};
  const totalRows = logHeights.reduce((s, l) => s + 2 ** l, 0);
  if ((opts.check ?? totalRows <= 1 << 14) && !hooks.allowInvalidWitness) {
    const r = checkConstraints(air, traces, publics);
    // a part of a joint proof need not balance its buses alone (the joint balance is checked in proveJoint)
    if (!r.ok && !(joint && r.kind === "LogupSumNonZero")) throw new ProverError(r.kind, r.message);
  }
  let shape: ProofShape;
  try {
    shape = proofShape(sym, params, logHeights, opts.minSecurityBits ?? DEFAULT_SECURITY_TARGET);
  } catch (e) {
    const k = (e as { kind?: string }).kind ?? "InvalidParams";
    throw new ProverError(k, (e as Error).message);
  }
  const { logLde } = shape;
  const N = 2 ** logLde;

  const tr = new Transcript(`zkvm-ts/stark/v${PROTOCOL_VERSION}`);
  seedTranscript(tr, params, sym, logHeights, publics);

  const t0 = performance.now();
  // 1. main traces
  const mainEvals = traces;
  const mainTails = traces.map((cols) => hidingTails(cols.length, shape.hiding, rng));
  const mainR = new Round(shape.mainWidth, N);
  for (let ti = 0; ti < mainEvals.length; ti++) await mainR.lde(ti, mainEvals[ti]!, "evals", logLde, pool, mainTails[ti]!);
  const mainRound = await mainR.commit(params.zk, pool, rng, keptNodes);
  tr.absorbDigest("main", mainRound.tree.root);
  return {
    air, sym, params, opts, traces, publics, logHeights, shape, mainRoot: mainRound.tree.root, statementDigest: tr.digest,
    transcript: tr, mainEvals, mainTails, mainRound, timings: { main: Math.round(performance.now() - t0) },
  };
}

/** Phase 2 up to the LogUp sums: the challenges (drawn or injected), aux columns committed, sums absorbed. */
interface AuxPhase {
  readonly m: MainPhase;
  readonly tr: Transcript;
  readonly challenges: readonly Ext[];
  readonly auxEvals: (Uint32Array[] | undefined)[];
  readonly auxTails: Uint32Array[][];
  readonly auxRound: (Commitment & { readonly views: (TableView | undefined)[] }) | undefined;
  readonly sums: Ext[];
  readonly timings: Record<string, number>;
}

async function auxPhase(m: MainPhase, inject: InjectedChallenges | undefined): Promise<AuxPhase> {
  const { sym, shape, opts, traces, publics, logHeights } = m;
  const pool = opts.workers === false ? null : undefined;
  const hooks = opts.testHooks ?? {};
  const N = 2 ** shape.logLde;
  const tr = m.transcript.clone();
  const t0 = performance.now();
  // 2. LogUp
  const challenges: Ext[] = [];
  if (inject) {
    if (inject.seed.length !== 32) throw new ProverError("Internal", "the joint seed must be a 32-byte digest");
    if (inject.challenges.length < sym.numChallenges) throw new ProverError("Internal", `expected ${sym.numChallenges} injected challenges`);
    tr.absorbDigest("joint/global", inject.seed);
    for (let i = 0; i < sym.numChallenges; i++) challenges.push(inject.challenges[i]!);
  } else {
    for (let i = 0; i < sym.numChallenges; i++) challenges.push(tr.challengeExt("logup"));
  }
  const auxEvals: (Uint32Array[] | undefined)[] = [];
  const auxTails: Uint32Array[][] = [];
  const auxR = shape.auxWidth.some((w) => w > 0) ? new Round(shape.auxWidth, N) : undefined;
  const sums: Ext[] = [];
  for (let ti = 0; ti < sym.tables.length; ti++) {
    const t = sym.tables[ti]!;
    if (t.auxWidth === 0) { auxEvals.push(undefined); auxTails.push([]); continue; }
    let a = await buildAuxTraceParallel(t, traces[ti]!, periodicColumns(t), publics, challenges, opts.workers !== false);
    if (hooks.tamperAux) a = hooks.tamperAux(ti, a, challenges);
    const n = 2 ** logHeights[ti]!;
    const cs: Uint32Array[] = [];
    for (const col of a.columns) for (let k = 0; k < 4; k++) cs.push(col.subarray(k * n, (k + 1) * n));
    const tails = hidingTails(cs.length, shape.hiding);
    auxEvals.push(cs);
    auxTails.push(tails);
    await auxR!.lde(ti, cs, "evals", shape.logLde, pool, tails);
    sums.push(a.sum);
  }
  const auxRound = auxR ? await auxR.commit(m.params.zk, pool) : undefined;
  // a single proof balances its buses alone; a joint proof's parts only together (proveJoint checks)
  if (!inject && sums.length > 0 && !hooks.allowInvalidWitness) {
    if (!eIsZero(logupTotal(sym, sums, challenges))) throw new ProverError("LogupSumNonZero", "bus interactions do not balance across tables (run checkConstraints for details)");
  }
  if (auxRound) tr.absorbDigest("aux", auxRound.tree.root);
  tr.absorbExts("logup/sums", sums);
  return { m, tr, challenges, auxEvals, auxTails, auxRound, sums, timings: { ...m.timings, logup: Math.round(performance.now() - t0) } };
}

/** Σ_tables σ_t + the AIR's public-tuple share (what the verifier requires to be zero). */
function logupTotal(sym: SymbolicAir, sums: readonly Ext[], challenges: readonly Ext[]): Ext {
  return sums.reduce((a, b) => eAdd(a, b), publicLogupSum(sym.publicInteractions, challenges));
}

/**
 * Phase 2: LogUp (challenges drawn from the proof's transcript, or `inject`ed), quotient, OOD, DEEP, FRI, openings.
 * With `inject` the proof's own LogUp sums need not cancel (the caller checks the joint balance).
 */
export async function finishProof(m: MainPhase, inject?: InjectedChallenges): Promise<ProveResult> {
  return completeProof(await auxPhase(m, inject));
}

async function completeProof(ap: AuxPhase): Promise<ProveResult> {
  const { m, tr, challenges, auxEvals, auxTails, auxRound, sums, timings } = ap;
  const { sym, shape, opts, publics, logHeights, mainEvals, mainTails, mainRound, params } = m;
  const pool = opts.workers === false ? null : undefined;
  const hooks = opts.testHooks ?? {};
  const { logLde } = shape;
  const N = 2 ** logLde;
  const zk = params.zk;
  let tPhase = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = Math.round(now - tPhase); tPhase = now; };
  // 3. quotient
  const gamma = tr.challengeExt("gamma");
  let sumIdx = 0;
  const quotCoeffs: Uint32Array[][] = [];
  const quotR = new Round(shape.quotWidth, N);
  for (let ti = 0; ti < sym.tables.length; ti++) {
    const t = sym.tables[ti]!;
    const logupSum = t.auxWidth > 0 ? sums[sumIdx++]! : EXT_ZERO;
    const mv = mainRound.views[ti]!, av = auxRound?.views[ti];
    const Q = await evaluateQuotientParallel({
      table: t, shape: shape.quotient[ti]!, logLde, main: mv.matrix, mainLayout: { stride: mv.stride, offset: mv.offset, columnMajor: true },
      aux: av?.matrix, auxLayout: av ? { stride: av.stride, offset: av.offset, columnMajor: true } : undefined,
      publics, challenges, logupSum, gamma,
    }, opts.workers !== false);
    let chunks: Uint32Array[][];
    try {
      const qs = shape.quotient[ti]!;
      chunks = splitQuotient(Q, qs, shape.hiding, zk ? randomFieldElements : undefined, hooks.allowInvalidWitness ?? false);
    } catch (e) {
      throw new ProverError("ConstraintFailed", `${t.name}: ${(e as Error).message}`);
    }
    const cols: Uint32Array[] = chunks.flat();
    // each chunk: n coefficients, then (zk) its x^n·r tail
    const chunkParts = splitAt(cols, 2 ** logHeights[ti]!);
    await quotR.lde(ti, chunkParts.low, "coeffs", logLde, pool, chunkParts.tails);
    // DEEP mask R: as many random coefficients as FRI's degree bound allows, so the linear functionals of f that
    // FRI's openings reveal are masked whenever the bound exceeds their number (see docs/proof-system.md).
    // One mask for the whole proof (it enters f once): committed with the first table's quotient.
    if (zk && ti === 0) {
      const D = 2 ** shape.logFriDegree;
      const R = [0, 1, 2, 3].map(() => { const r = new Uint32Array(new SharedArrayBuffer(4 * (D + shape.friExcess))); r.set(randomFieldElements(r.length)); return r; });
      const maskParts = splitAt(R, D);
      await quotR.lde(ti, maskParts.low, "coeffs", logLde, pool, maskParts.tails, cols.length);
      cols.push(...R);
    }
    quotCoeffs.push(cols);
  }
  const quotRound = await quotR.commit(zk, pool);
  tr.absorbDigest("quotient", quotRound.tree.root);

  lap("quotient");
  // 4. OOD
  const zeta = drawOodPoint(tr, logHeights, logLde);
  const ood: TableOodValues[] = [];
  for (let ti = 0; ti < sym.tables.length; ti++) {
    const logN = logHeights[ti]!;
    const zw = eMul(zeta, extOf(rootOfUnity(logN)));
    const bz = barycentricWeights(logN, zeta), bzw = rotatedWeights(bz, logN, 1, zw);
    // a hidden column is t + Z_H·r, and Z_H(ζω) = Z_H(ζ) since ω^n = 1
    const zh = eSub(ePow(zeta, 2 ** logN), extOf(1));
    const tz = extPowersFlat(zeta, shape.hiding), tzw = extPowersFlat(zw, shape.hiding);
    // main and aux columns in one pass per point (every column has a zk tail, or none has)
    const cols = [...mainEvals[ti]!, ...(auxEvals[ti] ?? [])], nm = mainEvals[ti]!.length;
    const tails = [...mainTails[ti]!, ...auxTails[ti]!];
    if (tails.length !== 0 && tails.length !== cols.length) throw new ProverError("Internal", "zk tails for some columns only");
    const at = async (bw: typeof bz, tp: Uint32Array) => {
      const v = await evalBarycentric(cols, bw, pool);
      if (tails.length === 0) return v;
      const r = await evalCoeffColumns(tails, tp, pool);
      return v.map((x, j) => eAdd(x, eMul(zh, r[j]!)));
    };
    const vz = await at(bz, tz), vzw = await at(bzw, tzw);
    const len = Math.max(...quotCoeffs[ti]!.map((c) => c.length));
    const quotZ = await evalCoeffColumns(quotCoeffs[ti]!, extPowersFlat(zeta, len), pool);
    ood.push({ mainZ: vz.slice(0, nm), mainZw: vzw.slice(0, nm), auxZ: vz.slice(nm), auxZw: vzw.slice(nm), quotZ });
  }
  if (!hooks.allowInvalidWitness) {
    let si = 0;
    sym.tables.forEach((t, ti) => {
      const s = t.auxWidth > 0 ? sums[si++]! : EXT_ZERO;
      if (!oodConstraintsHold(t, ood[ti]!, logHeights[ti]!, shape.quotient[ti]!.numChunks, zeta, gamma, publics, challenges, s)) {
        throw new ProverError("ConstraintFailed", `${t.name}: the trace does not satisfy the constraints (run checkConstraints for the row)`);
      }
    });
  }
  for (const o of ood) for (const v of [o.mainZ, o.mainZw, o.auxZ, o.auxZw, o.quotZ]) tr.absorbExts("ood", v);

  lap("ood");
  // 5. DEEP composition on g·H_N
  const lambda = tr.challengeExt("deep");
  const deep = await deepComposition(opts.workers !== false, shape, mainEvals, mainTails, auxEvals, auxTails, quotCoeffs, ood, zeta, lambda, N);
  if (hooks.corruptDeep) for (let i = 0; i < N; i++) deep[4 * i] = (deep[4 * i]! + 1) % P;
  // The coefficient and aux columns are read by OOD and DEEP only (the openings read the committed LDEs): let them
  // go before FRI, the proof's peak (2^20 × 60: the quotient coefficients are 80 MiB).
  quotCoeffs.length = 0;
  auxEvals.fill(undefined);
  // ...and with them the OOD weights and DEEP's intermediate vectors: V8 does not collect dead shared buffers on
  // its own (prover/workers/release.ts). Measured on 2^20 × 60: peak array buffers 1,957 → 1,872 MiB.
  await releaseSharedBuffers();

  lap("deep");
  // 6. FRI
  const st = hooks.corruptFinalPoly ? cheatFriCommitPhase(tr, shape.fri, deep) : await friCommitPhase(tr, shape.fri, deep, { truncateFinalPoly: hooks.allowInvalidWitness === true, pool });
  const { powNonce, indices } = hooks.skipProofOfWork ? cheatGrindAndQuery(tr, st) : friGrindAndQuery(tr, st);
  const fri = { proof: friProof(st, powNonce, indices), indices };
  const uniq = [...new Set(fri.indices)].sort((a, b) => a - b);
  const queries = {
    main: openCommitment(mainRound, uniq),
    aux: auxRound ? openCommitment(auxRound, uniq) : undefined,
    quotient: openCommitment(quotRound, uniq),
  };
  const proof: StarkProof<FriProof> = {
    logHeights: [...logHeights], mainRoots: [mainRound.tree.root], auxRoots: auxRound ? [auxRound.tree.root] : [],
    logupSums: sums, quotientRoots: [quotRound.tree.root], ood, fri: fri.proof, queries,
  };
  const bytes = encodeProof(proof, shape, params);
  lap("fri+open");
  return { proof, bytes, shape, timings };
}

const extEq = (a: Ext, b: Ext) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/**
 * f = (A − a)/(X − ζ) + μ·Σ_t (T_t − b_t)/(X − ζω_t) on g·H_N, interleaved (4 per point) as FRI takes it, where
 * T_t = Σ λ^j·(trace column j of table t) and A = Σ_t (T_t + Σ λ^j·(quotient column j)).
 * Everything is linear, so it is assembled in coefficient form: the trace combinations on H_n (WASM kernel),
 * interpolated (4 NTTs per table), plus Z_H times the combination of their zk tails; the quotient columns are
 * coefficients already; each division by a linear factor is an exact synthetic division (a = A(ζ) and
 * b_t = T_t(ζω_t) by construction), in the WASM kernel (prover/deep-divide.ts), table by table. Only f's 4 coordinates
 * are extended to g·H_N, on the worker pool, whose row-major width-4 output is exactly FRI's interleaved layout.
 */
async function deepComposition(
  useWorkers: boolean, shape: ProofShape, mainEvals: readonly (readonly Uint32Array[])[], mainTails: readonly Uint32Array[][],
  auxEvals: readonly (Uint32Array[] | undefined)[], auxTails: readonly Uint32Array[][], quotCoeffs: readonly Uint32Array[][],
  ood: TableOodValues[], zeta: Ext, lambda: Ext, N: number,
): Promise<Uint32Array> {
  const co = deepCoefficients(shape, ood, lambda);
  const logN = Math.log2(N);
  const flat = (es: readonly Ext[]) => { const c = new Uint32Array(4 * es.length); es.forEach((e, j) => c.set(e, 4 * j)); return c; };
  let len = 1;
  const h = shape.hiding;
  shape.logHeights.forEach((l, t) => { len = Math.max(len, 2 ** l + h, ...quotCoeffs[t]!.map((c) => c.length)); });
  const f = new Uint32Array(4 * len);
  const fk = [0, 1, 2, 3].map((k) => f.subarray(k * len, (k + 1) * len));
  let a = EXT_ZERO;
  const pool = useWorkers ? undefined : null;
  for (let t = 0; t < shape.logHeights.length; t++) {
    const l = shape.logHeights[t]!, n = 2 ** l;
    const lc = flat([...co.main[t]!, ...co.aux[t]!]);
    const Tn = await combineColumnsParallel([...mainEvals[t]!, ...(auxEvals[t] ?? [])], lc, n, pool);
    for (let k = 0; k < 4; k++) interpolate(Tn.subarray(k * n, (k + 1) * n));
    // T_t: n + h coefficients
    const D = n + h;
    const Ts = [0, 1, 2, 3].map((k) => { const v = new Uint32Array(D); v.set(Tn.subarray(k * n, (k + 1) * n)); return v; });
    if (h > 0) {
      // + Z_H·Σλ^j r_j: the tails' combination r enters at degree n and, negated, at degree 0
      const r = combineColumns([...mainTails[t]!, ...auxTails[t]!], lc, h);
      for (let k = 0; k < 4; k++) {
        for (let i = 0; i < h; i++) {
          const v = r[k * h + i]!;
          Ts[k]![n + i] = v;
          Ts[k]![i] = (Ts[k]![i]! + P - v) % P;
        }
      }
    }
    const qLen = Math.max(...quotCoeffs[t]!.map((c) => c.length));
    const Qc = await combineColumnsParallel(quotCoeffs[t]!, flat(co.quot[t]!), qLen, pool);
    const zw = eMul(zeta, extOf(rootOfUnity(l)));
    // f += (T_t + Q_t)/(X − ζ) + μ·(T_t − b_t)/(X − ζω_t): A/(X − ζ) is the sum over the tables (linearity)
    const rem = deepDivide(Ts, [0, 1, 2, 3].map((k) => Qc.subarray(k * qLen, (k + 1) * qLen)), len, zeta, zw, co.mu, fk);
    if (!extEq(rem.b, co.b[t]!)) throw new ProverError("Internal", "DEEP: trace combination disagrees with its OOD value");
    a = eAdd(a, rem.a);
  }
  if (!extEq(a, co.a)) throw new ProverError("Internal", "DEEP: combination disagrees with its OOD values");
  // f has up to 2^k + e coefficients: the first 2^k extended as usual, the few beyond as a tail (x^(2^k)·tail)
  const fParts = splitAt([0, 1, 2, 3].map((k) => f.subarray(k * len, (k + 1) * len)), 2 ** shape.logFriDegree);
  const tails = fParts.tails.length > 0 ? { data: fParts.tails, minusOne: false } : undefined;
  const m = await evaluateColumnsParallel(fParts.low, logN, GENERATOR, { pool, tails });
  return m.data;
}

