// SHA256 coprocessor table of the VM AIR (docs/vm-air.md §9): one row per round of sha256_compress, 64 rows per
// op. The CPU row of the instruction at clock clk sends COP(SHA256, clk, s0, s1, b0, b1, msz); row 0 of the op
// receives it. Row t sits at clock clk + 1 + t: block word t is read on row t (t < 16) in phase 1, state word j
// is read on row j (j < 8) and written on row 56 + j in phase 2 — the executor's order (vm/intrinsics.ts
// sha256Compress reads the whole block, then the state, then writes the state back), so aliasing state and block
// comes out as it does there.
//
// Choice: bits for a, e and W (96 booleans), AND8 byte lookups for Maj and Ch. Σ0, Σ1, σ0, σ1 are GF(2)-linear in
// bits: each output bit is a XOR of three input bits, x + y + z − 2(xy + xz + yz) + 4xyz, degree 3, no lookup.
// Byte designs need a split column and a lookup per byte per rotation amount (Σ0 rotates by 2, 13, 22: three
// amounts mod 8) plus two lookups per byte for each XOR3: ≈ 20 columns and 20 lookups (10 LogUp columns) per Σ
// against 32 bits. Maj and Ch mix three words of three different rounds; a 2-row window sees bits of two,
// and round 0 has no previous row at all (its b, c, f, g are state words read later), so every row keeps the
// bytes of b, c, f, g (a_{t−1}, a_{t−2}, e_{t−1}, e_{t−2}) and does Maj and Ch with four AND8 lookups per word:
//   Maj(a, b, c) = (a & b) + (c & (a ⊕ b))     [disjoint bits: the sum is the OR]
//   Ch(e, f, g)  = (e & f) + (¬e & g)           [disjoint]
// with a ⊕ b = a + b − 2(a & b) bytewise (linear in the lookup result). Bits of b, c instead would cost 64 more
// columns; bytes cost 16 columns and 16 lookups (8 LogUp columns).
//
// Columns (180): control 7 (isReal, clk, sp0, sp1, bp0, bp1, msz), bits a/e/W 96, delay line 20 (bytes of
// a_{t−1}, a_{t−2}, e_{t−1}, e_{t−2}, limbs of a_{t−3}, e_{t−3}), AND results 16, round carries 8, σ 4, schedule
// relay 4 + carries 4, carry register R 8, block port 4, state port 9. Periodic (public, period 64): K, t, t mod 8
// and row selectors (37 in all). 222 constraints, 31 bus interactions (16 LogUp columns + the running sum).
// Max degree 3. The ≈ 120-column target is out of reach of one round per row: the bits alone are 96, and with a
// 2-row window Maj and Ch need two more words per chain on every row (the delay line and the AND results, 36),
// before the memory ports, the carries and the schedule.
//
// Why it is sound (p = BabyBear, ≈ 2^31; every equation below has integer sides < 2^22 unless said otherwise):
//   * Bits: b(b − 1) = 0. Every limb formed from 16 bits is a canonical 16-bit value; bytes from 8 bits likewise.
//   * Rows, ops, padding: t is the periodic column row mod 64, so an op is rows 64k … 64k + 63; isReal is boolean,
//     constant inside an op and real ops form a prefix; every interaction is multiplied by isReal (times a
//     periodic selector), so padding does nothing. clk, the pointers and msz are constant inside an op: the COP
//     tuple received on row 0 (once per op, by the CPU's single send) fixes them for all 64 rows.
//   * Round t (row t): a_{t+1} = h + Σ1(e) + Ch + K_t + W_t + Σ0(a) + Maj and e_{t+1} = d + h + Σ1(e) + Ch + K_t +
//     W_t, on 16-bit limbs with the carry into and out of the high limb. Each limb sum is < 7·2^16; the carry
//     c = d0 + 3·d1 with ternary digits (d(d − 1)(d − 2) = 0) ranges over 0 … 8, so 2^16·c < 2^20 and the
//     equation holds over the integers: with the result a canonical limb, c = ⌊sum / 2^16⌋ is unique.
//     The result is the next row's a (e) bits, except on row 63 where it is a slot of R (below). K enters as
//     isReal·K so padding rows (all zero) satisfy the equation.
//   * Maj, Ch: every AND8 tuple (x, y, z) with x, y, z linear forms in canonical bytes is a table row only when
//     z = x & y (and x, y are bytes: this also range-checks the delay-line bytes on row 0, which come from
//     memory reads and not from bits). The AND results are bytes, so the packed Maj/Ch limbs are < 2^16.
//   * Delay line: on rows 1 … 63 the bytes of b, c, f, g and the limbs of d, h are the previous rows' a and e
//     (bits, shifted down by transition constraints), so round t uses a_{t−1}, a_{t−2}, a_{t−3} and e's alike.
//     On row 0 they are free and bound to the state read on rows 0 … 7 instead: b_0 becomes c_1, which row 1
//     reads; c_0 becomes d_1, which row 2 reads (the window of row 1); e_0 becomes h_3, read by row 4; d_0, h_0,
//     g_0 (as h_1) and f_0 (as h_2) ride the carry register R to rows 3, 7, 6, 5. So the working variables of
//     round 0 are exactly the eight state words read from memory.
//   * Message schedule: W_t for t < 16 is the block word read from memory with its bytes reversed (the read's
//     limbs are linear forms in W's bits: byte 3 + 256·byte 2, byte 1 + 256·byte 0); for t ≥ 16,
//     W_t = W_{t−16} + σ0(W_{t−15}) + W_{t−7} + σ1(W_{t−2}) mod 2^32. σ0 of the row's own W and σ1 of the previous
//     row's W are columns (degree-3 definitions). Row r sends (clk, r + 16, W_r + σ0(W_{r+1})) (the next row's σ0
//     column) on BUS.COP, kind SCHED_A; row u − 7 receives it (P), adds its own W and sends (clk, u, P + W_{u−7})
//     as SCHED_B; row u receives that (Q) and W_u + 2^16·c = Q + σ1(W_{u−2}) per limb with carries 0 … 3
//     (two booleans; Q < 3·2^16). The kinds are private to this table and (clk, target) is unique per op and
//     round (clk is the CPU row's clock, distinct per op), so the relay balances only if every P and Q is the
//     value its sender computed.
//   * Memory (docs/vm-air.md §5): each access receives (addr, prev, pts) and sends (addr, new, ts) with
//     ts = 4·(clk + 1 + t) + phase + 1 and ts − pts − 1 = d0 + 2^16·d1, d0 16-bit, d1 13-bit (R16(d1), R16(8·d1)):
//     pts < ts. Reads send back what they received. Word w lives at MEM_BASE + w.
//   * Write-back: word j is written on row 56 + j with prev + F_j mod 2^32 (limbs, boolean carries), where prev
//     is the value the MEM bus hands the write — the state word read on row j, as no write to it happens in
//     between (the eight state words are distinct addresses; block words are only read). F_j is the final
//     working variable, from bits (e_62, e_61 in rows 62, 63), or carried back to the write row in R. The written
//     limbs are range-checked (MEMWF) through the block port's range slots, idle on rows 56 … 63. F_0 = a_64 and
//     F_4 = e_64 come from row 63's round equations, whose result limbs are R slots and not bits: they may be
//     non-canonical, but the write equation then still pins the written word: F_lo + 2^16·F_hi ≡ the round sum
//     (mod 2^32) whatever the round carries, and w = prev + F − 2^32·k1 with w's limbs 16-bit and k boolean is
//     the unique word ≡ prev + F (mod 2^32) (every quantity < 2^22: integer equations).
//   * Bounds (the executor traps, so the AIR must reject): q = sp0/4 (a linear form) with R16(q) — an unaligned
//     sp0 < 2^16 makes q = sp0·4^{−1} mod p ≥ p/4, as p ≡ 1 mod 4 — and R16(sp0), R16(sp1): the word index
//     sw = q + 2^14·sp1 is an integer < 2^16 + 2^30 < p, never wrapped, whatever limbs the COP tuple carries.
//     The alignment check is needed beyond the bounds: sp0 = 2, sp1 = 61440 (pointer 0xF0000002) gives
//     q = (p + 1)/2 and 2^14·sp1 = (p − 1)/2, so sw ≡ 0, in bounds and aliasing word 0.
//     In bounds: 2^14·msz − 8 − sw = d0 + 2^16·d1 with d0 16-bit and d1 13-bit (so < 2^29); an out-of-bounds
//     pointer makes the left side a negative integer > −2^30 − 2^17, i.e. a field element > p − 2^30 − 2^17 >
//     2^29, which no (d0, d1) reaches. 1 ≤ msz ≤ 2^14 (R16(msz − 1), R16(4·(msz − 1))) keeps 2^14·msz ≤ 2^28
//     (the CPU guarantees it already; checked so the table stands alone). The same for the block (16 words):
//     every state and block word is below 2^14·msz, so below 2^28 (memory ≤ 1 GiB). These checks use the block
//     port's range slots, idle on rows 16 … 21.
import type { AirBuilder, Expr, TableAir } from "../../../verifier/air.ts";
import { BUS, COP_KIND, MIN_TABLE_HEIGHT, PHASE } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { SHA256_K as FIPS_K } from "../../../verifier/sha256.ts";

