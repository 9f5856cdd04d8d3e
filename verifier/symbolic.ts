/**
 * Symbolic interpretation of an AIR: runs each table's `eval` once against a recording builder, producing a
 * constraint DAG, and derives everything the protocol needs from it: node degrees, which nodes are
 * extension-valued, the LogUp auxiliary columns (verifier/logup.ts), the quotient shape for a given height, and
 * the AIR digest that seeds the transcript.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import {
  Expr,
  type Air,
  type AirBuilder,
  type ConstraintDomain,
  type ConstraintSink,
  type ExprLike,
  type ExprNode,
  type ExprHost,
  type Interaction,
  type PublicInteractions,
  type TableAir,
} from "./air.ts";
import { appendLogup, LOGUP_NUM_CHALLENGES } from "./logup.ts";
import { ByteWriter } from "./bytes.ts";

const P = 2013265921;

export interface SymbolicConstraint {
  readonly node: number;
  readonly domain: ConstraintDomain;
  readonly name: string;
}

export interface SymbolicTable {
  readonly name: string;
  readonly width: number;
  readonly periodic: readonly (readonly number[])[];
  readonly nodes: readonly ExprNode[];
  /** Degree of each node as a polynomial in the trace columns (0 for constants, publics, challenges). */
  readonly degrees: Int32Array;
  /** 1 where the node's value lies in the extension field (aux columns, challenges, LogUp sums). */
  readonly isExt: Uint8Array;
  readonly constraints: readonly SymbolicConstraint[];
  readonly interactions: readonly Interaction[];
  /** Number of extension-valued auxiliary (LogUp) columns; 0 when the table has no interactions. */
  readonly auxWidth: number;
  /** LogUp batching: aux column g sums the interactions logupGroups[g] (indices into `interactions`). */
  readonly logupGroups: readonly (readonly number[])[];
  /** Max constraint degree per domain (0 if none). */
  readonly maxDegree: number;
}

export interface SymbolicAir {
  readonly name: string;
  readonly numPublicInputs: number;
  readonly tables: readonly SymbolicTable[];
  /** Number of extension challenges drawn after the main commitment (0 when no table uses a bus). */
  readonly numChallenges: number;
  /** SHA-256 of the canonical description of every table's constraints and interactions (public ones included). */
  readonly digest: Uint8Array;
  /** Interactions with public tuples (validated: canonical values, whole tuples). */
  readonly publicInteractions: readonly PublicInteractions[];
  /** Number of public tuples (each of multiplicity 1, counted in the LogUp no-wrap bound). */
  readonly publicTupleCount: number;
}

function reduce(v: number | bigint): number {
  if (typeof v === "bigint") {
    const r = Number(((v % BigInt(P)) + BigInt(P)) % BigInt(P));
    return r;
  }
  if (!Number.isSafeInteger(v)) throw new TypeError(`AIR constant ${v} is not a safe integer`);
  return ((v % P) + P) % P;
}

class Scope implements ConstraintSink {
  constructor(
    private readonly b: TableBuilder,
    private readonly domain: ConstraintDomain,
  ) {}
  assertZero(e: ExprLike, name?: string): void {
    this.b.addConstraint(this.b.lift(e), this.domain, name);
  }
  assertEq(a: ExprLike, c: ExprLike, name?: string): void {
    this.assertZero(this.b.lift(a).sub(c), name);
  }
  assertBool(e: ExprLike, name?: string): void {
    const x = this.b.lift(e);
    this.assertZero(x.mul(x.sub(1)), name);
  }
}

/** A string that identifies a node's content (op and operands), for hash-consing. */
function nodeKey(n: ExprNode): string {
  switch (n.op) {
    case "const": return `c${n.value}`;
    case "main": return `m${n.col}${n.next ? "'" : ""}`;
    case "aux": return `x${n.col}${n.next ? "'" : ""}`;
    case "periodic": return `p${n.col}`;
    case "public": return `u${n.index}`;
    case "challenge": return `h${n.index}`;
    case "logupSum": return "s";
    case "add": return `+${n.a},${n.b}`;
    case "sub": return `-${n.a},${n.b}`;
    case "mul": return `*${n.a},${n.b}`;
    case "neg": return `~${n.a}`;
  }
}

