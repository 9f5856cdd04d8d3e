/**
 * Vectorised interpreter of a table's constraint DAG: evaluates chosen nodes over a block of points at once.
 * Base-field values are Uint32Array(size); extension values are Uint32Array(4·size) with coordinate k in
 * [k·size, (k+1)·size). Nodes whose value does not depend on the row (constants, publics, challenges, LogUp
 * sums and anything built only from them) are computed once and kept as broadcasts.
 */
import type { SymbolicTable } from "../verifier/symbolic.ts";
import { mul, type Ext } from "../verifier/fp.ts";
import { addSubVectors, mulVectors } from "./kernels/vecmul.ts";

const P = 2013265921;

/** a·b mod p for canonical a, b (verifier/field.ts's Barrett multiply). */
export const mulm: (a: number, b: number) => number = mul;
/** module-local alias: calls through an imported binding cost a getter per call under tsx */
const mulLocal: (a: number, b: number) => number = mul;

export interface VecLeaves {
  /** Writes main column `col` (current or next row) for the block's points into `out` (length size). */
  main(col: number, next: boolean, out: Uint32Array): void;
  /** Writes aux (extension) column `col` into `out` (length 4·size, coordinate-major). */
  aux(col: number, next: boolean, out: Uint32Array): void;
  periodic(col: number, out: Uint32Array): void;
}

export interface VecScalars {
  readonly publics: readonly number[];
  readonly challenges: readonly Ext[];
  readonly logupSum: Ext;
}

/** The nodes of `t` that computing `outputs` reads (1 = needed): the outputs and, transitively, their operands. */
export function neededNodes(t: SymbolicTable, outputs: Iterable<number>): Uint8Array {
  const nodes = t.nodes;
  const need = new Uint8Array(nodes.length);
  for (const o of outputs) need[o] = 1;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!need[i]) continue;
    const n = nodes[i]!;
    if (n.op === "add" || n.op === "sub" || n.op === "mul") { need[n.a] = 1; need[n.b] = 1; }
    else if (n.op === "neg") need[n.a] = 1;
  }
  return need;
}

export class VecEvaluator {
  private readonly need: Uint8Array;
  private readonly isStatic: Uint8Array;
  private readonly bufs: Uint32Array[];
  private staticDone = false;

  constructor(
    private readonly t: SymbolicTable,
    readonly outputs: readonly number[],
    readonly size: number,
    private readonly scalars: VecScalars,
  ) {
    const nodes = t.nodes;
    this.need = neededNodes(t, outputs);
    this.isStatic = new Uint8Array(nodes.length);
    nodes.forEach((n, i) => {
      switch (n.op) {
        case "const": case "public": case "challenge": case "logupSum": this.isStatic[i] = 1; break;
        case "main": case "aux": case "periodic": break;
        case "add": case "sub": case "mul": this.isStatic[i] = this.isStatic[n.a]! & this.isStatic[n.b]!; break;
        case "neg": this.isStatic[i] = this.isStatic[n.a]!; break;
      }
    });
    this.bufs = nodes.map((_, i) => (this.need[i] ? new Uint32Array(t.isExt[i] ? 4 * size : size) : new Uint32Array(0)));
  }

  /** Evaluates the block; returns the buffers of all nodes (read the outputs from it). */
  run(leaves: VecLeaves): readonly Uint32Array[] {
    const nodes = this.t.nodes;
    const S = this.size;
    // the WASM SIMD kernels (prover/kernels/vecmul.ts) for blocks of whole 4-lane groups
    const kernel = S >= 16 && S % 4 === 0;
    for (let i = 0; i < nodes.length; i++) {
      if (!this.need[i]) continue;
      if (this.isStatic[i] && this.staticDone) continue;
      const n = nodes[i]!;
      const out = this.bufs[i]!;
      switch (n.op) {
        case "const": out.fill(n.value); break;
        case "public": out.fill(this.scalars.publics[n.index]!); break;
        case "challenge": fillExt(out, this.scalars.challenges[n.index]!, S); break;
        case "logupSum": fillExt(out, this.scalars.logupSum, S); break;
        case "main": leaves.main(n.col, n.next, out); break;
        case "aux": leaves.aux(n.col, n.next, out); break;
        case "periodic": leaves.periodic(n.col, out); break;
        case "neg": {
          const a = this.bufs[n.a]!;
          for (let j = 0; j < out.length; j++) out[j] = a[j] === 0 ? 0 : P - a[j]!;
          break;
        }
        case "add":
          if (kernel) addSubVectors(out, this.bufs[n.a]!, this.bufs[n.b]!, S, false);
          else addInto(out, this.bufs[n.a]!, this.bufs[n.b]!);
          break;
        case "sub":
          if (kernel) addSubVectors(out, this.bufs[n.a]!, this.bufs[n.b]!, S, true);
          else subInto(out, this.bufs[n.a]!, this.bufs[n.b]!);
          break;
        case "mul":
          if (kernel) mulVectors(out, this.bufs[n.a]!, this.bufs[n.b]!, S);
          else mulInto(out, this.bufs[n.a]!, this.bufs[n.b]!, S);
          break;
      }
    }
    this.staticDone = true;
    return this.bufs;
  }
}