/** Rows per op (one per round). */
export const SHA_ROWS = 64;

/** SHA-256 round constants (FIPS 180-4 §4.2.2), the verifier's table (which the executor uses too). */
export const SHA256_K: readonly number[] = Array.from(FIPS_K);

// ---------------------------------------------------------------------------------------------
// Columns

const COLUMN_GROUPS = [
  ["isReal", 1], ["clk", 1], ["sp0", 1], ["sp1", 1], ["bp0", 1], ["bp1", 1], ["msz", 1],
  // bits (little-endian) of a_t, e_t, W_t
  ["a", 32], ["e", 32], ["w", 32],
  // delay line: bytes of b = a_{t−1}, c = a_{t−2}, f = e_{t−1}, g = e_{t−2}; limbs of d = a_{t−3}, h = e_{t−3}
  ["B", 4], ["C", 4], ["D", 2], ["F", 4], ["G", 4], ["H", 2],
  // AND8 results: mjn = a & b, mjm = c & (a ⊕ b) (Maj = mjn + mjm); chx = e & f, chy = ¬e & g (Ch = chx + chy)
  ["mjn", 4], ["mjm", 4], ["chx", 4], ["chy", 4],
  // ternary carry digits of the round sums: a lo (2), a hi (2), e lo (2), e hi (2)
  ["ca", 4], ["ce", 4],
  // σ0 of this row's W, σ1 of the previous row's W (limbs)
  ["sig0", 2], ["sig1", 2],
  // schedule relay: P = W_{u−16} + σ0(W_{u−15}) for u = t + 7, Q = P + W_{u−7} for u = t (limbs, unreduced)
  ["P", 2], ["Q", 2],
  // W_t = Q + σ1 mod 2^32: carries lo = cw0 + 2·cw1, hi = cw2 + 2·cw3
  ["cw", 4],
  // carry register: 4 slots of 2 limbs (the state words read on rows 3, 5, 6, 7; the final words written on 56 … 61)
  ["R", 8],
  // block port (phase 1): previous timestamp, range slots (d2 = 8·d1 where the 13-bit check is needed)
  ["ptsB", 1], ["d0B", 1], ["d1B", 1], ["d2B", 1],
  // state port (phase 2): previous value, new value, previous timestamp, range slots, write carries
  ["p0", 1], ["p1", 1], ["nv0", 1], ["nv1", 1], ["ptsS", 1], ["d0S", 1], ["d1S", 1], ["k0", 1], ["k1", 1],
] as const;

