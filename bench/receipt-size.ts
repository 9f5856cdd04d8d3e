/**
 * What a VM receipt is made of, in bytes: the container (statement, image, memory pages and their siblings) and
 * the STARK proof by section (roots, OOD values per table, FRI roots / final polynomial / per-layer values and
 * Merkle digests, and the three commitment rounds' opened rows, salts and Merkle digests).
 * Used by bench/verify-profile.ts. Parses with the verifier's own decoder, so it also sanity-checks the shape.
 */
import { decodeProof } from "../verifier/proof.ts";
import { proofShape } from "../verifier/protocol.ts";
import { symbolicAir } from "../verifier/symbolic.ts";
import { vmAir, type AirProgram } from "../vm/air/air.ts";
import { parseConfig } from "../vm/image/image-id.ts";
import type { Receipt } from "../vm/receipt/format.ts";

export function receiptSizeBreakdown(r: Receipt): Record<string, number> {
  const out: Record<string, number> = {};
  const head = parseConfig(r.image.configBytes)!;
  out["statement+header"] = 8 + 12 + 64 + 4 + r.statement.journal.length + 8;
  out["image (code, config, root)"] = 32 + 4 + r.image.configBytes.length + 4 + 4 * r.image.code.length;
  if (r.kind !== "stark") return out;
  const mem = r.memory!;
  out["params"] = 24;
  out[`memory pages (${mem.pages.length}, ${mem.pages.filter((p) => p.page.some((x) => x !== 0)).length} with data)`] =
    4 + mem.pages.reduce((a, p) => a + 5 + (p.page.some((x) => x !== 0) ? p.page.length : 0), 0);
  out[`memory siblings (${mem.siblings.length})`] = 4 + 32 * mem.siblings.length;
  const program: AirProgram = { code: r.image.code, entryPc: head.entryPc, globalSlots: head.globalSlots, globalsInit: head.globalsInit, memPages: head.initialPages, maxPages: head.maxPages, functions: head.functions, table: head.table };
  const air = vmAir(program, mem.pages, r.statement.journal);
  const sym = symbolicAir(air);
  const params = r.params!;
  const { proof, shape } = decodeProof(r.proof!, sym.tables.length, sym.tables.map((t) => t.auxWidth > 0), params, (lh) => proofShape(sym, params, lh, 0));
  out["proof: header, heights, roots, sums"] = 12 + 4 * proof.logHeights.length + 32 * (proof.mainRoots.length + proof.auxRoots.length + proof.quotientRoots.length) + 16 * proof.logupSums.length + 4;
  sym.tables.forEach((t, i) => {
    const o = proof.ood[i]!;
    const n = o.mainZ.length + o.mainZw.length + o.auxZ.length + o.auxZw.length + o.quotZ.length;
    out[`proof: OOD ${t.name} (2^${proof.logHeights[i]} rows, ${n} ext)`] = 16 * n;
  });
  const f = proof.fri;
  out[`proof: FRI roots (${f.layerRoots.length}) + final poly + nonce`] = 8 + 32 * f.layerRoots.length + 16 * (f.finalPoly.length / 4) + 8;
  f.layers.forEach((l, k) => {
    out[`proof: FRI layer ${k} values (${l.values.length / (4 << shape.fri.layerLogArities[k]!)} groups × ${1 << shape.fri.layerLogArities[k]!})`] = 4 + 4 * l.values.length;
    out[`proof: FRI layer ${k} Merkle (${l.proof.length} digests, depth ${shape.fri.layerLogSizes[k]! - shape.fri.layerLogArities[k]!})`] = 4 + 32 * l.proof.length;
  });
  const rounds = { main: proof.queries.main, aux: proof.queries.aux, quotient: proof.queries.quotient };
  for (const [name, c] of Object.entries(rounds)) {
    if (c === undefined) continue;
    out[`proof: ${name} rows (${c.rows.length} values)`] = 4 * c.rows.length + (name === "main" ? 4 : 0);
    if (c.salts.length > 0) out[`proof: ${name} salts`] = c.salts.length;
    out[`proof: ${name} Merkle (${c.proof.length} digests, depth ${shape.logLde})`] = 4 + 32 * c.proof.length;
  }
  out["TOTAL"] = Object.values(out).reduce((a, b) => a + b, 0);
  return out;
}
