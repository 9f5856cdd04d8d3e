/**
 * Compiled evaluation of a table's constraint DAG at one extension point (the verifier's OOD check).
 *
 * verifier/air-eval.ts interprets the DAG node by node over `ExprNode` objects and allocates an extension element
 * per node; the VM's CPU table has ~4,000 nodes, so the out-of-domain check spent most of its time in the
 * allocator. Here a table is compiled ONCE (memoised per symbolic table, which verifier/symbolic.ts memoises per
 * table object) into typed arrays:
 *   - leaves: which input each leaf node loads (a main/aux column at ζ or ζ·ω, a periodic column, a public input,
 *     a challenge, the LogUp sum) or the constant it holds;
 *   - ops: straight-line code `op dst a b` over one flat Uint32Array of 4 words per node, in node order (children
 *     always precede parents), with the product of an extension value by a base-field value (a constant or a
 *     public input, or an expression of those only) specialised to 4 base multiplications;
 *   - the constraints' nodes grouped by domain, so the random linear combination Σ_k γ^k·C_k is formed per
 *     domain and multiplied by that domain's inverse vanishing value once.
 * Evaluation allocates nothing but its result. No `new Function` / eval: the verifier stays usable under a strict
 * Content-Security-Policy. test/air-compile.test.ts checks it against the interpreter (evalNodes) on random points
 * for every table of the VM AIR and of the example AIRs.
 */
import type { SymbolicTable } from "./symbolic.ts";
import * as F from "./field.ts";
import * as E from "./ext.ts";

const { add, sub, neg, mul } = F;
const { eMulAt } = E;

// leaf kinds
const L_CONST = 0, L_MAIN = 1, L_MAIN_NEXT = 2, L_AUX = 3, L_AUX_NEXT = 4, L_PERIODIC = 5, L_PUBLIC = 6, L_CHALLENGE = 7, L_LOGUP = 8;
// op codes (EB: extension × base, the base operand second; BB: base × base)
const O_ADD = 0, O_SUB = 1, O_NEG = 2, O_MUL = 3, O_MUL_EB = 4, O_MUL_BB = 5;

const DOMAINS = ["every", "first", "last", "transition"] as const;
export type DomainIndex = 0 | 1 | 2 | 3;

export interface CompiledTable {
  readonly numNodes: number;
  /** per leaf: node, kind, index (column / public / challenge) or constant value */
  readonly leafNode: Int32Array;
  readonly leafKind: Uint8Array;
  readonly leafArg: Float64Array;
  /** 4 ints per op: code, dst node, a node, b node */
  readonly ops: Int32Array;
  /** constraint nodes in declaration order, and each one's domain (index into DOMAINS) */
  readonly constraintNode: Int32Array;
  readonly constraintDomain: Uint8Array;
  /** per node, 4 words; reused by every evaluation (the verifier is synchronous and never re-enters) */
  readonly scratch: Uint32Array;
}

const compiled = new WeakMap<SymbolicTable, CompiledTable>();

/** The compiled form of `t` (memoised per symbolic table object). */
export function compileTable(t: SymbolicTable): CompiledTable {
  const hit = compiled.get(t);
  if (hit) return hit;
  const n = t.nodes.length;
  // base[i]: the node's value is a base-field element wherever the DAG is evaluated (constants, public inputs and
  // expressions of those only); everything else may be an extension element at ζ.
  const base = new Uint8Array(n);
  const leafNode: number[] = [], leafKind: number[] = [], leafArg: number[] = [];
  const ops: number[] = [];
  t.nodes.forEach((nd, i) => {
    const leaf = (kind: number, arg: number) => { leafNode.push(i); leafKind.push(kind); leafArg.push(arg); };
    switch (nd.op) {
      case "const": base[i] = 1; leaf(L_CONST, nd.value); break;
      case "public": base[i] = 1; leaf(L_PUBLIC, nd.index); break;
      case "main": leaf(nd.next ? L_MAIN_NEXT : L_MAIN, nd.col); break;
      case "aux": leaf(nd.next ? L_AUX_NEXT : L_AUX, nd.col); break;
      case "periodic": leaf(L_PERIODIC, nd.col); break;
      case "challenge": leaf(L_CHALLENGE, nd.index); break;
      case "logupSum": leaf(L_LOGUP, 0); break;
      case "add": base[i] = base[nd.a]! & base[nd.b]!; ops.push(O_ADD, i, nd.a, nd.b); break;
      case "sub": base[i] = base[nd.a]! & base[nd.b]!; ops.push(O_SUB, i, nd.a, nd.b); break;
      case "neg": base[i] = base[nd.a]!; ops.push(O_NEG, i, nd.a, 0); break;
      case "mul": {
        const ba = base[nd.a]!, bb = base[nd.b]!;
        base[i] = ba & bb;
        if (ba && bb) ops.push(O_MUL_BB, i, nd.a, nd.b);
        else if (bb) ops.push(O_MUL_EB, i, nd.a, nd.b);
        else if (ba) ops.push(O_MUL_EB, i, nd.b, nd.a);
        else ops.push(O_MUL, i, nd.a, nd.b);
        break;
      }
      default: throw new RangeError(`unknown DAG node ${JSON.stringify(nd)}`);
    }
  });
  const c: CompiledTable = {
    numNodes: n,
    leafNode: Int32Array.from(leafNode),
    leafKind: Uint8Array.from(leafKind),
    leafArg: Float64Array.from(leafArg),
    ops: Int32Array.from(ops),
    constraintNode: Int32Array.from(t.constraints.map((k) => k.node)),
    constraintDomain: Uint8Array.from(t.constraints.map((k) => DOMAINS.indexOf(k.domain))),
    scratch: new Uint32Array(4 * n),
  };
  compiled.set(t, c);
  return c;
}