const names: string[] = [];
const base: Record<string, number> = {};
for (const [g, n] of COLUMN_GROUPS) {
  base[g] = names.length;
  for (let i = 0; i < n; i++) names.push(n === 1 ? g : `${g}${i}`);
}

/** Column names, in order (groups of width > 1 are numbered: a0 … a31, B0 … B3, …). */
export const SHA_COLUMN_NAMES: readonly string[] = names;
export const SHA_WIDTH = names.length;

type Group = (typeof COLUMN_GROUPS)[number][0];
/** First column of each group (a group of width 1 is the column itself). */
export const SHA_COLS = base as Readonly<Record<Group, number>>;

const INDEX = new Map(names.map((n, i) => [n, i]));
/** Index of a named column (e.g. "a7", "isReal", "B2"). */
export function shaCol(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`unknown SHA256 column ${name}`);
  return i;
}

// ---------------------------------------------------------------------------------------------
// Periodic columns (period 64, public)

const range64 = (f: (t: number) => number | boolean): number[] => Array.from({ length: SHA_ROWS }, (_, t) => Number(f(t)));

/** Rows of an op with a single-row selector of their own. */
export const SELECTED_ROWS = [0, 1, 2, 3, 4, 5, 6, 16, 17, 18, 19, 20, 21, 56, 57, 58, 59, 60, 61, 62, 63] as const;

