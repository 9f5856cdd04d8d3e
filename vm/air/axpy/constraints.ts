// AXPY table (docs/vm-air.md §9): the AXPY coprocessor, y[i] ← y[i] + R(a·x[i], shift) for i < n in order, each
// t = R(a·x[i], shift) and each sum trapping unless it fits i32.
//
// The CPU's AXPY row (cycle clk) sends COP(2, clk, argBase, clk + 1 + n, msz, 0, 0) — argBase = fp + a, the 7
// argument slots (yp, xp, n, sy, sx, a, shift) — and jumps to clock clk + 1 + n. One op = n + 4 rows:
//   A0..A3  argument rows at clk (phase 0): A0 (n, sy), A1 (a, shift), A2 (sx), A3 (yp, xp). A0 receives the COP
//           tuple. A1 also computes the op's multiplier AM = a·2^(32 − shift) (a·2^32 for shift 0) exactly, as
//           8 bytes (op constants) — so every element's rounding is one product x·AM.
//   E       one per element i (cycle clk + 1 + i): reads x[i] (phase 1), reads and writes y[i] (phase 2, after
//           the x read: aliasing x and y, or elements of y, behaves exactly as the executor's loop).
// A0 → A1 → A2 → A3 → E* → (A0 | padding); the first row is A0 or padding, the last row padding. `last` marks the
// op's last row (A3 with n = 0, or its last E), where no element may be left.
//
// Soundness notes (every equation mod p is an integer equation; bounds where it matters):
// - Addresses, strides, pointers, n ≥ 0: as in the DOT table (vm/air/dot/constraints.ts).
// - AM (A1): a's signed bytes × M's bytes (M = 2^(32 − sh) from POW2, sh ≤ 32; z0 = [sh = 0] is POW2's third
//   limb) plus z0·a·2^32 equals AM as four limbs, the top one signed, with no carry out: |a·M| ≤ 2^63 fits.
//   AM's bytes are range-checked (RANGE of b and 256·b; the top byte's sign by a 7-bit check).
// - t (E): x·AM + 2^31·(1 − z0) = L + 2^32·t with L ∈ [0, 2^32), t ∈ [−2^31, 2^31), limb by limb over 96 bits
//   with signed carries and no carry out: t = ⌊(a·x + 2^(sh−1))/2^sh⌋ (a·x for sh = 0), and no t exists when it
//   leaves i32 (the executor's FixedPointOverflow).
// - y' = y + t: y0 + t0 = y'0 + 2^16·k0, (y1 − 2^16·s_y) + (t1 − 2^16·s_t) + k0 = y'1 − 2^16·s_y' with every
//   sign bit pinned by a 15-bit check and no carry out: y' = y + t exactly, so a sum outside i32 has no row.
import type { AirBuilder, Expr, TableAir } from "../../../verifier/air.ts";
import { BUS, COP_KIND, PHASE } from "../buses.ts";
import { MEM_BASE } from "../cpu/columns.ts";
import { RangeSlots } from "../range-slots.ts";
import { memPort } from "../mem-port.ts";
import { byteProductLimb, CARRY_OFFSET, TWO32_MOD_P } from "../byte-products.ts";

const NAMES = [
  "sA0", "sA1", "sA2", "sA3", "sE", "last",
  // the op's constants: AM's bytes (am7 unsigned, sam its sign), z0 = [sh = 0]
  "clkOp", "argBase", "msz", "n", "sx", "sy", "sh", "z0", "am0", "am1", "am2", "am3", "am4", "am5", "am6", "am7", "sam",
  "rem", "qx", "ex", "qy", "ey", "hasE",
  // port X (reads: arguments, x[i]); port Y (argument reads; y[i]'s read-modify-write on E)
  "xa", "xv0", "xv1", "xts", "xpts", "xd0", "xd1",
  "ya", "yv0", "yv1", "yp0", "yp1", "ypts", "yd0", "yd1",
  // bytes: A1 a (xb) and M (yb); E x (xb); AND8 results; sign bits of xb3, yb3
  "xb0", "xb1", "xb2", "xb3", "yb0", "yb1", "yb2", "yb3", "n0", "n1", "n2", "n3", "n4", "sgx", "sgy",
  // E: L's limbs, t's limbs and sign, carries (A1: AM's 3, E: t's 5), the add's carry, old and new y's signs
  "L0", "L1", "t0", "t1", "st", "c0", "c1", "c2", "c3", "c4", "k0", "sgo", "syn",
] as const;
export type AxpyColumn = (typeof NAMES)[number];
export const AXPY_COLUMN_NAMES: readonly string[] = NAMES;
export const AXPY_WIDTH = NAMES.length;
export const AXPY_COL = Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<AxpyColumn, number>;

