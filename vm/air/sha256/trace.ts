// SHA256 table trace (vm/air/sha256/constraints.ts): 64 rows per sha256_compress, built while the CPU trace builder
// steps the machine. The caller passes the op's state and block words as memory holds them before the op; the
// builder makes the op's memory accesses through the context in increasing timestamp order (row t: the block
// read, phase 1, then the state read or write, phase 2) and counts its RANGE16 and AND8 lookups there.
import { COP_KIND, MIN_TABLE_HEIGHT, PHASE, VmAirError } from "../buses.ts";
import { MAX_PROVABLE_PAGES, MEM_BASE } from "../cpu/columns.ts";
import { transpose, type CopContext } from "../cop.ts";
import { SHA256_K, SHA_COLS, SHA_ROWS, SHA_WIDTH, sha256Height } from "./constraints.ts";
import { rowAllocator } from "../row-slab.ts";

const shaRow = rowAllocator(SHA_WIDTH);

const P = 2013265921;
const INV4 = (P * 3 + 1) / 4;
const mod = (x: number): number => ((x % P) + P) % P;
const mulm = (x: number, y: number): number => Number((BigInt(mod(x)) * BigInt(mod(y))) % BigInt(P));

export interface Sha256Op {
  /** Clock of the CPU row of the instruction; the op's rows are at clk + 1 … clk + 64. */
  readonly clk: number;
  /** Byte pointers r[a] (state, 8 words) and r[b] (block, 16 words). */
  readonly statePtr: number;
  readonly blockPtr: number;
  /** Memory size in 64 KiB pages. */
  readonly msz: number;
  /** The 8 state words as stored (little-endian u32). */
  readonly state: Uint32Array;
  /** The 16 block words as stored (little-endian u32 memory values; SHA-256 reads them big-endian). */
  readonly block: Uint32Array;
}

/** Values of round t that a test may replace to build a forged but otherwise consistent trace. */
export type Sha256Fault = "Sigma0" | "Sigma1" | "sigma0" | "sigma1" | "ch" | "maj" | "K" | "W";

/**
 * Test hooks (never used by the prover): `unchecked` builds rows for unaligned or out-of-bounds pointers and
 * out-of-order timestamps (reducing the range slots mod p as a cheating prover would, and not counting lookups
 * of values ≥ 2^16) and takes `limbs` as given; `fault(kind, t, v)` replaces the u32 value `v` of round t (W only for t ≥ 16; ch and maj by
 * replacing the AND8 results e & f and c & (a ⊕ b)) and the builder carries on with it consistently.
 */
export interface Sha256TraceHooks {
  readonly unchecked?: boolean;
  /** pointer limbs (sp0, sp1, bp0, bp1) as arbitrary field elements instead of the pointers' (with unchecked) */
  readonly limbs?: readonly [number, number, number, number];
  readonly fault?: (kind: Sha256Fault, t: number, v: number) => number;
}

const rotr = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;
export const bigSigma0 = (x: number): number => (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)) >>> 0;
export const bigSigma1 = (x: number): number => (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)) >>> 0;
export const smallSigma0 = (x: number): number => (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) >>> 0;
export const smallSigma1 = (x: number): number => (rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)) >>> 0;
const bswap = (x: number): number => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
const lo = (x: number): number => x & 0xffff;
const hi = (x: number): number => x >>> 16;
const byte = (x: number, k: number): number => (x >>> (8 * k)) & 0xff;