/** Carry spans of the R slots: slot k on row t + 1 equals slot k on row t for these t. */
const R_CARRY: readonly (readonly [number, number][])[] = [
  [[0, 5], [57, 62]], // h_0 = H7 for row 7's read; a_64 for the write on row 56
  [[0, 1], [58, 61]], // d_0 = H3 for row 3; a_63 for row 57
  [[1, 4], [59, 60]], // g_0 = H6 (as h_1) for row 6; a_62 for row 58 (then e_63 on row 62, for row 61)
  [[2, 3], [61, 62]], // f_0 = H5 (as h_2) for row 5; a_61 on row 60 (for row 59), e_64 for row 60
];

const PERIODIC_DEFS: readonly (readonly [string, number[]])[] = [
  ["kLo", SHA256_K.map((k) => k & 0xffff)],
  ["kHi", SHA256_K.map((k) => k >>> 16)],
  ["t", range64((t) => t)],
  ["j", range64((t) => t % 8)],
  ["blk", range64((t) => t < 16)],
  ["srd", range64((t) => t < 8)],
  ["swr", range64((t) => t >= 56)],
  ["d2", range64((t) => t < 18)],
  ["sendA", range64((t) => t < 48)],
  ["mid", range64((t) => t >= 9 && t < 57)],
  ["recvB", range64((t) => t >= 16)],
  ["cons", range64((t) => t >= 15 && t <= 62)],
  ...R_CARRY.map((spans, k) => [`rc${k}`, range64((t) => spans.some(([lo, hi]) => t >= lo && t <= hi))] as [string, number[]]),
  ...SELECTED_ROWS.map((r) => [`row${r}`, range64((t) => t === r)] as [string, number[]]),
];
const PER = new Map(PERIODIC_DEFS.map(([n], i) => [n, i]));
/** Index of a named periodic column. */
export function shaPeriodic(name: string): number {
  const i = PER.get(name);
  if (i === undefined) throw new Error(`unknown SHA256 periodic column ${name}`);
  return i;
}

// ---------------------------------------------------------------------------------------------
// Bit functions (shared with the trace builder through their bit maps)

/** Output bit i of Σ0/Σ1/σ0/σ1 is the XOR of the input bits listed (SHR drops bits beyond 31). */
export function sigmaTaps(rot: readonly number[], shr: number | undefined): number[][] {
  return Array.from({ length: 32 }, (_, i) => {
    const taps = rot.map((r) => (i + r) % 32);
    if (shr !== undefined && i + shr < 32) taps.push(i + shr);
    return taps;
  });
}
export const BIG_SIGMA0 = sigmaTaps([2, 13, 22], undefined);
export const BIG_SIGMA1 = sigmaTaps([6, 11, 25], undefined);
export const SMALL_SIGMA0 = sigmaTaps([7, 18], 3);
export const SMALL_SIGMA1 = sigmaTaps([17, 19], 10);

const TWO16 = 65536;
const INV4 = (2013265921 * 3 + 1) / 4; // 4^{-1} mod p (p ≡ 1 mod 4)

function xor(es: readonly Expr[]): Expr {
  // x ⊕ y = x + y − 2xy on bits; folding keeps degree = number of inputs (≤ 3)
  return es.slice(1).reduce((acc, y) => acc.add(y).sub(acc.mul(y).mul(2)), es[0]!);
}

