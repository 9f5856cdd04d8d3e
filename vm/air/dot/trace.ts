// Trace builder of the DOT table (vm/air/dot/constraints.ts): the n + 5 rows of one DOT op, filled exactly as
// the constraints read them, with every memory access and lookup reported to the CPU builder's context.
import { byteProductLimbs, bytesOfWord, hi16, limbCarries, lo16, toField } from "../byte-products.ts";
import { VmAirError } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { rowsToColumns, type CopContextPow2 } from "../cop.ts";
import { ARG_SLOT, CARRY_OFFSET, DOT_COL as C, DOT_WIDTH } from "./constraints.ts";
import { rowAllocator } from "../row-slab.ts";

const dotRow = rowAllocator(DOT_WIDTH);

/** One DOT op as the CPU row sees it, before it executes. */
export interface DotOp {
  readonly clk: number;
  /** MEM-bus address of the first argument slot (fp + b) and of the destination slot (fp + a). */
  readonly argBase: number;
  readonly dst: number;
  /** Memory size in pages. */
  readonly msz: number;
  /** The 8 argument slots (u32): xp, yp, n, sx, sy, acc.lo, acc.hi, shift. */
  readonly args: ArrayLike<number>;
  /** The memory word (u32, little-endian) at word index w. */
  readonly word: (w: number) => number;
  /** The executor's result (r[a] after the op). */
  readonly result: number;
}

/** Largest stride (in words, either sign) the table proves: consecutive element words then never wrap mod p. */
export const MAX_STRIDE = 2 ** 28;
/** Largest shift the table proves (POW2 holds 2^(32 − shift)). */
export const MAX_SHIFT = 32;

const fe = toField, lo = lo16, hi = hi16, bytes = bytesOfWord;

/** Why this op (which the executor runs without trapping) is outside what the DOT table proves, if it is. */
export function dotUnprovable(args: ArrayLike<number>): string | undefined {
  const [xp, yp, n, sx, sy, , , shift] = Array.from(args, (v) => v | 0) as number[];
  if (shift! > MAX_SHIFT) return `shift ${shift} > ${MAX_SHIFT}`;
  if (Math.abs(sx!) >= MAX_STRIDE || Math.abs(sy!) >= MAX_STRIDE || sx === -MAX_STRIDE) return `stride ≥ 2^28 words`;
  if (n! > 0 && ((xp! & 3) !== 0 || (yp! & 3) !== 0)) return "unaligned vector";
  return undefined;
}

