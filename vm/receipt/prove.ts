// Proving a VM run: composes the executor and trace builders (vm/), the generic STARK prover (prover/) and
// the receipt container. The executor runs first, so a trapping guest fails with its typed VmError before any
// proving work, and no receipt exists for it.
import { prove as proveStark, proveJoint } from "../../prover/stark.ts";
import { sha256 } from "../../verifier/sha256.ts";
import { COMPACT_PARAMS, DEFAULT_PARAMS, SECURITY_TARGET_BITS, type StarkParams } from "../../verifier/params.ts";
import { proofShape } from "../../verifier/protocol.ts";
import { symbolicAir } from "../../verifier/symbolic.ts";
import type { Air } from "../../verifier/air.ts";
import { buildVmSegments, buildVmTrace, vmAir, vmProgramAir, vmSegmentedAirs, VM_AIR_VERSION, VmAirError, type InitPage } from "../air/index.ts";
import { MAX_CYCLES } from "./verify.ts";
import { execute } from "../executor/index.ts";
import { configBytes, computeImageId, imageIdBytes, memoryMultiProof, memoryRoot, pageLeaves, type ImageId } from "../image/image-id.ts";
import type { Program } from "../program.ts";
import { ReceiptError } from "./errors.ts";
import { encodeReceipt, type Receipt } from "./format.ts";

/**
 * Segment size for long runs when the caller has no reason to pick another: tables of < 2^17 rows keep one part's
 * LDE at 2^20 rows (zk doubles the trace degree, rate 1/4), measured at ≈ 5–7 GiB peak RSS per MNIST part and
 * 12–20 s each on 2 cores; 2^18 would double both.
 */
export const DEFAULT_SEGMENT_CYCLES = 2 ** 17;

/** The segment size a run is proven with (undefined: one proof): the caller's, else one proof for a run of at most
 *  DEFAULT_SEGMENT_CYCLES cycles and segments of that size beyond. */
export function segmentCyclesFor(cycles: number, requested?: number): number | undefined {
  return requested ?? (cycles > DEFAULT_SEGMENT_CYCLES ? DEFAULT_SEGMENT_CYCLES : undefined);
}

export type ProvePhase = "execute" | "trace" | "prove" | "done";

export interface ProveReceiptOptions {
  /** STARK parameters, used as given; default: `receiptParams` (compact when secure at the run's size) */
  readonly params?: StarkParams;
  /** with the default parameters: zero knowledge (default true) */
  readonly zk?: boolean;
  /** with the default parameters: always DEFAULT_PARAMS (rate 1/4), a faster prover for a larger receipt */
  readonly fastProve?: boolean;
  /** execute only and write a dev receipt (no proof; verify refuses it unless allowDev) */
  readonly dev?: boolean;
  /** cycle limit of the execution (CycleLimit trap beyond it); default MAX_CYCLES (what a receipt may claim) */
  readonly maxCycles?: number;
  /** prove in segments whose tables hold fewer than this many rows each (docs/vm-air.md §11): a "segments" receipt
   *  of N + 1 joint proofs (the memory proof, then one per segment); default: one proof for a run of at most
   *  DEFAULT_SEGMENT_CYCLES cycles, segments of DEFAULT_SEGMENT_CYCLES beyond */
  readonly segmentCycles?: number;
  readonly onPhase?: (phase: ProvePhase) => void;
  /** segments only: called as the joint proof's parts progress (the memory proof is part 1) */
  readonly onPart?: (phase: "commit" | "prove", k: number, n: number) => void;
}

export interface ProveReceiptResult {
  readonly receipt: Uint8Array;
  readonly imageId: ImageId;
  readonly journal: Uint8Array;
  readonly exitCode: number;
  readonly cycles: number;
  readonly segments: number;
  readonly proofBytes: number;
  readonly proveMs: number;
  readonly dev: boolean;
}

/**
 * Largest LDE (log2) proven with COMPACT_PARAMS by default. The rate-1/8 LDE doubles the prover's commitment work
 * and matrices: measured ≈ 1.7× CPU and 1.3–1.7× peak RSS for runs up to 2^16 cycles, but 2^18 cycles took 89 s
 * and 13.2 GiB instead of 49 s and 7.5 GiB (docs/receipt.md, protocol v3). Runs over 2^16 cycles (a CPU table over
 * 2^16 rows: FRI degree 2^17 with or without zk since protocol v4) therefore keep DEFAULT_PARAMS unless the caller
 * asks otherwise.
 */
export const COMPACT_MAX_LOG_LDE = 19;

/**
 * The parameters a receipt is proven with when the caller names none: COMPACT_PARAMS (rate 1/8, 28 queries:
 * ≈ 25 % smaller receipts, faster verification, ≈ 1.7× the prover's CPU) when they reach the verifier's security
 * target for these table heights and the LDE stays within 2^COMPACT_MAX_LOG_LDE, else DEFAULT_PARAMS (rate 1/4,
 * 43 queries), which reach the target up to the largest single proof (an LDE of 2^23). `fastProve` always picks
 * DEFAULT_PARAMS.
 */
