/**
 * Binary proof format (little endian, versioned) and its strict parser.
 *
 *   magic "ZKSP" · u32 version · u32 T · u32 logHeight[T]
 *   mainRoot[T] (32 B) · auxRoot[A] · logupSum[A] (ext) · quotientRoot[T]          (A = tables with LogUp)
 *   per table: mainZ[w] mainZw[w] auxZ[a] auxZw[a] quotZ[q]   (ext, 16 B each; widths from the AIR/params)
 *   FRI: layerRoot[L] · finalPoly[4·2^logFinalLen] · u32 powNonce
 *   u32 U (distinct query rows, 1 ≤ U ≤ numQueries)
 *   per table, per commitment (main, aux?, quotient): rows[U·width] · salts[U·16 if zk] · u32 k · hash[k]
 *   per FRI layer: u32 V (≤ U) · pairs[8·V] · u32 k · hash[k]
 * Every count is bounded before allocation, every field element must be < p, and no byte may follow.
 * Shapes (T, widths, L, …) come from the AIR, the parameters and the heights: the parser validates the
 * heights through `shapeFor` before reading anything whose size depends on them.
 */
import { VerifierError, ensure } from "./errors.ts";
import { P } from "./field.ts";
import type { Ext } from "./ext.ts";
import type { ProofShape, StarkParams } from "./protocol.ts";
import type { CommitmentOpening, StarkProof, TableOodValues, TableQueryOpenings } from "./proof-types.ts";
import type { FriProof, FriLayerQuery } from "./backend.ts";

export const PROOF_MAGIC = 0x5053_4b5a; // "ZKSP" read as u32le
export const PROOF_VERSION = 1;
const MAX_TABLES = 64;
const HASH = 32;

