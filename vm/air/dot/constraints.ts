// DOT table (docs/vm-air.md §9): the DOT coprocessor, r[a] = R(acc + Σ_{i<n} x[i]·y[i] mod 2^64, shift).
//
// The CPU's DOT row (one row, cycle clk) only sends COP(1, clk, argBase, dst, clk + 1 + n, msz, 0) — argBase =
// fp + b (the 8 argument slots), dst = fp + a — and moves on to the clock clk + 1 + n it claims; this table reads
// the arguments, the elements and writes the result. One op = n + 5 rows, each of one kind (selectors):
//   A0..A3  argument rows, two slot reads each at clk (phase 0): A0 (n, sx), A1 (sy, acc.lo), A2 (acc.hi, shift),
//           A3 (xp, yp). A0 receives the COP tuple, so an op exists iff the CPU ran a DOT.
//   E       one per element i (cycle clk + 1 + i): reads x[i] (phase 1) and y[i] (phase 2), adds x·y to the
//           64-bit accumulator (4 limbs A0..A3, the next row's A the sum).
//   F       the result (cycle clk + n, phase 3): writes r = R(S, shift) to dst, S = the accumulator.
// Every kind follows the one before: A0 → A1 → A2 → A3 → E* → F → (A0 | padding); the first row is A0 or
// padding, the last F or padding. The op's constants (clkOp, argBase, dst, msz, n, sx, sy, sh) are equal on all
// its rows; `rem` counts the elements left (n on the first E or F, minus one per E, 0 at F), so there are
// exactly n E rows (n < 2^31 from its sign bit, far below p).
//
// Soundness notes (every equation mod p is an integer equation: the bounds are stated where it matters):
// - Element addresses: word w = q + 2^14·e with q 14-bit, e 16-bit and e ≤ msz − 1, so w < 16384·msz ≤ 2^28:
//   always inside memory, never a frame slot (MEM_BASE + w ≥ 2^25). Consecutive words differ by the stride
//   (w' = w + sx); |sx| < 2^28 is required (a 12-bit check of its high limb after sign removal), so with both
//   words in [0, 2^28) the step cannot wrap mod p. The executor accepts bigger strides when n ≤ 1; such runs are
//   not provable (the trace builder says so). The pointer arguments equal 4·w of the first element (aligned)
//   with their high limb < 2^14 (a larger pointer would only match 4·w + p), checked when n > 0 (hasE); with
//   n = 0 the executor checks no pointer, and neither does this table.
// - Product: signed bytes (top byte minus 256·sign, the sign bit pinned by an AND8 lookup of
//   (2·b3 − 256·s)) give x·y = Σ x_i·y_j·2^(8(i+j)) exactly; per 16-bit limb the terms stay below 2^26.
//   acc' = acc + x·y mod 2^64 limb by limb with signed carries (|c| < 2^15, range-checked with an offset); the
//   top carry is dropped (mod 2^64) but bounded, so acc' is unique. acc limbs are range-checked on E rows.
// - Rounding (F): with M = 2^(32 − sh) from POW2 (sh ≤ 32; for sh = 0 the lookup's third limb z0 = 1 and M's
//   bytes are 0), S·M + z0·S·2^32 + 2^31·(1 − z0) = L + 2^32·r with L ∈ [0, 2^32) and r ∈ [−2^31, 2^31): then
//   r = ⌊(S + 2^(sh−1))/2^sh⌋ (or S for sh = 0), and no r exists when the result leaves i32 — as the executor,
//   which traps. Checked limb by limb over 96 bits with signed carries and no carry out of the top limb.
//   Shifts 33..63 (valid in the executor) have no POW2 entry for 32 − sh: not provable.
import type { AirBuilder, Expr, TableAir } from "../../../verifier/air.ts";
import { BUS, COP_KIND, PHASE } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { RangeSlots } from "../range-slots.ts";
import { memPort } from "../mem-port.ts";
import { byteProductLimb, CARRY_OFFSET, TWO32_MOD_P } from "../byte-products.ts";

export { CARRY_OFFSET };