/** The recording builder. Exported for logup.ts, which appends auxiliary constraints through it. */
export class TableBuilder implements AirBuilder, ExprHost {
  readonly nodes: ExprNode[] = [];
  readonly constraints: SymbolicConstraint[] = [];
  readonly interactions: Interaction[] = [];
  private readonly memo = new Map<string, number>();
  private readonly every: Scope;

  constructor(
    readonly table: TableAir,
    readonly numPublicInputs: number,
  ) {
    this.every = new Scope(this, "every");
  }

  get width(): number {
    return this.table.width;
  }

  node(n: ExprNode): Expr {
    // Hash-consing keeps the DAG small (shared sub-expressions are evaluated once by every interpreter).
    const key = nodeKey(n);
    let id = this.memo.get(key);
    if (id === undefined) {
      id = this.nodes.length;
      this.nodes.push(n);
      this.memo.set(key, id);
    }
    return new Expr(this, id);
  }

  lift(x: ExprLike): Expr {
    if (x instanceof Expr) {
      if (x.host !== this) throw new TypeError("expression belongs to another table");
      return x;
    }
    return this.node({ op: "const", value: reduce(x) });
  }

  private checkCol(i: number, n: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${this.table.name}: ${what} ${i} out of range [0, ${n})`);
  }

  col(i: number): Expr {
    this.checkCol(i, this.table.width, "column");
    return this.node({ op: "main", col: i, next: false });
  }
  next(i: number): Expr {
    this.checkCol(i, this.table.width, "column");
    return this.node({ op: "main", col: i, next: true });
  }
  periodic(j: number): Expr {
    this.checkCol(j, this.table.periodic?.length ?? 0, "periodic column");
    return this.node({ op: "periodic", col: j });
  }
  pub(i: number): Expr {
    this.checkCol(i, this.numPublicInputs, "public input");
    return this.node({ op: "public", index: i });
  }
  constant(v: number | bigint): Expr {
    return this.node({ op: "const", value: reduce(v) });
  }
  aux(i: number, next: boolean): Expr {
    return this.node({ op: "aux", col: i, next });
  }
  challenge(i: number): Expr {
    return this.node({ op: "challenge", index: i });
  }
  logupSum(): Expr {
    return this.node({ op: "logupSum" });
  }

  assertZero(e: ExprLike, name?: string): void {
    this.every.assertZero(e, name);
  }
  assertEq(a: ExprLike, b: ExprLike, name?: string): void {
    this.every.assertEq(a, b, name);
  }
  assertBool(e: ExprLike, name?: string): void {
    this.every.assertBool(e, name);
  }
  whenFirstRow(): ConstraintSink {
    return new Scope(this, "first");
  }
  whenLastRow(): ConstraintSink {
    return new Scope(this, "last");
  }
  whenTransition(): ConstraintSink {
    return new Scope(this, "transition");
  }

  addConstraint(e: Expr, domain: ConstraintDomain, name?: string): void {
    this.constraints.push({ node: e.id, domain, name: name ?? `${this.table.name}#${this.constraints.length}` });
  }

  private interact(dir: "send" | "receive", bus: number, tuple: readonly ExprLike[], m: ExprLike | undefined, bound: number | undefined): void {
    if (!Number.isInteger(bus) || bus < 0 || bus >= P) throw new RangeError(`bus id ${bus} out of range`);
    if (tuple.length === 0) throw new RangeError("an interaction needs a non-empty tuple");
    const hasExplicitM = m !== undefined;
    const b = bound ?? (hasExplicitM ? undefined : 1);
    if (b !== undefined && (!Number.isSafeInteger(b) || b < 0)) throw new RangeError(`multiplicity bound ${b} invalid`);
    this.interactions.push({
      bus,
      tuple: tuple.map((t) => this.lift(t).id),
      multiplicity: this.lift(m ?? 1).id,
      direction: dir,
      bound: b,
    });
  }
  send(bus: number, tuple: readonly ExprLike[], multiplicity?: ExprLike, bound?: number): void {
    this.interact("send", bus, tuple, multiplicity, bound);
  }
  receive(bus: number, tuple: readonly ExprLike[], multiplicity?: ExprLike, bound?: number): void {
    this.interact("receive", bus, tuple, multiplicity, bound);
  }
}

