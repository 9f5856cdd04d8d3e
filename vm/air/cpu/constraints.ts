// CPU table of the VM AIR: control flow, fetch, four access ports with offline memory checking, and the
// CONST / CONST64 / ADD / SUB (32- and 64-bit) / CMP / SELECT / JMP / BRNZ / BRZ / EXIT / MOV (incl. GGET, GSET) /
// CALL / CALLI / RET / LOAD32 / STORE32 / MEMSIZE / READ / COMMIT / INPUTLEN families (docs/vm-air.md §4). Max degree 3.
//
// Two kinds of rows are not fetched from the PROGRAM table: `hi` rows (the second row of ADD64/SUB64, which
// copies the first row's decode with every slot offset + 1) and `fByte` rows (one per byte of READ/COMMIT,
// whose decode columns are pinned by constraints). Every other real row fetches its instruction.
import type { AirBuilder, Expr, TableAir } from "../../../verifier/air.ts";
import { BUS, COP_KIND } from "../buses.ts";
import { RangeSlots } from "../range-slots.ts";
import { SHA_ROWS } from "../sha256/constraints.ts";

/** SHA256 costs its CPU row and one SHA256-table row per round. */
const SHA_CYCLES = 1 + SHA_ROWS;
import { DECODE_FIELDS, HI_ROW_DELTA } from "../program/decode.ts";
import { P as P_MOD } from "../../../verifier/fp.ts";
import { cpuCol, CPU_WIDTH, MEM_BASE, NUM_PORTS, PORT_PHASE, portCol, PUB, SLOT_WRITE_PHASE } from "./columns.ts";

const TWO16 = 65536;
/** Pointers compared with the memory size must be < 3·2^28: hi limb + 2^12 < 2^14. */
export const PTR_HI_SLACK = 2 ** 12;
export const MAX_CHECKED_PTR = 3 * 2 ** 28;