/** The rows of one DOT op (A0..A3, one E per element, F), in table order. */
export function dotRows(op: DotOp, ctx: CopContextPow2): Uint32Array[] {
  const a = Array.from(op.args, (v) => v >>> 0);
  const why = dotUnprovable(a);
  if (why !== undefined) throw new VmAirError("TraceError", `DOT at clock ${op.clk}: ${why} is not provable`);
  const n = a[2]!, sx = a[3]! | 0, sy = a[4]! | 0, shift = a[7]!;
  const rows: Uint32Array[] = [];
  const newRow = (kind: "sA0" | "sA1" | "sA2" | "sA3" | "sE" | "sF"): Uint32Array => {
    const r = dotRow();
    r[C[kind]] = 1;
    r[C.clkOp] = op.clk; r[C.argBase] = op.argBase; r[C.dst] = op.dst; r[C.msz] = op.msz;
    r[C.n] = n; r[C.sx] = fe(sx); r[C.sy] = fe(sy); r[C.sh] = shift;
    rows.push(r);
    return r;
  };
  /** Port X (or Y) of row r reads or writes addr at ts; fills the port and counts its timestamp lookups. */
  const port = (r: Uint32Array, y: boolean, addr: number, value: number, ts: number, read: boolean): void => {
    const { prev, pts } = ctx.access(addr, value, ts);
    if (read && prev !== value) throw new VmAirError("TraceError", `DOT at clock ${op.clk}: address ${addr} holds ${value}, the trace last wrote ${prev}`);
    const d = ts - pts - 1;
    if (d < 0 || d >= 2 ** 29) throw new VmAirError("TraceError", `DOT at clock ${op.clk}: timestamp order broken at address ${addr}`);
    if (y) {
      r[C.ya] = addr; r[C.yv0] = lo(value); r[C.yv1] = hi(value); r[C.ypts] = pts; r[C.yd0] = lo(d); r[C.yd1] = hi(d);
    } else {
      r[C.xa] = addr; r[C.xv0] = lo(value); r[C.xv1] = hi(value); r[C.xp0] = lo(prev); r[C.xp1] = hi(prev); r[C.xts] = ts; r[C.xpts] = pts; r[C.xd0] = lo(d); r[C.xd1] = hi(d);
    }
    ctx.range(lo(d)); ctx.range(hi(d)); ctx.range(hi(d) * 8);
  };
  const acc = [lo(a[5]!), hi(a[5]!), lo(a[6]!), hi(a[6]!)];
  const setAcc = (r: Uint32Array): void => acc.forEach((v, k) => (r[C.A0 + k] = v));

  // --- argument rows (phase 0 at clk) ---
  const argTs = 4 * op.clk + 1;
  (["sA0", "sA1", "sA2", "sA3"] as const).forEach((kind, k) => {
    const r = newRow(kind);
    r[C.rem] = n;
    setAcc(r);
    const s = ARG_SLOT[k]!;
    port(r, false, op.argBase + s, a[s]!, argTs, true);
    port(r, true, op.argBase + s + 1, a[s + 1]!, argTs, true);
    if (kind === "sA0") {
      r[C.sgy] = sx < 0 ? 1 : 0;
      ctx.range(hi(n) * 2);
      ctx.range((hi(a[3]!) - 0xf000 * r[C.sgy]!) * 16);
    } else if (kind === "sA1") {
      r[C.sgx] = sy < 0 ? 1 : 0;
      ctx.range((hi(a[4]!) - 0xf000 * r[C.sgx]!) * 16);
    } else if (kind === "sA3" && n > 0) {
      r[C.hasE] = 1;
      ctx.range(hi(a[0]!) * 4);
      ctx.range(hi(a[1]!) * 4);
    }
  });

  // --- element rows ---
  let wx = a[0]! / 4, wy = a[1]! / 4;
  for (let i = 0; i < n; i++) {
    const r = newRow("sE");
    r[C.rem] = n - i;
    setAcc(r);
    const ts = 4 * (op.clk + 1 + i) + 2;
    const x = op.word(wx), y = op.word(wy);
    port(r, false, MEM_BASE + wx, x, ts, true);
    port(r, true, MEM_BASE + wy, y, ts + 1, true);
    r[C.qx] = wx & 0x3fff; r[C.ex] = wx >>> 14; r[C.qy] = wy & 0x3fff; r[C.ey] = wy >>> 14;
    const xb = bytes(x), yb = bytes(y);
    const sgx = x >>> 31, sgy = y >>> 31;
    fillBytes(r, xb, yb, sgx, sgy, ctx);
    // acc' = acc + x·y mod 2^64 over signed bytes, limb by limb
    const xs = [xb[0]!, xb[1]!, xb[2]!, xb[3]! - 256 * sgx], ys = [yb[0]!, yb[1]!, yb[2]!, yb[3]! - 256 * sgy];
    const prod = byteProductLimbs(xs, ys, 4);
    let cin = 0;
    const carries: number[] = [];
    for (let k = 0; k < 4; k++) {
      const v = acc[k]! + prod[k]! + cin;
      const limb = ((v % 65536) + 65536) % 65536;
      cin = (v - limb) / 65536;
      carries.push(cin);
      acc[k] = limb;
    }
    carries.forEach((cv, k) => (r[C.c0 + k] = fe(cv)));
    for (const v of [r[C.qx]!, r[C.qx]! * 4, r[C.ex]!, op.msz - 1 - r[C.ex]!, r[C.qy]!, r[C.qy]! * 4, r[C.ey]!, op.msz - 1 - r[C.ey]!, r[C.A0]!, r[C.A1]!, r[C.A2]!, r[C.A3]!, ...carries.map((cv) => cv + CARRY_OFFSET)]) ctx.range(v);
    wx += sx;
    wy += sy;
  }

  // --- the result row ---
  const r = newRow("sF");
  r[C.rem] = 0;
  setAcc(r);
  const sb = [...bytes(acc[0]! | (acc[1]! << 16)), ...bytes(acc[2]! | (acc[3]! << 16))];
  const sS = acc[3]! >>> 15;
  fillBytes(r, sb.slice(0, 4), sb.slice(4), sb[3]! >>> 7, sS, ctx);
  const z0 = shift === 0 ? 1 : 0;
  const M = z0 ? 0 : 2 ** (32 - shift);
  const mb = bytes(M >>> 0);
  mb.forEach((v, j) => (r[C.mb0 + j] = v));
  r[C.n5] = mb[0]! & mb[1]!; r[C.n6] = mb[2]! & mb[3]!;
  r[C.z0] = z0;
  ctx.pow2(32 - shift);
  ctx.and8(mb[0]!, mb[1]!);
  ctx.and8(mb[2]!, mb[3]!);
  // S·M + z0·S·2^32 + 2^31·(1 − z0) = L + 2^32·r
  const S = BigInt.asIntN(64, BigInt(acc[0]!) | (BigInt(acc[1]!) << 16n) | (BigInt(acc[2]!) << 32n) | (BigInt(acc[3]!) << 48n));
  const lhs = S * BigInt(M) + BigInt(z0) * (S << 32n) + (z0 ? 0n : 2n ** 31n);
  const q = lhs >> 32n; // floor
  const L = Number(lhs - (q << 32n));
  if (q !== BigInt(op.result | 0)) throw new VmAirError("TraceError", `DOT at clock ${op.clk}: rounding gives ${q}, the executor ${op.result | 0}`);
  const res = op.result >>> 0, sr = res >>> 31;
  r[C.L0] = lo(L); r[C.L1] = hi(L); r[C.sr] = sr;
  const sbs = [...sb.slice(0, 7), sb[7]! - 256 * sS];
  const sLimb = [acc[0]!, acc[1]!, acc[2]!, acc[3]! - 65536 * sS];
  const lhsLimbs = byteProductLimbs(sbs, mb, 6);
  lhsLimbs[1]! += (1 - z0) * 2 ** 15;
  for (let k = 2; k < 6; k++) lhsLimbs[k]! += z0 * sLimb[k - 2]!;
  const carries = limbCarries(lhsLimbs, [lo(L), hi(L), lo(res), hi(res) - 65536 * sr, 0, 0], `DOT at clock ${op.clk}: rounding`);
  carries.forEach((cv, k) => (r[C.c0 + k] = fe(cv)));
  port(r, false, op.dst, res, 4 * (op.clk + n) + 4, false);
  const rTop = hi(res) - 2 ** 15 * sr;
  for (const v of [lo(L), hi(L), lo(res), rTop, rTop * 2, ...carries.map((cv) => cv + CARRY_OFFSET)]) ctx.range(v);
  return rows;
}

/** Bytes, their AND8 results and the sign lookup of an E or F row. */
function fillBytes(r: Uint32Array, xb: readonly number[], yb: readonly number[], sgx: number, sgy: number, ctx: CopContextPow2): void {
  for (let i = 0; i < 4; i++) {
    r[C.xb0 + i] = xb[i]!;
    r[C.yb0 + i] = yb[i]!;
    r[C.n0 + i] = xb[i]! & yb[i]!;
    ctx.and8(xb[i]!, yb[i]!);
  }
  r[C.sgx] = sgx; r[C.sgy] = sgy;
  const u = 2 * xb[3]! - 256 * sgx, v = 2 * yb[3]! - 256 * sgy;
  r[C.n4] = u & v;
  ctx.and8(u, v);
}

/** Column-major DOT table: the rows, then all-zero padding to a power of two ≥ MIN_TABLE_HEIGHT. */
export function dotColumns(rows: readonly Uint32Array[]): Uint32Array[] {
  return rowsToColumns(rows, DOT_WIDTH);
}
