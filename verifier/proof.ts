/**
 * Binary proof format (little endian, versioned) and its strict parser (verifier/bytes.ts reader rules).
 *
 *   u32 magic "ZKSP" · u32 version (3) · u32 T · u32 logHeight[T]
 *   mainRoot (32 B) · auxRoot (if A > 0) · logupSum[A] (ext) · quotientRoot          (A = tables with LogUp)
 *   per table: mainZ[w] mainZw[w] auxZ[a] auxZw[a] quotZ[q]   (ext, 16 B each; widths from the AIR/params)
 *   FRI proof (verifier/fri.ts encoding: layer roots, final polynomial, u64 nonce, per-layer openings)
 *   u32 U (distinct query rows, 1 ≤ U ≤ numQueries)
 *   per round (main, aux if A > 0, quotient): rows[U·W] · salts[U·16 if zk] · u32 k · hash[k]
 *     (one Merkle tree per round; W = the round's total width, every table's row side by side)
 * Every count is bounded before allocation, every field element must be < p, and no byte may follow.
 * Shapes (T, widths, FRI layers, …) come from the AIR, the parameters and the heights: the parser validates the
 * heights through `shapeFor` before reading anything whose size depends on them.
 */
import { VerifierError, ensure } from "./errors.ts";
import type { Ext } from "./ext.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { readFriProof, writeFriProof, type FriProof } from "./fri.ts";
import type { ProofShape, StarkParams } from "./protocol.ts";
import type { CommitmentOpening, RoundQueryOpenings, StarkProof, TableOodValues } from "./proof-types.ts";

export const PROOF_MAGIC = 0x5053_4b5a; // "ZKSP" read as u32le
/**
 * 2: one Merkle tree per commitment round (1 had one per table and round). 3: the aux and quotient widths follow
 * protocol v3 (batched LogUp columns, one DEEP mask per proof); same layout, so a v2 proof is refused up front. 4:
 * protocol v4 (zero knowledge by t + Z_H·r: fewer quotient chunks, FRI final polynomials with a degree excess).
 */
export const PROOF_VERSION = 4;
const MAX_TABLES = 64;
const SALT = 16;

function flatten(xs: readonly Ext[]): Uint32Array {
  const out = new Uint32Array(4 * xs.length);
  xs.forEach((x, i) => out.set(x, 4 * i));
  return out;
}

export function encodeProof(p: StarkProof<FriProof>, shape: ProofShape, params: StarkParams): Uint8Array {
  const w = new ByteWriter(1 << 16);
  w.u32(PROOF_MAGIC);
  w.u32(PROOF_VERSION);
  w.u32(p.logHeights.length);
  for (const l of p.logHeights) w.u32(l);
  p.mainRoots.forEach((r) => w.digest(r));
  p.auxRoots.forEach((r) => w.digest(r));
  w.fields(flatten(p.logupSums));
  p.quotientRoots.forEach((r) => w.digest(r));
  for (const o of p.ood) for (const v of [o.mainZ, o.mainZw, o.auxZ, o.auxZw, o.quotZ]) w.fields(flatten(v));
  writeFriProof(w, p.fri, shape.fri);
  const U = p.queries.main.rows.length / roundWidths(shape).main;
  w.u32(U);
  const open = (c: CommitmentOpening) => {
    w.fields(c.rows);
    if (params.zk) w.bytes(c.salts);
    w.digests(c.proof);
  };
  open(p.queries.main);
  if (p.queries.aux) open(p.queries.aux);
  open(p.queries.quotient);
  return w.finish();
}

/** Total row width of each commitment round (every table's columns side by side). */
export function roundWidths(shape: ProofShape): { readonly main: number; readonly aux: number; readonly quotient: number } {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return { main: sum(shape.mainWidth), aux: sum(shape.auxWidth), quotient: sum(shape.quotWidth) };
}

function exts(r: ByteReader, n: number, what: string): Ext[] {
  const f = r.extsFlat(n, what);
  const out: Ext[] = [];
  for (let i = 0; i < n; i++) out.push(f.slice(4 * i, 4 * i + 4) as Ext);
  return out;
}

/**
 * Strict parser. `shapeFor(logHeights)` must validate the heights (HeightOutOfRange …) and return the shape.
 */
export function decodeProof(bytes: Uint8Array, numTables: number, hasAux: readonly boolean[], params: StarkParams, shapeFor: (logHeights: number[]) => ProofShape): { proof: StarkProof<FriProof>; shape: ProofShape } {
  if (!(bytes instanceof Uint8Array)) throw new VerifierError("Malformed", "proof must be a Uint8Array");
  const r = new ByteReader(bytes);
  ensure(r.u32("magic") === PROOF_MAGIC, "Malformed", "bad magic");
  const version = r.u32("version");
  ensure(version === PROOF_VERSION, "Malformed", `unsupported proof version ${version}`);
  const T = r.count("table count", MAX_TABLES, 1);
  ensure(T === numTables, "AirMismatch", `proof has ${T} tables, AIR has ${numTables}`);
  const logHeights: number[] = [];
  for (let t = 0; t < T; t++) logHeights.push(r.u32("log height"));
  const shape = shapeFor(logHeights); // heights bounded here, before any size computation
  const A = hasAux.filter(Boolean).length;
  const roots = (n: number, what: string) => Array.from({ length: n }, () => r.digest(what));
  const mainRoots = roots(1, "main root");
  const auxRoots = roots(A > 0 ? 1 : 0, "aux root");
  const logupSums = exts(r, A, "LogUp sums");
  const quotientRoots = roots(1, "quotient root");
  const ood: TableOodValues[] = [];
  for (let t = 0; t < T; t++) {
    const w = shape.mainWidth[t]!, a = shape.auxWidth[t]!, q = shape.quotWidth[t]!;
    ood.push({ mainZ: exts(r, w, "ood"), mainZw: exts(r, w, "ood"), auxZ: exts(r, a, "ood"), auxZw: exts(r, a, "ood"), quotZ: exts(r, q, "ood") });
  }
  const fri = readFriProof(r, shape.fri);
  const U = r.count("query rows", params.numQueries, 1);
  const depth = shape.logLde;
  const open = (width: number): CommitmentOpening => ({
    rows: r.fields(U * width, "opened rows"),
    salts: params.zk ? r.bytes(SALT * U, "salts") : new Uint8Array(0),
    proof: r.digests("Merkle proof", U * depth),
  });
  const W = roundWidths(shape);
  const main = open(W.main);
  const aux = A > 0 ? open(W.aux) : undefined;
  const queries: RoundQueryOpenings = { main, aux, quotient: open(W.quotient) };
  r.end();
  return { proof: { logHeights, mainRoots, auxRoots, logupSums, quotientRoots, ood, fri, queries }, shape };
}
