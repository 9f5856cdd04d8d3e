/**
 * The AIR constraint language.
 *
 * An AIR is written ONCE as `eval(builder)` per table. `eval` runs against a recording builder that produces a
 * symbolic constraint DAG (verifier/symbolic.ts); every consumer interprets that same DAG:
 *   - symbolic analysis: degrees, quotient size, the AIR digest absorbed by the transcript;
 *   - the prover's quotient evaluator (prover/quotient.ts), vectorised over LDE rows;
 *   - the verifier's out-of-domain evaluator (verifier/stark.ts), at ζ in the extension field;
 *   - checkConstraints (prover/air-check.ts), row by row, naming the failing constraint and row.
 *
 * Expressions are immutable handles into the DAG of the table being built; arithmetic is by methods
 * (`a.add(b).mul(c)`) and numbers are accepted wherever an expression is (reduced mod p, negatives allowed).
 */

/** A constraint applies on every row, on the first row, on the last row, or on every row but the last. */
export type ConstraintDomain = "every" | "first" | "last" | "transition";

/** Node of the constraint DAG. Children always have smaller ids than their parent (creation order). */
export type ExprNode =
  | { readonly op: "const"; readonly value: number } // canonical base-field constant
  | { readonly op: "main"; readonly col: number; readonly next: boolean }
  | { readonly op: "aux"; readonly col: number; readonly next: boolean } // extension-valued (LogUp)
  | { readonly op: "periodic"; readonly col: number }
  | { readonly op: "public"; readonly index: number }
  | { readonly op: "challenge"; readonly index: number } // extension-valued, drawn after main commitment
  | { readonly op: "logupSum" } // extension-valued: this table's claimed final running sum
  | { readonly op: "add"; readonly a: number; readonly b: number }
  | { readonly op: "sub"; readonly a: number; readonly b: number }
  | { readonly op: "mul"; readonly a: number; readonly b: number }
  | { readonly op: "neg"; readonly a: number };

export type ExprLike = Expr | number | bigint;

/** Host of a DAG; `Expr` handles point into exactly one host. */
export interface ExprHost {
  node(n: ExprNode): Expr;
  lift(x: ExprLike): Expr;
}

export class Expr {
  /** @internal */ constructor(
    readonly host: ExprHost,
    readonly id: number,
  ) {}
  add(o: ExprLike): Expr {
    return this.host.node({ op: "add", a: this.id, b: this.host.lift(o).id });
  }
  sub(o: ExprLike): Expr {
    return this.host.node({ op: "sub", a: this.id, b: this.host.lift(o).id });
  }
  mul(o: ExprLike): Expr {
    return this.host.node({ op: "mul", a: this.id, b: this.host.lift(o).id });
  }
  neg(): Expr {
    return this.host.node({ op: "neg", a: this.id });
  }
  square(): Expr {
    return this.mul(this);
  }
}

/** A bus interaction: `send` adds +multiplicity·[tuple], `receive` adds −multiplicity·[tuple]. */
export interface Interaction {
  readonly bus: number;
  readonly tuple: readonly number[]; // node ids
  readonly multiplicity: number; // node id
  readonly direction: "send" | "receive";
  /**
   * Upper bound on |multiplicity| (as an integer) on any row, used for the no-wrap check of LogUp: the sum of
   * height × bound over all bounded interactions of all tables must stay below p. `undefined` marks the "table"
   * side of a lookup (e.g. a range table's multiplicity column), whose values need no bound (see docs).
   */
  readonly bound: number | undefined;
}

/** Constraint helpers shared by the builder and its row-filtered scopes. */
export interface ConstraintSink {
  /** Constrain `e` to be zero (on the rows of this scope). `name` appears in checkConstraints failures. */
  assertZero(e: ExprLike, name?: string): void;
  assertEq(a: ExprLike, b: ExprLike, name?: string): void;
  /** e·(e − 1) = 0 */
  assertBool(e: ExprLike, name?: string): void;
}

/** What an AIR's `eval` sees. */
export interface AirBuilder extends ConstraintSink {
  /** Number of main (base-field) columns of this table. */
  readonly width: number;
  /** Main column `i` on the current row. */
  col(i: number): Expr;
  /** Main column `i` on the next row (wraps to row 0 on the last row; use whenTransition to exclude it). */
  next(i: number): Expr;
  /** Periodic column `j` of the table (declared in `TableAir.periodic`). */
  periodic(j: number): Expr;
  /** Public input `i` of the whole AIR (shared by all tables). */
  pub(i: number): Expr;
  /** A constant. */
  constant(v: number | bigint): Expr;
  whenFirstRow(): ConstraintSink;
  whenLastRow(): ConstraintSink;
  whenTransition(): ConstraintSink;
  /** LogUp bus: contributes +multiplicity / (α − fingerprint(bus, tuple)). `bound` as in `Interaction`. */
  send(bus: number, tuple: readonly ExprLike[], multiplicity?: ExprLike, bound?: number): void;
  /** LogUp bus: contributes −multiplicity / (α − fingerprint(bus, tuple)). */
  receive(bus: number, tuple: readonly ExprLike[], multiplicity?: ExprLike, bound?: number): void;
}

/** One table of a (possibly multi-table) AIR. */
export interface TableAir {
  readonly name: string;
  /** Number of main columns. */
  readonly width: number;
  /** Periodic columns: each a list of base-field values whose length is a power of two dividing the height. */
  readonly periodic?: readonly (readonly number[])[];
  eval(b: AirBuilder): void;
}

/**
 * Bus interactions whose tuples the verifier knows (e.g. a VM's initial memory words, opened against the image
 * ID): each tuple contributes ±1/(α − fingerprint) to the bus, computed by the verifier itself and added to the
 * tables' LogUp sums. They are part of the AIR digest, so they are fixed before any challenge is drawn.
 */
export interface PublicInteractions {
  readonly bus: number;
  /** tuple length (≥ 1) */
  readonly arity: number;
  /** count·arity canonical field elements, tuple after tuple */
  readonly tuples: Uint32Array;
  readonly direction: "send" | "receive";
}

/** A multi-table AIR: tables of independent power-of-two heights sharing public inputs and LogUp buses. */
export interface Air {
  readonly name: string;
  readonly numPublicInputs: number;
  readonly tables: readonly TableAir[];
  /** interactions with public tuples, multiplicity 1 each (see PublicInteractions) */
  readonly publicInteractions?: readonly PublicInteractions[];
}
