// Trace builder of the AXPY table (vm/air/axpy/constraints.ts): the n + 4 rows of one AXPY op, filled exactly as
// the constraints read them, with every memory access and lookup reported to the CPU builder's context.
import { byteProductLimbs, bytesOfWord, hi16, limbCarries, lo16, toField } from "../byte-products.ts";
import { VmAirError } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { rowsToColumns, type CopContextPow2 } from "../cop.ts";
import { MAX_SHIFT, MAX_STRIDE } from "../dot/trace.ts";
import { AXPY_ARG_SLOT, AXPY_CARRY_OFFSET, AXPY_COL as C, AXPY_WIDTH } from "./constraints.ts";
import { rowAllocator } from "../row-slab.ts";

const axpyRow = rowAllocator(AXPY_WIDTH);

/** One AXPY op as the CPU row sees it, before it executes. */
export interface AxpyOp {
  readonly clk: number;
  /** MEM-bus address of the first argument slot (fp + a). */
  readonly argBase: number;
  readonly msz: number;
  /** The 7 argument slots (u32): yp, xp, n, sy, sx, a, shift. */
  readonly args: ArrayLike<number>;
  /** The memory word (u32, little-endian) at word index w before the op. */
  readonly word: (w: number) => number;
}

const fe = toField, lo = lo16, hi = hi16, bytes = bytesOfWord;
const err = (op: AxpyOp, why: string): VmAirError => new VmAirError("TraceError", `AXPY at clock ${op.clk}: ${why}`);

/** Why this op (which the executor runs without trapping) is outside what the AXPY table proves, if it is. */
export function axpyUnprovable(args: ArrayLike<number>): string | undefined {
  const [yp, xp, n, sy, sx, , shift] = Array.from(args, (v) => v | 0) as number[];
  if (shift! > MAX_SHIFT) return `shift ${shift} > ${MAX_SHIFT}`;
  if (Math.abs(sx!) >= MAX_STRIDE || Math.abs(sy!) >= MAX_STRIDE || sx === -MAX_STRIDE || sy === -MAX_STRIDE) return "stride ≥ 2^28 words";
  if (n! > 0 && ((xp! & 3) !== 0 || (yp! & 3) !== 0)) return "unaligned vector";
  return undefined;
}

/** The executor traps on this op (its caller stops building: the run has no trace). */
export class AxpyTrap extends Error {}

