/**
 * Scalar interpreter of a table's constraint DAG: every value is an extension element. Used by the verifier at
 * the out-of-domain point ζ, and by checkConstraints (prover/air-check.ts) row by row.
 */
import type { SymbolicTable } from "./symbolic.ts";
import { eAdd, eFromBase, eMul, eNeg, eSub, type Ext } from "./fp.ts";

export interface ScalarInputs {
  /** main column values on the current and next row (length = table width). */
  readonly mainCur: readonly Ext[];
  readonly mainNext: readonly Ext[];
  /** aux (extension) column values on the current and next row (length = auxWidth). */
  readonly auxCur: readonly Ext[];
  readonly auxNext: readonly Ext[];
  /** periodic column values at this point. */
  readonly periodic: readonly Ext[];
  readonly publics: readonly number[];
  readonly challenges: readonly Ext[];
  readonly logupSum: Ext;
}

/** Value of every node. */
export function evalNodes(t: SymbolicTable, x: ScalarInputs): Ext[] {
  const v: Ext[] = new Array(t.nodes.length);
  t.nodes.forEach((n, i) => {
    switch (n.op) {
      case "const": v[i] = eFromBase(n.value); break;
      case "main": v[i] = (n.next ? x.mainNext : x.mainCur)[n.col]!; break;
      case "aux": v[i] = (n.next ? x.auxNext : x.auxCur)[n.col]!; break;
      case "periodic": v[i] = x.periodic[n.col]!; break;
      case "public": v[i] = eFromBase(x.publics[n.index]!); break;
      case "challenge": v[i] = x.challenges[n.index]!; break;
      case "logupSum": v[i] = x.logupSum; break;
      case "add": v[i] = eAdd(v[n.a]!, v[n.b]!); break;
      case "sub": v[i] = eSub(v[n.a]!, v[n.b]!); break;
      case "mul": v[i] = eMul(v[n.a]!, v[n.b]!); break;
      case "neg": v[i] = eNeg(v[n.a]!); break;
    }
  });
  return v;
}

/** Value of every constraint (in declaration order). */
export function evalConstraints(t: SymbolicTable, x: ScalarInputs): Ext[] {
  const v = evalNodes(t, x);
  return t.constraints.map((c) => v[c.node]!);
}
