/** Shared by the mutation test and `npm run fuzz:stark`. */
import type { VerifyResult } from "../verifier/stark.ts";

export interface MutationStats {
  total: number;
  accepted: number;
  untyped: number;
  byKind: Record<string, number>;
}

/** `flips` single-bit flips, plus flips/10 truncations and flips/10 extensions, deterministic from `seed`. */
export function mutationCampaign(bytes: Uint8Array, check: (b: Uint8Array) => VerifyResult, flips: number, seed: number): MutationStats {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s);
  const stats: MutationStats = { total: 0, accepted: 0, untyped: 0, byKind: {} };
  const run = (b: Uint8Array) => {
    stats.total++;
    let r: VerifyResult;
    try {
      r = check(b);
    } catch {
      stats.untyped++;
      return;
    }
    if (r.ok) stats.accepted++;
    else if (typeof r.error?.kind !== "string" || typeof r.error.message !== "string") stats.untyped++;
    else stats.byKind[r.error.kind] = (stats.byKind[r.error.kind] ?? 0) + 1;
  };
  for (let i = 0; i < flips; i++) {
    const b = bytes.slice();
    const bit = rnd() % (8 * b.length);
    b[bit >>> 3]! ^= 1 << (bit & 7);
    run(b);
  }
  for (let i = 0; i < Math.ceil(flips / 10); i++) run(bytes.slice(0, rnd() % bytes.length));
  for (let i = 0; i < Math.ceil(flips / 10); i++) {
    const extra = 1 + (rnd() % 64);
    const b = new Uint8Array(bytes.length + extra);
    b.set(bytes);
    for (let j = bytes.length; j < b.length; j++) b[j] = rnd() & 0xff;
    run(b);
  }
  return stats;
}