export const sha256Table: TableAir = {
  name: "sha256",
  width: SHA_WIDTH,
  periodic: PERIODIC_DEFS.map(([, v]) => v),
  eval(b: AirBuilder) {
    const c = (n: string): Expr => b.col(shaCol(n));
    const nx = (n: string): Expr => b.next(shaCol(n));
    const per = (n: string): Expr => b.periodic(shaPeriodic(n));
    const row = (r: number): Expr => per(`row${r}`);
    const tr = b.whenTransition();
    const isReal = c("isReal"), clk = c("clk");
    const last = row(63), notLast = b.constant(1).sub(last);
    const t = per("t");
    const bits = (g: string, next = false): Expr[] => Array.from({ length: 32 }, (_, i) => (next ? nx(`${g}${i}`) : c(`${g}${i}`)));
    const weigh = (xs: readonly Expr[], w: number): Expr => xs.reduce((acc, x, i) => acc.add(x.mul(w ** i)), b.constant(0));
    const bytesOf = (xs: readonly Expr[]): Expr[] => [0, 1, 2, 3].map((k) => weigh(xs.slice(8 * k, 8 * k + 8), 2));
    const limbsOf = (xs: readonly Expr[]): [Expr, Expr] => [weigh(xs.slice(0, 16), 2), weigh(xs.slice(16), 2)];
    const bytesCols = (g: string, next = false): Expr[] => [0, 1, 2, 3].map((k) => (next ? nx(`${g}${k}`) : c(`${g}${k}`)));
    const packBytes = (bs: readonly Expr[]): [Expr, Expr] => [bs[0]!.add(bs[1]!.mul(256)), bs[2]!.add(bs[3]!.mul(256))];
    const pair = (g: string, next = false): [Expr, Expr] => (next ? [nx(`${g}0`), nx(`${g}1`)] : [c(`${g}0`), c(`${g}1`)]);
    const sigma = (xs: readonly Expr[], taps: readonly number[][]): [Expr, Expr] => {
      const out = taps.map((tp) => xor(tp.map((i) => xs[i]!)));
      return limbsOf(out);
    };

    // --- control: booleans, whole ops, real prefix, per-op constants, the CPU's request ---
    b.assertBool(isReal, "sha256/isReal-bool");
    tr.assertZero(nx("isReal").mul(b.constant(1).sub(isReal)), "sha256/real-prefix");
    tr.assertZero(notLast.mul(nx("isReal").sub(isReal)), "sha256/op-whole");
    for (const n of ["clk", "sp0", "sp1", "bp0", "bp1", "msz"]) tr.assertZero(notLast.mul(nx(n).sub(c(n))), `sha256/${n}-const`);
    b.receive(BUS.COP, [b.constant(COP_KIND.SHA256), clk, c("sp0"), c("sp1"), c("bp0"), c("bp1"), c("msz")], isReal.mul(row(0)), 1);

    const A = bits("a"), E = bits("e"), W = bits("w");
    for (const [g, xs] of [["a", A], ["e", E], ["w", W]] as const) xs.forEach((x, i) => b.assertBool(x, `sha256/${g}${i}-bool`));
    const Ab = bytesOf(A), Eb = bytesOf(E), Wl = limbsOf(W), Al = limbsOf(A), El = limbsOf(E);

    // --- delay line: b, c, f, g as bytes, d, h as limbs, shifted from the previous rows inside an op ---
    const Bc = bytesCols("B"), Cc = bytesCols("C"), Fc = bytesCols("F"), Gc = bytesCols("G");
    for (let k = 0; k < 4; k++) {
      tr.assertZero(notLast.mul(nx(`B${k}`).sub(Ab[k]!)), `sha256/b-from-a${k}`);
      tr.assertZero(notLast.mul(nx(`C${k}`).sub(Bc[k]!)), `sha256/c-from-b${k}`);
      tr.assertZero(notLast.mul(nx(`F${k}`).sub(Eb[k]!)), `sha256/f-from-e${k}`);
      tr.assertZero(notLast.mul(nx(`G${k}`).sub(Fc[k]!)), `sha256/g-from-f${k}`);
    }
    const Cl = packBytes(Cc), Gl = packBytes(Gc), Dl = pair("D"), Hl = pair("H");
    for (let i = 0; i < 2; i++) {
      tr.assertZero(notLast.mul(nx(`D${i}`).sub(Cl[i]!)), `sha256/d-from-c${i}`);
      tr.assertZero(notLast.mul(nx(`H${i}`).sub(Gl[i]!)), `sha256/h-from-g${i}`);
    }

    // --- Maj and Ch: four AND8 lookups per byte position (tuples linear in bits and byte columns) ---
    const mjn = bytesCols("mjn"), mjm = bytesCols("mjm"), chx = bytesCols("chx"), chy = bytesCols("chy");
    for (let k = 0; k < 4; k++) {
      b.send(BUS.AND8, [Ab[k]!, Bc[k]!, mjn[k]!], isReal, 1);
      b.send(BUS.AND8, [Cc[k]!, Ab[k]!.add(Bc[k]!).sub(mjn[k]!.mul(2)), mjm[k]!], isReal, 1);
      b.send(BUS.AND8, [Eb[k]!, Fc[k]!, chx[k]!], isReal, 1);
      b.send(BUS.AND8, [b.constant(255).sub(Eb[k]!), Gc[k]!, chy[k]!], isReal, 1);
    }
    const maj = [0, 1].map((i) => packBytes(mjn)[i]!.add(packBytes(mjm)[i]!));
    const ch = [0, 1].map((i) => packBytes(chx)[i]!.add(packBytes(chy)[i]!));

    // --- round t: a_{t+1}, e_{t+1} into the next row's bits (row 63: into R slots 0 and 3) ---
    const S0 = sigma(A, BIG_SIGMA0), S1 = sigma(E, BIG_SIGMA1);
    const K = [per("kLo"), per("kHi")];
    const digits = (g: string): Expr[] => [0, 1, 2, 3].map((i) => c(`${g}${i}`));
    const ca = digits("ca"), ce = digits("ce");
    for (const [g, ds] of [["ca", ca], ["ce", ce]] as const) {
      ds.forEach((d, i) => b.assertZero(d.mul(d.sub(1)).mul(d.sub(2)), `sha256/${g}${i}-ternary`));
    }
    const carry = (ds: readonly Expr[], hi: boolean): Expr => ds[hi ? 2 : 0]!.add(ds[hi ? 3 : 1]!.mul(3));
    const nextA = limbsOf(bits("a", true)), nextE = limbsOf(bits("e", true));
    const R = [0, 1, 2, 3].map((k) => [c(`R${2 * k}`), c(`R${2 * k + 1}`)] as [Expr, Expr]);
    const Rn = [0, 1, 2, 3].map((k) => [nx(`R${2 * k}`), nx(`R${2 * k + 1}`)] as [Expr, Expr]);
    for (let i = 0; i < 2; i++) {
      const hi = i === 1;
      // T1 = h + Σ1 + Ch + K + W; every row, so next-row terms are switched off on row 63 (also the table's last
      // row, whose next row wraps to row 0)
      const t1 = S1[i]!.add(ch[i]!).add(K[i]!.mul(isReal)).add(Wl[i]!).add(Hl[i]!);
      const outA = notLast.mul(nextA[i]!).add(last.mul(R[0]![i]!));
      const outE = notLast.mul(nextE[i]!).add(last.mul(R[3]![i]!));
      const cinA = hi ? carry(ca, false) : b.constant(0), cinE = hi ? carry(ce, false) : b.constant(0);
      b.assertZero(t1.add(S0[i]!).add(maj[i]!).add(cinA).sub(outA).sub(carry(ca, hi).mul(TWO16)), `sha256/round-a-${hi ? "hi" : "lo"}`);
      b.assertZero(t1.add(Dl[i]!).add(cinE).sub(outE).sub(carry(ce, hi).mul(TWO16)), `sha256/round-e-${hi ? "hi" : "lo"}`);
    }

    // --- message schedule ---
    const sig0 = pair("sig0"), sig1 = pair("sig1");
    const s0 = sigma(W, SMALL_SIGMA0), s1 = sigma(W, SMALL_SIGMA1);
    b.assertEq(sig0[0], s0[0], "sha256/sigma0-lo");
    b.assertEq(sig0[1], s0[1], "sha256/sigma0-hi");
    // σ1 of this row's W, held by the next row: on every transition (the row after an op's last row never uses it)
    tr.assertEq(nx("sig10"), s1[0], "sha256/sigma1-lo");
    tr.assertEq(nx("sig11"), s1[1], "sha256/sigma1-hi");
    const P = pair("P"), Q = pair("Q"), nSig0 = pair("sig0", true);
    const sched = (kind: number, target: Expr, v: readonly Expr[]): Expr[] => [b.constant(kind), clk, target, v[0]!, v[1]!, b.constant(0), b.constant(0)];
    b.send(BUS.COP, sched(COP_KIND.SHA256_SCHED_A, t.add(16), [Wl[0].add(nSig0[0]), Wl[1].add(nSig0[1])]), isReal.mul(per("sendA")), 1);
    b.receive(BUS.COP, sched(COP_KIND.SHA256_SCHED_A, t.add(7), P), isReal.mul(per("mid")), 1);
    b.send(BUS.COP, sched(COP_KIND.SHA256_SCHED_B, t.add(7), [P[0].add(Wl[0]), P[1].add(Wl[1])]), isReal.mul(per("mid")), 1);
    b.receive(BUS.COP, sched(COP_KIND.SHA256_SCHED_B, t, Q), isReal.mul(per("recvB")), 1);
    const cw = [0, 1, 2, 3].map((i) => c(`cw${i}`));
    cw.forEach((x, i) => b.assertBool(x, `sha256/cw${i}-bool`));
    const ncw = [0, 1, 2, 3].map((i) => nx(`cw${i}`));
    const cwLo = ncw[0]!.add(ncw[1]!.mul(2)), cwHi = ncw[2]!.add(ncw[3]!.mul(2));
    const nW = limbsOf(bits("w", true)), nQ = pair("Q", true), cons = per("cons");
    // on row u − 1 (u = 16 … 63): W_u + 2^16·c = Q_u + σ1(W_{u−2}) per limb (Q + σ1 < 4·2^16 + 3: carries ≤ 3)
    tr.assertZero(cons.mul(nW[0].add(cwLo.mul(TWO16)).sub(nQ[0]).sub(sig1[0])), "sha256/w-schedule-lo");
    tr.assertZero(cons.mul(nW[1].add(cwHi.mul(TWO16)).sub(nQ[1]).sub(sig1[1]).sub(cwLo)), "sha256/w-schedule-hi");

    // --- memory ports (docs/vm-air.md §4.4, §5) ---
    const sp0 = c("sp0"), sp1 = c("sp1"), bp0 = c("bp0"), bp1 = c("bp1"), msz = c("msz");
    const qs = sp0.mul(INV4), qb = bp0.mul(INV4);
    const sw = qs.add(sp1.mul(2 ** 14)), bw = qb.add(bp1.mul(2 ** 14));
    const tsOf = (phase: number): Expr => clk.add(1).add(t).mul(4).add(phase + 1);
    const d0B = c("d0B"), d1B = c("d1B"), d2B = c("d2B"), d0S = c("d0S"), d1S = c("d1S");
    // block word t on row t: W's bytes reversed are the memory word's bytes
    const enB = isReal.mul(per("blk"));
    const addrB = bw.add(t).add(MEM_BASE), tsB = tsOf(PHASE.MEM_READ);
    const blockWord = bytesOf(W);
    const vB = [blockWord[3]!.add(blockWord[2]!.mul(256)), blockWord[1]!.add(blockWord[0]!.mul(256))];
    b.assertZero(enB.mul(tsB.sub(c("ptsB")).sub(1).sub(d0B).sub(d1B.mul(TWO16))), "sha256/block-ts-order");
    b.assertZero(per("d2").mul(d2B.sub(d1B.mul(8))), "sha256/block-d2");
    b.receive(BUS.MEM, [addrB, vB[0]!, vB[1]!, c("ptsB")], enB, 1);
    b.send(BUS.MEM, [addrB, vB[0]!, vB[1]!, tsB], enB, 1);
    // state word t mod 8: read on rows 0 … 7, written on rows 56 … 63
    const srd = per("srd"), swr = per("swr");
    const enS = isReal.mul(srd.add(swr));
    const addrS = sw.add(per("j")).add(MEM_BASE), tsS = tsOf(PHASE.MEM_WRITE);
    const p = [c("p0"), c("p1")], nv = [c("nv0"), c("nv1")], pn = [nx("p0"), nx("p1")];
    b.assertZero(enS.mul(tsS.sub(c("ptsS")).sub(1).sub(d0S).sub(d1S.mul(TWO16))), "sha256/state-ts-order");
    b.receive(BUS.MEM, [addrS, p[0]!, p[1]!, c("ptsS")], enS, 1);
    b.send(BUS.MEM, [addrS, nv[0]!, nv[1]!, tsS], enS, 1);
    for (const x of [d0B, d1B, d2B, d0S, d1S, d1S.mul(8)]) b.send(BUS.RANGE, [x], isReal, 1);
    for (let i = 0; i < 2; i++) {
      const h = i === 0 ? "lo" : "hi";
      b.assertZero(srd.mul(nv[i]!.sub(p[i]!)), `sha256/state-read-keeps-${h}`);
      // the state read on row j is the working variable of round 0 it becomes (see the header)
      b.assertZero(row(0).mul(p[i]!.sub(Al[i]!)), `sha256/read-h0-${h}`);
      b.assertZero(row(1).mul(p[i]!.sub(Cl[i]!)), `sha256/read-h1-${h}`);
      tr.assertZero(row(1).mul(pn[i]!.sub(Dl[i]!)), `sha256/read-h2-${h}`);
      tr.assertZero(row(2).mul(pn[i]!.sub(R[1]![i]!)), `sha256/read-h3-${h}`);
      tr.assertZero(row(3).mul(pn[i]!.sub(Hl[i]!)), `sha256/read-h4-${h}`);
      tr.assertZero(row(4).mul(pn[i]!.sub(R[3]![i]!)), `sha256/read-h5-${h}`);
      tr.assertZero(row(5).mul(pn[i]!.sub(R[2]![i]!)), `sha256/read-h6-${h}`);
      tr.assertZero(row(6).mul(pn[i]!.sub(R[0]![i]!)), `sha256/read-h7-${h}`);
      // R: pick-ups, carries, final words
      b.assertZero(row(0).mul(R[0]![i]!.sub(Hl[i]!)), `sha256/r0-takes-h0-${h}`);
      b.assertZero(row(0).mul(R[1]![i]!.sub(Dl[i]!)), `sha256/r1-takes-d0-${h}`);
      b.assertZero(row(1).mul(R[2]![i]!.sub(Hl[i]!)), `sha256/r2-takes-h1-${h}`);
      b.assertZero(row(2).mul(R[3]![i]!.sub(Hl[i]!)), `sha256/r3-takes-h2-${h}`);
      for (let k = 0; k < 4; k++) tr.assertZero(per(`rc${k}`).mul(Rn[k]![i]!.sub(R[k]![i]!)), `sha256/r${k}-carry-${h}`);
      tr.assertZero(row(62).mul(R[1]![i]!.sub(nextA[i]!)), `sha256/r1-takes-a63-${h}`);
      tr.assertZero(row(61).mul(R[2]![i]!.sub(nextA[i]!)), `sha256/r2-takes-a62-${h}`);
      tr.assertZero(row(62).mul(R[2]![i]!.sub(nextE[i]!)), `sha256/r2-takes-e63-${h}`);
      tr.assertZero(row(60).mul(R[3]![i]!.sub(nextA[i]!)), `sha256/r3-takes-a61-${h}`);
    }
    // write-back on row 56 + j: new = prev + F_j mod 2^32 (boolean carries), F_j by row
    const k0 = c("k0"), k1 = c("k1");
    b.assertBool(k0, "sha256/k0-bool");
    b.assertBool(k1, "sha256/k1-bool");
    const finals: readonly (readonly [number, [Expr, Expr], boolean])[] = [
      [56, Rn[0]!, true], [57, Rn[1]!, true], [58, Rn[2]!, true], [59, Rn[3]!, true], [60, Rn[3]!, true], [61, Rn[2]!, true],
      [62, El, false], [63, packBytes(Gc), false],
    ];
    for (const [r, f, usesNext] of finals) {
      const sink = usesNext ? tr : b;
      sink.assertZero(row(r).mul(nv[0]!.add(k0.mul(TWO16)).sub(p[0]!).sub(f[0])), `sha256/write${r - 56}-lo`);
      sink.assertZero(row(r).mul(nv[1]!.add(k1.mul(TWO16)).sub(p[1]!).sub(f[1]).sub(k0)), `sha256/write${r - 56}-hi`);
    }
    // MEMWF: the written limbs are 16-bit (the block port's range slots are free on the write rows)
    b.assertZero(swr.mul(d0B.sub(nv[0]!)), "sha256/written-lo-range");
    b.assertZero(swr.mul(d2B.sub(nv[1]!)), "sha256/written-hi-range");

    // --- bounds, alignment, no wrap (the block port's range slots on rows 16 … 21) ---
    const chk = (r: number, e: Expr, name: string): void => b.assertZero(isReal.mul(row(r)).mul(e), name);
    chk(16, d0B.add(d1B.mul(TWO16)).sub(msz.mul(2 ** 14).sub(8).sub(sw)), "sha256/state-in-bounds");
    chk(17, d0B.add(d1B.mul(TWO16)).sub(msz.mul(2 ** 14).sub(16).sub(bw)), "sha256/block-in-bounds");
    chk(18, d0B.sub(qs), "sha256/state-aligned");
    chk(18, d2B.sub(sp0), "sha256/state-lo-16bit");
    chk(19, d0B.sub(qb), "sha256/block-aligned");
    chk(19, d2B.sub(bp0), "sha256/block-lo-16bit");
    chk(20, d0B.sub(sp1), "sha256/state-hi-16bit");
    chk(20, d2B.sub(bp1), "sha256/block-hi-16bit");
    chk(21, d0B.sub(msz).add(1), "sha256/msz-low");
    chk(21, d2B.sub(msz.sub(1).mul(4)), "sha256/msz-high");
  },
};

/** Height of a SHA256 table with `ops` ops: a power of two ≥ MIN_TABLE_HEIGHT. */
export function sha256Height(ops: number): number {
  let n = MIN_TABLE_HEIGHT;
  while (n < ops * SHA_ROWS) n *= 2;
  return n;
}
