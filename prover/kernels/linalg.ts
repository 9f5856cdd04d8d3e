/**
 * Base-field columns × extension coefficients, in the WASM kernel (assembly/linalg.ts): the two dense products of
 * the prover's OOD and DEEP stages, without a modular reduction per product.
 *
 *   dotColumns(cols, w)        → per column j: Σ_i cols[j][i]·w(i)   (w: one extension weight per row; e.g. the
 *                                 barycentric weights of an out-of-domain point)
 *   combineColumns(cols, c, n) → per row i:    Σ_j c_j·cols[j][i]    (c: one extension coefficient per column; e.g.
 *                                 the DEEP random linear combination)
 *
 * Both run over blocks of rows copied into kernel memory, so the kernel's memory stays small (a few MiB)
 * whatever the column length. Inputs must be canonical (< p); results are canonical.
 */
import { kernels } from "./index.ts";
import { invalid } from "./errors.ts";

/** Rows per block: 60 columns × 2^13 rows × 4 B ≈ 2 MiB of kernel memory per call. */
const BLOCK = 1 << 13;

/**
 * out[4j + k] = Σ_i cols[j][i]·w[k·len + i] (mod p) for every column j and coordinate k, where w holds `len`
 * extension values coordinate-major (4·len) and every column has at most `len` entries (a shorter column counts
 * as zero-padded, e.g. polynomial coefficients against the powers of a point).
 */
export function dotColumns(cols: readonly Uint32Array[], w: Uint32Array): Uint32Array {
  const m = cols.length;
  const out = new Uint32Array(4 * m);
  if (m === 0) return out;
  if (w.length % 4 !== 0) invalid(`weights hold ${w.length} values, not 4 coordinates of equal length`);
  const len = w.length / 4;
  cols.forEach((c, j) => { if (c.length > len) invalid(`column ${j} has ${c.length} values, the weights only ${len}`); });
  const k = kernels();
  const B = Math.min(BLOCK, (len + 3) & ~3);
  const accP = k.scratchBase();
  const wP = accP + 128 * m;
  const colP = wP + 16 * B;
  const outP = colP + 4 * B * m;
  k.ensure(outP + 16 * m);
  let mem = k.u32();
  mem.fill(0, accP >>> 2, wP >>> 2);
  for (let r0 = 0; r0 < len; r0 += B) {
    const n = Math.min(B, len - r0);
    const n4 = (n + 3) & ~3; // zero-padded to the kernel's multiple of 4
    mem = k.u32();
    for (let kk = 0; kk < 4; kk++) {
      const base = (wP >>> 2) + kk * n4;
      mem.set(w.subarray(kk * len + r0, kk * len + r0 + n), base);
      mem.fill(0, base + n, base + n4);
    }
    for (let j = 0; j < m; j++) {
      const base = (colP >>> 2) + j * n4;
      const c = cols[j]!;
      const have = Math.max(0, Math.min(n, c.length - r0));
      if (have > 0) mem.set(c.subarray(r0, r0 + have), base);
      mem.fill(0, base + have, base + n4);
    }
    k.x.dotColumns(colP, m, n4, wP, accP);
  }
  k.x.dotFinish(accP, m, outP);
  out.set(k.u32().subarray(outP >>> 2, (outP >>> 2) + 4 * m));
  return out;
}

/**
 * Σ_j coeffs[j]·cols[j] at every row i < len, coordinate-major (4·len): coeffs[j] is an extension element
 * (coeffs flat, 4 per column). A column shorter than len counts as zero-padded (e.g. quotient chunks of different
 * lengths combined as coefficient vectors).
 */
export function combineColumns(cols: readonly Uint32Array[], coeffs: Uint32Array, len: number): Uint32Array {
  const m = cols.length;
  if (coeffs.length !== 4 * m) invalid(`${m} columns need ${4 * m} coefficient values, got ${coeffs.length}`);
  if (!Number.isInteger(len) || len < 0) invalid(`length must be a non-negative integer, got ${len}`);
  cols.forEach((c, j) => { if (c.length > len) invalid(`column ${j} has ${c.length} values, more than ${len}`); });
  const out = new Uint32Array(4 * len);
  if (m === 0 || len === 0) return out;
  const k = kernels();
  const B = Math.min(BLOCK, (len + 3) & ~3);
  const cP = k.scratchBase();
  const accP = cP + 16 * m;
  const outP = accP + 64 * B;
  const colP = outP + 16 * B;
  k.ensure(colP + 4 * B * m);
  k.u32().set(coeffs, cP >>> 2);
  for (let r0 = 0; r0 < len; r0 += B) {
    const n = Math.min(B, len - r0);
    const n4 = (n + 3) & ~3;
    const mem = k.u32();
    mem.fill(0, accP >>> 2, (accP >>> 2) + 16 * n4);
    for (let j = 0; j < m; j++) {
      const base = (colP >>> 2) + j * n4;
      const c = cols[j]!;
      const have = Math.max(0, Math.min(n, c.length - r0));
      if (have > 0) mem.set(c.subarray(r0, r0 + have), base);
      mem.fill(0, base + have, base + n4);
    }
    k.x.combineColumns(colP, m, n4, cP, accP);
    k.x.combineFinish(accP, n4, outP);
    for (let kk = 0; kk < 4; kk++) out.set(mem.subarray((outP >>> 2) + kk * n4, (outP >>> 2) + kk * n4 + n), kk * len + r0);
  }
  return out;
}