export function receiptParams(air: Air, logHeights: readonly number[], zk = true, fastProve = false): StarkParams {
  const fallback = { ...DEFAULT_PARAMS, zk };
  if (fastProve) return fallback;
  const compact = { ...COMPACT_PARAMS, zk };
  try {
    const shape = proofShape(symbolicAir(air), compact, logHeights, SECURITY_TARGET_BITS);
    return shape.logLde <= COMPACT_MAX_LOG_LDE ? compact : fallback;
  } catch {
    return fallback; // InsecureParams at this LDE size (or anything the prover will report itself)
  }
}

export async function proveReceipt(program: Program, input: Uint8Array = new Uint8Array(0), opts: ProveReceiptOptions = {}): Promise<ProveReceiptResult> {
  const t0 = performance.now();
  let params = opts.params ?? { ...DEFAULT_PARAMS, zk: opts.zk ?? true };
  const maxCycles = opts.maxCycles ?? MAX_CYCLES - 1;
  const imageId = computeImageId(program);
  // Refuse an unprovable image before running it (the decode is what the verifier will do too).
  let air: ReturnType<typeof vmAir> | undefined;
  if (opts.dev !== true) air = airOf(program);
  opts.onPhase?.("execute");
  const run = execute(program, input, { maxCycles });
  // One proof while it stays small; beyond, segments: a single proof's memory grows with the run (≈ 4 GiB at 2^17
  // cycles, > 20 GiB at 2^20 on this prover) while a segment's stays that of one segment.
  const segmentCycles = segmentCyclesFor(run.cycles, opts.segmentCycles);
  const image = { memoryRoot: imageMemoryRoot(program), configBytes: configBytes(program), code: program.code };
  const statement = { imageId: imageIdBytes(imageId), journalDigest: sha256(run.journal), journal: run.journal, exitCode: run.exitCode, cycles: run.cycles };
  let receipt: Receipt;
  let segments = 1;
  if (opts.dev === true) {
    receipt = { kind: "dev", airVersion: VM_AIR_VERSION, statement, image };
  } else if (segmentCycles !== undefined) {
    opts.onPhase?.("trace");
    let t;
    try {
      t = buildVmSegments(program, input, segmentCycles, maxCycles);
    } catch (e) {
      if (e instanceof VmAirError) throw new ReceiptError("UnprovableImage", `this run cannot be proven: ${e.message}`);
      throw e;
    }
    opts.onPhase?.("prove");
    const airs = vmSegmentedAirs(vmProgramAir(program), program.code, t.pages, run.journal);
    const parts = [{ air: airs.memory, traces: t.memory.traces, publics: t.memory.publics }, ...t.segments.map((sg) => ({ air: airs.segment(sg.tables), traces: sg.traces, publics: sg.publics }))];
    const memory = { pages: t.pages, siblings: memoryMultiProof(program.segments, t.pages.map((p) => p.index)) };
    const proofs = await proveJoint(parts, { params, ...(opts.onPart ? { onPart: opts.onPart } : {}) });
    segments = t.segments.length;
    receipt = { kind: "segments", airVersion: VM_AIR_VERSION, statement, image, params, memory, proofs: proofs.map((p) => p.bytes), segmentTables: t.segments.map((sg) => sg.tables) };
  } else {
    opts.onPhase?.("trace");
    let t;
    try {
      t = buildVmTrace(program, input, maxCycles);
    } catch (e) {
      // the run did something this AIR cannot express (an unaligned access, a frame beyond 2^24 slots)
      if (e instanceof VmAirError) throw new ReceiptError("UnprovableImage", `this run cannot be proven: ${e.message}`);
      throw e;
    }
    opts.onPhase?.("prove");
    air = airOf(program, t.pages, run.journal); // with the touched pages and the journal as public tuples
    if (opts.params === undefined) params = receiptParams(air, t.traces.map((cols) => Math.log2(cols[0]!.length)), opts.zk ?? true, opts.fastProve === true);
    const memory = { pages: t.pages, siblings: memoryMultiProof(program.segments, t.pages.map((p) => p.index)) };
    const proof = await proveStark(air, t.traces, t.publics, { params });
    receipt = { kind: "stark", airVersion: VM_AIR_VERSION, statement, image, params, memory, proof: proof.bytes };
  }
  const bytes = encodeReceipt(receipt);
  opts.onPhase?.("done");
  return {
    receipt: bytes, imageId, journal: run.journal, exitCode: run.exitCode, cycles: run.cycles,
    segments: receipt.kind === "dev" ? 0 : segments, proofBytes: bytes.length, proveMs: Math.round(performance.now() - t0), dev: receipt.kind === "dev",
  };
}

/**
 * The memory root of a program's initial memory, hashed once per Program (programs are immutable, as for
 * computeImageId's cache): an image with large data segments (the 55 MB MNIST training image) costs ≈ 1 s to
 * hash, and `zkvm train --prove` proves hundreds of runs of one image.
 */
const memoryRoots = new WeakMap<Program, Uint8Array>();
function imageMemoryRoot(program: Program): Uint8Array {
  let root = memoryRoots.get(program);
  if (root === undefined) {
    root = memoryRoot(pageLeaves(program.segments));
    memoryRoots.set(program, root);
  }
  return Uint8Array.from(root);
}

function airOf(program: Program, pages: readonly InitPage[] = [], journal?: Uint8Array): ReturnType<typeof vmAir> {
  try {
    return vmAir(program, pages, journal);
  } catch (e) {
    if (e instanceof VmAirError) throw new ReceiptError("UnprovableImage", e.message);
    throw e;
  }
}