/** Inputs of one evaluation, flat (extension element i of a vector at [4i, 4i + 4)). */
export interface FlatInputs {
  readonly mainCur: Uint32Array;
  readonly mainNext: Uint32Array;
  readonly auxCur: Uint32Array;
  readonly auxNext: Uint32Array;
  readonly periodic: Uint32Array;
  readonly publics: readonly number[];
  readonly challenges: Uint32Array;
  readonly logupSum: Uint32Array;
}

function load(v: Uint32Array, d: number, src: Uint32Array, i: number): void {
  const s = 4 * i;
  if (s + 4 > src.length) throw new RangeError(`compiled AIR: input ${i} missing`);
  v[d] = src[s]!;
  v[d + 1] = src[s + 1]!;
  v[d + 2] = src[s + 2]!;
  v[d + 3] = src[s + 3]!;
}

/** Evaluates every node; returns the scratch vector (4 words per node), valid until the next evaluation. */
export function evalCompiled(c: CompiledTable, x: FlatInputs): Uint32Array {
  const v = c.scratch;
  const { leafNode, leafKind, leafArg, ops } = c;
  for (let k = 0; k < leafNode.length; k++) {
    const d = 4 * leafNode[k]!;
    const arg = leafArg[k]!;
    switch (leafKind[k]) {
      case L_CONST: v[d] = arg; v[d + 1] = 0; v[d + 2] = 0; v[d + 3] = 0; break;
      case L_PUBLIC: {
        const p = x.publics[arg];
        if (p === undefined) throw new RangeError(`compiled AIR: public input ${arg} missing`);
        v[d] = p; v[d + 1] = 0; v[d + 2] = 0; v[d + 3] = 0;
        break;
      }
      case L_MAIN: load(v, d, x.mainCur, arg); break;
      case L_MAIN_NEXT: load(v, d, x.mainNext, arg); break;
      case L_AUX: load(v, d, x.auxCur, arg); break;
      case L_AUX_NEXT: load(v, d, x.auxNext, arg); break;
      case L_PERIODIC: load(v, d, x.periodic, arg); break;
      case L_CHALLENGE: load(v, d, x.challenges, arg); break;
      case L_LOGUP: load(v, d, x.logupSum, 0); break;
    }
  }
  for (let k = 0; k < ops.length; k += 4) {
    const d = 4 * ops[k + 1]!, a = 4 * ops[k + 2]!, b = 4 * ops[k + 3]!;
    switch (ops[k]) {
      case O_ADD:
        v[d] = add(v[a]!, v[b]!); v[d + 1] = add(v[a + 1]!, v[b + 1]!); v[d + 2] = add(v[a + 2]!, v[b + 2]!); v[d + 3] = add(v[a + 3]!, v[b + 3]!);
        break;
      case O_SUB:
        v[d] = sub(v[a]!, v[b]!); v[d + 1] = sub(v[a + 1]!, v[b + 1]!); v[d + 2] = sub(v[a + 2]!, v[b + 2]!); v[d + 3] = sub(v[a + 3]!, v[b + 3]!);
        break;
      case O_NEG:
        v[d] = neg(v[a]!); v[d + 1] = neg(v[a + 1]!); v[d + 2] = neg(v[a + 2]!); v[d + 3] = neg(v[a + 3]!);
        break;
      case O_MUL:
        eMulAt(v, d, v, a, v, b);
        break;
      case O_MUL_EB: {
        const s = v[b]!;
        v[d] = mul(v[a]!, s); v[d + 1] = mul(v[a + 1]!, s); v[d + 2] = mul(v[a + 2]!, s); v[d + 3] = mul(v[a + 3]!, s);
        break;
      }
      case O_MUL_BB:
        v[d] = mul(v[a]!, v[b]!); v[d + 1] = 0; v[d + 2] = 0; v[d + 3] = 0;
        break;
    }
  }
  return v;
}

/**
 * Σ_k γ^k·C_k over the constraints of each domain (k the constraint's index in declaration order), flat: domain d
 * (every, first, last, transition) at [4d, 4d + 4). Evaluates the DAG first.
 */
export function constraintSumsByDomain(c: CompiledTable, x: FlatInputs, gamma: Uint32Array): Uint32Array {
  const v = evalCompiled(c, x);
  const out = new Uint32Array(16);
  const g = Uint32Array.of(1, 0, 0, 0);
  const tmp = new Uint32Array(4);
  const { constraintNode, constraintDomain } = c;
  for (let k = 0; k < constraintNode.length; k++) {
    eMulAt(tmp, 0, v, 4 * constraintNode[k]!, g, 0);
    const o = 4 * constraintDomain[k]!;
    out[o] = add(out[o]!, tmp[0]!);
    out[o + 1] = add(out[o + 1]!, tmp[1]!);
    out[o + 2] = add(out[o + 2]!, tmp[2]!);
    out[o + 3] = add(out[o + 3]!, tmp[3]!);
    eMulAt(g, 0, g, 0, gamma, 0);
  }
  return out;
}
