/**
 * The structured STARK proof (verifier/proof.ts encodes/decodes it). Shapes are fixed by the AIR, the
 * parameters and the table heights; the strict parser checks every count against them.
 */
import type { Ext } from "./fp.ts";

/** Values of every committed column of one table at the out-of-domain points. */
export interface TableOodValues {
  /** main columns at ζ and at ζ·ω_t (ω_t the table's trace generator). */
  readonly mainZ: Ext[];
  readonly mainZw: Ext[];
  /** aux base-coordinate columns (4 per ext column) at ζ and ζ·ω_t. */
  readonly auxZ: Ext[];
  readonly auxZw: Ext[];
  /** quotient-commitment columns (4 per chunk, plus 4 mask columns in ZK mode) at ζ. */
  readonly quotZ: Ext[];
}

/** Rows of one commitment opened at the query positions, with their salts and the Merkle multi-proof. */
export interface CommitmentOpening {
  /** count × width base elements, row-major, rows in the order of the (sorted, unique) query positions. */
  readonly rows: Uint32Array;
  /** count × 16 bytes in ZK mode, else empty. */
  readonly salts: Uint8Array;
  /** Sibling hashes of the multi-proof (32 bytes each), in verifier consumption order. */
  readonly proof: readonly Uint8Array[];
}

/**
 * The query openings of the three commitment rounds. Each round is one Merkle tree whose leaf i holds the rows of
 * every table at LDE index i side by side, in table order (aux: tables with LogUp columns only), so each opened
 * row has the round's total width.
 */
export interface RoundQueryOpenings {
  readonly main: CommitmentOpening;
  readonly aux: CommitmentOpening | undefined;
  readonly quotient: CommitmentOpening;
}

export interface StarkProof<F = unknown> {
  readonly logHeights: number[];
  /** one root per commitment round: main (1), aux (1 if any table has LogUp columns, else 0), quotient (1) */
  readonly mainRoots: Uint8Array[];
  readonly auxRoots: Uint8Array[];
  /** for tables with LogUp columns only (in table order) */
  readonly logupSums: Ext[];
  readonly quotientRoots: Uint8Array[];
  readonly ood: TableOodValues[];
  readonly fri: F;
  readonly queries: RoundQueryOpenings;
}