function nodeDegreesAndExt(nodes: readonly ExprNode[]): { degrees: Int32Array; isExt: Uint8Array } {
  const degrees = new Int32Array(nodes.length);
  const isExt = new Uint8Array(nodes.length);
  nodes.forEach((n, i) => {
    switch (n.op) {
      case "const":
      case "public":
        break;
      case "challenge":
      case "logupSum":
        isExt[i] = 1;
        break;
      case "main":
      case "periodic":
        degrees[i] = 1;
        break;
      case "aux":
        degrees[i] = 1;
        isExt[i] = 1;
        break;
      case "add":
      case "sub":
        degrees[i] = Math.max(degrees[n.a]!, degrees[n.b]!);
        isExt[i] = isExt[n.a]! | isExt[n.b]!;
        break;
      case "mul":
        degrees[i] = degrees[n.a]! + degrees[n.b]!;
        isExt[i] = isExt[n.a]! | isExt[n.b]!;
        break;
      case "neg":
        degrees[i] = degrees[n.a]!;
        isExt[i] = isExt[n.a]!;
        break;
    }
  });
  return { degrees, isExt };
}

function validatePeriodic(t: TableAir): void {
  for (const col of t.periodic ?? []) {
    const m = col.length;
    if (m < 1 || (m & (m - 1)) !== 0) throw new RangeError(`${t.name}: periodic column length ${m} is not a power of two`);
    for (const v of col) if (!Number.isInteger(v) || v < 0 || v >= P) throw new RangeError(`${t.name}: periodic value ${v} not canonical`);
  }
}

/** Run `eval` of one table symbolically and append its LogUp columns. */
export function buildSymbolicTable(t: TableAir, numPublicInputs: number): SymbolicTable {
  if (!Number.isInteger(t.width) || t.width < 1) throw new RangeError(`${t.name}: width must be >= 1`);
  validatePeriodic(t);
  const b = new TableBuilder(t, numPublicInputs);
  t.eval(b);
  // the table's degree before LogUp bounds the batched LogUp constraints' degree (the quotient never grows)
  const pre = nodeDegreesAndExt(b.nodes).degrees;
  const preDegree = b.constraints.reduce((d, c) => Math.max(d, pre[c.node]!), 0);
  const { auxWidth, groups } = appendLogup(b, (id) => pre[id]!, preDegree);
  const { degrees, isExt } = nodeDegreesAndExt(b.nodes);
  let maxDegree = 0;
  for (const c of b.constraints) maxDegree = Math.max(maxDegree, degrees[c.node]!);
  if (b.constraints.length === 0) throw new RangeError(`${t.name}: a table needs at least one constraint`);
  return {
    name: t.name,
    width: t.width,
    periodic: (t.periodic ?? []).map((c) => [...c]),
    nodes: b.nodes,
    degrees,
    isExt,
    constraints: b.constraints,
    interactions: b.interactions,
    auxWidth,
    logupGroups: groups,
    maxDegree,
  };
}

const cache = new WeakMap<Air, SymbolicAir>();
/**
 * Symbolic tables memoised per table object and public-input count: a VM AIR is rebuilt for every receipt (its
 * program, globals and call-table columns are the image's), but most of its tables — the CPU's ~4,000-node DAG
 * among them — are the same module-level objects every time, so their `eval` runs once per process. Same trust
 * model as the per-AIR memo: a table object is an immutable description whose `eval` is deterministic.
 */
const tableCache = new WeakMap<TableAir, Map<number, SymbolicTable>>();

function symbolicTable(t: TableAir, numPublicInputs: number): SymbolicTable {
  let m = tableCache.get(t);
  const hit = m?.get(numPublicInputs);
  if (hit) return hit;
  const s = buildSymbolicTable(t, numPublicInputs);
  if (m === undefined) tableCache.set(t, (m = new Map()));
  m.set(numPublicInputs, s);
  return s;
}