// An ext operand has 4·S entries, a base operand S: a base operand only contributes to coordinate 0, so the
// common prefix is combined and the rest of the longer operand copied (negated for a subtrahend). Separate
// branch-free loops: the per-element length tests of a single generic loop cost ~2× here.

/** out = a + b (each base or ext; out as long as the longer). */
function addInto(out: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  const m = Math.min(a.length, b.length);
  for (let j = 0; j < m; j++) { const s = a[j]! + b[j]!; out[j] = s >= P ? s - P : s; }
  if (a.length > m) out.set(a.subarray(m), m);
  else if (b.length > m) out.set(b.subarray(m), m);
}

/** out = a − b (each base or ext; out as long as the longer). */
function subInto(out: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  const m = Math.min(a.length, b.length);
  for (let j = 0; j < m; j++) { const s = a[j]! - b[j]!; out[j] = s < 0 ? s + P : s; }
  if (a.length > m) out.set(a.subarray(m), m);
  else for (let j = m; j < b.length; j++) out[j] = b[j] === 0 ? 0 : P - b[j]!;
}

function fillExt(out: Uint32Array, e: Ext, S: number): void {
  for (let k = 0; k < 4; k++) out.fill(e[k]!, k * S, (k + 1) * S);
}

/** out = a·b where each of a, b is base (length S) or ext (length 4S). */
export function mulInto(out: Uint32Array, a: Uint32Array, b: Uint32Array, S: number): void {
  const ea = a.length > S, eb = b.length > S;
  if (!ea && !eb) {
    for (let j = 0; j < S; j++) out[j] = mulLocal(a[j]!, b[j]!);
  } else if (ea !== eb) {
    const e = ea ? a : b, s = ea ? b : a;
    for (let k = 0; k < 4; k++) {
      const o = k * S;
      for (let j = 0; j < S; j++) out[o + j] = mulLocal(e[o + j]!, s[j]!);
    }
  } else {
    for (let j = 0; j < S; j++) {
      const a0 = a[j]!, a1 = a[S + j]!, a2 = a[2 * S + j]!, a3 = a[3 * S + j]!;
      const b0 = b[j]!, b1 = b[S + j]!, b2 = b[2 * S + j]!, b3 = b[3 * S + j]!;
      // (Σ a_i X^i)(Σ b_j X^j) mod X^4 − 11; partial sums stay < 2^53 (each term < 2^31, ≤ 4 terms, ×11).
      const t4 = (mulLocal(a1, b3) + mulLocal(a2, b2) + mulLocal(a3, b1)) % P;
      const t5 = (mulLocal(a2, b3) + mulLocal(a3, b2)) % P;
      const t6 = mulLocal(a3, b3);
      out[j] = (mulLocal(a0, b0) + 11 * t4) % P;
      out[S + j] = (mulLocal(a0, b1) + mulLocal(a1, b0) + 11 * t5) % P;
      out[2 * S + j] = (mulLocal(a0, b2) + mulLocal(a1, b1) + mulLocal(a2, b0) + 11 * t6) % P;
      out[3 * S + j] = (mulLocal(a0, b3) + mulLocal(a1, b2) + mulLocal(a2, b1) + mulLocal(a3, b0)) % P;
    }
  }
}