/** The 64 rows of one sha256_compress (row t at clock clk + 1 + t). */
export function sha256Rows(op: Sha256Op, ctx: CopContext, hooks: Sha256TraceHooks = {}): Uint32Array[] {
  const { clk, msz } = op;
  const sp = op.statePtr >>> 0, bp = op.blockPtr >>> 0;
  const unchecked = hooks.unchecked === true;
  const fault = hooks.fault ?? ((_k: Sha256Fault, _t: number, v: number) => v);
  if (op.state.length !== 8 || op.block.length !== 16) throw new RangeError("sha256Rows: expected 8 state and 16 block words");
  if (!unchecked) {
    if (sp % 4 !== 0 || bp % 4 !== 0) {
      throw new VmAirError("TraceError", `sha256_compress with unaligned pointers (state ${sp}, block ${bp}): this VM AIR proves 4-aligned SHA256 only`);
    }
    if (!Number.isInteger(msz) || msz < 1 || msz > MAX_PROVABLE_PAGES) throw new VmAirError("TraceError", `sha256_compress: memory size ${msz} pages outside [1, ${MAX_PROVABLE_PAGES}]`);
    const bytes = 65536 * msz;
    if (sp + 32 > bytes || bp + 64 > bytes) throw new VmAirError("TraceError", `sha256_compress out of bounds (state ${sp}, block ${bp}, memory ${bytes} bytes): the executor traps`);
  }
  const [sp0, sp1, bp0, bp1] = hooks.limbs !== undefined && unchecked ? hooks.limbs.map(mod) : [lo(sp), hi(sp), lo(bp), hi(bp)];
  const sw = mod(mulm(sp0, INV4) + mulm(sp1, 2 ** 14)), bw = mod(mulm(bp0, INV4) + mulm(bp1, 2 ** 14));

  // --- the computation, with the values the columns hold ---
  const W = new Array<number>(64), sg0 = new Array<number>(64), sg1 = new Array<number>(64);
  for (let t = 0; t < 64; t++) {
    if (t < 16) W[t] = bswap(op.block[t]!);
    else W[t] = fault("W", t, (W[t - 16]! + sg0[t - 15]! + W[t - 7]! + sg1[t - 2]!) >>> 0) >>> 0;
    sg0[t] = fault("sigma0", t, smallSigma0(W[t]!)) >>> 0;
    sg1[t] = fault("sigma1", t, smallSigma1(W[t]!)) >>> 0;
  }
  // a[t + 3] = a_t for t = −3 … 64 (a_{−3..0} = H3 … H0), e likewise
  const a = new Array<number>(68), e = new Array<number>(68);
  for (let j = 0; j < 4; j++) { a[3 - j] = op.state[j]! >>> 0; e[3 - j] = op.state[4 + j]! >>> 0; }
  interface Round { mjn: number; mjm: number; chx: number; chy: number; ca: [number, number]; ce: [number, number] }
  const rounds: Round[] = [];
  const carries = (terms: readonly number[], out: number): [number, number] => {
    const sLo = terms.reduce((s, x) => s + lo(x), 0), sHi = terms.reduce((s, x) => s + hi(x), 0);
    const cLo = Math.floor((sLo - lo(out)) / 65536);
    const cHi = Math.floor((sHi + cLo - hi(out)) / 65536);
    return [cLo, cHi];
  };
  for (let t = 0; t < 64; t++) {
    const at = a[t + 3]!, bt = a[t + 2]!, ct = a[t + 1]!, dt = a[t]!;
    const et = e[t + 3]!, ft = e[t + 2]!, gt = e[t + 1]!, ht = e[t]!;
    const S0 = fault("Sigma0", t, bigSigma0(at)) >>> 0, S1 = fault("Sigma1", t, bigSigma1(et)) >>> 0;
    const mjn = (at & bt) >>> 0, mjm = fault("maj", t, (ct & (at ^ bt)) >>> 0) >>> 0;
    const chx = fault("ch", t, (et & ft) >>> 0) >>> 0, chy = (~et & gt) >>> 0;
    const K = fault("K", t, SHA256_K[t]!) >>> 0;
    const t1 = [ht, S1, chx, chy, K, W[t]!];
    const aTerms = [...t1, S0, mjn, mjm], eTerms = [...t1, dt];
    const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
    a[t + 4] = sum(aTerms) % 2 ** 32;
    e[t + 4] = sum(eTerms) % 2 ** 32;
    rounds.push({ mjn, mjm, chx, chy, ca: carries(aTerms, a[t + 4]!), ce: carries(eTerms, e[t + 4]!) });
  }
  const A = (t: number): number => a[t + 3]!, E = (t: number): number => e[t + 3]!;
  const final = [A(64), A(63), A(62), A(61), E(64), E(63), E(62), E(61)];

  // --- rows ---
  const C = SHA_COLS;
  const rows: Uint32Array[] = [];
  const rng = (x: number): void => {
    if (x >= 0 && x < 65536) ctx.range(x);
    else if (!unchecked) throw new VmAirError("TraceError", `sha256: range-checked value ${x} outside [0, 2^16)`);
  };
  const split = (x: number): [number, number] => {
    const v = mod(x);
    if (!unchecked && v >= 2 ** 29) throw new VmAirError("TraceError", `sha256: difference ${x} outside [0, 2^29) (timestamp order or bounds)`);
    return [v & 0xffff, Math.floor(v / 65536)];
  };
  for (let t = 0; t < SHA_ROWS; t++) {
    const r = shaRow();
    const set = (col: number, v: number): void => { r[col] = mod(v); };
    const setLimbs = (col: number, x: number): void => { r[col] = lo(x); r[col + 1] = hi(x); };
    const setBytes = (col: number, x: number): void => { for (let k = 0; k < 4; k++) r[col + k] = byte(x, k); };
    const setBits = (col: number, x: number): void => { for (let i = 0; i < 32; i++) r[col + i] = (x >>> i) & 1; };
    r[C.isReal] = 1;
    set(C.clk, clk);
    r[C.sp0] = sp0; r[C.sp1] = sp1; r[C.bp0] = bp0; r[C.bp1] = bp1;
    set(C.msz, msz);
    setBits(C.a, A(t)); setBits(C.e, E(t)); setBits(C.w, W[t]!);
    setBytes(C.B, A(t - 1)); setBytes(C.C, A(t - 2)); setLimbs(C.D, A(t - 3));
    setBytes(C.F, E(t - 1)); setBytes(C.G, E(t - 2)); setLimbs(C.H, E(t - 3));
    const rd = rounds[t]!;
    setBytes(C.mjn, rd.mjn); setBytes(C.mjm, rd.mjm); setBytes(C.chx, rd.chx); setBytes(C.chy, rd.chy);
    const ternary = (col: number, [cLo, cHi]: [number, number]): void => {
      r[col] = mod(cLo % 3); r[col + 1] = mod(Math.floor(cLo / 3)); r[col + 2] = mod(cHi % 3); r[col + 3] = mod(Math.floor(cHi / 3));
    };
    ternary(C.ca, rd.ca); ternary(C.ce, rd.ce);
    for (let k = 0; k < 4; k++) {
      const ab = byte(A(t), k), bb = byte(A(t - 1), k), eb = byte(E(t), k);
      ctx.and8(ab, bb);
      ctx.and8(byte(A(t - 2), k), ab + bb - 2 * byte(rd.mjn, k));
      ctx.and8(eb, byte(E(t - 1), k));
      ctx.and8(255 - eb, byte(E(t - 2), k));
    }
    // schedule: σ0 of this row's W, σ1 of the previous row's (row 0: set by sha256Columns from the row before)
    setLimbs(C.sig0, sg0[t]!);
    if (t > 0) setLimbs(C.sig1, sg1[t - 1]!);
    if (t >= 9 && t < 57) { const u = t + 7; r[C.P] = lo(W[u - 16]!) + lo(sg0[u - 15]!); r[C.P + 1] = hi(W[u - 16]!) + hi(sg0[u - 15]!); }
    if (t >= 16) {
      const qLo = lo(W[t - 16]!) + lo(sg0[t - 15]!) + lo(W[t - 7]!), qHi = hi(W[t - 16]!) + hi(sg0[t - 15]!) + hi(W[t - 7]!);
      r[C.Q] = qLo; r[C.Q + 1] = qHi;
      const cLo = Math.floor((qLo + lo(sg1[t - 2]!) - lo(W[t]!)) / 65536);
      const cHi = Math.floor((qHi + hi(sg1[t - 2]!) + cLo - hi(W[t]!)) / 65536);
      r[C.cw] = mod(cLo & 1); r[C.cw + 1] = mod(cLo >> 1); r[C.cw + 2] = mod(cHi & 1); r[C.cw + 3] = mod(cHi >> 1);
    }
    // carry register (constraints.ts R_CARRY): state words for the reads of rows 3, 5, 6, 7, final words for
    // the writes of rows 56 … 61
    const R = (k: number, x: number): void => setLimbs(C.R + 2 * k, x);
    if (t <= 6) R(0, E(-3));
    if (t <= 2) R(1, A(-3));
    if (t >= 1 && t <= 5) R(2, E(-2));
    if (t >= 2 && t <= 4) R(3, E(-1));
    if (t >= 57) R(0, A(64));
    if (t >= 58 && t <= 62) R(1, A(63));
    if (t >= 59 && t <= 61) R(2, A(62));
    if (t === 62) R(2, E(63));
    if (t === 60) R(3, A(61));
    if (t >= 61) R(3, E(64));

    // block port: word t (big-endian: W_t's bytes reversed)
    if (t < 16) {
      const addr = mod(MEM_BASE + bw + t), ts = 4 * (clk + 1 + t) + PHASE.MEM_READ + 1;
      const word = op.block[t]! >>> 0;
      const { prev, pts } = ctx.access(addr, word, ts);
      if (prev !== word && !unchecked) throw new VmAirError("TraceError", `sha256: block word ${t} is ${word} in the op but ${prev} in memory`);
      set(C.ptsB, pts);
      [r[C.d0B], r[C.d1B]] = split(ts - pts - 1);
    }
    // state port: word t on rows 0 … 7 (read), word t − 56 on rows 56 … 63 (write H_j + final_j)
    if (t < 8 || t >= 56) {
      const j = t % 8, addr = mod(MEM_BASE + sw + j), ts = 4 * (clk + 1 + t) + PHASE.MEM_WRITE + 1;
      const h = op.state[j]! >>> 0;
      const nv = t < 8 ? h : (h + final[j]!) >>> 0;
      const { prev, pts } = ctx.access(addr, nv, ts);
      if (prev !== h && !unchecked) throw new VmAirError("TraceError", `sha256: state word ${j} is ${h} in the op but ${prev} in memory`);
      setLimbs(C.p0, h); setLimbs(C.nv0, nv);
      set(C.ptsS, pts);
      [r[C.d0S], r[C.d1S]] = split(ts - pts - 1);
      if (t >= 56) {
        const k0 = (lo(h) + lo(final[j]!)) >>> 16;
        r[C.k0] = k0;
        r[C.k1] = (hi(h) + hi(final[j]!) + k0) >>> 16;
        r[C.d0B] = lo(nv); r[C.d2B] = hi(nv);
      }
    }
    // bounds and alignment through the block port's range slots (rows 16 … 21)
    const slots = (x0: number, x2: number): void => { r[C.d0B] = mod(x0); r[C.d2B] = mod(x2); };
    if (t === 16 || t === 17) [r[C.d0B], r[C.d1B]] = split(t === 16 ? 2 ** 14 * msz - 8 - sw : 2 ** 14 * msz - 16 - bw);
    if (t === 18) slots(mulm(sp0, INV4), sp0);
    if (t === 19) slots(mulm(bp0, INV4), bp0);
    if (t === 20) slots(sp1, bp1);
    if (t === 21) slots(msz - 1, 4 * (msz - 1));
    if (t < 18) r[C.d2B] = mod(8 * r[C.d1B]!);
    for (const x of [r[C.d0B]!, r[C.d1B]!, r[C.d2B]!, r[C.d0S]!, r[C.d1S]!, mod(8 * r[C.d1S]!)]) rng(x);
    rows.push(r);
  }
  return rows;
}

