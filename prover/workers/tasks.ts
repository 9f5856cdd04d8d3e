/**
 * Messages between the pool and its workers. Big arrays travel as SharedArrayBuffers (no copies); every field
 * says which slice of them a task owns, so concurrent tasks never write the same bytes.
 */

/**
 * LDE of columns [colStart, colEnd) of a column-major input into a row-major output matrix. The input columns are
 * evaluations on H_n, or coefficients zero-padded to n (`kind`).
 */
export interface LdeTask {
  readonly op: "lde";
  /**
   * Where column c (for c in [colStart, colEnd)) lies: n values at byte `offset` of `buf` (a column the caller
   * already holds in shared memory is read there; the others are copied into one buffer). Other entries are null.
   */
  readonly inputs: readonly ({ readonly buf: SharedArrayBuffer; readonly offset: number } | null)[];
  readonly kind: "evals" | "coeffs";
  readonly n: number;
  readonly width: number;
  readonly colStart: number;
  readonly colEnd: number;
  readonly logBlowup: number;
  readonly shift: number;
  /** (n·2^logBlowup) × width u32, row-major; or, with outWidth, rows of outWidth values, column c at outOffset + c. */
  readonly output: SharedArrayBuffer;
  readonly outWidth?: number;
  readonly outOffset?: number;
  /** write column c of the output at [(outOffset + c)·rows, …) instead of row-major */
  readonly outColumnMajor?: boolean;
  /** zero-knowledge tails (prover/lde.ts ColumnTails): column c's at [c·tailLen, (c+1)·tailLen) */
  readonly tails?: SharedArrayBuffer;
  readonly tailLen?: number;
  readonly tailMinusOne?: boolean;
}

/**
 * Leaves [first, first + count) of a Merkle tree and the `levels` node levels of the subtree above them
 * (count = 2^levels ≥ 2^storedBottom(depth)): the leaves and the levels below storedBottom are hashed in the
 * worker's own kernel memory, the stored levels written into the shared node array (layout: prover/merkle.ts
 * levelOffsets).
 */
export interface SubtreeTask {
  readonly op: "subtree";
  readonly matrix: SharedArrayBuffer;
  readonly matrixOffset: number; // byte offset of the matrix in its buffer
  readonly width: number;
  readonly height: number;
  readonly salts: SharedArrayBuffer | null;
  readonly first: number;
  readonly count: number;
  readonly levels: number;
  readonly nodes: SharedArrayBuffer;
  /** the matrix is column-major (column c at [c·height, (c+1)·height)) */
  readonly columnMajor?: boolean;
}

/** A column the caller holds in shared memory: `len` u32 at byte `offset` of `buf`. */
export interface SharedColumn {
  readonly buf: SharedArrayBuffer;
  readonly offset: number;
}

/**
 * kernels/linalg.ts dotColumns of some columns against shared extension weights (4·len u32, coordinate-major):
 * column j's 4 sums written at out[4·(outIndex + j) …].
 */
export interface DotTask {
  readonly op: "dot";
  readonly columns: readonly SharedColumn[];
  readonly lengths: readonly number[];
  readonly weights: SharedColumn;
  readonly len: number;
  readonly out: SharedArrayBuffer;
  readonly outIndex: number;
}

/**
 * kernels/linalg.ts combineColumns over rows [rowStart, rowEnd) of every column (`len` rows each; columns shorter
 * than len are zero-padded), written coordinate-major into out (4·len u32) at those rows.
 */
export interface CombineTask {
  readonly op: "combine";
  readonly columns: readonly SharedColumn[];
  readonly lengths: readonly number[];
  readonly coeffs: readonly number[];
  readonly len: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly out: SharedArrayBuffer;
}

/** Used by tests: a task that fails inside the worker, to check errors come back typed. */
export interface FailTask {
  readonly op: "fail";
  readonly message: string;
}

export type WorkerTask = LdeTask | SubtreeTask | DotTask | CombineTask | FailTask;

export interface TaskRequest {
  readonly id: number;
  readonly task: WorkerTask;
}

export type TaskReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly error: { readonly kind: string; readonly message: string } };