export const cpuTable: TableAir = {
  name: "cpu",
  width: CPU_WIDTH,
  eval(b: AirBuilder) {
    const c = (n: string): Expr => b.col(cpuCol(n));
    const nx = (n: string): Expr => b.next(cpuCol(n));
    const port = (f: Parameters<typeof portCol>[0], k: number): Expr => b.col(portCol(f, k));
    const isReal = c("isReal"), pc = c("pc"), fp = c("fp"), clk = c("clk");
    const [fConst, fAdd, fAddi, fJmp, fBrnz, fExit, fMov, fCall, fRet] = ["fConst", "fAdd", "fAddi", "fJmp", "fBrnz", "fExit", "fMov", "fCall", "fRet"].map(c) as [Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr];
    const [fSub, fCmp, fBrz, fSel, fConst64] = ["fSub", "fCmp", "fBrz", "fSel", "fConst64"].map(c) as [Expr, Expr, Expr, Expr, Expr];
    const [fLoad, fStore, fMemsize] = ["fLoad", "fStore", "fMemsize"].map(c) as [Expr, Expr, Expr];
    const [fRead, fCommit, fInLen, fByte] = ["fRead", "fCommit", "fInLen", "fByte"].map(c) as [Expr, Expr, Expr, Expr];
    const [fBit, fMul, fFill, fLdB, fStB, fZext, fSext, fCmpLo, fEqz64, fShift, fShiftA] = ["fBit", "fMul", "fFill", "fLdB", "fStB", "fZext", "fSext", "fCmpLo", "fEqz64", "fShift", "fShiftA"].map(c) as Expr[] as [Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr];
    const fSh = fShift.add(fShiftA);
    const [fDivU, fDivS] = ["fDivU", "fDivS"].map(c) as [Expr, Expr];
    const fDiv = fDivU.add(fDivS);
    const [fShl64, fShr64, fSar64, fRotl64, fRotr64, fSh64Hi] = ["fShl64", "fShr64", "fSar64", "fRotl64", "fRotr64", "fSh64Hi"].map(c) as [Expr, Expr, Expr, Expr, Expr, Expr];
    const fSh64 = fShl64.add(fShr64).add(fSar64).add(fRotl64).add(fRotr64); // row 0 of a 64-bit shift
    const [fMul64, fMul64Hi] = ["fMul64", "fMul64Hi"].map(c) as [Expr, Expr];
    const fCalli = c("fCalli"), [fClz, fCtz, fPop] = ["fClz", "fCtz", "fPop"].map(c) as [Expr, Expr, Expr];
    const [fClz64, fCtz64, fPop64] = ["fClz64", "fCtz64", "fPop64"].map(c) as [Expr, Expr, Expr];
    const fCnt = fClz.add(fCtz).add(fPop), fCnt64 = fClz64.add(fCtz64).add(fPop64);
    const fCopy = c("fCopy"), bCr = c("bCr"), bCw = c("bCw");
    const fDivS64 = c("fDivS64"), fDivS64Hi = c("fDivS64Hi"), fBrt = c("fBrt"), fLog = c("fLog"), fFx = c("fFx"), fGrow = c("fGrow"), fDot = c("fDot"), fAxpy = c("fAxpy"), fSha = c("fSha");
    // the memory size in pages: the public initial size on the first row, + gdelta across MEMGROW
    const msz = c("msz");
    const fDivU64 = c("fDivU64"), fDiv64Hi = c("fDiv64Hi"), fExt8 = c("fExt8"), fExt16 = c("fExt16");
    const flags = [fConst, fAdd, fAddi, fJmp, fBrnz, fExit, fMov, fCall, fRet, fSub, fCmp, fBrz, fSel, fConst64, fLoad, fStore, fMemsize, fRead, fCommit, fInLen, fByte, fBit, fMul, fFill, fLdB, fStB, fZext, fSext, fCmpLo, fEqz64, fShift, fShiftA, fDivU, fDivS, fShl64, fShr64, fSar64, fRotl64, fRotr64, fSh64Hi, fMul64, fMul64Hi, fCalli, fClz, fCtz, fPop, fCopy, fDivU64, fDiv64Hi, fExt8, fExt16, fClz64, fCtz64, fPop64, fDivS64, fDivS64Hi, fBrt, fLog, fFx, fGrow, fDot, fAxpy, fSha, c("fHand")];
    const is64 = c("is64"), hi = c("hi"), bRd = c("bRd");
    const range = new RangeSlots();

    // --- flags and padding (soundness.md: selector not boolean, padding rows active) ---
    b.assertBool(isReal, "cpu/isReal-bool");
    flags.forEach((f, i) => b.assertBool(f, `cpu/flag${i}-bool`));
    b.assertEq(flags.slice(1).reduce((s, f) => s.add(f), flags[0]!), isReal, "cpu/one-family-per-real-row");
    for (let k = 0; k < NUM_PORTS; k++) {
      const en = c(`en${k}`);
      b.assertBool(en, `cpu/en${k}-bool`);
      b.assertZero(en.mul(b.constant(1).sub(isReal)), `cpu/en${k}-only-on-real-rows`);
    }

    // --- boundary (soundness.md: first-row pc/clk pinned; must end with EXIT) — per segment (docs/vm-air.md §11):
    //     the first segment starts at the public entry state, every other one at the STATE its predecessor's
    //     handoff row sent; the last segment ends at EXIT, every other one at a handoff row ---
    const segFirst = b.pub(PUB.segFirst), segLast = b.pub(PUB.segLast);
    const fHand = c("fHand"), isFirst = c("isFirst");
    const first = b.whenFirstRow();
    first.assertEq(isReal, 1, "cpu/first-row-real");
    first.assertZero(segFirst.mul(pc.sub(b.pub(PUB.entryPc))), "cpu/first-pc");
    first.assertZero(segFirst.mul(fp.sub(b.pub(PUB.fp0))), "cpu/first-fp");
    first.assertZero(segFirst.mul(clk), "cpu/first-clk");
    first.assertZero(hi, "cpu/first-row-fetched");
    first.assertZero(fByte, "cpu/first-row-not-a-byte-row");
    first.assertZero(fHand, "cpu/first-row-not-a-handoff");
    first.assertZero(segFirst.mul(c("jpos")), "cpu/first-journal-empty");
    first.assertZero(segFirst.mul(msz.sub(b.pub(PUB.memPages))), "cpu/first-memory-size");
    first.assertEq(isFirst, 1, "cpu/is-first-on-row-0");
    b.whenLastRow().assertEq(isReal, fExit.add(fHand), "cpu/last-row-exit-handoff-or-padding");
    // the starting state of a later segment: received from the handoff row of the one before (the tuple is the
    // whole CPU state that crosses rows: pc, fp, clk, memory size, input cursor, journal cursor)
    const state = [pc, fp, clk, msz, c("inRem"), c("jpos")];
    b.receive(BUS.STATE, state, isFirst.mul(b.constant(1).sub(segFirst)), 1);
    b.send(BUS.STATE, state, fHand, 1);
    b.assertBool(fHand, "cpu/handoff-bool");
    b.assertZero(fHand.mul(segLast), "cpu/no-handoff-in-the-last-segment");
    b.assertZero(fExit.mul(b.constant(1).sub(segLast)), "cpu/exit-only-in-the-last-segment");
    // a handoff row does nothing: no port, no i64 half
    for (let k = 0; k < NUM_PORTS; k++) b.assertZero(fHand.mul(c(`en${k}`)), `cpu/handoff-port${k}-off`);
    b.assertZero(fHand.mul(is64), "cpu/handoff-not-i64");
    b.assertZero(fHand.mul(hi), "cpu/handoff-not-a-hi-row");

    // --- transitions: real rows form a prefix that ends exactly at EXIT (or a handoff) ---
    const t = b.whenTransition();
    const nReal = nx("isReal");
    t.assertZero(nx("isFirst"), "cpu/is-first-only-on-row-0");
    const cont = isReal.sub(fExit).sub(fHand); // a real row that is followed by another
    t.assertZero(nReal.mul(b.constant(1).sub(isReal)), "cpu/real-prefix");
    t.assertZero(cont.mul(b.constant(1).sub(nReal)), "cpu/continues-until-exit");
    t.assertZero(fExit.mul(nReal), "cpu/exit-is-last");
    t.assertZero(fHand.mul(nReal), "cpu/handoff-is-last");
    // one cycle per row, except that a MEMCOPY byte's read row and write row share their cycle
    // (and the hi row of a 64-bit division ends its 4 cycles)
    t.assertZero(cont.sub(bCr).sub(fDiv64Hi).sub(fDivS64Hi).sub(fDot).sub(fAxpy).sub(fSha).mul(nx("clk").sub(clk).sub(1)), "cpu/clk-step");
    // DOT/AXPY: the clock jumps to cend = clk + 1 + n, the end the coprocessor table received for this op
    t.assertZero(fDot.add(fAxpy).mul(nx("clk").sub(c("cend"))), "cpu/clk-coprocessor");
    b.send(BUS.COP, [COP_KIND.DOT, clk, fp.add(c("off0")), fp.add(c("off2")), c("cend"), msz, 0], fDot, 1);
    b.send(BUS.COP, [COP_KIND.AXPY, clk, fp.add(c("off0")), c("cend"), msz, 0, 0], fAxpy, 1);
    // SHA256: 65 cycles (this row, then the table's 64 rounds); the pointers travel as limbs (the table checks
    // alignment and bounds)
    t.assertZero(fSha.mul(nx("clk").sub(clk).sub(SHA_CYCLES)), "cpu/clk-sha256");
    b.send(BUS.COP, [COP_KIND.SHA256, clk, port("v0", 0), port("v1", 0), c("C0"), c("C1"), msz], fSha, 1);
    t.assertZero(bCr.mul(nx("clk").sub(clk)), "cpu/clk-copy-pair");
    t.assertZero(fDiv64Hi.add(fDivS64Hi).mul(nx("clk").sub(clk).sub(3)), "cpu/clk-div64");
    t.assertZero(cont.sub(fCall).sub(fCalli).sub(fRet).mul(nx("fp").sub(fp)), "cpu/fp-kept");
    const nPc = nx("pc");
    // the first row of an i64 instruction (is64 − hi = 1) keeps pc for its hi row; the hi row moves on
    const first64 = is64.sub(hi);
    const seq = [fAdd, fAddi, fMov, fSub, fCmp, fSel, fConst64, fLoad, fStore, fMemsize, fInLen, fBit, fMul, fLdB, fStB, fZext, fSext, fCmpLo, fEqz64, fShift, fShiftA, fDivU, fDivS, fShl64, fShr64, fSar64, fRotl64, fRotr64, fSh64Hi, fMul64, fMul64Hi, fClz, fCtz, fPop, fDivU64, fDiv64Hi, fExt8, fExt16, fClz64, fCtz64, fPop64, fDivS64, fDivS64Hi, fLog, fFx, fGrow, fDot, fAxpy, fSha].reduce((x, f) => x.add(f), fConst);
    t.assertZero(seq.sub(first64).mul(nPc.sub(pc).sub(1)), "cpu/pc-next");
    t.assertZero(first64.mul(nPc.sub(pc)), "cpu/pc-kept-for-hi-row");
    t.assertZero(fJmp.mul(nPc.sub(c("a"))), "cpu/jmp");
    // BRNZ: pc' = r[a] ≠ 0 ? target : pc + 1, with z the zero flag of r[a]
    const z = c("z");
    const target = c("b0").add(c("b1").mul(TWO16));
    t.assertZero(fBrnz.mul(nPc.sub(target.add(z.mul(pc.add(1).sub(target))))), "cpu/brnz");
    // BRZ: pc' = r[a] = 0 ? target : pc + 1
    t.assertZero(fBrz.mul(nPc.sub(pc.add(1)).sub(z.mul(target.sub(pc).sub(1)))), "cpu/brz");

    // --- fetch: every real row looks its decoded instruction up in the PROGRAM table ---
    b.send(BUS.FETCH, DECODE_FIELDS.map((f) => (f === "pc" ? pc : c(f))), isReal.sub(hi).sub(fByte).sub(c("fHand")), 1);

    // --- i64 (docs/vm-air.md §7): a row with is64 is followed by exactly one hi row, which copies its decode
    //     (so the same family gadget runs on the hi words) with every enabled slot offset + 1 ---
    b.assertBool(hi, "cpu/hi-bool");
    b.assertZero(hi.mul(fByte), "cpu/hi-not-a-byte-row");
    t.assertEq(nx("hi"), first64, "cpu/hi-row-follows-i64");
    for (const f of DECODE_FIELDS) {
      if (f === "pc") continue;
      const step = (HI_ROW_DELTA[f] ?? []).reduce((e: Expr, [g, k]) => e.add(c(g).mul(b.constant(k < 0 ? P_MOD + k : k))), b.constant(0));
      t.assertZero(nx("hi").mul(nx(f).sub(c(f)).sub(step)), `cpu/hi-copies-${f}`);
    }
    // carry/borrow in: row 0's k1 on the hi row, 0 everywhere else
    const cin = c("cin");
    b.assertZero(cin.mul(b.constant(1).sub(hi)), "cpu/cin-only-on-hi-rows");
    t.assertZero(nx("hi").mul(nx("cin").sub(c("k1"))), "cpu/cin-is-previous-carry");

    // --- access ports: offline memory checking (docs/vm-air.md §4.4, §5) ---
    const wr1 = c("wr1"), wr3 = c("wr3");
    b.assertBool(wr1, "cpu/wr1-bool");
    b.assertBool(wr3, "cpu/wr3-bool");
    const E0 = c("E0"), E1 = c("E1"), q = c("q");
    // CALLI's save slot (from the TABLEFN lookup) is added to the addresses of ports 1 and 2; 0 on other rows
    const sv = c("sv");
    b.assertZero(sv.mul(b.constant(1).sub(fCalli)), "cpu/save-only-on-calli");
    for (let k = 0; k < NUM_PORTS; k++) {
      const en = c(`en${k}`);
      const addr = port("addr", k), v0 = port("v0", k), v1 = port("v1", k);
      const p0 = port("p0", k), p1 = port("p1", k), pts = port("pts", k);
      const d0 = port("d0", k), d1 = port("d1", k);
      // port 1 switches to a slot write (phase 3) on CALL; the phase is linear in the public flag
      // ts = 4·clk + phase + 1: timestamp 0 belongs to the init records
      // port 3 (memory) reads in phase 1 and writes in phase 2
      const phase = k === 1 ? wr1.mul(SLOT_WRITE_PHASE) : k === 3 ? wr3.add(PORT_PHASE[3]!) : b.constant(PORT_PHASE[k]!);
      const ts = clk.mul(4).add(phase).add(1);
      if (k === 3) {
        // memory word w = ea / 4 = q + 2^14·E1 at MEM_BASE + w (docs/vm-air.md §4.6)
        b.assertZero(en.mul(addr.sub(MEM_BASE).sub(q).sub(E1.mul(2 ** 14))), "cpu/port3-addr");
      } else {
        // absolute ports (globals) ignore fp: addr = off + fp·(1 − abs)
        const base = k === 0 ? fp.mul(b.constant(1).sub(c("abs0"))) : k === 2 ? fp.mul(b.constant(1).sub(c("abs2"))).add(sv) : fp.add(sv);
        b.assertZero(en.mul(addr.sub(base).sub(c(`off${k}`))), `cpu/port${k}-addr`);
      }
      // port 2 writes, except where decode sets rd2 (MEMFILL reads its value argument there, in phase 3)
      const reads = k === 0 ? en : k === 1 ? en.mul(b.constant(1).sub(wr1)) : k === 3 ? en.mul(b.constant(1).sub(wr3)) : en.mul(c("rd2"));
      if (reads) {
        b.assertZero(reads.mul(v0.sub(p0)), `cpu/port${k}-read-keeps-lo`);
        b.assertZero(reads.mul(v1.sub(p1)), `cpu/port${k}-read-keeps-hi`);
      }
      // pts < ts: ts − pts − 1 = d0 + 2^16·d1 with d0 16-bit and d1 13-bit (timestamps < 2^29, §5.2)
      b.assertZero(en.mul(ts.sub(pts).sub(1).sub(d0).sub(d1.mul(TWO16))), `cpu/port${k}-ts-order`);
      b.send(BUS.RANGE, [d0], en, 1);
      b.send(BUS.RANGE, [d1], en, 1);
      b.send(BUS.RANGE, [d1.mul(8)], en, 1);
      b.receive(BUS.MEM, [addr, p0, p1, pts], en, 1);
      b.send(BUS.MEM, [addr, v0, v1, ts], en, 1);
    }

    // --- operands: C = r[c] (port 1), r[b] again (alias), or the immediate ---
    const B0 = port("v0", 0), B1 = port("v1", 0);
    const R0 = port("v0", 2), R1 = port("v1", 2);
    const C0 = c("C0"), C1 = c("C1");
    const selC = c("selC"), aliasC = c("aliasC"), immC = c("immC");
    b.assertEq(C0, selC.mul(port("v0", 1)).add(aliasC.mul(B0)).add(immC.mul(c("c0"))), "cpu/operand-C-lo");
    b.assertEq(C1, selC.mul(port("v1", 1)).add(aliasC.mul(B1)).add(immC.mul(c("c1"))), "cpu/operand-C-hi");

    // --- the add gadget X + Y = Z + k·2^32 on 16-bit limbs (both sides < 2^18, no wrap mod p) with k1 the
    //     carry out: ADD/ADDI (B + C = R), SUB/SUBI (R + C = B, so k1 = borrow of B − C), CMP (D + C' = B',
    //     k1 = [B' < C'] with ' = top bit flipped for signed comparisons) ---
    const fa = fAdd.add(fAddi);
    const k0 = c("k0"), k1 = c("k1");
    b.assertBool(k0, "cpu/add-carry0-bool");
    b.assertBool(k1, "cpu/add-carry1-bool");
    b.assertZero(fa.mul(B0.add(C0).add(cin).sub(R0).sub(k0.mul(TWO16))), "cpu/add-lo");
    b.assertZero(fa.mul(B1.add(C1).add(k0).sub(R1).sub(k1.mul(TWO16))), "cpu/add-hi");
    b.assertZero(fSub.mul(R0.add(C0).add(cin).sub(B0).sub(k0.mul(TWO16))), "cpu/sub-lo");
    b.assertZero(fSub.mul(R1.add(C1).add(k0).sub(B1).sub(k1.mul(TWO16))), "cpu/sub-hi");
    const D0 = c("D0"), D1 = c("D1"), sB = c("sB"), sC = c("sC"), sgn = c("sgn");
    b.assertBool(sB, "cpu/sign-b-bool");
    b.assertBool(sC, "cpu/sign-c-bool");
    // flipping the top bit maps signed order onto unsigned order: hi' = hi + 2^15 − 2^16·s (s = top bit)
    const flip = (hi: Expr, sBit: Expr): Expr => hi.add(sgn.mul(b.constant(2 ** 15).sub(sBit.mul(TWO16))));
    b.assertZero(fCmp.mul(D0.add(C0).add(cin).sub(B0).sub(k0.mul(TWO16))), "cpu/cmp-lo");
    b.assertZero(fCmp.mul(D1.add(flip(C1, sC)).add(k0).sub(flip(B1, sB)).sub(k1.mul(TWO16))), "cpu/cmp-hi");
    // sign bits: hi − 2^15·s must be 15-bit (hi is a canonical 16-bit limb, so one lookup of 2·(hi − 2^15·s)
    // decides: a wrong s makes it negative or ≥ 2^15)
    // (checked on every comparison row, signed or not, so the flag stays degree 1; only signed forms use them)
    // the written limbs are range-checked where they are produced (invariant MEMWF, §1); a comparison's
    // difference D likewise
    range.family(fCmp, [B1.sub(sB.mul(2 ** 15)).mul(2), C1.sub(sC.mul(2 ** 15)).mul(2), D0, D1]);
    // row 0 of a 64-bit comparison: D = B − C on the lo words, unsigned; its borrow and zero flag go to the hi row
    // (BRTABLE uses the same unsigned subtraction: k1 = [r[a] < b])
    b.assertZero(fCmpLo.add(fBrt).mul(D0.add(C0).sub(B0).sub(k0.mul(TWO16))), "cpu/cmp64-lo-lo");
    b.assertZero(fCmpLo.add(fBrt).mul(D1.add(C1).add(k0).sub(B1).sub(k1.mul(TWO16))), "cpu/cmp64-lo-hi");
    range.family(fCmpLo.add(fBrt), [D0, D1]);
    // BRTABLE: pc' = pc + 1 + (r[a] < b ? r[a] : b) (r[a] < b < 2^24 in the first case, so its limbs are a small
    // field element)
    t.assertZero(fBrt.mul(nPc.sub(pc).sub(1).sub(k1.mul(B0.add(B1.mul(TWO16)))).sub(b.constant(1).sub(k1).mul(C0.add(C1.mul(TWO16))))), "cpu/brtable");
    range.family(fa.add(fSub), [R0, R1]);
    // CMP result: cK·[B < C] + cZ·[B = C] + cOne, z the zero flag of D (D = 0 ⇒ no borrow, so 0 or 1)
    b.assertZero(fCmp.mul(R0.sub(c("cK").mul(k1)).sub(c("cZ").mul(z)).sub(c("cOne"))), "cpu/cmp-result");
    b.assertZero(fCmp.mul(R1), "cpu/cmp-result-hi");

    // --- LOAD32 / STORE32: ea = B + c as a 33-bit integer that must fit 32 bits (E1 = B1 + C1 + k0, no carry
    //     out), aligned (E0 = 4·q, q 14-bit), inside memory (E1 ≤ pages − 1: one lookup, a larger E1 makes the
    //     difference ≥ p − 2^17); the memory itself starts zero (the image has no data, checked by decode) ---
    const fM = fLoad.add(fStore);
    const fEa = fM.add(fLdB).add(fStB); // every access at r[x] + c
    b.assertZero(fEa.mul(B0.add(C0).sub(E0).sub(k0.mul(TWO16))), "cpu/ea-lo");
    b.assertZero(fEa.mul(B1.add(C1).add(k0).sub(E1)), "cpu/ea-hi");
    b.assertZero(fM.mul(E0.sub(q.mul(4))), "cpu/ea-aligned");
    range.family(fM, [q, q.mul(4), msz.sub(1).sub(E1)]);
    const M0 = port("v0", 3), M1 = port("v1", 3), V0 = port("v0", 1), V1 = port("v1", 1);
    b.assertZero(fLoad.mul(R0.sub(M0)), "cpu/load-lo");
    b.assertZero(fLoad.mul(R1.sub(M1)), "cpu/load-hi");
    const valAlias = c("valAlias");
    b.assertZero(fStore.mul(M0.sub(V0).sub(valAlias.mul(B0.sub(V0)))), "cpu/store-lo");
    b.assertZero(fStore.mul(M1.sub(V1).sub(valAlias.mul(B1.sub(V1)))), "cpu/store-hi");
    b.assertZero(fMemsize.mul(R0.sub(msz)), "cpu/memsize-lo");
    b.assertZero(fMemsize.mul(R1), "cpu/memsize-hi");

    // --- CONST64: the two immediates' limbs into r[a] (port 2) and r[a+1] (port 1) ---
    b.assertZero(fConst64.mul(R0.sub(c("b0"))), "cpu/const64-lo-lo");
    b.assertZero(fConst64.mul(R1.sub(c("b1"))), "cpu/const64-lo-hi");
    b.assertZero(fConst64.mul(port("v0", 1).sub(c("c0"))), "cpu/const64-hi-lo");
    b.assertZero(fConst64.mul(port("v1", 1).sub(c("c1"))), "cpu/const64-hi-hi");

    // --- SELECT: r[a] = r[c] = 0 ? r[b] : r[a] — port 2 consumes r[a]'s previous record, so its previous value
    //     is the old r[a] without a separate read ---
    const P0 = port("p0", 2), P1 = port("p1", 2);
    b.assertZero(fSel.mul(R0.sub(P0).sub(z.mul(B0.sub(P0)))), "cpu/select-lo");
    b.assertZero(fSel.mul(R1.sub(P1).sub(z.mul(B1.sub(P1)))), "cpu/select-hi");

    // --- CONST: the immediate's limbs (canonical: computed by the verifier's decode) ---
    b.assertZero(fConst.mul(R0.sub(c("b0"))), "cpu/const-lo");
    b.assertZero(fConst.mul(R1.sub(c("b1"))), "cpu/const-hi");

    // --- zero test z = [S = 0] of S = limb sum of r[a] (BRNZ/BRZ), of D (CMP) or of C (SELECT); each sum is
    //     < 2^17 of canonical limbs, so it is 0 in the field only when both limbs are. READ/COMMIT rows test
    //     the byte count bn (< 2^30) ---
    const S = c("S"), inv = c("inv");
    const fBr = fBrnz.add(fBrz), fz = fBr.add(fCmp).add(fSel).add(fRead).add(fCommit).add(fByte).add(fCmpLo).add(fEqz64).add(fFill).add(fSh).add(fSh64).add(fCnt).add(fCnt64).add(fFx);
    b.assertBool(z, "cpu/z-bool");
    b.assertZero(fBr.mul(S.sub(B0).sub(B1)), "cpu/zero-test-operand-a");
    // (on the hi row of a 64-bit comparison the lo words' difference counts too: nzin = [lo words differ])
    const nzin = c("nzin");
    b.assertZero(fCmp.mul(S.sub(D0).sub(D1).sub(nzin)), "cpu/zero-test-operand-d");
    b.assertZero(fCmpLo.mul(S.sub(D0).sub(D1)), "cpu/zero-test-operand-d-lo");
    b.assertZero(fEqz64.mul(S.sub(B0).sub(B1).sub(port("v0", 1)).sub(port("v1", 1))), "cpu/zero-test-operand-b64");
    b.assertZero(nzin.mul(b.constant(1).sub(hi)), "cpu/nzin-only-on-hi-rows");
    t.assertZero(nx("hi").mul(fCmpLo).mul(nx("nzin").sub(1).add(z)), "cpu/nzin-is-previous-nonzero");
    b.assertZero(fEqz64.mul(R0.sub(z)), "cpu/eqz64-result");
    b.assertZero(fEqz64.mul(R1), "cpu/eqz64-result-hi");
    b.assertZero(fSel.mul(S.sub(C0).sub(C1)), "cpu/zero-test-operand-c");
    b.assertZero(fz.mul(S.mul(z)), "cpu/zero-test-a");
    b.assertZero(fz.mul(S.mul(inv).sub(1).add(z)), "cpu/zero-test-b");

    // --- MOV / GGET / GSET: copy (the value read is already canonical) ---
    b.assertZero(fMov.mul(R0.sub(B0)), "cpu/mov-lo");
    b.assertZero(fMov.mul(R1.sub(B1)), "cpu/mov-hi");

    // --- CALL / CALLI: fp' = fp + b; save pc + 1 (port 2) and fp (port 1); pc' = a (CALL) or the looked-up
    //     tpc (CALLI). The saved words must be canonical: pc < 2^24 ⇒ hi limb 8-bit, fp < 2^25 ⇒ hi limb 9-bit
    //     (else v0 + 2^16·v1 could equal the value + p: the OpenVM "pc limb" class) ---
    const W1_0 = port("v0", 1), W1_1 = port("v1", 1);
    const fC = fCall.add(fCalli); // one-hot flags: fC is boolean
    t.assertZero(fCall.mul(nPc.sub(c("a"))), "cpu/call-pc");
    t.assertZero(fC.mul(nx("fp").sub(fp).sub(c("b0")).sub(c("b1").mul(TWO16))), "cpu/call-fp");
    // the callee's fp = fp + b < 2^24 (limbs F0 16-bit, F1 8-bit): frame-stack addresses stay below 2^25, so
    // they can never wrap mod p onto the globals or another frame however deep a (dishonest) recursion goes.
    // The executor's own frame-stack limit is 2^25 slots; runs that go deeper than 2^24 are not provable.
    const F0 = c("F0"), F1 = c("F1");
    b.assertZero(fC.mul(fp.add(c("b0")).add(c("b1").mul(TWO16)).sub(F0).sub(F1.mul(TWO16))), "cpu/call-fp-bound");
    b.assertZero(fC.mul(R0.add(R1.mul(TWO16)).sub(pc).sub(1)), "cpu/call-saves-pc");
    b.assertZero(fC.mul(W1_0.add(W1_1.mul(TWO16)).sub(fp)), "cpu/call-saves-fp");
    range.family(fC, [F0, F1, F1.mul(2 ** 8), R0, R1.mul(2 ** 8), R1, W1_0, W1_1, W1_1.mul(2 ** 7)]);
    // CALLI (docs/vm-air.md §3 TABLEFN): idx = r[a] (port 0, canonical limbs B0, B1 by MEMWF), the signature c
    // (public canonical limbs c0, c1), the callee's pc tpc and save slot sv must be a row of the public TABLEFN
    // table (one row per non-null entry, built by the verifier). Limb-wise equality of canonical limbs is
    // equality of the u32 values: no wrap mod p, so an index or signature ≡ a valid one mod p matches nothing.
    // tpc and sv are public values (a pc of the code; sv ≤ 2^24 − 3, checked by the verifier), so with fp' < 2^24
    // the saved words' addresses fp' + sv (+ 1) are < 2^25: in the frame space, never a memory word, never wrapped
    const tpc = c("tpc");
    t.assertZero(fCalli.mul(nPc.sub(tpc)), "cpu/calli-pc");
    b.send(BUS.TABLEFN, [B0, B1, tpc, c("c0"), c("c1"), sv], fCalli, 1);

    // --- RET: pc' = r[a], fp' = r[a+1]. The words read are canonical limbs (MEMWF); their high limbs must also
    //     be < 2^8 / 2^9 so that a slot holding p + 2 cannot jump to pc 2 (the executor would trap) ---
    t.assertZero(fRet.mul(nPc.sub(B0).sub(B1.mul(TWO16))), "cpu/ret-pc");
    t.assertZero(fRet.mul(nx("fp").sub(W1_0).sub(W1_1.mul(TWO16))), "cpu/ret-fp");
    range.family(fRet, [B1.mul(2 ** 8), W1_1.mul(2 ** 7)]);

    // --- EXIT: the exit code and the cycle count are public inputs. clk starts at 0 and steps by one per real
    //     row up to the single EXIT row, so clk + 1 on that row is the number of cycles ---
    b.assertZero(fExit.mul(B0.sub(b.pub(PUB.exit0))), "cpu/exit-code-lo");
    b.assertZero(fExit.mul(B1.sub(b.pub(PUB.exit1))), "cpu/exit-code-hi");
    b.assertZero(fExit.mul(clk.add(1).sub(b.pub(PUB.cycles))), "cpu/exit-cycles");

    // --- host I/O state: inRem (private input bytes not yet read; its first value is the input length, which
    //     stays private) and jpos (journal bytes committed), both carried from row to row ---
    const inRem = c("inRem"), jpos = c("jpos");
    const bFl = c("bFl");
    const readRow = bRd, commitRow = fByte.sub(bRd).sub(bFl).sub(bCr).sub(bCw);
    t.assertZero(nReal.mul(nx("inRem").sub(inRem).add(readRow)), "cpu/input-cursor");
    t.assertZero(nReal.mul(nx("jpos").sub(jpos).sub(commitRow)), "cpu/journal-cursor");
    // at EXIT: the journal has exactly the public length, and the input was never over-read: inRem only ever
    // decreases (by < 2^27 in all), so a READ past the end leaves it ≥ p − 2^27, which fails this 30-bit check
    b.assertZero(fExit.mul(jpos.sub(b.pub(PUB.journalLen))), "cpu/exit-journal-length");
    b.assertZero(fExit.mul(inRem.sub(D0).sub(D1.mul(TWO16))), "cpu/exit-input-not-overread");
    range.family(fExit, [D0, D1.mul(4)]);
    // INPUTLEN: r[a] = inRem as canonical limbs (R1 < 2^14, so the pair cannot encode inRem + p)
    b.assertZero(fInLen.mul(R0.add(R1.mul(TWO16)).sub(inRem)), "cpu/inputlen");
    range.family(fInLen, [R0, R1, R1.mul(4)]);

    // --- READ / COMMIT head row: ptr = r[a] (port 0), len = r[b] (operand C), both < 2^30; ptr ≤ memory bytes
    //     (WASM traps on ptr > size even for len 0; a larger ptr makes memBytes − ptr ≥ p − 2^30, which fails
    //     the 30-bit check); then len byte rows follow (bn counts them down, z = [bn = 0]) ---
    const fHead = fRead.add(fCommit).add(fFill).add(fCopy), fBulk = fHead.add(fByte);
    const bn = c("bn"), bp = c("bp");
    b.assertZero(fHead.mul(bn.sub(C0).sub(C1.mul(TWO16))), "cpu/bulk-len");
    b.assertZero(fRead.add(fCommit).add(fFill).mul(bp.sub(B0).sub(B1.mul(TWO16)).add(1)), "cpu/bulk-ptr");
    b.assertZero(fHead.mul(msz.mul(TWO16).sub(B0).sub(B1.mul(TWO16)).sub(D0).sub(D1.mul(TWO16))), "cpu/bulk-ptr-in-memory");
    // MEMFILL: the fill byte is the value's low byte (value = port 2's read of r[a+1]), carried to the byte rows
    const fill = c("fill"), fx = c("fx");
    b.assertZero(fFill.mul(R0.sub(fill).sub(fx.mul(256))), "cpu/fill-byte");
    // A pointer checked against the memory size by a 30-bit difference must itself be < 3·2^28 (768 MiB):
    // a k-bit difference check is sound only while the violating values stay below p − 2^k (docs §4.6);
    // with ptr < 2^30 a ptr just below 2^30 over a small memory gave p − (ptr − mem) < 2^30 and passed.
    const ptrOk = (hiLimb: Expr): Expr => hiLimb.add(PTR_HI_SLACK).mul(4); // hi < 3·2^12 ⟺ (hi + 2^12)·4 < 2^16
    range.family(fRead.add(fCommit), [ptrOk(B1), C1.mul(4), D0, D1.mul(4)]);
    range.family(fFill, [ptrOk(B1), C1.mul(4), D0, D1.mul(4), fill, fill.mul(256), fx, fx.mul(256)]);
    // MEMCOPY head: src = port 2's read (R), src < 2^30 and ≤ memory bytes (rr), dir = [dst > src] by
    // |dst − src| − dir = E ≥ 0 (30-bit), and the cursors start one step before the first byte: forwards at
    // dst − 1 / src − 1, backwards at dst + len / src + len
    const dir = c("dir"), bq = c("bq"), rr0h = c("rr0"), rr1h = c("rr1");
    const dst = B0.add(B1.mul(TWO16)), srcA = R0.add(R1.mul(TWO16)), lenA = C0.add(C1.mul(TWO16));
    b.assertBool(dir, "cpu/copy-dir-bool");
    b.assertZero(fCopy.mul(msz.mul(TWO16).sub(srcA).sub(rr0h).sub(rr1h.mul(TWO16))), "cpu/copy-src-in-memory");
    b.assertZero(fCopy.mul(dir.mul(dst.sub(srcA).sub(1)).add(b.constant(1).sub(dir).mul(srcA.sub(dst))).sub(E0).sub(E1.mul(TWO16))), "cpu/copy-direction");
    b.assertZero(fCopy.mul(bp.sub(dst).add(1).sub(dir.mul(lenA.add(1)))), "cpu/copy-dst-cursor");
    b.assertZero(fCopy.mul(bq.sub(srcA).add(1).sub(dir.mul(lenA.add(1)))), "cpu/copy-src-cursor");
    range.family(fCopy, [ptrOk(B1), C1.mul(4), D0, D1.mul(4), ptrOk(R1), rr0h, rr1h.mul(4), E0, E1.mul(4)]);
    b.assertZero(fBulk.mul(S.sub(bn)), "cpu/zero-test-operand-bn");
    const nByte = nx("fByte");
    // (a MEMCOPY read row is always followed by its write row, which decides)
    t.assertZero(fBulk.sub(bCr).mul(nByte.sub(1).add(z)), "cpu/bulk-rows-until-done");
    t.assertZero(nByte.mul(b.constant(1).sub(fBulk)), "cpu/byte-row-follows-bulk");
    t.assertZero(fBulk.sub(bCr).mul(nPc.sub(pc).sub(z)), "cpu/bulk-pc");
    t.assertZero(bCr.mul(nPc.sub(pc)), "cpu/bulk-pc-copy-read");
    // bn counts bytes: down by one into every byte row except a MEMCOPY write row (its pair's read row counted)
    const nCw = nx("bCw"), nCr = nx("bCr");
    t.assertZero(nByte.sub(nCw).mul(nx("bn").sub(bn).add(1)), "cpu/byte-count");
    t.assertZero(nCw.mul(nx("bn").sub(bn)), "cpu/byte-count-copy-write");
    // cursors: bp steps by 1 into READ/COMMIT/FILL rows; a MEMCOPY pair steps bq into its read row and bp into
    // its write row, by +1 forwards or −1 backwards
    const stp = b.constant(1).sub(dir.mul(2));
    t.assertZero(nByte.sub(nCr).sub(nCw).mul(nx("bp").sub(bp).sub(1)), "cpu/byte-address-step");
    t.assertZero(nCr.mul(nx("bp").sub(bp)), "cpu/copy-read-keeps-dst");
    t.assertZero(nCr.mul(nx("bq").sub(bq).sub(stp)), "cpu/copy-read-steps-src");
    t.assertZero(nCw.mul(nx("bp").sub(bp).sub(stp)), "cpu/copy-write-steps-dst");
    t.assertZero(nCw.mul(nx("bq").sub(bq)), "cpu/copy-write-keeps-src");
    t.assertZero(nCr.add(nCw).mul(nx("dir").sub(dir)), "cpu/copy-dir-carried");
    // pairing: a read row after the head or a write row while bytes remain; a write row exactly after a read row
    t.assertZero(nCr.sub(fCopy.add(bCw).mul(b.constant(1).sub(z))), "cpu/copy-read-rows");
    t.assertZero(nCw.sub(bCr), "cpu/copy-write-after-read");
    b.assertZero(bCr.mul(b.constant(1).sub(fByte)), "cpu/copy-read-is-a-byte-row");
    b.assertZero(bCw.mul(b.constant(1).sub(fByte)), "cpu/copy-write-is-a-byte-row");
    t.assertZero(nByte.mul(nx("bRd").sub(fRead).sub(bRd)), "cpu/byte-kind");
    t.assertZero(nByte.mul(nx("bFl").sub(fFill).sub(bFl)), "cpu/byte-kind-fill");
    t.assertZero(nx("bFl").mul(nx("fill").sub(fill)), "cpu/byte-fill-carried");
    t.assertZero(nCw.mul(nx("fill").sub(c("byte"))), "cpu/copy-byte-carried");
    b.assertZero(bCw.mul(c("nb").sub(fill)), "cpu/copy-write-value");
    b.assertBool(fByte, "cpu/byte-row-bool");
    b.assertBool(bRd, "cpu/byte-kind-bool");
    b.assertBool(bFl, "cpu/byte-kind-fill-bool");
    b.assertZero(bRd.mul(b.constant(1).sub(fByte)), "cpu/byte-kind-only-on-byte-rows");
    b.assertZero(bFl.mul(b.constant(1).sub(fByte)), "cpu/byte-fill-only-on-byte-rows");
    b.assertZero(bFl.mul(bRd), "cpu/byte-one-kind");
    b.assertZero(bFl.mul(c("nb").sub(fill)), "cpu/byte-fill-value");

    // --- byte rows: their decode columns are not fetched, so every one an access port reads is pinned here:
    //     port 3 only, reading (COMMIT) or writing (READ) the word that holds the byte ---
    for (const k of [0, 1, 2]) b.assertZero(fByte.mul(c(`en${k}`)), `cpu/byte-row-port${k}-off`);
    b.assertZero(fByte.mul(c("en3").sub(1)), "cpu/byte-row-port3-on");
    b.assertZero(fByte.mul(c("wr3").sub(bRd).sub(bFl).sub(bCw)), "cpu/byte-row-port3-write-iff-read-fill-or-copy-write");
    b.assertZero(fByte.mul(is64), "cpu/byte-row-not-i64");
    // bp = E0 + 2^16·E1, E0 = 4q + offset, word q + 2^14·E1 (port 3's address, shared with LOAD/STORE)
    const o = [0, 1, 2, 3].map((i) => c(`o${i}`));
    o.forEach((x, i) => b.assertBool(x, `cpu/byte-offset${i}-bool`));
    // (sub-word LOAD/STORE rows use the same offset, bytes and selection, with ea from the add gadget)
    const fSub8 = fByte.add(fLdB).add(fStB);
    b.assertEq(o[0]!.add(o[1]!).add(o[2]!).add(o[3]!), fSub8, "cpu/byte-offset-one-hot");
    b.assertZero(fByte.mul(bp.add(bCr.mul(bq.sub(bp))).sub(E0).sub(E1.mul(TWO16))), "cpu/byte-address");
    b.assertZero(fSub8.mul(E0.sub(q.mul(4)).sub(o[1]!).sub(o[2]!.mul(2)).sub(o[3]!.mul(3))), "cpu/byte-offset");
    // the word's bytes (each 8-bit checked) and the byte at the offset; the new word replaces it with nb
    const m = [0, 1, 2, 3].map((i) => c(`m${i}`));
    const MP0 = port("p0", 3), MP1 = port("p1", 3);
    b.assertZero(fSub8.mul(MP0.sub(m[0]!).sub(m[1]!.mul(256))), "cpu/byte-word-lo");
    b.assertZero(fSub8.mul(MP1.sub(m[2]!).sub(m[3]!.mul(256))), "cpu/byte-word-hi");
    const byte = c("byte"), nb = c("nb");
    b.assertZero(fSub8.mul(byte.sub(o[0]!.mul(m[0]!)).sub(o[1]!.mul(m[1]!)).sub(o[2]!.mul(m[2]!)).sub(o[3]!.mul(m[3]!))), "cpu/byte-select");
    const fWrB = fByte.add(fStB); // loads keep the word (port 3 reads: v = p)
    // STORE16 also replaces the next byte (e2 = its change; 0 on every other row)
    const e2 = c("e2");
    b.assertZero(e2.mul(b.constant(1).sub(fStB)), "cpu/store16-change-only-there");
    b.assertZero(fWrB.mul(M0.sub(MP0).sub(nb.sub(byte).mul(o[0]!.add(o[1]!.mul(256)))).sub(e2.mul(o[0]!).mul(256))), "cpu/byte-store-lo");
    b.assertZero(fWrB.mul(M1.sub(MP1).sub(nb.sub(byte).mul(o[2]!.add(o[3]!.mul(256)))).sub(e2.mul(o[1]!.add(o[2]!.mul(256))))), "cpu/byte-store-hi");
    // LOAD8U / LOAD16U: r[a] = byte (+ 256·byte2, the next byte of the same word: offset 3 is refused)
    const byte2 = c("byte2"), ld16 = c("ld16");
    b.assertZero(fLdB.add(fStB).mul(byte2.sub(o[0]!.mul(m[1]!)).sub(o[1]!.mul(m[2]!)).sub(o[2]!.mul(m[3]!))), "cpu/load16-next-byte");
    b.assertZero(fLdB.mul(ld16).mul(o[3]!), "cpu/load16-within-word");
    b.assertZero(fStB.mul(c("st16")).mul(o[3]!), "cpu/store16-within-word");
    b.assertZero(fStB.mul(e2.sub(c("st16").mul(c("fx").sub(byte2)))), "cpu/store16-change");
    // signed forms: sx = the top loaded byte's sign bit (top − 128·sB is 7-bit), filling the bits above it
    const top = c("top"), sx = c("sx"), sgnLd = c("sgnLd");
    b.assertZero(fLdB.mul(top.sub(byte).sub(ld16.mul(byte2.sub(byte)))), "cpu/load-top-byte");
    b.assertZero(fLdB.mul(sx.sub(sgnLd.mul(sB))), "cpu/load-sign");
    b.assertZero(fLdB.mul(R0.sub(byte).sub(ld16.mul(byte2).mul(256)).sub(b.constant(1).sub(ld16).mul(sx).mul(0xff00))), "cpu/load-byte-lo");
    b.assertZero(fLdB.mul(R1.sub(sx.mul(0xffff))), "cpu/load-byte-hi");
    range.family(fLdB, [m[0]!, m[0]!.mul(256), m[1]!, m[1]!.mul(256), m[2]!, m[2]!.mul(256), m[3]!, m[3]!.mul(256), q, q.mul(4), msz.sub(1).sub(E1), top.sub(sB.mul(128)).mul(512)]);
    // EXT8S / EXT16S: r[a] = r[b]'s low byte (m0, with m1 the next one) / low half, sign-extended
    b.assertZero(fExt8.mul(B0.sub(m[0]!).sub(m[1]!.mul(256))), "cpu/ext8-bytes");
    b.assertZero(fExt8.mul(R0.sub(m[0]!).sub(sB.mul(0xff00))), "cpu/ext8-lo");
    b.assertZero(fExt16.mul(R0.sub(B0)), "cpu/ext16-lo");
    b.assertZero(fExt8.add(fExt16).mul(R1.sub(sB.mul(0xffff))), "cpu/ext-hi");
    // EXT8S64 / EXT16S64: the hi word (port 1, a write) is the sign in every bit
    b.assertZero(fExt8.add(fExt16).mul(c("ext64")).mul(W1_0.sub(sB.mul(0xffff))), "cpu/ext64-hi-lo");
    b.assertZero(fExt8.add(fExt16).mul(c("ext64")).mul(W1_1.sub(sB.mul(0xffff))), "cpu/ext64-hi-hi");
    // LOG: only its bounds (the message is not proven): D = memBytes − ptr ≥ 0 and E = D − len ≥ 0, 30 bits each,
    // with ptr, len < 768 MiB (so a violation is never p − x < 2^30)
    b.assertZero(fLog.mul(msz.mul(TWO16).sub(B0).sub(B1.mul(TWO16)).sub(D0).sub(D1.mul(TWO16))), "cpu/log-ptr-in-memory");
    b.assertZero(fLog.mul(D0.add(D1.mul(TWO16)).sub(C0).sub(C1.mul(TWO16)).sub(E0).sub(E1.mul(TWO16))), "cpu/log-end-in-memory");
    range.family(fLog, [ptrOk(B1), ptrOk(C1), D0, D1.mul(4), E0, E1.mul(4)]);
    range.family(fExt8, [m[0]!, m[0]!.mul(256), m[1]!, m[1]!.mul(256), m[0]!.sub(sB.mul(128)).mul(512)]);
    range.family(fExt16, [B0.sub(sB.mul(2 ** 15)).mul(2)]);
    // STORE8: nb = the value's low byte (value = r[b], or r[a] itself when b = a), fx its next byte
    const valLo = V0.add(valAlias.mul(B0.sub(V0)));
    b.assertZero(fStB.mul(valLo.sub(nb).sub(c("fx").mul(256))), "cpu/store8-byte");
    range.family(fStB, [m[0]!, m[0]!.mul(256), m[1]!, m[1]!.mul(256), m[2]!, m[2]!.mul(256), m[3]!, m[3]!.mul(256), nb, nb.mul(256), c("fx"), c("fx").mul(256), q, q.mul(4), msz.sub(1).sub(E1)]);
    // E1 ≥ 0 and E1 ≤ pages − 1: the byte is inside memory (a negative E1 could alias a frame slot)
    range.family(fByte, [m[0]!, m[0]!.mul(256), m[1]!, m[1]!.mul(256), m[2]!, m[2]!.mul(256), m[3]!, m[3]!.mul(256), nb, nb.mul(256), q, q.mul(4), E1, msz.sub(1).sub(E1)]);
    // COMMIT bytes go to the journal at consecutive positions; the verifier receives the public journal
    b.send(BUS.JOURNAL, [jpos, byte], commitRow, 1);

    // --- BYTES (docs/vm-air.md §4.5): B and C as bytes, each pair looked up in AND8 as (b_i, c_i, b_i & c_i),
    //     which range-checks both bytes and yields their AND. B and C are canonical limbs (MEMWF, decode), so
    //     the byte split is unique ---
    const fSh64Any = fSh64.add(fSh64Hi);
    const fDiv64Any = fDivU64.add(fDiv64Hi);
    const fBytes = fBit.add(fMul).add(fSh).add(fDiv).add(fSh64Any).add(fMul64).add(fMul64Hi).add(fDiv64Any).add(fDivS64).add(fDivS64Hi).add(fFx), fBC = fBit.add(fMul).add(fMul64).add(fMul64Hi);
    const bb = [0, 1, 2, 3].map((i) => c(`bb${i}`)), cb = [0, 1, 2, 3].map((i) => c(`cb${i}`)), n = [0, 1, 2, 3].map((i) => c(`n${i}`));
    // the product's first factor is B, except for an arithmetic shift of a negative B: ~B (bytes 255 − b)
    const notB = (x: Expr): Expr => x.add(sB.mul(b.constant(0xffff).sub(x.mul(2))));
    b.assertZero(fBC.add(fShift).add(fCnt).add(fCnt64).mul(B0.sub(bb[0]!).sub(bb[1]!.mul(256))), "cpu/bytes-b-lo");
    b.assertZero(fBC.add(fShift).add(fCnt).add(fCnt64).mul(B1.sub(bb[2]!).sub(bb[3]!.mul(256))), "cpu/bytes-b-hi");
    b.assertZero(fShiftA.mul(notB(B0).sub(bb[0]!).sub(bb[1]!.mul(256))), "cpu/bytes-notb-lo");
    b.assertZero(fShiftA.mul(notB(B1).sub(bb[2]!).sub(bb[3]!.mul(256))), "cpu/bytes-notb-hi");
    // 64-bit shifts: B's word, complemented on both rows when `neg` (a negative SHRS64; neg is carried to the
    // hi row, and its sign bit is checked there, on the hi word)
    const neg = c("neg");
    const notN = (x: Expr): Expr => x.add(neg.mul(b.constant(0xffff).sub(x.mul(2))));
    b.assertZero(fSh64Any.mul(notN(B0).sub(bb[0]!).sub(bb[1]!.mul(256))), "cpu/bytes-b64-lo");
    b.assertZero(fSh64Any.mul(notN(B1).sub(bb[2]!).sub(bb[3]!.mul(256))), "cpu/bytes-b64-hi");
    // the second factor is C, or for shifts the POW2 multiplier W
    const W0 = c("W0"), W1 = c("W1");
    b.assertZero(fBC.add(fDiv64Any).mul(C0.sub(cb[0]!).sub(cb[1]!.mul(256))), "cpu/bytes-c-lo");
    b.assertZero(fBC.add(fDiv64Any).mul(C1.sub(cb[2]!).sub(cb[3]!.mul(256))), "cpu/bytes-c-hi");
    b.assertZero(fSh.add(fSh64Any).mul(W0.sub(cb[0]!).sub(cb[1]!.mul(256))), "cpu/bytes-w-lo");
    b.assertZero(fSh.add(fSh64Any).mul(W1.sub(cb[2]!).sub(cb[3]!.mul(256))), "cpu/bytes-w-hi");
    for (let i = 0; i < 4; i++) b.send(BUS.AND8, [bb[i]!, cb[i]!, n[i]!], fBytes, 1);
    // BIT: per byte r = A·(b + c) + N·n with (A, N) = (0, 1) AND, (1, −1) OR, (1, −2) XOR (public); every
    // result byte is in [0, 255], so R is canonical without a lookup
    const bitA = c("bitA"), bitN = c("bitN");
    b.assertZero(fBit.mul(R0.sub(bitA.mul(B0.add(C0))).sub(bitN.mul(n[0]!.add(n[1]!.mul(256))))), "cpu/bit-lo");
    b.assertZero(fBit.mul(R1.sub(bitA.mul(B1.add(C1))).sub(bitN.mul(n[2]!.add(n[3]!.mul(256))))), "cpu/bit-hi");
    // MUL: B·C = P0 + 2^16·P1 + 2^32·P2 + 2^48·P3 by byte convolution, limb by limb with carries kk. Every
    // left side is < 2^27 and every right side P + 2^16·kk < 2^30 (P 16-bit, kk 14-bit), so each equation
    // holds over the integers: the product is exact. r[a] = low word (MUL, MULI, SHLI), high word (SHRUI), or
    // their sum (rotations by a constant: the halves occupy disjoint bits)
    const P = [0, 1, 2, 3].map((i) => c(`P${i}`)), kk = [0, 1, 2].map((i) => c(`kk${i}`));
    const conv = (sum: number): Expr => {
      let e: Expr = b.constant(0);
      for (let i = 0; i < 4; i++) {
        const j = sum - i;
        if (j >= 0 && j < 4) e = e.add(bb[i]!.mul(cb[j]!));
      }
      return e;
    };
    const limbSum = (m: number): Expr => conv(2 * m).add(conv(2 * m + 1).mul(256));
    const fProd = fMul.add(fSh).add(fDiv).add(fSh64Any).add(fMul64).add(fFx);
    b.assertZero(fProd.mul(limbSum(0).sub(P[0]!).sub(kk[0]!.mul(TWO16))), "cpu/mul-limb0");
    b.assertZero(fProd.mul(limbSum(1).add(kk[0]!).sub(P[1]!).sub(kk[1]!.mul(TWO16))), "cpu/mul-limb1");
    b.assertZero(fProd.mul(limbSum(2).add(kk[1]!).sub(P[2]!).sub(kk[2]!.mul(TWO16))), "cpu/mul-limb2");
    b.assertZero(fProd.mul(limbSum(3).add(kk[2]!).sub(P[3]!)), "cpu/mul-limb3");
    const mulLo = c("mulLo"), mulHi = c("mulHi");
    b.assertZero(fMul.mul(R0.sub(mulLo.mul(P[0]!)).sub(mulHi.mul(P[2]!))), "cpu/mul-result-lo");
    b.assertZero(fMul.mul(R1.sub(mulLo.mul(P[1]!)).sub(mulHi.mul(P[3]!))), "cpu/mul-result-hi");
    const productLookups = [P[0]!, P[1]!, P[2]!, P[3]!, kk[0]!, kk[0]!.mul(4), kk[1]!, kk[1]!.mul(4), kk[2]!, kk[2]!.mul(4)];
    range.family(fMul, productLookups);

    // --- SHIFT by s = C mod 32 (register or immediate amount): C0 = s + 32·t (t 11-bit; s < 32 by s·2^11 being
    //     16-bit — s is an integer because it comes out of the POW2 lookup), W = 2^s for left forms or
    //     2^((32 − s) mod 32) for right ones (key s + dir·(32 − 2s − 32·[s = 0])), the product B·W (P), and
    //     r[a] = shl·low + shh·high (D) where right shifts take the low word only when s = 0 (M = 1) ---
    const shs = c("shs"), sht = c("sht"), shl = c("shl"), shh = c("shh");
    const shDir = c("shDir"), shR = c("shR");
    b.assertZero(fSh.mul(C0.sub(shs).sub(sht.mul(32))), "cpu/shift-amount");
    b.assertZero(fSh.add(fSh64).mul(S.sub(shs)), "cpu/zero-test-operand-shift");
    const key = shs.add(shDir.mul(b.constant(32).sub(shs.mul(2)).sub(z.mul(32))));
    b.send(BUS.POW2, [key, W0, W1, 0, 0], fSh.add(fSh64), 1);
    b.assertZero(fSh.mul(shl.sub(c("shLo")).sub(shR.mul(z))), "cpu/shift-take-low");
    b.assertZero(fSh.mul(shh.sub(c("shHi")).add(shR.mul(z))), "cpu/shift-take-high");
    b.assertZero(fSh.mul(D0.sub(shl.mul(P[0]!)).sub(shh.mul(P[2]!))), "cpu/shift-word-lo");
    b.assertZero(fSh.mul(D1.sub(shl.mul(P[1]!)).sub(shh.mul(P[3]!))), "cpu/shift-word-hi");
    b.assertZero(fShift.mul(R0.sub(D0)), "cpu/shift-result-lo");
    b.assertZero(fShift.mul(R1.sub(D1)), "cpu/shift-result-hi");
    // SHRS: a negative B shifts ~B logically and complements the result (sign bits shifted in)
    b.assertZero(fShiftA.mul(R0.sub(notB(D0))), "cpu/shift-arith-lo");
    b.assertZero(fShiftA.mul(R1.sub(notB(D1))), "cpu/shift-arith-hi");
    const shiftLookups = [...productLookups, shs.mul(2 ** 11), sht, sht.mul(32)];
    range.family(fShift, shiftLookups);
    range.family(fShiftA, [...shiftLookups, B1.sub(sB.mul(2 ** 15)).mul(2)]);

    // --- 64-bit shifts and rotations by n = C mod 64 = 32·h + s (docs/vm-air.md §7): row 0 holds X = B'lo·W,
    //     the hi row Y = B'hi·W (same W: carried), with W = 2^s (left) or 2^((32 − s) mod 32) (right). Row 0
    //     writes the lo result word and, through the next row, the hi one; each is a sum of product words with
    //     coefficients affine in h, z = [s = 0] and hz = h·z (the summed words occupy disjoint bits) ---
    const h64 = c("h64"), hz = c("hz");
    b.assertBool(h64, "cpu/shift64-h-bool");
    b.assertZero(fSh64.mul(C0.sub(shs).sub(h64.mul(32)).sub(sht.mul(64))), "cpu/shift64-amount");
    b.assertZero(fSh64.mul(hz.sub(h64.mul(z))), "cpu/shift64-hz");
    for (const [col, name] of [["W0", "w-lo"], ["W1", "w-hi"], ["sB", "sign"], ["neg", "neg"]] as const) {
      t.assertZero(fSh64.mul(nx(col).sub(c(col))), `cpu/shift64-carries-${name}`);
    }
    // neg: a negative SHRS64 (sB is the hi word's sign, checked on the hi row); 0 for every other form
    b.assertZero(fSar64.mul(neg.sub(sB)), "cpu/shift64-neg-sar");
    b.assertZero(fShl64.add(fShr64).add(fRotl64).add(fRotr64).mul(neg), "cpu/shift64-neg-logical");
    b.assertZero(neg.mul(b.constant(1).sub(fSar64).sub(fSh64Hi)), "cpu/shift64-neg-only-there");
    const one = b.constant(1);
    const notH = one.sub(h64), nn = one.sub(h64).sub(z).add(hz), zNotH = z.sub(hz), hNotZ = h64.sub(hz);
    type Term = readonly [word: "Xlo" | "Xhi" | "Ylo" | "Yhi", coef: Expr];
    const wordLimb = (w: Term[0], limb: number): Expr => (w === "Xlo" ? P[limb]! : w === "Xhi" ? P[2 + limb]! : w === "Ylo" ? nx(`P${limb}`) : nx(`P${2 + limb}`));
    const SHR_LO: Term[] = [["Xhi", nn], ["Ylo", nn], ["Xlo", zNotH], ["Yhi", h64], ["Ylo", hz]];
    const SHR_HI: Term[] = [["Yhi", notH], ["Ylo", zNotH]];
    const FORMS: readonly [Expr, Term[], Term[], string][] = [
      [fShl64, [["Xlo", notH]], [["Xhi", notH], ["Ylo", notH], ["Xlo", h64]], "shl"],
      [fShr64.add(fSar64), SHR_LO, SHR_HI, "shr"],
      [fRotl64, [["Xlo", notH], ["Yhi", notH], ["Ylo", h64], ["Xhi", h64]], [["Ylo", notH], ["Xhi", notH], ["Xlo", h64], ["Yhi", h64]], "rotl"],
      [fRotr64, [["Xhi", nn], ["Ylo", nn], ["Xlo", zNotH], ["Yhi", hNotZ], ["Xlo", hNotZ], ["Ylo", hz]],
        [["Yhi", nn], ["Xlo", nn], ["Ylo", zNotH], ["Xhi", hNotZ], ["Ylo", hNotZ], ["Xlo", hz]], "rotr"],
    ];
    for (const [flag, lo, hiTerms, name] of FORMS) {
      for (const limb of [0, 1]) {
        const sum = (ts: Term[]): Expr => ts.reduce((e: Expr, [w, k]) => e.add(k.mul(wordLimb(w, limb))), b.constant(0));
        b.assertZero(flag.mul(c(`D${limb}`).sub(sum(lo))), `cpu/shift64-${name}-lo${limb}`);
        t.assertZero(flag.mul(nx(`D${limb}`).sub(sum(hiTerms))), `cpu/shift64-${name}-hi${limb}`);
      }
    }
    // r[a] = D (lo word here, hi word on the hi row), complemented for a negative SHRS64
    const fLogical64 = fShl64.add(fShr64).add(fRotl64).add(fRotr64);
    for (const limb of [0, 1]) {
      const Rl = limb === 0 ? R0 : R1, Dl = c(`D${limb}`), nR = nx(limb === 0 ? "v0_2" : "v1_2"), nD = nx(`D${limb}`);
      b.assertZero(fLogical64.mul(Rl.sub(Dl)), `cpu/shift64-result-lo${limb}`);
      t.assertZero(fLogical64.mul(nR.sub(nD)), `cpu/shift64-result-hi${limb}`);
      b.assertZero(fSar64.mul(Rl.sub(notN(Dl))), `cpu/shift64-arith-lo${limb}`);
      t.assertZero(fSar64.mul(nR.sub(notN(nD))), `cpu/shift64-arith-hi${limb}`);
    }
    range.family(fSh64, [...productLookups, shs.mul(2 ** 11), sht, sht.mul(64)]);
    range.family(fSh64Hi, [...productLookups, B1.sub(sB.mul(2 ** 15)).mul(2)]);

    // --- MUL64: row 0 = Blo·Clo (P; r[a] = its low word), the hi row holds the hi words' bytes; the hi result
    //     word = P's high word + lo32(Blo·Chi + Bhi·Clo), by the byte convolution across the two rows (only
    //     the output bytes 0..3 of the cross products matter: mod 2^64) ---
    const cross = (sum: number): Expr => {
      let e: Expr = b.constant(0);
      for (let i = 0; i < 4; i++) {
        const j = sum - i;
        if (j >= 0 && j < 4) e = e.add(bb[i]!.mul(nx(`cb${j}`))).add(nx(`bb${i}`).mul(cb[j]!));
      }
      return e;
    };
    const mca = c("mca"), mcb = c("mcb");
    b.assertZero(fMul64.mul(R0.sub(P[0]!)), "cpu/mul64-lo-lo");
    b.assertZero(fMul64.mul(R1.sub(P[1]!)), "cpu/mul64-lo-hi");
    // cross(0) + 256·cross(1) + P2 < 2^27 and cross(2) + 256·cross(3) + P3 + mca < 2^28: carries < 2^11, 2^12
    t.assertZero(fMul64.mul(cross(0).add(cross(1).mul(256)).add(P[2]!).sub(nx("v0_2")).sub(mca.mul(TWO16))), "cpu/mul64-hi-lo");
    t.assertZero(fMul64.mul(cross(2).add(cross(3).mul(256)).add(P[3]!).add(mca).sub(nx("v1_2")).sub(mcb.mul(TWO16))), "cpu/mul64-hi-hi");
    range.family(fMul64, [...productLookups, mca, mca.mul(32), mcb, mcb.mul(16)]);
    range.family(fMul64Hi, [R0, R1]);

    // --- ZEXT64 / EXT32S64: lo = r[b] (port 2), hi (port 1, a write) = 0 or the sign of r[b] in every bit;
    //     the sign bit sB is pinned by the same 15-bit check as the comparisons' ---
    const fExt = fZext.add(fSext);
    b.assertZero(fExt.mul(R0.sub(B0)), "cpu/ext64-lo-lo");
    b.assertZero(fExt.mul(R1.sub(B1)), "cpu/ext64-lo-hi");
    b.assertZero(fZext.mul(W1_0), "cpu/zext64-hi-lo");
    b.assertZero(fZext.mul(W1_1), "cpu/zext64-hi-hi");
    b.assertZero(fSext.mul(W1_0.sub(sB.mul(0xffff))), "cpu/sext64-hi-lo");
    b.assertZero(fSext.mul(W1_1.sub(sB.mul(0xffff))), "cpu/sext64-hi-hi");
    range.family(fSext, [B1.sub(sB.mul(2 ** 15)).mul(2)]);

    // --- DIV/REM (docs/vm-air.md §8, the RISC Zero class): on magnitudes, |n| = |q|·|d| + |r| as an integer
    //     identity (not mod 2^32), 0 ≤ |r| < |d| (so d ≠ 0), then the signs: q negative iff the signs differ,
    //     r takes n's sign, −0 = 0 by the negation's wrap. |q| = bytes bb, |d| = bytes cb (AND8-checked) ---
    b.assertZero(fDivU.mul(sB), "cpu/divu-unsigned-n");
    b.assertZero(fDivU.mul(sC), "cpu/divu-unsigned-d");
    const notC = (x: Expr): Expr => x.add(sC.mul(b.constant(0xffff).sub(x.mul(2))));
    const dx = c("dx"), nx1 = c("nx1"), rr0 = c("rr0"), rr1 = c("rr1");
    [dx, nx1, c("y0"), c("y1"), c("tq")].forEach((x, i) => b.assertBool(x, `cpu/div-bit${i}-bool`));
    const Ad0 = cb[0]!.add(cb[1]!.mul(256)), Ad1 = cb[2]!.add(cb[3]!.mul(256));
    b.assertZero(fDiv.mul(Ad0.sub(notC(C0)).sub(sC).add(dx.mul(TWO16))), "cpu/div-abs-d-lo");
    b.assertZero(fDiv.mul(Ad1.sub(notC(C1)).sub(dx)), "cpu/div-abs-d-hi");
    // |n| = ~n + 1 for a negative n, as two small expressions whose combination An0 + 2^16·An1 is exact
    const An0 = notB(B0).add(sB).sub(nx1.mul(TWO16)), An1 = notB(B1).add(nx1);
    b.assertZero(fDiv.mul(P[2]!), "cpu/div-product-fits-lo");
    b.assertZero(fDiv.mul(P[3]!), "cpu/div-product-fits-hi");
    // P0 + rr0 = An0 + 2^16·k0 and P1 + rr1 + k0 = An1 hold as integers (every term is far below p/2), and
    // together say |q|·|d| + |r| = |n| exactly; P0/P1 need no range check of their own for it
    b.assertZero(fDiv.mul(P[0]!.add(rr0).sub(An0).sub(k0.mul(TWO16))), "cpu/div-identity-lo");
    b.assertZero(fDiv.mul(P[1]!.add(rr1).add(k0).sub(An1)), "cpu/div-identity-hi");
    // |r| < |d|: |d| − |r| − 1 = D ≥ 0 (D's limbs range-checked)
    b.assertZero(fDiv.mul(D0.add(rr0).add(1).sub(Ad0).sub(k1.mul(TWO16))), "cpu/div-rem-below-d-lo");
    b.assertZero(fDiv.mul(D1.add(rr1).add(k1).sub(Ad1)), "cpu/div-rem-below-d-hi");
    const sq = c("sq"), res0 = c("res0"), res1 = c("res1"), rs = c("rs"), isRem = c("isRem");
    b.assertZero(fDiv.mul(sq.sub(sB).sub(sC).add(sB.mul(sC).mul(2))), "cpu/div-quotient-sign");
    const Q0 = bb[0]!.add(bb[1]!.mul(256)), Q1 = bb[2]!.add(bb[3]!.mul(256));
    b.assertZero(fDiv.mul(res0.sub(isRem.mul(rr0)).sub(b.constant(1).sub(isRem).mul(Q0))), "cpu/div-magnitude-lo");
    b.assertZero(fDiv.mul(res1.sub(isRem.mul(rr1)).sub(b.constant(1).sub(isRem).mul(Q1))), "cpu/div-magnitude-hi");
    b.assertZero(fDiv.mul(rs.sub(isRem.mul(sB)).sub(b.constant(1).sub(isRem).mul(sq))), "cpu/div-result-sign");
    // r[a] = rs ? −res : res (mod 2^32: ~res + 1, the carry out dropped, so −0 = 0); R's limbs are range-checked
    const negRes = (x: Expr): Expr => x.add(rs.mul(b.constant(0xffff).sub(x.mul(2))));
    b.assertZero(fDiv.add(fFx).mul(R0.sub(negRes(res0)).sub(rs).add(c("y0").mul(TWO16))), "cpu/div-result-lo");
    b.assertZero(fDiv.add(fFx).mul(R1.sub(negRes(res1)).sub(c("y0")).add(c("y1").mul(TWO16))), "cpu/div-result-hi");
    // DIVS of −2^31 by −1 traps in the executor: a non-negative quotient must be < 2^31 (top bit tq of |q|)
    const tq = c("tq"), ov = c("ov");
    b.assertZero(fDiv.mul(ov.sub(tq).add(sq.mul(tq))), "cpu/div-overflow-flag");
    b.assertZero(fDiv.mul(c("isDivS")).mul(ov), "cpu/divs-no-overflow");
    const divLookups = [kk[0]!, kk[0]!.mul(4), kk[1]!, kk[1]!.mul(4), kk[2]!, kk[2]!.mul(4), rr0, rr1, D0, D1, R0, R1];
    range.family(fDivU, divLookups);
    range.family(fDivS, [...divLookups, B1.sub(sB.mul(2 ** 15)).mul(2), C1.sub(sC.mul(2 ** 15)).mul(2), bb[3]!.sub(tq.mul(128)).mul(512)]);

    // --- CLZ / CTZ / POPCNT: one BYTEPROP lookup per byte of B (which also range-checks it; no AND8 here),
    //     POPCNT = Σ pop8; CLZ = clz8(b3) + z3·(clz8(b2) + z2·(clz8(b1) + z1·clz8(b0))), CTZ from the other end,
    //     through the partial counts cu, cw (every product stays degree 3 with the flag) ---
    const cv = [0, 1, 2, 3].map((i) => c(`cv${i}`)), cz = [0, 1, 2, 3].map((i) => c(`cz${i}`));
    const cu = c("cu"), cw = c("cw");
    // (row 0 of CLZ64/CTZ64/POPCNT64 counts its lo word the same way; cnt is the word's count)
    const kClz = fClz.add(fClz64), kCtz = fCtz.add(fCtz64), kPop = fPop.add(fPop64), cnt = c("cnt");
    const kind = kCtz.add(kPop.mul(2)); // BYTEPROP kind: 0 clz8, 1 ctz8, 2 popcount8
    for (let i = 0; i < 4; i++) b.send(BUS.BYTEPROP, [kind, bb[i]!, cv[i]!, cz[i]!], fCnt.add(fCnt64), 1);
    b.assertZero(kPop.mul(cnt.sub(cv[0]!).sub(cv[1]!).sub(cv[2]!).sub(cv[3]!)), "cpu/popcnt");
    b.assertZero(kClz.mul(cu.sub(cv[1]!).sub(cz[1]!.mul(cv[0]!))), "cpu/clz-low-half");
    b.assertZero(kClz.mul(cw.sub(cv[2]!).sub(cz[2]!.mul(cu))), "cpu/clz-three-bytes");
    b.assertZero(kClz.mul(cnt.sub(cv[3]!).sub(cz[3]!.mul(cw))), "cpu/clz");
    b.assertZero(kCtz.mul(cu.sub(cv[2]!).sub(cz[2]!.mul(cv[3]!))), "cpu/ctz-high-half");
    b.assertZero(kCtz.mul(cw.sub(cv[1]!).sub(cz[1]!.mul(cu))), "cpu/ctz-three-bytes");
    b.assertZero(kCtz.mul(cnt.sub(cv[0]!).sub(cz[0]!.mul(cw))), "cpu/ctz");
    // a 32-bit count row writes its count; the hi row of a 64-bit count writes 0 (its count goes to row 0)
    b.assertZero(fCnt.mul(b.constant(1).sub(hi)).mul(R0.sub(cnt)), "cpu/count-result");
    b.assertZero(fCnt.mul(hi).mul(R0), "cpu/count64-hi-word");
    // row 0 of a 64-bit count: z = [lo word = 0] here, and the hi row's z = [hi word = 0]
    t.assertZero(fClz64.mul(R0.sub(nx("cnt")).sub(nx("z").mul(cnt))), "cpu/clz64");
    t.assertZero(fCtz64.mul(R0.sub(cnt).sub(z.mul(nx("cnt")))), "cpu/ctz64");
    t.assertZero(fPop64.mul(R0.sub(cnt).sub(nx("cnt"))), "cpu/popcnt64");
    b.assertZero(fCnt64.mul(R1), "cpu/count64-lo-word-hi");
    b.assertZero(fCnt.add(fCnt64).mul(S.sub(B0).sub(B1)), "cpu/zero-test-operand-count");
    b.assertZero(fCnt.mul(R1), "cpu/count-hi");
    // --- DIVU64 / REMU64: q (bytes bb: lo on row 0, hi on the hi row), d = C (bytes cb, likewise), r (limbs rr).
    //     q·d + r = n as an integer: every output byte of the 8 × 8 convolution at or above 2^64 vanishes (sums of
    //     products of bytes, so each product is 0), and the four 16-bit limbs below add up with carries kk and no
    //     carry out. r < d: d − r − 1 ≥ 0 over both rows (the hi row's borrow in is cin = row 0's k1). ---
    const qb = (i: number): Expr => (i < 4 ? bb[i]! : nx(`bb${i - 4}`)), db = (i: number): Expr => (i < 4 ? cb[i]! : nx(`cb${i - 4}`));
    const conv64 = (k: number): Expr => {
      let e: Expr = b.constant(0);
      for (let i = 0; i < 8; i++) { const j = k - i; if (j >= 0 && j < 8) e = e.add(qb(i).mul(db(j))); }
      return e;
    };
    const fD64 = fDivU64.add(fDivS64), fD64Hi = fDiv64Hi.add(fDivS64Hi);
    for (let k = 8; k <= 14; k++) t.assertZero(fD64.mul(conv64(k)), `cpu/div64-product-fits-${k}`);
    const rLimb = [rr0, rr1, nx("rr0"), nx("rr1")];
    // n's limbs: as they are (unsigned), or those of |n| = ~n + 1 (signed, sB = n's sign)
    const nRaw = [B0, B1, nx("v0_0"), nx("v1_0")];
    // (the carries na keep each limb in [0, 2^16) for an honest prover; the weighted sum is ~n + 1 whatever they are)
    const na = [c("na0"), c("na1"), c("na2")];
    na.forEach((x, i) => b.assertBool(x, `cpu/divs64-ncarry${i}-bool`));
    const nNeg = nRaw.map((x, m) => notB(x).add(m === 0 ? sB : na[m - 1]!).sub(m < 3 ? na[m]!.mul(TWO16) : b.constant(0)));
    for (const [flag, nLimb, tag] of [[fDivU64, nRaw, ""], [fDivS64, nNeg, "s"]] as const) {
      for (let m = 0; m < 4; m++) {
        const carryIn = m === 0 ? b.constant(0) : kk[m - 1]!, carryOut = m === 3 ? b.constant(0) : kk[m]!.mul(TWO16);
        t.assertZero(flag.mul(conv64(2 * m).add(conv64(2 * m + 1).mul(256)).add(rLimb[m]!).add(carryIn).sub(nLimb[m]!).sub(carryOut)), `cpu/div64${tag}-identity-${m}`);
      }
    }
    b.assertZero(fD64.mul(D0.add(rr0).add(1).sub(Ad0).sub(k0.mul(TWO16))), "cpu/div64-rem-below-d-0");
    b.assertZero(fD64.mul(D1.add(rr1).add(k0).sub(Ad1).sub(k1.mul(TWO16))), "cpu/div64-rem-below-d-1");
    b.assertZero(fD64Hi.mul(D0.add(rr0).add(cin).sub(Ad0).sub(k0.mul(TWO16))), "cpu/div64-rem-below-d-2");
    b.assertZero(fD64Hi.mul(D1.add(rr1).add(k0).sub(Ad1)), "cpu/div64-rem-below-d-3");
    // DIVS64/REMS64: signs from the hi words (checked on the hi row, carried to row 0); |d|'s bytes = ~d + 1 with
    // explicit carries da (bytes must be exact); sq = sB ⊕ sC; the result's magnitude res (q or r, per row) and
    // sign rs (q: sq, r: n's); r[a] = rs ? ~res + 1 : res over both rows (carries ea; the last one dropped: −0 = 0)
    t.assertZero(fDivS64.mul(nx("sB").sub(sB)), "cpu/divs64-sign-n-carried");
    t.assertZero(fDivS64.mul(nx("sC").sub(sC)), "cpu/divs64-sign-d-carried");
    const [da0, da1, da2] = [c("da0"), c("da1"), c("da2")], ea = [0, 1, 2, 3].map((i) => c(`ea${i}`));
    [da0, da1, da2, ...ea].forEach((x, i) => b.assertBool(x, `cpu/divs64-carry${i}-bool`));
    const nAd0 = nx("cb0").add(nx("cb1").mul(256)), nAd1 = nx("cb2").add(nx("cb3").mul(256));
    b.assertZero(fDivS64.mul(Ad0.sub(notC(C0)).sub(sC).add(da0.mul(TWO16))), "cpu/divs64-abs-d-0");
    b.assertZero(fDivS64.mul(Ad1.sub(notC(C1)).sub(da0).add(da1.mul(TWO16))), "cpu/divs64-abs-d-1");
    t.assertZero(fDivS64.mul(nAd0.sub(notC(nx("C0"))).sub(da1).add(da2.mul(TWO16))), "cpu/divs64-abs-d-2");
    t.assertZero(fDivS64.mul(nAd1.sub(notC(nx("C1"))).sub(da2)), "cpu/divs64-abs-d-3");
    b.assertZero(fDivS64.mul(sq.sub(sB).sub(sC).add(sB.mul(sC).mul(2))), "cpu/divs64-quotient-sign");
    b.assertZero(fDivS64.mul(rs.sub(isRem.mul(sB)).sub(b.constant(1).sub(isRem).mul(sq))), "cpu/divs64-result-sign");
    const fDS = fDivS64.add(fDivS64Hi);
    b.assertZero(fDS.mul(res0.sub(isRem.mul(rr0)).sub(b.constant(1).sub(isRem).mul(Q0))), "cpu/divs64-magnitude-lo");
    b.assertZero(fDS.mul(res1.sub(isRem.mul(rr1)).sub(b.constant(1).sub(isRem).mul(Q1))), "cpu/divs64-magnitude-hi");
    b.assertZero(fDivS64.mul(R0.sub(negRes(res0)).sub(rs).add(ea[0]!.mul(TWO16))), "cpu/divs64-result-0");
    b.assertZero(fDivS64.mul(R1.sub(negRes(res1)).sub(ea[0]!).add(ea[1]!.mul(TWO16))), "cpu/divs64-result-1");
    t.assertZero(fDivS64.mul(nx("v0_2").sub(negRes(nx("res0"))).sub(ea[1]!).add(ea[2]!.mul(TWO16))), "cpu/divs64-result-2");
    t.assertZero(fDivS64.mul(nx("v1_2").sub(negRes(nx("res1"))).sub(ea[2]!).add(ea[3]!.mul(TWO16))), "cpu/divs64-result-3");
    // DIVS64 of −2^63 by −1 traps: a non-negative quotient must be < 2^63 (top bit tq of q's top byte, hi row)
    t.assertZero(fDivS64.mul(ov.sub(nx("tq")).add(sq.mul(nx("tq")))), "cpu/divs64-overflow-flag");
    b.assertZero(fDivS64.mul(c("isDivS")).mul(ov), "cpu/divs64-no-overflow");
    range.family(fDivS64, [kk[0]!, kk[0]!.mul(4), kk[1]!, kk[1]!.mul(4), kk[2]!, kk[2]!.mul(4), rr0, rr1, D0, D1, R0, R1]);
    range.family(fDivS64Hi, [rr0, rr1, D0, D1, R0, R1, B1.sub(sB.mul(2 ** 15)).mul(2), C1.sub(sC.mul(2 ** 15)).mul(2), bb[3]!.sub(tq.mul(128)).mul(512)]);
    // r[a] (row 0: lo word, hi row: hi word) = q's or r's word
    const q16 = [bb[0]!.add(bb[1]!.mul(256)), bb[2]!.add(bb[3]!.mul(256))];
    b.assertZero(fDiv64Any.mul(R0.sub(isRem.mul(rr0)).sub(b.constant(1).sub(isRem).mul(q16[0]!))), "cpu/div64-result-lo");
    b.assertZero(fDiv64Any.mul(R1.sub(isRem.mul(rr1)).sub(b.constant(1).sub(isRem).mul(q16[1]!))), "cpu/div64-result-hi");
    // the carries: limb sums < 2^28, so kk < 2^12 (checked 14-bit, which keeps every right side below p)
    range.family(fDivU64, [kk[0]!, kk[0]!.mul(4), kk[1]!, kk[1]!.mul(4), kk[2]!, kk[2]!.mul(4), rr0, rr1, D0, D1]);
    range.family(fDiv64Hi, [rr0, rr1, D0, D1]);

    // --- FXMUL: |b| = bytes bb = ~B + 1 when negative (carry nx1), |c| = bytes cb (carry dx, as DIV), P = |b|·|c|
    //     (the MUL gadget), sp = sq = sB ⊕ sC; w = ⌊(P + 2^15 − sp)/2^16⌋ by P0 + 2^15 − sp = ρ + 2^16·k0 (ρ in
    //     rr0), w = res = (P1 + k0 − 2^16·k1) + 2^16·(P2 + k1), P3 = 0; r[a] = sp ? −w : w (the DIV result
    //     rule with rs = sp); it must fit i32: r[a]'s sign bit (sR, in tq) = sp·[w ≠ 0] ---
    b.assertZero(fFx.mul(bb[0]!.add(bb[1]!.mul(256)).sub(notB(B0)).sub(sB).add(c("nx1").mul(TWO16))), "cpu/fx-abs-b-lo");
    b.assertZero(fFx.mul(bb[2]!.add(bb[3]!.mul(256)).sub(notB(B1)).sub(c("nx1"))), "cpu/fx-abs-b-hi");
    b.assertZero(fFx.mul(Ad0.sub(notC(C0)).sub(sC).add(c("dx").mul(TWO16))), "cpu/fx-abs-c-lo");
    b.assertZero(fFx.mul(Ad1.sub(notC(C1)).sub(c("dx"))), "cpu/fx-abs-c-hi");
    b.assertZero(fFx.mul(sq.sub(sB).sub(sC).add(sB.mul(sC).mul(2))), "cpu/fx-sign");
    b.assertZero(fFx.mul(rs.sub(sq)), "cpu/fx-result-sign");
    b.assertZero(fFx.mul(P[0]!.add(2 ** 15).sub(sq).sub(rr0).sub(k0.mul(TWO16))), "cpu/fx-round");
    b.assertZero(fFx.mul(res0.sub(P[1]!).sub(k0).add(k1.mul(TWO16))), "cpu/fx-word-lo");
    b.assertZero(fFx.mul(res1.sub(P[2]!).sub(k1)), "cpu/fx-word-hi");
    b.assertZero(fFx.mul(P[3]!), "cpu/fx-product-below-2^48");
    // overflow: z = [r[a] = 0] ⟺ [w = 0] (P < 2^48 keeps w < 2^32), the sign bit tq of r[a] (a 15-bit check on
    // R1 − 2^15·tq). Every equation above holds over the integers (all terms far below p/2), so only the weighted
    // sums matter and P, res need no range checks of their own (as for DIV)
    b.assertZero(fFx.mul(S.sub(R0).sub(R1)), "cpu/zero-test-operand-fx");
    b.assertZero(fFx.mul(tq.sub(sq).add(sq.mul(z))), "cpu/fx-fits-i32");
    range.family(fFx, [kk[0]!, kk[0]!.mul(4), kk[1]!, kk[1]!.mul(4), kk[2]!, kk[2]!.mul(4), rr0, R0, R1, B1.sub(sB.mul(2 ** 15)).mul(2), C1.sub(sC.mul(2 ** 15)).mul(2), R1.sub(tq.mul(2 ** 15)).mul(2)]);

    // --- MEMGROW by B pages: K = maxPages − msz ≥ 0 (public maximum); grows (gok) iff B ≤ K: then B1 = 0 and
    //     K − B0 = D0 ≥ 0, else B − K − 1 = E ≥ 0 (limbs E0, E1, borrow k0); r[a] = gok ? msz : −1; the next row's
    //     msz = msz + gdelta with gdelta = gok·B0 (0 on every other row) ---
    const gok = c("gok"), gdelta = c("gdelta"), K = b.pub(PUB.maxPages).sub(msz);
    b.assertBool(gok, "cpu/grow-ok-bool");
    b.assertZero(gdelta.mul(b.constant(1).sub(fGrow)), "cpu/grow-delta-only-there");
    b.assertZero(fGrow.mul(gdelta.sub(gok.mul(B0))), "cpu/grow-delta");
    t.assertZero(nReal.mul(nx("msz").sub(msz).sub(gdelta)), "cpu/memory-size");
    b.assertZero(fGrow.mul(gok).mul(B1), "cpu/grow-small");
    b.assertZero(fGrow.mul(gok).mul(K.sub(B0).sub(D0)), "cpu/grow-fits");
    const notOk = b.constant(1).sub(gok);
    b.assertZero(fGrow.mul(notOk).mul(E0.add(K).add(1).sub(B0).sub(k0.mul(TWO16))), "cpu/grow-too-big-lo");
    b.assertZero(fGrow.mul(notOk).mul(E1.add(k0).sub(B1)), "cpu/grow-too-big-hi");
    b.assertZero(fGrow.mul(R0.sub(gok.mul(msz)).sub(notOk.mul(0xffff))), "cpu/grow-result-lo");
    b.assertZero(fGrow.mul(R1.sub(notOk.mul(0xffff))), "cpu/grow-result-hi");
    range.family(fGrow, [D0, E0, E1]);

    range.emit(b);
  },
};