const NAMES = [
  // row kinds
  "sA0", "sA1", "sA2", "sA3", "sE", "sF",
  // the op's constants
  "clkOp", "argBase", "dst", "msz", "n", "sx", "sy", "sh",
  // per row: elements left, accumulator limbs, element word limbs (x: qx + 2^14·ex, y likewise), [n > 0] on A3
  "rem", "A0", "A1", "A2", "A3", "qx", "ex", "qy", "ey", "hasE",
  // port X (arguments, x[i], the result write) and port Y (arguments, y[i]; reads only)
  "xa", "xv0", "xv1", "xp0", "xp1", "xts", "xpts", "xd0", "xd1",
  "ya", "yv0", "yv1", "ypts", "yd0", "yd1",
  // bytes of x and y (E) or of S (F: xb = bytes 0..3, yb = bytes 4..7), their AND8 results, sign bits
  "xb0", "xb1", "xb2", "xb3", "yb0", "yb1", "yb2", "yb3", "n0", "n1", "n2", "n3", "sgx", "sgy", "n4",
  // carries (E: 4, F: 5)
  "c0", "c1", "c2", "c3", "c4",
  // F: bytes of M = 2^(32 − sh), their AND8 results, z0 = [sh = 0], L's limbs, the result's sign
  "mb0", "mb1", "mb2", "mb3", "n5", "n6", "z0", "L0", "L1", "sr",
] as const;
export type DotColumn = (typeof NAMES)[number];
export const DOT_COLUMN_NAMES: readonly string[] = NAMES;
export const DOT_WIDTH = NAMES.length;
export const DOT_COL = Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<DotColumn, number>;

const TWO16 = 65536;
/** The rounding identity spans 96 bits: six 16-bit limbs. */
const ROUND_LIMBS = 6;
/** Argument slot of each argument row's port X (port Y reads the next slot). */
export const ARG_SLOT = [2, 4, 6, 0] as const;