/** The rows of one AXPY op (A0..A3, one E per element). Throws AxpyTrap where the executor traps. */
export function axpyRows(op: AxpyOp, ctx: CopContextPow2): Uint32Array[] {
  const a = Array.from(op.args, (v) => v >>> 0);
  if ((a[2]! | 0) < 0 || !((a[6]! | 0) >= 0 && (a[6]! | 0) <= 63)) throw new AxpyTrap();
  const memWords = op.msz * 16384;
  const why = axpyUnprovable(a);
  if (why !== undefined) throw err(op, `${why} is not provable`);
  const n = a[2]!, sy = a[3]! | 0, sx = a[4]! | 0, mult = a[5]! | 0, shift = a[6]!;
  const rows: Uint32Array[] = [];
  const z0 = shift === 0 ? 1 : 0;
  const M = z0 ? 0 : 2 ** (32 - shift);
  const AM = BigInt(mult) * (z0 ? 2n ** 32n : BigInt(M));
  const amU = BigInt.asUintN(64, AM);
  const amBytes = Array.from({ length: 8 }, (_, i) => Number((amU >> BigInt(8 * i)) & 255n));
  const sam = amBytes[7]! >>> 7;
  const amSigned = [...amBytes.slice(0, 7), amBytes[7]! - 256 * sam];
  const newRow = (kind: "sA0" | "sA1" | "sA2" | "sA3" | "sE"): Uint32Array => {
    const r = axpyRow();
    r[C[kind]] = 1;
    r[C.clkOp] = op.clk; r[C.argBase] = op.argBase; r[C.msz] = op.msz;
    r[C.n] = n; r[C.sx] = fe(sx); r[C.sy] = fe(sy); r[C.sh] = shift; r[C.z0] = z0;
    amBytes.forEach((v, i) => (r[C.am0 + i] = v));
    r[C.sam] = sam;
    r[C.rem] = n;
    rows.push(r);
    return r;
  };
  const port = (r: Uint32Array, y: boolean, addr: number, prevWant: number, value: number, ts: number): void => {
    const { prev, pts } = ctx.access(addr, value, ts);
    if (prev !== prevWant) throw err(op, `address ${addr} holds ${prevWant}, the trace last wrote ${prev}`);
    const d = ts - pts - 1;
    if (d < 0 || d >= 2 ** 29) throw err(op, `timestamp order broken at address ${addr}`);
    if (y) {
      r[C.ya] = addr; r[C.yv0] = lo(value); r[C.yv1] = hi(value); r[C.yp0] = lo(prev); r[C.yp1] = hi(prev); r[C.ypts] = pts; r[C.yd0] = lo(d); r[C.yd1] = hi(d);
    } else {
      r[C.xa] = addr; r[C.xv0] = lo(value); r[C.xv1] = hi(value); r[C.xts] = ts; r[C.xpts] = pts; r[C.xd0] = lo(d); r[C.xd1] = hi(d);
    }
    ctx.range(lo(d)); ctx.range(hi(d)); ctx.range(hi(d) * 8);
  };
  const setBytes = (r: Uint32Array, xb: readonly number[], yb: readonly number[], sgx: number, sgy: number, pairs: readonly (readonly [number, number])[]): void => {
    xb.forEach((v, i) => (r[C.xb0 + i] = v));
    yb.forEach((v, i) => (r[C.yb0 + i] = v));
    r[C.sgx] = sgx; r[C.sgy] = sgy;
    const all = [...pairs, [2 * xb[3]! - 256 * sgx, 2 * (yb[3] ?? 0) - 256 * sgy] as const];
    const slots = pairs.length === 4 ? [0, 1, 2, 3, 4] : [0, 1, 4];
    all.forEach(([u, v], k) => { r[C.n0 + slots[k]!] = u & v; ctx.and8(u, v); });
  };

  // --- argument rows (phase 0 at clk) ---
  const argTs = 4 * op.clk + 1;
  (["sA0", "sA1", "sA2", "sA3"] as const).forEach((kind, k) => {
    const r = newRow(kind);
    const s = AXPY_ARG_SLOT[k]!;
    port(r, false, op.argBase + s, a[s]!, a[s]!, argTs);
    if (kind !== "sA2") port(r, true, op.argBase + s + 1, a[s + 1]!, a[s + 1]!, argTs);
    if (kind === "sA0") {
      r[C.sgy] = sy < 0 ? 1 : 0;
      ctx.range(hi(n) * 2);
      ctx.range((hi(a[3]!) - 0xf000 * r[C.sgy]!) * 16);
    } else if (kind === "sA1") {
      const ab = bytes(a[5]!), mb = bytes(M >>> 0);
      setBytes(r, ab, mb, ab[3]! >>> 7, mb[3]! >>> 7, ab.map((v, i) => [v, mb[i]!] as const));
      ctx.pow2(32 - shift);
      const as = [ab[0]!, ab[1]!, ab[2]!, ab[3]! - 256 * (ab[3]! >>> 7)];
      const lhs = byteProductLimbs(as, mb, 4);
      const aLimb = [lo(a[5]!), hi(a[5]!) - 65536 * (a[5]! >>> 31)];
      lhs[2]! += z0 * aLimb[0]!; lhs[3]! += z0 * aLimb[1]!;
      const amLimb = [0, 1, 2, 3].map((k2) => amSigned[2 * k2]! + 256 * amSigned[2 * k2 + 1]!);
      const cs = limbCarries(lhs, amLimb, `AXPY at clock ${op.clk}: a·2^(32 − shift)`);
      cs.forEach((cv, i) => (r[C.c0 + i] = fe(cv)));
      for (const v of [...amBytes.flatMap((x) => [x, 256 * x]), (amBytes[7]! - 128 * sam) * 512, ...cs.map((cv) => cv + AXPY_CARRY_OFFSET)]) ctx.range(v);
    } else if (kind === "sA2") {
      r[C.sgx] = sx < 0 ? 1 : 0;
      ctx.range((hi(a[4]!) - 0xf000 * r[C.sgx]!) * 16);
    } else if (n > 0) {
      r[C.hasE] = 1;
      ctx.range(hi(a[0]!) * 4);
      ctx.range(hi(a[1]!) * 4);
    }
  });
  if (n === 0) rows[3]![C.last] = 1;

  // --- element rows: the executor's loop, on a private view of the words it writes ---
  const written = new Map<number, number>();
  const word = (w: number): number => written.get(w) ?? op.word(w);
  let wy = a[0]! / 4, wx = a[1]! / 4;
  for (let i = 0; i < n; i++) {
    const r = newRow("sE");
    r[C.rem] = n - i;
    if (i === n - 1) r[C.last] = 1;
    const ts = 4 * (op.clk + 1 + i) + 2;
    if (wx < 0 || wx >= memWords) throw new AxpyTrap();
    const x = word(wx);
    port(r, false, MEM_BASE + wx, x, x, ts);
    r[C.qx] = wx & 0x3fff; r[C.ex] = wx >>> 14; r[C.qy] = wy & 0x3fff; r[C.ey] = wy >>> 14;
    const xb = bytes(x), sgx = x >>> 31;
    setBytes(r, xb, [0, 0, 0, 0], sgx, 0, [[xb[0]!, xb[1]!], [xb[2]!, xb[3]!]]);
    // t = ⌊(x·AM + 2^31·(1 − z0)) / 2^32⌋, checked against the executor's rounding
    const prod = BigInt(x | 0) * AM + (z0 ? 0n : 2n ** 31n);
    const tq = prod >> 32n;
    if (tq < -(2n ** 31n) || tq >= 2n ** 31n) throw new AxpyTrap();
    const L = Number(prod - (tq << 32n));
    const tv = Number(tq) >>> 0, st = tv >>> 31;
    r[C.L0] = lo(L); r[C.L1] = hi(L); r[C.t0] = lo(tv); r[C.t1] = hi(tv); r[C.st] = st;
    const xs = [xb[0]!, xb[1]!, xb[2]!, xb[3]! - 256 * sgx];
    const lhs = byteProductLimbs(xs, amSigned, 6);
    lhs[1]! += (1 - z0) * 2 ** 15;
    const cs = limbCarries(lhs, [lo(L), hi(L), lo(tv), hi(tv) - 65536 * st, 0, 0], `AXPY at clock ${op.clk}: R(a·x, shift)`);
    cs.forEach((cv, k) => (r[C.c0 + k] = fe(cv)));
    // y' = y + t
    if (wy < 0 || wy >= memWords) throw new AxpyTrap();
    const y = word(wy);
    const sum = (y | 0) + (Number(tq));
    if (sum < -(2 ** 31) || sum >= 2 ** 31) throw new AxpyTrap();
    const yn = sum >>> 0;
    written.set(wy, yn);
    port(r, true, MEM_BASE + wy, y, yn, ts + 1);
    r[C.k0] = lo(y) + lo(tv) >= 65536 ? 1 : 0;
    r[C.sgo] = y >>> 31; r[C.syn] = yn >>> 31;
    const tTop = hi(tv) - 2 ** 15 * st, ynTop = hi(yn) - 2 ** 15 * (yn >>> 31);
    for (const v of [r[C.qx]!, r[C.qx]! * 4, r[C.ex]!, op.msz - 1 - r[C.ex]!, r[C.qy]!, r[C.qy]! * 4, r[C.ey]!, op.msz - 1 - r[C.ey]!,
      lo(L), hi(L), lo(tv), tTop, tTop * 2, ...cs.map((cv) => cv + AXPY_CARRY_OFFSET), lo(yn), ynTop, ynTop * 2, (hi(y) - 2 ** 15 * (y >>> 31)) * 2]) ctx.range(v);
    wx += sx;
    wy += sy;
  }
  return rows;
}

/** Column-major AXPY table: the rows, then all-zero padding (at least one row: the last row is padding) to a
 *  power of two ≥ MIN_TABLE_HEIGHT. */
export function axpyColumns(rows: readonly Uint32Array[]): Uint32Array[] {
  return rowsToColumns(rows, AXPY_WIDTH, 1);
}