class Writer {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private ensureCap(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u32(v: number): void {
    this.ensureCap(4);
    const b = this.buf, o = this.len;
    b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = (v >>> 24) & 0xff;
    this.len += 4;
  }
  fields(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) this.u32(xs[i]!);
  }
  exts(xs: readonly Ext[]): void {
    for (const x of xs) this.fields(x);
  }
  bytes(b: Uint8Array): void {
    this.ensureCap(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  hashes(hs: readonly Uint8Array[]): void {
    this.u32(hs.length);
    for (const h of hs) this.bytes(h);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function encodeProof(p: StarkProof<FriProof>, shape: ProofShape, params: StarkParams): Uint8Array {
  const w = new Writer();
  w.u32(PROOF_MAGIC);
  w.u32(PROOF_VERSION);
  w.u32(p.logHeights.length);
  w.fields(p.logHeights);
  p.mainRoots.forEach((r) => w.bytes(r));
  p.auxRoots.forEach((r) => w.bytes(r));
  w.exts(p.logupSums);
  p.quotientRoots.forEach((r) => w.bytes(r));
  for (const o of p.ood) for (const v of [o.mainZ, o.mainZw, o.auxZ, o.auxZw, o.quotZ]) w.exts(v);
  p.fri.layerRoots.forEach((r) => w.bytes(r));
  w.fields(p.fri.finalPoly);
  w.u32(p.fri.powNonce);
  const U = p.queries[0]!.main.rows.length / shape.mainWidth[0]!;
  w.u32(U);
  const open = (c: CommitmentOpening) => {
    w.fields(c.rows);
    if (params.zk) w.bytes(c.salts);
    w.hashes(c.proof);
  };
  for (const q of p.queries) {
    open(q.main);
    if (q.aux) open(q.aux);
    open(q.quotient);
  }
  for (const l of p.fri.layers) {
    w.u32(l.pairs.length / 8);
    w.fields(l.pairs);
    w.hashes(l.proof);
  }
  return w.finish();
}

class Reader {
  private o = 0;
  private readonly dv: DataView;
  constructor(private readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  need(n: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.o + n > this.b.length) throw new VerifierError("Malformed", `proof truncated reading ${what}`);
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.o, true);
    this.o += 4;
    return v;
  }
  count(what: string, max: number, min = 0): number {
    const v = this.u32(what);
    if (v < min || v > max) throw new VerifierError("Malformed", `${what} = ${v} outside [${min}, ${max}]`);
    return v;
  }
  fields(n: number, what: string): Uint32Array {
    this.need(4 * n, what);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.dv.getUint32(this.o + 4 * i, true);
      if (v >= P) throw new VerifierError("NonCanonical", `${what}: element ${v} ≥ p`);
      out[i] = v;
    }
    this.o += 4 * n;
    return out;
  }
  exts(n: number, what: string): Ext[] {
    const f = this.fields(4 * n, what);
    const out: Ext[] = [];
    for (let i = 0; i < n; i++) out.push(f.slice(4 * i, 4 * i + 4) as Ext);
    return out;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const r = this.b.slice(this.o, this.o + n);
    this.o += n;
    return r;
  }
  hashes(what: string, max: number): Uint8Array[] {
    const k = this.count(`${what} hash count`, max);
    this.need(k * HASH, what);
    const out: Uint8Array[] = [];
    for (let i = 0; i < k; i++) out.push(this.bytes(HASH, what));
    return out;
  }
  end(): void {
    if (this.o !== this.b.length) throw new VerifierError("TrailingBytes", `${this.b.length - this.o} bytes after the proof`);
  }
}

/**
 * Strict parser. `shapeFor(logHeights)` must validate the heights (HeightOutOfRange …) and return the shape.
 */
export function decodeProof(bytes: Uint8Array, numTables: number, numAuxTables: boolean[], params: StarkParams, shapeFor: (logHeights: number[]) => ProofShape): { proof: StarkProof<FriProof>; shape: ProofShape } {
  if (!(bytes instanceof Uint8Array)) throw new VerifierError("Malformed", "proof must be a Uint8Array");
  const r = new Reader(bytes);
  ensure(r.u32("magic") === PROOF_MAGIC, "Malformed", "bad magic");
  const version = r.u32("version");
  ensure(version === PROOF_VERSION, "Malformed", `unsupported proof version ${version}`);
  const T = r.count("table count", MAX_TABLES, 1);
  ensure(T === numTables, "AirMismatch", `proof has ${T} tables, AIR has ${numTables}`);
  const logHeights: number[] = [];
  for (let t = 0; t < T; t++) logHeights.push(r.u32("log height"));
  const shape = shapeFor(logHeights); // heights bounded here, before any size computation
  const roots = (n: number, what: string) => Array.from({ length: n }, () => r.bytes(HASH, what));
  const A = numAuxTables.filter(Boolean).length;
  const mainRoots = roots(T, "main root");
  const auxRoots = roots(A, "aux root");
  const logupSums = r.exts(A, "LogUp sums");
  const quotientRoots = roots(T, "quotient root");
  const ood: TableOodValues[] = [];
  for (let t = 0; t < T; t++) {
    const w = shape.mainWidth[t]!, a = shape.auxWidth[t]!, q = shape.quotWidth[t]!;
    ood.push({ mainZ: r.exts(w, "ood"), mainZw: r.exts(w, "ood"), auxZ: r.exts(a, "ood"), auxZw: r.exts(a, "ood"), quotZ: r.exts(q, "ood") });
  }
  const layerRoots = roots(shape.numFriLayers, "FRI layer root");
  const finalPoly = r.fields(4 * 2 ** params.logFinalLen, "final polynomial");
  const powNonce = r.u32("pow nonce");
  const U = r.count("query rows", params.numQueries, 1);
  const depth = shape.logLde;
  const open = (width: number): CommitmentOpening => ({
    rows: r.fields(U * width, "opened rows"),
    salts: params.zk ? r.bytes(16 * U, "salts") : new Uint8Array(0),
    proof: r.hashes("Merkle proof", U * depth),
  });
  const queries: TableQueryOpenings[] = [];
  for (let t = 0; t < T; t++) {
    const main = open(shape.mainWidth[t]!);
    const aux = numAuxTables[t] ? open(shape.auxWidth[t]!) : undefined;
    const quotient = open(shape.quotWidth[t]!);
    queries.push({ main, aux, quotient });
  }
  const layers: FriLayerQuery[] = [];
  for (let l = 0; l < shape.numFriLayers; l++) {
    const V = r.count("FRI layer rows", params.numQueries, 1);
    layers.push({ pairs: r.fields(8 * V, "FRI pairs"), proof: r.hashes("FRI Merkle proof", V * depth) });
  }
  r.end();
  return {
    proof: { logHeights, mainRoots, auxRoots, logupSums, quotientRoots, ood, fri: { layerRoots, finalPoly, powNonce, layers }, queries },
    shape,
  };
}
