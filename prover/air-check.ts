/**
 * checkConstraints: a row-by-row debugging check of a witness against an AIR, naming the first failing
 * constraint and row. Runs the same symbolic constraints as the prover and verifier (including the LogUp
 * columns, built with random challenges), so a trace that passes here proves, and one that fails tells why.
 */
import type { Air } from "../verifier/air.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { evalNodes } from "../verifier/air-eval.ts";
import { eAdd, eFromBase, eIsZero, EXT_ZERO, extOf, type Ext } from "../verifier/fp.ts";
import { buildAuxTrace } from "./logup-trace.ts";
import { publicLogupSum } from "../verifier/logup.ts";
import { randomExt } from "./random.ts";

export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: "ConstraintFailed"; readonly table: string; readonly constraint: string; readonly row: number; readonly message: string }
  | { readonly ok: false; readonly kind: "LogupSumNonZero" | "BadTrace"; readonly message: string };

export function checkConstraints(air: Air, traces: readonly (readonly Uint32Array[])[], publics: readonly number[], challenges?: readonly Ext[]): CheckResult {
  const sym = symbolicAir(air);
  if (traces.length !== sym.tables.length) return { ok: false, kind: "BadTrace", message: `expected ${sym.tables.length} tables, got ${traces.length}` };
  if (publics.length !== sym.numPublicInputs) return { ok: false, kind: "BadTrace", message: `expected ${sym.numPublicInputs} public inputs` };
  const ch = challenges ?? Array.from({ length: sym.numChallenges }, () => randomExt());
  let total = sym.numChallenges > 0 ? publicLogupSum(sym.publicInteractions, ch) : EXT_ZERO;
  for (let t = 0; t < sym.tables.length; t++) {
    const st = sym.tables[t]!;
    const cols = traces[t]!;
    if (cols.length !== st.width) return { ok: false, kind: "BadTrace", message: `${st.name}: expected ${st.width} columns, got ${cols.length}` };
    const n = cols[0]!.length;
    if (n < 2 || (n & (n - 1)) !== 0 || cols.some((c) => c.length !== n)) return { ok: false, kind: "BadTrace", message: `${st.name}: height must be a power of two ≥ 2, same for every column` };
    const periodic = st.periodic.map((p) => Uint32Array.from(p));
    for (const p of periodic) if (n % p.length !== 0) return { ok: false, kind: "BadTrace", message: `${st.name}: periodic length ${p.length} does not divide ${n}` };
    const aux = st.auxWidth > 0 ? buildAuxTrace(st, cols, periodic, publics, ch) : undefined;
    if (aux) total = eAdd(total, aux.sum);
    const auxAt = (i: number): Ext[] => (aux ? aux.columns.map((c) => extOf(c[i]!, c[n + i]!, c[2 * n + i]!, c[3 * n + i]!)) : []);
    for (let r = 0; r < n; r++) {
      const rn = (r + 1) % n;
      const vals = evalNodes(st, {
        mainCur: cols.map((c) => eFromBase(c[r]!)),
        mainNext: cols.map((c) => eFromBase(c[rn]!)),
        auxCur: auxAt(r),
        auxNext: auxAt(rn),
        periodic: periodic.map((p) => eFromBase(p[r % p.length]!)),
        publics,
        challenges: ch,
        logupSum: aux ? aux.sum : EXT_ZERO,
      });
      for (const c of st.constraints) {
        const applies = c.domain === "every" || (c.domain === "first" && r === 0) || (c.domain === "last" && r === n - 1) || (c.domain === "transition" && r < n - 1);
        if (applies && !eIsZero(vals[c.node]!)) {
          return { ok: false, kind: "ConstraintFailed", table: st.name, constraint: c.name, row: r, message: `${st.name}: constraint ${c.name} fails on row ${r}` };
        }
      }
    }
  }
  if (sym.numChallenges > 0 && !eIsZero(total)) return { ok: false, kind: "LogupSumNonZero", message: "LogUp sums over all tables do not cancel (unbalanced bus)" };
  return { ok: true };
}