const TWO16 = 65536;
/** Offset that makes a signed carry (|c| < 2^15) a RANGE16 value (the shared one). */
export const AXPY_CARRY_OFFSET = CARRY_OFFSET;
/** Argument slot read by port X on A0..A3 (port Y reads the next slot, except on A2). */
export const AXPY_ARG_SLOT = [2, 5, 4, 0] as const;

export const axpyTable: TableAir = {
  name: "axpy",
  width: AXPY_WIDTH,
  eval(b: AirBuilder) {
    const c = (n: AxpyColumn): Expr => b.col(AXPY_COL[n]);
    const nx = (n: AxpyColumn): Expr => b.next(AXPY_COL[n]);
    const one = b.constant(1);
    const [sA0, sA1, sA2, sA3, sE] = (["sA0", "sA1", "sA2", "sA3", "sE"] as const).map(c) as [Expr, Expr, Expr, Expr, Expr];
    const sA = sA0.add(sA1).add(sA2).add(sA3);
    const real = sA.add(sE);
    const nReal = (["sA0", "sA1", "sA2", "sA3", "sE"] as const).map(nx).reduce((x, y) => x.add(y));
    const t = b.whenTransition();
    const range = new RangeSlots();

    // --- row kinds and the op's sequence ---
    for (const s of [sA0, sA1, sA2, sA3, sE]) b.assertBool(s, "axpy/kind-bool");
    b.assertBool(real, "axpy/one-kind");
    t.assertZero(nReal.mul(one.sub(real)), "axpy/real-prefix");
    b.whenFirstRow().assertZero(real.sub(sA0), "axpy/first-row-starts-an-op");
    b.whenLastRow().assertZero(real, "axpy/last-row-padding");
    t.assertZero(sA0.mul(one.sub(nx("sA1"))), "axpy/a0-then-a1");
    t.assertZero(sA1.mul(one.sub(nx("sA2"))), "axpy/a1-then-a2");
    t.assertZero(sA2.mul(one.sub(nx("sA3"))), "axpy/a2-then-a3");
    t.assertZero(sA3.add(sE).mul(nReal.sub(nx("sE")).sub(nx("sA0"))), "axpy/then-elements-or-next-op");
    const last = c("last");
    t.assertEq(last, sA3.add(sE).mul(one.sub(nx("sE"))), "axpy/last");
    const sameOp = nReal.sub(nx("sA0"));
    const constants = ["clkOp", "argBase", "msz", "n", "sx", "sy", "sh", "z0", "am0", "am1", "am2", "am3", "am4", "am5", "am6", "am7", "sam"] as const;
    for (const k of constants) t.assertZero(sameOp.mul(nx(k).sub(c(k))), `axpy/op-constant-${k}`);

    // --- the op, from the CPU ---
    const clkOp = c("clkOp"), n = c("n"), msz = c("msz");
    b.receive(BUS.COP, [COP_KIND.AXPY, clkOp, c("argBase"), clkOp.add(1).add(n), msz, 0, 0], sA0, 1);

    // --- ports ---
    const xa = c("xa"), xv0 = c("xv0"), xv1 = c("xv1"), xts = c("xts");
    const ya = c("ya"), yv0 = c("yv0"), yv1 = c("yv1"), yp0 = c("yp0"), yp1 = c("yp1");
    const yArg = sA0.add(sA1).add(sA3); // A rows whose port Y reads an argument
    const enY = yArg.add(sE);
    const wx = c("qx").add(c("ex").mul(2 ** 14)), wy = c("qy").add(c("ey").mul(2 ** 14));
    b.assertZero(sA.mul(xa.sub(c("argBase")).sub(sA0.mul(AXPY_ARG_SLOT[0])).sub(sA1.mul(AXPY_ARG_SLOT[1])).sub(sA2.mul(AXPY_ARG_SLOT[2]))), "axpy/arg-address");
    b.assertZero(yArg.mul(ya.sub(xa).sub(1)), "axpy/arg-address-y");
    b.assertZero(sE.mul(xa.sub(MEM_BASE).sub(wx)), "axpy/x-address");
    b.assertZero(sE.mul(ya.sub(MEM_BASE).sub(wy)), "axpy/y-address");
    const clkE = clkOp.add(1).add(n).sub(c("rem"));
    b.assertZero(sA.mul(xts.sub(clkOp.mul(4)).sub(PHASE.SLOT_READ + 1)), "axpy/ts-args");
    b.assertZero(sE.mul(xts.sub(clkE.mul(4)).sub(PHASE.MEM_READ + 1)), "axpy/ts-element");
    b.assertZero(yArg.mul(yv0.sub(yp0)), "axpy/arg-read-keeps-lo");
    b.assertZero(yArg.mul(yv1.sub(yp1)), "axpy/arg-read-keeps-hi");
    memPort(b, { addr: xa, prev: [xv0, xv1], val: [xv0, xv1], ts: xts, pts: c("xpts"), d0: c("xd0"), d1: c("xd1"), en: real }, "axpy/x");
    memPort(b, { addr: ya, prev: [yp0, yp1], val: [yv0, yv1], ts: xts.add(sE), pts: c("ypts"), d0: c("yd0"), d1: c("yd1"), en: enY }, "axpy/y");

    // --- arguments ---
    const sgx = c("sgx"), sgy = c("sgy");
    b.assertBool(sgx, "axpy/sign-x-bool");
    b.assertBool(sgy, "axpy/sign-y-bool");
    // A0: n (X, top bit 0), sy (Y, signed, |sy| < 2^28)
    b.assertZero(sA0.mul(n.sub(xv0).sub(xv1.mul(TWO16))), "axpy/arg-n");
    b.assertZero(sA0.mul(c("sy").sub(yv0).sub(yv1.mul(TWO16)).add(sgy.mul(TWO32_MOD_P))), "axpy/arg-sy");
    range.family(sA0, [xv1.mul(2), yv1.sub(sgy.mul(0xf000)).mul(16)]);
    // A2: sx (X, signed, |sx| < 2^28)
    b.assertZero(sA2.mul(c("sx").sub(xv0).sub(xv1.mul(TWO16)).add(sgx.mul(TWO32_MOD_P))), "axpy/arg-sx");
    range.family(sA2, [xv1.sub(sgx.mul(0xf000)).mul(16)]);
    // A3: yp (X) and xp (Y) point at the first element, when there is one
    const hasE = c("hasE");
    b.assertZero(hasE.mul(one.sub(sA3)), "axpy/has-elements-only-on-a3");
    t.assertZero(sA3.mul(hasE.sub(nx("sE"))), "axpy/has-elements");
    const nwx = nx("qx").add(nx("ex").mul(2 ** 14)), nwy = nx("qy").add(nx("ey").mul(2 ** 14));
    t.assertZero(hasE.mul(xv0.add(xv1.mul(TWO16)).sub(nwy.mul(4))), "axpy/y-pointer");
    t.assertZero(hasE.mul(yv0.add(yv1.mul(TWO16)).sub(nwx.mul(4))), "axpy/x-pointer");
    range.family(hasE, [xv1.mul(4), yv1.mul(4)]);
    // elements left: n after A3, one less per E, none after the op's last row
    const rem = c("rem");
    t.assertZero(sA3.mul(nx("rem").sub(n)), "axpy/rem-start");
    t.assertZero(sE.mul(nx("sE")).mul(nx("rem").sub(rem).add(1)), "axpy/rem-step");
    b.assertZero(last.mul(sE).mul(rem.sub(1)), "axpy/rem-end");
    b.assertZero(last.mul(sA3).mul(n), "axpy/no-elements");
    t.assertZero(sE.mul(nx("sE")).mul(nwx.sub(wx).sub(c("sx"))), "axpy/x-stride");
    t.assertZero(sE.mul(nx("sE")).mul(nwy.sub(wy).sub(c("sy"))), "axpy/y-stride");

    // --- bytes and their lookups: A1 pairs (a_i, M_i), E pairs (x0, x1), (x2, x3); both the sign lookup ---
    const xb = [0, 1, 2, 3].map((i) => c(`xb${i}` as AxpyColumn)), yb = [0, 1, 2, 3].map((i) => c(`yb${i}` as AxpyColumn));
    const nn = [0, 1, 2, 3, 4].map((i) => c(`n${i}` as AxpyColumn));
    const bytesOf = (lo: Expr, hi: Expr): Expr => lo.add(hi.mul(256));
    b.assertZero(sA1.add(sE).mul(xv0.sub(bytesOf(xb[0]!, xb[1]!))), "axpy/bytes-lo");
    b.assertZero(sA1.add(sE).mul(xv1.sub(bytesOf(xb[2]!, xb[3]!))), "axpy/bytes-hi");
    b.send(BUS.AND8, [xb[0]!, sA1.mul(yb[0]!).add(sE.mul(xb[1]!)), nn[0]!], sA1.add(sE), 1);
    b.send(BUS.AND8, [sA1.mul(xb[1]!).add(sE.mul(xb[2]!)), sA1.mul(yb[1]!).add(sE.mul(xb[3]!)), nn[1]!], sA1.add(sE), 1);
    b.send(BUS.AND8, [xb[2]!, yb[2]!, nn[2]!], sA1, 1);
    b.send(BUS.AND8, [xb[3]!, yb[3]!, nn[3]!], sA1, 1);
    b.send(BUS.AND8, [xb[3]!.mul(2).sub(sgx.mul(256)), yb[3]!.mul(2).sub(sgy.mul(256)), nn[4]!], sA1.add(sE), 1);
    const xs = [xb[0]!, xb[1]!, xb[2]!, xb[3]!.sub(sgx.mul(256))]; // signed bytes of a (A1) or x (E)
    const carries = [0, 1, 2, 3, 4].map((k) => c(`c${k}` as AxpyColumn));

    // --- A1: shift (Y, < 2^16, ≤ 32 by POW2), M's bytes (yb), AM = a·M + z0·a·2^32 ---
    const sh = c("sh"), z0 = c("z0");
    b.assertBool(z0, "axpy/z0-bool");
    b.assertZero(sA1.mul(sh.sub(yv0)), "axpy/arg-shift");
    b.assertZero(sA1.mul(yv1), "axpy/arg-shift-small");
    b.send(BUS.POW2, [b.constant(32).sub(sh), bytesOf(yb[0]!, yb[1]!), bytesOf(yb[2]!, yb[3]!), z0, 0], sA1, 1);
    const am = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => c(`am${i}` as AxpyColumn)), sam = c("sam");
    b.assertBool(sam, "axpy/am-sign-bool");
    const amSigned = [...am.slice(0, 7), am[7]!.sub(sam.mul(256))];
    const amLimb = [0, 1, 2, 3].map((k) => bytesOf(amSigned[2 * k]!, amSigned[2 * k + 1]!));
    const aLimb = [xv0, xv1.sub(sgx.mul(TWO16))];
    for (let k = 0; k < 4; k++) {
      let lhs = byteProductLimb(b, xs, yb, k);
      if (k >= 2) lhs = lhs.add(z0.mul(aLimb[k - 2]!));
      const cin = k === 0 ? b.constant(0) : carries[k - 1]!;
      const cout = k === 3 ? b.constant(0) : carries[k]!.mul(TWO16);
      b.assertZero(sA1.mul(lhs.add(cin).sub(amLimb[k]!).sub(cout)), `axpy/am-limb-${k}`);
    }
    range.family(sA1, [...am.flatMap((x) => [x, x.mul(256)]), am[7]!.sub(sam.mul(128)).mul(512), ...carries.slice(0, 3).map((x) => x.add(AXPY_CARRY_OFFSET))]);

    // --- E: t = R(a·x, sh) from x·AM + 2^31·(1 − z0) = L + 2^32·t; y' = y + t ---
    const t0 = c("t0"), t1 = c("t1"), st = c("st");
    b.assertBool(st, "axpy/t-sign-bool");
    const rhs = [c("L0"), c("L1"), t0, t1.sub(st.mul(TWO16)), b.constant(0), b.constant(0)];
    for (let k = 0; k < 6; k++) {
      let lhs = byteProductLimb(b, xs, amSigned, k);
      if (k === 1) lhs = lhs.add(one.sub(z0).mul(2 ** 15));
      const cin = k === 0 ? b.constant(0) : carries[k - 1]!;
      const cout = k === 5 ? b.constant(0) : carries[k]!.mul(TWO16);
      b.assertZero(sE.mul(lhs.add(cin).sub(rhs[k]!).sub(cout)), `axpy/t-limb-${k}`);
    }
    const k0 = c("k0"), sgo = c("sgo"), syn = c("syn");
    for (const [x, nm] of [[k0, "add-carry"], [sgo, "y-sign"], [syn, "new-y-sign"]] as const) b.assertBool(x, `axpy/${nm}-bool`);
    b.assertZero(sE.mul(yp0.add(t0).sub(yv0).sub(k0.mul(TWO16))), "axpy/add-lo");
    b.assertZero(sE.mul(yp1.sub(sgo.mul(TWO16)).add(t1.sub(st.mul(TWO16))).add(k0).sub(yv1.sub(syn.mul(TWO16)))), "axpy/add-hi");
    const tTop = t1.sub(st.mul(2 ** 15)), ynTop = yv1.sub(syn.mul(2 ** 15));
    range.family(sE, [
      c("qx"), c("qx").mul(4), c("ex"), msz.sub(1).sub(c("ex")),
      c("qy"), c("qy").mul(4), c("ey"), msz.sub(1).sub(c("ey")),
      c("L0"), c("L1"), t0, tTop, tTop.mul(2), ...carries.map((x) => x.add(AXPY_CARRY_OFFSET)),
      yv0, ynTop, ynTop.mul(2), yp1.sub(sgo.mul(2 ** 15)).mul(2),
    ]);
    range.emit(b);
  },
};