/**
 * Column-major SHA256 trace: the ops' rows in order, then zero rows up to a power of two ≥ MIN_TABLE_HEIGHT. Sets
 * the one value a row cannot know alone: σ1 of the previous row's W on each op's first row (and on the first
 * padding row), which the constraint `sigma1` requires on every transition.
 */
export function sha256Columns(rows: readonly Uint32Array[]): Uint32Array[] {
  if (rows.length % SHA_ROWS !== 0) throw new RangeError(`sha256Columns: ${rows.length} rows is not a whole number of ops`);
  const n = Math.max(MIN_TABLE_HEIGHT, sha256Height(rows.length / SHA_ROWS));
  const cols = transpose(rows, SHA_WIDTH, n);
  for (let i = SHA_ROWS; i <= rows.length && i < n; i += SHA_ROWS) {
    let w = 0;
    for (let b = 0; b < 32; b++) w |= cols[SHA_COLS.w + b]![i - 1]! << b;
    const s = smallSigma1(w >>> 0);
    cols[SHA_COLS.sig1]![i] = lo(s);
    cols[SHA_COLS.sig1 + 1]![i] = hi(s);
  }
  return cols;
}

/** The COP tuple the CPU sends for an op (kind, clk, sp0, sp1, bp0, bp1, msz). */
export function sha256CopTuple(op: Pick<Sha256Op, "clk" | "statePtr" | "blockPtr" | "msz">): number[] {
  const sp = op.statePtr >>> 0, bp = op.blockPtr >>> 0;
  return [COP_KIND.SHA256, op.clk, lo(sp), hi(sp), lo(bp), hi(bp), op.msz].map(mod);
}