export const dotTable: TableAir = {
  name: "dot",
  width: DOT_WIDTH,
  eval(b: AirBuilder) {
    const c = (n: DotColumn): Expr => b.col(DOT_COL[n]);
    const nx = (n: DotColumn): Expr => b.next(DOT_COL[n]);
    const one = b.constant(1);
    const [sA0, sA1, sA2, sA3, sE, sF] = (["sA0", "sA1", "sA2", "sA3", "sE", "sF"] as const).map(c) as [Expr, Expr, Expr, Expr, Expr, Expr];
    const sA = sA0.add(sA1).add(sA2).add(sA3);
    const real = sA.add(sE).add(sF);
    const nReal = (["sA0", "sA1", "sA2", "sA3", "sE", "sF"] as const).map(nx).reduce((x, y) => x.add(y));
    const t = b.whenTransition();
    const range = new RangeSlots();

    // --- row kinds: booleans, at most one per row, the op's sequence, real rows a prefix ---
    for (const s of [sA0, sA1, sA2, sA3, sE, sF]) b.assertBool(s, "dot/kind-bool");
    b.assertBool(real, "dot/one-kind");
    t.assertZero(nReal.mul(one.sub(real)), "dot/real-prefix");
    b.whenFirstRow().assertZero(real.sub(sA0), "dot/first-row-starts-an-op");
    b.whenLastRow().assertZero(real.sub(sF), "dot/last-row-ends-an-op");
    t.assertZero(sA0.mul(one.sub(nx("sA1"))), "dot/a0-then-a1");
    t.assertZero(sA1.mul(one.sub(nx("sA2"))), "dot/a1-then-a2");
    t.assertZero(sA2.mul(one.sub(nx("sA3"))), "dot/a2-then-a3");
    t.assertZero(sA3.add(sE).mul(one.sub(nx("sE")).sub(nx("sF"))), "dot/then-elements-or-result");
    t.assertZero(sF.mul(nReal.sub(nx("sA0"))), "dot/result-ends-the-op");
    // the op's constants: equal on consecutive rows of one op (the next row is real and not an A0)
    const sameOp = nReal.sub(nx("sA0"));
    for (const k of ["clkOp", "argBase", "dst", "msz", "n", "sx", "sy", "sh"] as const) t.assertZero(sameOp.mul(nx(k).sub(c(k))), `dot/op-constant-${k}`);

    // --- the op: received from the CPU's DOT row; the CPU's next row is at clk + 1 + n ---
    const clkOp = c("clkOp"), n = c("n"), msz = c("msz");
    b.receive(BUS.COP, [COP_KIND.DOT, clkOp, c("argBase"), c("dst"), clkOp.add(1).add(n), msz, 0], sA0, 1);

    // --- ports: X on every real row (a write on F), Y on A and E rows (reads) ---
    const xa = c("xa"), xv0 = c("xv0"), xv1 = c("xv1"), xts = c("xts");
    const ya = c("ya"), yv0 = c("yv0"), yv1 = c("yv1");
    const enY = sA.add(sE);
    const wx = c("qx").add(c("ex").mul(2 ** 14)), wy = c("qy").add(c("ey").mul(2 ** 14));
    b.assertZero(sA.mul(xa.sub(c("argBase")).sub(sA0.mul(ARG_SLOT[0])).sub(sA1.mul(ARG_SLOT[1])).sub(sA2.mul(ARG_SLOT[2]))), "dot/arg-address");
    b.assertZero(sA.mul(ya.sub(xa).sub(1)), "dot/arg-address-y");
    b.assertZero(sE.mul(xa.sub(MEM_BASE).sub(wx)), "dot/x-address");
    b.assertZero(sE.mul(ya.sub(MEM_BASE).sub(wy)), "dot/y-address");
    b.assertZero(sF.mul(xa.sub(c("dst"))), "dot/result-address");
    // timestamps 4·clk + phase + 1: arguments at clk (phase 0), element i at clk + 1 + i (x phase 1, y phase 2:
    // i = n − rem), the result at clk + n (phase 3); Y's is X's + 1 on E rows, equal on A rows
    const clkE = clkOp.add(1).add(n).sub(c("rem"));
    b.assertZero(sA.mul(xts.sub(clkOp.mul(4)).sub(PHASE.SLOT_READ + 1)), "dot/ts-args");
    b.assertZero(sE.mul(xts.sub(clkE.mul(4)).sub(PHASE.MEM_READ + 1)), "dot/ts-element");
    b.assertZero(sF.mul(xts.sub(clkOp.add(n).mul(4)).sub(PHASE.SLOT_WRITE + 1)), "dot/ts-result");
    const yts = xts.add(sE);
    // reads send back what they received
    b.assertZero(enY.mul(xv0.sub(c("xp0"))), "dot/x-read-keeps-lo");
    b.assertZero(enY.mul(xv1.sub(c("xp1"))), "dot/x-read-keeps-hi");
    memPort(b, { addr: xa, prev: [c("xp0"), c("xp1")], val: [xv0, xv1], ts: xts, pts: c("xpts"), d0: c("xd0"), d1: c("xd1"), en: real }, "dot/x");
    memPort(b, { addr: ya, prev: [yv0, yv1], val: [yv0, yv1], ts: yts, pts: c("ypts"), d0: c("yd0"), d1: c("yd1"), en: enY }, "dot/y");

    // --- arguments ---
    const sgx = c("sgx"), sgy = c("sgy");
    b.assertBool(sgx, "dot/sign-x-bool");
    b.assertBool(sgy, "dot/sign-y-bool");
    // A0: n = X (≥ 0: its top bit 0), sx = Y as a signed word (|sx| < 2^28)
    b.assertZero(sA0.mul(n.sub(xv0).sub(xv1.mul(TWO16))), "dot/arg-n");
    b.assertZero(sA0.mul(c("sx").sub(yv0).sub(yv1.mul(TWO16)).add(sgy.mul(TWO32_MOD_P))), "dot/arg-sx");
    // A1: sy = X as a signed word, acc.lo = Y
    b.assertZero(sA1.mul(c("sy").sub(xv0).sub(xv1.mul(TWO16)).add(sgx.mul(TWO32_MOD_P))), "dot/arg-sy");
    b.assertZero(sA1.mul(c("A0").sub(yv0)), "dot/arg-acc-0");
    b.assertZero(sA1.mul(c("A1").sub(yv1)), "dot/arg-acc-1");
    // A2: acc.hi = X, shift = Y (< 2^16; POW2 bounds it by 32 on F)
    b.assertZero(sA2.mul(c("A2").sub(xv0)), "dot/arg-acc-2");
    b.assertZero(sA2.mul(c("A3").sub(xv1)), "dot/arg-acc-3");
    b.assertZero(sA2.mul(c("sh").sub(yv0)), "dot/arg-shift");
    b.assertZero(sA2.mul(yv1), "dot/arg-shift-small");
    // A3: xp = 4·w of the first element, yp likewise, when there is one (hasE = [next row is E])
    const hasE = c("hasE");
    b.assertZero(hasE.mul(one.sub(sA3)), "dot/has-elements-only-on-a3");
    t.assertZero(sA3.mul(hasE.sub(nx("sE"))), "dot/has-elements");
    const nwx = nx("qx").add(nx("ex").mul(2 ** 14)), nwy = nx("qy").add(nx("ey").mul(2 ** 14));
    t.assertZero(hasE.mul(xv0.add(xv1.mul(TWO16)).sub(nwx.mul(4))), "dot/x-pointer");
    t.assertZero(hasE.mul(yv0.add(yv1.mul(TWO16)).sub(nwy.mul(4))), "dot/y-pointer");
    // the accumulator's limbs travel from A1/A2 to the first E (or F) row
    for (const k of [0, 1, 2, 3] as const) {
      const from = k < 2 ? sA1.add(sA2).add(sA3) : sA2.add(sA3);
      t.assertZero(from.mul(nx(`A${k}`).sub(c(`A${k}`))), `dot/acc-${k}-carried`);
    }
    // elements left: n after A3, one less after each E, none at F
    const rem = c("rem");
    t.assertZero(sA3.mul(nx("rem").sub(n)), "dot/rem-start");
    t.assertZero(sE.mul(nx("rem").sub(rem).add(1)), "dot/rem-step");
    b.assertZero(sF.mul(rem), "dot/rem-end");
    // consecutive elements are one stride apart
    t.assertZero(sE.mul(nx("sE")).mul(nwx.sub(wx).sub(c("sx"))), "dot/x-stride");
    t.assertZero(sE.mul(nx("sE")).mul(nwy.sub(wy).sub(c("sy"))), "dot/y-stride");

    // --- bytes: of x and y on E rows, of S on F rows; each pair range-checked by one AND8 lookup, the sign
    //     bits by a fifth (2·b3 − 256·s is a byte iff s is b3's top bit) ---
    const xb = [0, 1, 2, 3].map((i) => c(`xb${i}` as DotColumn)), yb = [0, 1, 2, 3].map((i) => c(`yb${i}` as DotColumn));
    const A = [0, 1, 2, 3].map((k) => c(`A${k}` as DotColumn));
    const bytesOf = (lo: Expr, hi: Expr): Expr => lo.add(hi.mul(256));
    b.assertZero(sE.mul(xv0.sub(bytesOf(xb[0]!, xb[1]!))), "dot/x-bytes-lo");
    b.assertZero(sE.mul(xv1.sub(bytesOf(xb[2]!, xb[3]!))), "dot/x-bytes-hi");
    b.assertZero(sE.mul(yv0.sub(bytesOf(yb[0]!, yb[1]!))), "dot/y-bytes-lo");
    b.assertZero(sE.mul(yv1.sub(bytesOf(yb[2]!, yb[3]!))), "dot/y-bytes-hi");
    b.assertZero(sF.mul(A[0]!.sub(bytesOf(xb[0]!, xb[1]!))), "dot/s-bytes-0");
    b.assertZero(sF.mul(A[1]!.sub(bytesOf(xb[2]!, xb[3]!))), "dot/s-bytes-1");
    b.assertZero(sF.mul(A[2]!.sub(bytesOf(yb[0]!, yb[1]!))), "dot/s-bytes-2");
    b.assertZero(sF.mul(A[3]!.sub(bytesOf(yb[2]!, yb[3]!))), "dot/s-bytes-3");
    const sEF = sE.add(sF);
    for (let i = 0; i < 4; i++) b.send(BUS.AND8, [xb[i]!, yb[i]!, c(`n${i}` as DotColumn)], sEF, 1);
    b.send(BUS.AND8, [xb[3]!.mul(2).sub(sgx.mul(256)), yb[3]!.mul(2).sub(sgy.mul(256)), c("n4")], sEF, 1);
    const signed = (bytes: Expr[], s: Expr): Expr[] => [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!.sub(s.mul(256))];

    // --- E: acc' = acc + x·y mod 2^64 ---
    const xs = signed(xb, sgx), ys = signed(yb, sgy);
    const carries = [0, 1, 2, 3, 4].map((k) => c(`c${k}` as DotColumn));
    for (let k = 0; k < 4; k++) {
      const prod = byteProductLimb(b, xs, ys, k);
      const cin = k === 0 ? b.constant(0) : carries[k - 1]!;
      t.assertZero(sE.mul(nx(`A${k}` as DotColumn).add(carries[k]!.mul(TWO16)).sub(A[k]!).sub(prod).sub(cin)), `dot/acc-limb-${k}`);
    }
    range.family(sE, [
      c("qx"), c("qx").mul(4), c("ex"), msz.sub(1).sub(c("ex")),
      c("qy"), c("qy").mul(4), c("ey"), msz.sub(1).sub(c("ey")),
      A[0]!, A[1]!, A[2]!, A[3]!,
      ...carries.slice(0, 4).map((x) => x.add(CARRY_OFFSET)),
    ]);

    // --- F: r = R(S, sh) written to dst (X's new value: xv0, xv1 = r's limbs) ---
    const mb = [0, 1, 2, 3].map((i) => c(`mb${i}` as DotColumn)), z0 = c("z0"), sr = c("sr");
    b.assertBool(z0, "dot/z0-bool");
    b.assertBool(sr, "dot/result-sign-bool");
    b.send(BUS.POW2, [b.constant(32).sub(c("sh")), bytesOf(mb[0]!, mb[1]!), bytesOf(mb[2]!, mb[3]!), z0, 0], sF, 1);
    b.send(BUS.AND8, [mb[0]!, mb[1]!, c("n5")], sF, 1);
    b.send(BUS.AND8, [mb[2]!, mb[3]!, c("n6")], sF, 1);
    const sb = [...xb, ...signed(yb, sgy)]; // S's bytes, the top one signed
    const sLimb = [A[0]!, A[1]!, A[2]!, A[3]!.sub(sgy.mul(TWO16))]; // S's limbs, the top one signed
    const rhs = [c("L0"), c("L1"), xv0, xv1.sub(sr.mul(TWO16)), b.constant(0), b.constant(0)];
    for (let k = 0; k < ROUND_LIMBS; k++) {
      let lhs = byteProductLimb(b, sb, mb, k);
      if (k === 1) lhs = lhs.add(one.sub(z0).mul(2 ** 15));
      if (k >= 2) lhs = lhs.add(z0.mul(sLimb[k - 2]!));
      const cin = k === 0 ? b.constant(0) : carries[k - 1]!;
      const cout = k === ROUND_LIMBS - 1 ? b.constant(0) : carries[k]!.mul(TWO16);
      b.assertZero(sF.mul(lhs.add(cin).sub(rhs[k]!).sub(cout)), `dot/round-limb-${k}`);
    }
    // r's limbs are 16-bit (MEMWF) and r1 − 2^15·sr 15-bit (sr its sign bit)
    const rTop = xv1.sub(sr.mul(2 ** 15));
    range.family(sF, [c("L0"), c("L1"), xv0, rTop, rTop.mul(2), ...carries.map((x) => x.add(CARRY_OFFSET))]);
    // arguments: n ≥ 0 (A0), |sx| < 2^28 (A0: Y's high limb minus 0xF000·sign is 12-bit), |sy| < 2^28 (A1),
    // pointers' high limbs < 2^14 when elements are read (A3)
    range.family(sA0, [xv1.mul(2), yv1.sub(sgy.mul(0xf000)).mul(16)]);
    range.family(sA1, [xv1.sub(sgx.mul(0xf000)).mul(16)]);
    range.family(hasE, [xv1.mul(4), yv1.mul(4)]);
    range.emit(b);
  },
};