/** Symbolic form of a whole AIR (memoised per AIR object). Throws RangeError/TypeError on an ill-formed AIR. */
export function symbolicAir(air: Air): SymbolicAir {
  const hit = cache.get(air);
  if (hit) return hit;
  if (!Number.isInteger(air.numPublicInputs) || air.numPublicInputs < 0) throw new RangeError("numPublicInputs must be >= 0");
  if (air.tables.length < 1) throw new RangeError("an AIR needs at least one table");
  const tables = air.tables.map((t) => symbolicTable(t, air.numPublicInputs));
  const publicInteractions = air.publicInteractions ?? [];
  let publicTupleCount = 0;
  for (const pi of publicInteractions) {
    if (!Number.isInteger(pi.bus) || pi.bus < 0 || pi.bus >= P) throw new RangeError(`public interaction bus ${pi.bus} is not a field element`);
    if (!Number.isInteger(pi.arity) || pi.arity < 1 || pi.arity > 64) throw new RangeError(`public interaction arity ${pi.arity} not in [1, 64]`);
    if (!(pi.tuples instanceof Uint32Array) || pi.tuples.length % pi.arity !== 0) throw new RangeError("public interaction tuples are not whole tuples");
    for (const v of pi.tuples) if (v >= P) throw new RangeError(`public interaction value ${v} is not canonical`);
    if (pi.direction !== "send" && pi.direction !== "receive") throw new RangeError("public interaction direction must be send or receive");
    publicTupleCount += pi.tuples.length / pi.arity;
  }
  if (publicTupleCount > 0 && !tables.some((t) => t.auxWidth > 0)) throw new RangeError("public interactions need a table with bus interactions");
  const numChallenges = tables.some((t) => t.auxWidth > 0) ? LOGUP_NUM_CHALLENGES : 0;
  const digest = airDigest(air.name, air.numPublicInputs, tables, publicInteractions);
  const s: SymbolicAir = { name: air.name, numPublicInputs: air.numPublicInputs, tables, numChallenges, digest, publicInteractions, publicTupleCount };
  cache.set(air, s);
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// AIR digest: SHA-256 over a canonical, length-prefixed byte description. Names of constraints are debugging
// aids and not part of it; table names, widths, periodic values, nodes, constraints and interactions are.

/** A u32 length prefix, then the string's UTF-8 bytes. */
function writeStr(w: ByteWriter, s: string): void {
  const b = new TextEncoder().encode(s);
  w.u32(b.length);
  w.bytes(b);
}

const OP_CODES: Record<ExprNode["op"], number> = {
  const: 1, main: 2, aux: 3, periodic: 4, public: 5, challenge: 6, logupSum: 7, add: 8, sub: 9, mul: 10, neg: 11,
};
const DOMAIN_CODES: Record<ConstraintDomain, number> = { every: 0, first: 1, last: 2, transition: 3 };

/** The canonical description of one table (its part of the AIR digest), memoised per symbolic table. */
const tableBytesCache = new WeakMap<SymbolicTable, Uint8Array>();

function tableBytes(t: SymbolicTable): Uint8Array {
  const hit = tableBytesCache.get(t);
  if (hit) return hit;
  const w = new ByteWriter();
  writeStr(w, t.name);
  w.u32(t.width);
  w.u32(t.auxWidth);
  w.u32(t.periodic.length);
  for (const c of t.periodic) {
    w.u32(c.length);
    for (const v of c) w.u32(v);
  }
  w.u32(t.nodes.length);
  for (const n of t.nodes) {
    w.u8(OP_CODES[n.op]);
    switch (n.op) {
      case "const": w.u32(n.value); break;
      case "main": case "aux": w.u32(n.col); w.u8(n.next ? 1 : 0); break;
      case "periodic": w.u32(n.col); break;
      case "public": case "challenge": w.u32(n.index); break;
      case "logupSum": break;
      case "add": case "sub": case "mul": w.u32(n.a); w.u32(n.b); break;
      case "neg": w.u32(n.a); break;
    }
  }
  w.u32(t.constraints.length);
  for (const c of t.constraints) {
    w.u32(c.node);
    w.u8(DOMAIN_CODES[c.domain]);
  }
  w.u32(t.interactions.length);
  for (const it of t.interactions) {
    w.u32(it.bus);
    w.u8(it.direction === "send" ? 0 : 1);
    w.u32(it.tuple.length);
    for (const x of it.tuple) w.u32(x);
    w.u32(it.multiplicity);
    w.u8(it.bound === undefined ? 0 : 1);
    if (it.bound !== undefined) { w.u32(it.bound % 2 ** 32); w.u32(Math.floor(it.bound / 2 ** 32)); }
  }
  const b = w.finish();
  tableBytesCache.set(t, b);
  return b;
}

type Sha256State = ReturnType<typeof sha256.create>;
/**
 * SHA-256 states after the tables' part of the digest input, for the last few (name, public count, tables)
 * combinations: a VM AIR is rebuilt per receipt around the same table objects (per image), and its description
 * (≈ 100 KB with the program table's public columns) would otherwise be re-hashed on every verify. A hit requires
 * the very same symbolic table objects, in order; the state is cloned, never updated in place.
 */
const prefixStates: { name: string; numPublic: number; tables: readonly SymbolicTable[]; state: Sha256State }[] = [];
const PREFIX_STATES = 16;

function tablesPrefixState(name: string, numPublic: number, tables: readonly SymbolicTable[]): Sha256State {
  for (let i = prefixStates.length - 1; i >= 0; i--) {
    const e = prefixStates[i]!;
    if (e.name === name && e.numPublic === numPublic && e.tables.length === tables.length && e.tables.every((t, k) => t === tables[k])) return e.state.clone();
  }
  const w = new ByteWriter();
  writeStr(w, "zkvm-ts/air/v2"); // v2: batched LogUp columns
  writeStr(w, name);
  w.u32(numPublic);
  w.u32(tables.length);
  const state = sha256.create();
  state.update(w.finish());
  for (const t of tables) state.update(tableBytes(t));
  prefixStates.push({ name, numPublic, tables: [...tables], state });
  if (prefixStates.length > PREFIX_STATES) prefixStates.shift();
  return state.clone();
}

function airDigest(name: string, numPublic: number, tables: readonly SymbolicTable[], pubs: readonly PublicInteractions[]): Uint8Array {
  const h = tablesPrefixState(name, numPublic, tables);
  const w = new ByteWriter();
  // Public tuples can be large (a VM's opened memory pages): hashed separately, little-endian u32 each.
  w.u32(pubs.length);
  for (const pi of pubs) {
    w.u32(pi.bus);
    w.u8(pi.direction === "send" ? 0 : 1);
    w.u32(pi.arity);
    w.u32(pi.tuples.length);
    const le = new Uint8Array(pi.tuples.length * 4);
    const dv = new DataView(le.buffer);
    for (let i = 0; i < pi.tuples.length; i++) dv.setUint32(4 * i, pi.tuples[i]!, true);
    w.bytes(sha256(le));
  }
  h.update(w.finish());
  return h.digest();
}

// ---------------------------------------------------------------------------------------------------------
// Quotient shape.

export interface QuotientShape {
  /** log2 of the trace height n. */
  readonly logN: number;
  /** Degree bound (number of coefficients) of each committed trace polynomial: n, or n + hiding in ZK mode. */
  readonly traceDegree: number;
  /** Number of coefficients of the quotient polynomial Q. */
  readonly quotientDegree: number;
  /** log2 of the coset on which the prover evaluates Q (a sub-coset of the LDE coset). */
  readonly logQuotientDomain: number;
  /** Number of degree-< n chunks Q is split into (each committed as 4 base columns). */
  readonly numChunks: number;
}

/** Degree of the vanishing polynomial each constraint domain divides by. */
function vanishingDegree(d: ConstraintDomain, n: number): number {
  return d === "every" ? n : d === "transition" ? n - 1 : 1;
}

/**
 * How big the quotient of table `t` is at height 2^logN when each trace polynomial has `hiding` extra random
 * coefficients (0 without zero knowledge).
 */
export function quotientShape(t: SymbolicTable, logN: number, hiding: number): QuotientShape {
  const n = 2 ** logN;
  const traceDegree = n + hiding;
  let q = 1;
  for (const c of t.constraints) {
    const d = t.degrees[c.node]!;
    // numerator degree ≤ d·(traceDegree − 1); a constant constraint (d = 0) is still divided (and must vanish).
    const num = d * (traceDegree - 1);
    q = Math.max(q, num - vanishingDegree(c.domain, n) + 1);
  }
  const numChunks = Math.max(1, Math.ceil(q / n));
  let logQuotientDomain = logN;
  while (2 ** logQuotientDomain < q) logQuotientDomain++;
  return { logN, traceDegree, quotientDegree: q, logQuotientDomain, numChunks };
}
