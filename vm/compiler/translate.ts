// Translation of one WASM function body (stack machine) to the register ISA.
//
// Operand-stack position p (counted in slots) lives in slot tempBase + p of the frame ("canonical
// slot"). To avoid a MOV per local.get / i32.const, the compiler keeps a *virtual* stack: an entry
// is either a value already in a slot (its canonical slot, or a local's slot for a pending local.get)
// or a constant not yet written anywhere. Entries are materialized into their canonical slot only when
// needed: a local they refer to is about to be overwritten, a block/loop/if begins (so that every path
// into a join point leaves the stack in the same place), a branch carries them, or a call/coprocessor
// instruction reads them as a block of argument slots. Results are written to the canonical slot of
// their position, and a `local.set` right after the producing instruction retargets its destination.

import { IMM_FORM_DELTA, ISA, MNEMONIC_BY_OPCODE, type Mnemonic } from "../isa.ts";
import { SlotFacts } from "./slot-facts.ts";
import { Emitter, type Label } from "./emitter.ts";
import { CompileError } from "./errors.ts";
import type { FuncType, Instr, ValType } from "./wasm-decode.ts";

type Ty = "i32" | "i64";

interface Entry {
  readonly ty: Ty;
  /** Canonical slot of the entry's stack position. */
  readonly canon: number;
  kind: "slot" | "const";
  slot: number;
  lo: number;
  hi: number;
}

interface Frame {
  readonly kind: "block" | "loop" | "if" | "func";
  /** Stack entries below the frame. */
  readonly height: number;
  /** Canonical slot where the frame's result goes. */
  readonly resultSlot: number;
  readonly result: Ty | undefined;
  readonly label: Label;
  readonly elseLabel: Label | undefined;
  unreachable: boolean;
  sawElse: boolean;
  /** Loops: pc of the loop's first instruction. */
  startPc?: number;
  /**
   * Loops whose body starts with `if <cond>` computed by a few straight-line instructions: those
   * instructions and the branch, so that a back-edge `br` can re-run them inline and branch into the
   * body (loop rotation: one JMP less per iteration).
   */
  header?: { start: number; branchPc: number; exit: Label };
}

/** What the translator needs to know about the module. */
export interface ModuleContext {
  readonly types: FuncType[];
  /** Type index of every function in the WASM function index space (imports first). */
  readonly funcType: (funcIdx: number) => number;
  /** The ISA lowering of a call to imported function funcIdx, or undefined for a defined function. */
  readonly importOf: (funcIdx: number) => ImportIntrinsic | undefined;
  /** Save slot of a defined function (by WASM function index). */
  readonly saveSlotOf: (funcIdx: number) => number;
  readonly sigIdOf: (typeIdx: number) => number;
  /** Slot (and type) of a WASM global. */
  readonly global: (idx: number) => { slot: number; ty: Ty };
  readonly funcName: (funcIdx: number) => string;
}

export type ImportIntrinsic = "read" | "input_len" | "commit" | "exit" | "log" | "fxmul" | "dot" | "axpy" | "sha256_compress" | "abort";

export interface TranslatedFunction {
  readonly pc: number;
  readonly paramSlots: number;
  readonly resultSlots: number;
  readonly saveSlot: number;
  readonly frameSlots: number;
  /** pcs of CALL instructions whose `a` field holds a WASM function index to relocate to its pc. */
  readonly callFixups: number[];
}

const width = (t: Ty): number => (t === "i64" ? 2 : 1);

/** Longest loop header (instructions before its branch) that loop rotation duplicates. */
const MAX_ROTATED_HEADER = 4;
/** Straight-line instructions whose copy behaves exactly like the original (no pc, no side effect). */
const ROTATABLE: ReadonlySet<number> = new Set(
  Object.values(ISA)
    .filter((s) => s.group === "alu32" || s.group === "alu32imm" || s.group === "alu64" || (s.group === "move" && s.a !== "global") || (s.group === "memory" && s.a === "dst" && s.b === "src" && s.c === "imm"))
    .map((s) => s.op),
);

function intTy(t: ValType, where: string): Ty {
  if (t === "i32" || t === "i64") return t;
  // Floats are rejected earlier with a source line; anything left here is a reference type.
  throw new CompileError("UnsupportedFeature", `${t} values are not supported (${where})`);
}

const BIN32: Record<number, Mnemonic> = {
  0x46: "EQ", 0x47: "NE", 0x48: "LTS", 0x49: "LTU", 0x4a: "GTS", 0x4b: "GTU", 0x4c: "LES", 0x4d: "LEU", 0x4e: "GES", 0x4f: "GEU",
  0x6a: "ADD", 0x6b: "SUB", 0x6c: "MUL", 0x6d: "DIVS", 0x6e: "DIVU", 0x6f: "REMS", 0x70: "REMU", 0x71: "AND", 0x72: "OR",
  0x73: "XOR", 0x74: "SHL", 0x75: "SHRS", 0x76: "SHRU", 0x77: "ROTL", 0x78: "ROTR",
};
/** x OP y = y SWAP(OP) x, to put a constant left operand into the immediate. */
const SWAPPED: Partial<Record<Mnemonic, Mnemonic>> = {
  ADD: "ADD", MUL: "MUL", AND: "AND", OR: "OR", XOR: "XOR", EQ: "EQ", NE: "NE",
  LTS: "GTS", GTS: "LTS", LTU: "GTU", GTU: "LTU", LES: "GES", GES: "LES", LEU: "GEU", GEU: "LEU",
};
const CMP64: Record<number, Mnemonic> = {
  0x51: "EQ64", 0x52: "NE64", 0x53: "LTS64", 0x54: "LTU64", 0x55: "GTS64", 0x56: "GTU64", 0x57: "LES64", 0x58: "LEU64", 0x59: "GES64", 0x5a: "GEU64",
};
const BIN64: Record<number, Mnemonic> = {
  0x7c: "ADD64", 0x7d: "SUB64", 0x7e: "MUL64", 0x7f: "DIVS64", 0x80: "DIVU64", 0x81: "REMS64", 0x82: "REMU64", 0x83: "AND64",
  0x84: "OR64", 0x85: "XOR64", 0x86: "SHL64", 0x87: "SHRS64", 0x88: "SHRU64", 0x89: "ROTL64", 0x8a: "ROTR64",
};
const UN32: Record<number, Mnemonic> = { 0x45: "EQZ", 0x67: "CLZ", 0x68: "CTZ", 0x69: "POPCNT", 0xc0: "EXT8S", 0xc1: "EXT16S" };
const UN64: Record<number, Mnemonic> = { 0x79: "CLZ64", 0x7a: "CTZ64", 0x7b: "POPCNT64" };
/** i64.extend8_s / extend16_s / extend32_s read only the lo slot. */
const EXT64: Record<number, Mnemonic> = { 0xc2: "EXT8S64", 0xc3: "EXT16S64", 0xc4: "EXT32S64" };
const LOAD32: Record<number, Mnemonic> = { 0x28: "LOAD32", 0x2c: "LOAD8S", 0x2d: "LOAD8U", 0x2e: "LOAD16S", 0x2f: "LOAD16U" };
/** i64 narrow loads: the load, then the widening of the lo slot into the pair. */
const LOAD64: Record<number, [Mnemonic, Mnemonic]> = {
  0x30: ["LOAD8S", "EXT32S64"], 0x31: ["LOAD8U", "ZEXT64"], 0x32: ["LOAD16S", "EXT32S64"], 0x33: ["LOAD16U", "ZEXT64"],
  0x34: ["LOAD32", "EXT32S64"], 0x35: ["LOAD32", "ZEXT64"],
};
const STORE: Record<number, Mnemonic> = { 0x36: "STORE32", 0x3a: "STORE8", 0x3b: "STORE16", 0x3c: "STORE8", 0x3d: "STORE16", 0x3e: "STORE32" };

export function translateFunction(
  em: Emitter,
  ctx: ModuleContext,
  funcIdx: number,
  locals: ValType[],
  code: Instr[],
): TranslatedFunction {
  const name = ctx.funcName(funcIdx);
  const type = ctx.types[ctx.funcType(funcIdx)]!;
  if (type.results.length > 1) throw new CompileError("UnsupportedFeature", `function ${name} returns several values (multi-value)`, { func: name });
  const params = type.params.map((t) => intTy(t, `parameter of ${name}`));
  const result = type.results.length ? intTy(type.results[0]!, `result of ${name}`) : undefined;
  const paramSlots = params.reduce((s, t) => s + width(t), 0);
  const resultSlots = result ? width(result) : 0;
  const saveSlot = Math.max(paramSlots, resultSlots);

  // Slot of every local (params first).
  const localSlot: number[] = [];
  const localTy: Ty[] = [];
  let next = 0;
  for (const t of params) { localSlot.push(next); localTy.push(t); next += width(t); }
  next = saveSlot + 2;
  for (const t of locals) { const ty = intTy(t, `local of ${name}`); localSlot.push(next); localTy.push(ty); next += width(ty); }
  const tempBase = next;
  let maxSlot = tempBase;

  const pc0 = em.pc;
  const callFixups: number[] = [];
  const stack: Entry[] = [];
  let depthSlots = 0;
  /** The last instruction wrote `slot` (a pair if ty is i64) and nothing else, and no label/jump came after it. */
  let lastDst: { pc: number; slot: number; ty: Ty } | undefined;

  /** What the slots hold in the straight-line code being emitted (skips redundant moves; vm/compiler/slot-facts.ts). */
  const facts = new SlotFacts();
  const emit = (m: Mnemonic, a = 0, b = 0, c = 0): number => { lastDst = undefined; facts.emitted(m, a, b, c); return em.emit(m, a, b, c); };
  const emitDst = (m: Mnemonic, a: number, b = 0, c = 0): number => {
    facts.emitted(m, a, b, c);
    const pc = em.emit(m, a, b, c);
    lastDst = { pc, slot: a, ty: ISA[m].a === "dst64" ? "i64" : "i32" };
    return pc;
  };
  const bind = (l: Label): void => { lastDst = undefined; facts.clear(); em.bind(l); };
  const jump = (l: Label, m: Mnemonic, field: 1 | 2, a = 0, b = 0): void => { lastDst = undefined; facts.emitted(m, a, b, 0); em.emitJump(l, m, field, a, b); };

  const push = (ty: Ty, kind: "slot" | "const", slot: number, lo = 0, hi = 0): Entry => {
    const e: Entry = { ty, canon: tempBase + depthSlots, kind, slot, lo, hi };
    stack.push(e);
    depthSlots += width(ty);
    if (tempBase + depthSlots > maxSlot) maxSlot = tempBase + depthSlots;
    return e;
  };
  const pushResult = (ty: Ty): number => push(ty, "slot", tempBase + depthSlots).canon;
  const pop = (): Entry => {
    const e = stack.pop();
    if (e === undefined) throw new CompileError("InvalidWasm", `operand stack underflow in ${name}`, { func: name });
    depthSlots -= width(e.ty);
    return e;
  };
  const truncate = (h: number): void => { while (stack.length > h) pop(); };

  /** Write the entry's value to `slot` (i64: the pair). */
  const moveTo = (e: Entry, slot: number): void => {
    if (e.kind === "const") {
      if (e.ty === "i32") {
        if (!facts.holdsConst(slot, e.lo)) emit("CONST", slot, e.lo);
      } else if (!(facts.holdsConst(slot, e.lo) && facts.holdsConst(slot + 1, e.hi))) emit("CONST64", slot, e.lo, e.hi);
    } else if (e.slot !== slot) {
      if (facts.holdsCopy(slot, e.slot) && (e.ty === "i32" || facts.holdsCopy(slot + 1, e.slot + 1))) return;
      emit("MOV", slot, e.slot);
      if (e.ty === "i64") emit("MOV", slot + 1, e.slot + 1);
    }
  };
  const materialize = (e: Entry): void => {
    if (e.kind === "slot" && e.slot === e.canon) return;
    moveTo(e, e.canon);
    e.kind = "slot";
    e.slot = e.canon;
  };
  /** Slot holding the entry's value (a constant is materialized). */
  const src = (e: Entry): number => { if (e.kind === "const") materialize(e); return e.slot; };
  /** Entries that still read a local's slot: materialize them (before the local changes, or at joins). */
  const flushRefs = (slot?: number): boolean => {
    let emitted = false;
    for (const e of stack) {
      if (e.kind === "slot" && e.slot !== e.canon && (slot === undefined || e.slot === slot)) { materialize(e); emitted = true; }
    }
    return emitted;
  };
  /** Pop n entries as a block of consecutive argument slots; returns the first slot. */
  const popArgs = (n: number): number => {
    const args = stack.slice(stack.length - n);
    for (const e of args) materialize(e);
    const first = n ? args[0]!.canon : tempBase + depthSlots;
    for (let i = 0; i < n; i++) pop();
    return first;
  };

  const frames: Frame[] = [];
  const funcFrame: Frame = { kind: "func", height: 0, resultSlot: 0, result, label: em.newLabel(), elseLabel: undefined, unreachable: false, sawElse: false };

  const returnSeq = (): void => {
    if (result) moveTo(stack[stack.length - 1]!, 0);
    emit("RET", saveSlot);
  };
  const blockResult = (bt: FuncType): Ty | undefined => {
    if (bt.params.length || bt.results.length > 1) throw new CompileError("UnsupportedFeature", `block with parameters or several results (multi-value) in ${name}`, { func: name });
    return bt.results.length ? intTy(bt.results[0]!, `block result in ${name}`) : undefined;
  };
  const openFrame = (kind: Frame["kind"], bt: FuncType, elseLabel?: Label): Frame => {
    const f: Frame = { kind, height: stack.length, resultSlot: tempBase + depthSlots, result: blockResult(bt), label: em.newLabel(), elseLabel, unreachable: false, sawElse: false };
    frames.push(f);
    return f;
  };
  /** Does a branch to f need no value moved (the value, if any, is already in f's result slot)? */
  const branchIsPlain = (f: Frame): boolean => {
    if (f.kind === "loop" || f.result === undefined) return f.kind !== "func";
    if (f.kind === "func") return false;
    const top = stack[stack.length - 1]!;
    return top.kind === "slot" && top.slot === f.resultSlot;
  };
  /** Unconditional branch to f (value on top of the stack if f has a result). */
  const branchTo = (f: Frame): void => {
    if (f.kind === "func") return returnSeq();
    if (f.kind !== "loop" && f.result) moveTo(stack[stack.length - 1]!, f.resultSlot);
    jump(f.label, "JMP", 1);
  };
  /**
   * Condition slot of a branch, fusing a just-emitted `EQZ t, x` into the branch: returns the slot to
   * test and whether the sense is inverted.
   */
  const condition = (c: Entry): { slot: number; inverted: boolean } => {
    if (
      lastDst && lastDst.pc === em.pc - 1 && lastDst.slot === c.canon && lastDst.ty === "i32" && c.kind === "slot" && c.slot === c.canon &&
      em.opcodeAt(lastDst.pc) === ISA.EQZ.op
    ) {
      const x = em.field(lastDst.pc, 2);
      em.dropLast(); // an EQZ records no fact, and its dst is no longer written: the facts stay valid
      lastDst = undefined;
      return { slot: x, inverted: true };
    }
    return { slot: src(c), inverted: false };
  };

  const depthOf = (l: number): Frame => {
    const f = l === frames.length ? funcFrame : frames[frames.length - 1 - l];
    if (f === undefined) throw new CompileError("InvalidWasm", `branch depth ${l} out of range in ${name}`, { func: name });
    return f;
  };

  // Prologue: zero the locals that may be read before written. A local whose first mention in the body
  // is a set/tee at nesting depth 0 is written before any read on every path.
  {
    const first = new Map<number, boolean>();
    let depth = 0;
    for (const ins of code) {
      if (ins.op === 0x02 || ins.op === 0x03 || ins.op === 0x04) depth++;
      else if (ins.op === 0x0b) depth--;
      else if (ins.op >= 0x20 && ins.op <= 0x22 && !first.has(ins.a)) first.set(ins.a, ins.op !== 0x20 && depth === 0);
    }
    for (let i = params.length; i < localSlot.length; i++) {
      if (first.get(i) === true || !first.has(i)) continue;
      if (localTy[i] === "i32") emit("CONST", localSlot[i]!, 0);
      else emit("CONST64", localSlot[i]!, 0, 0);
    }
  }

  let dead = 0; // nesting depth inside unreachable code
  const cur = (): Frame => frames[frames.length - 1] ?? funcFrame;
  const markUnreachable = (): void => { cur().unreachable = true; };

  for (let k = 0; k < code.length; k++) {
    const ins = code[k]!;
    const op = ins.op;
    em.curOff = ins.off;
    if (cur().unreachable) {
      if (op === 0x02 || op === 0x03 || op === 0x04) { dead++; continue; }
      if (dead > 0) { if (op === 0x0b) dead--; continue; }
      if (op !== 0x0b && op !== 0x05) continue;
    }
    switch (op) {
      case 0x00: emit("TRAP"); markUnreachable(); break;
      case 0x01: break;
      case 0x02: flushRefs(); openFrame("block", ins.bt!); break;
      case 0x03: { flushRefs(); const f = openFrame("loop", ins.bt!); bind(f.label); f.startPc = em.pc; break; }
      case 0x04: {
        const c = pop();
        flushRefs();
        const cond = condition(c);
        const parent = cur();
        const f = openFrame("if", ins.bt!, em.newLabel());
        jump(f.elseLabel!, cond.inverted ? "BRNZ" : "BRZ", 2, cond.slot);
        const branchPc = em.pc - 1;
        if (parent.kind === "loop" && parent.startPc !== undefined && em.lastBindPc === parent.startPc && branchPc - parent.startPc <= MAX_ROTATED_HEADER) {
          let pure = true;
          for (let pc = parent.startPc; pc < branchPc; pc++) pure &&= ROTATABLE.has(em.opcodeAt(pc));
          if (pure) parent.header = { start: parent.startPc, branchPc, exit: f.elseLabel! };
        }
        // a rotated loop's back edge branches to the body with a raw pc (no label): start the body knowing nothing
        if (parent.header !== undefined) facts.clear();
        break;
      }
      case 0x05: {
        const f = cur();
        if (f.kind !== "if") throw new CompileError("InvalidWasm", `else outside if in ${name}`, { func: name });
        if (!f.unreachable) {
          if (f.result) materialize(stack[stack.length - 1]!);
          jump(f.label, "JMP", 1);
        }
        bind(f.elseLabel!);
        truncate(f.height);
        f.unreachable = false;
        f.sawElse = true;
        break;
      }
      case 0x0b: {
        const f = frames.pop();
        if (f === undefined) {
          // End of the function body.
          if (!funcFrame.unreachable) returnSeq();
          if (k !== code.length - 1) throw new CompileError("InvalidWasm", `code after the end of ${name}`, { func: name });
          break;
        }
        if (!f.unreachable && f.result) materialize(stack[stack.length - 1]!);
        truncate(f.height);
        if (f.kind === "if" && !f.sawElse) bind(f.elseLabel!);
        if (f.kind !== "loop") bind(f.label);
        if (f.result) push(f.result, "slot", f.resultSlot);
        break;
      }
      case 0x0c: {
        const f = depthOf(ins.a);
        const h = f.header;
        if (h) {
          // Back edge of a rotated loop: the header's instructions, then the inverted branch into the
          // body; the loop exit (taken once) jumps to the if's else label. Everything live at this point
          // is dropped by the branch, so the header may reuse its temporaries.
          for (let pc = h.start; pc < h.branchPc; pc++) em.copy(pc);
          facts.clear(); // the copies wrote slots behind the facts' back
          const brz = em.opcodeAt(h.branchPc) === ISA.BRZ.op;
          emit(brz ? "BRNZ" : "BRZ", em.field(h.branchPc, 1), h.branchPc + 1);
          jump(h.exit, "JMP", 1);
        } else branchTo(f);
        markUnreachable();
        break;
      }
      case 0x0d: {
        const c = pop();
        const f = depthOf(ins.a);
        if (branchIsPlain(f)) {
          const cond = condition(c);
          jump(f.label, cond.inverted ? "BRZ" : "BRNZ", 2, cond.slot);
        } else {
          // Move the carried value only on the taken path: BR(not c) skip; move; jump; skip:
          const cond = condition(c);
          const skip = em.newLabel();
          jump(skip, cond.inverted ? "BRNZ" : "BRZ", 2, cond.slot);
          branchTo(f);
          bind(skip);
        }
        break;
      }
      case 0x0e: {
        const idx = pop();
        const targets = ins.targets!.map(depthOf);
        emit("BRTABLE", src(idx), targets.length - 1);
        const tramps: { label: Label; f: Frame }[] = [];
        for (const f of targets) {
          if (branchIsPlain(f)) jump(f.label, "JMP", 1);
          else { const label = em.newLabel(); tramps.push({ label, f }); jump(label, "JMP", 1); }
        }
        for (const t of tramps) { bind(t.label); branchTo(t.f); }
        markUnreachable();
        break;
      }
      case 0x0f: returnSeq(); markUnreachable(); break;
      case 0x10: call(ins.a); break;
      case 0x11: {
        if (ins.b !== 0) throw new CompileError("UnsupportedFeature", `call_indirect through table ${ins.b} in ${name}`, { func: name });
        const t = ctx.types[ins.a];
        if (t === undefined) throw new CompileError("InvalidWasm", `call_indirect type ${ins.a} out of range in ${name}`, { func: name });
        const idx = pop();
        const k0 = popArgs(t.params.length);
        emit("CALLI", src(idx), k0, ctx.sigIdOf(ins.a));
        if (t.results.length > 1) throw new CompileError("UnsupportedFeature", `multi-value call_indirect in ${name}`, { func: name });
        for (const r of t.results) pushResult(intTy(r, `call_indirect result in ${name}`));
        break;
      }
      case 0x1a: pop(); break;
      case 0x1b: case 0x1c: {
        const c = pop();
        const y = pop();
        const x = pop();
        materialize(x);
        const ys = src(y);
        const cs = src(c);
        const dst = pushResult(x.ty);
        emit("SELECT", dst, ys, cs);
        if (x.ty === "i64") emit("SELECT", dst + 1, ys + 1, cs);
        break;
      }
      case 0x20: {
        const t = localTy[ins.a];
        if (t === undefined) throw new CompileError("InvalidWasm", `local ${ins.a} out of range in ${name}`, { func: name });
        push(t, "slot", localSlot[ins.a]!);
        break;
      }
      case 0x21: case 0x22: {
        const L = localSlot[ins.a];
        if (L === undefined) throw new CompileError("InvalidWasm", `local ${ins.a} out of range in ${name}`, { func: name });
        const v = pop();
        const flushed = flushRefs(L);
        let retargeted = false;
        // Retarget only a producer of exactly this value: same slot and width (i32.wrap_i64 of a fresh
        // i64 result is an i32 entry in the lo slot of a pair write, which must not land on the local).
        if (!flushed && lastDst && lastDst.pc === em.pc - 1 && v.kind === "slot" && v.slot === v.canon && lastDst.slot === v.canon && lastDst.ty === v.ty) {
          em.patch(lastDst.pc, 1, L); // retarget the producer
          // it writes L (and no longer v.canon, whose content is now unknown)
          for (let i = 0; i < (v.ty === "i64" ? 2 : 1); i++) { facts.written(v.canon + i); facts.written(L + i); }
          lastDst = undefined;
          retargeted = true;
        } else moveTo(v, L);
        if (op === 0x22) {
          // local.tee: the value is still a constant, or still in its canonical slot, unless retargeted.
          if (v.kind === "const") push(v.ty, "const", 0, v.lo, v.hi);
          else if (!retargeted && v.slot === v.canon) push(v.ty, "slot", v.canon);
          else push(v.ty, "slot", L);
        }
        break;
      }
      case 0x23: {
        const g = ctx.global(ins.a);
        const dst = pushResult(g.ty);
        if (g.ty === "i32") emitDst("GGET", dst, g.slot);
        else { emit("GGET", dst, g.slot); emit("GGET", dst + 1, g.slot + 1); }
        break;
      }
      case 0x24: {
        const g = ctx.global(ins.a);
        const v = pop();
        const s = src(v);
        emit("GSET", g.slot, s);
        if (g.ty === "i64") emit("GSET", g.slot + 1, s + 1);
        break;
      }
      case 0x29: { // i64.load: hi first, so an out-of-bounds access traps before the address slot is overwritten
        const a = pop();
        const as = src(a);
        const dst = pushResult("i64");
        emit("LOAD32", dst + 1, as, Math.min(ins.a + 4, 0xffffffff));
        emit("LOAD32", dst, as, ins.a);
        break;
      }
      case 0x37: { // i64.store: hi first, so an out-of-bounds store traps before writing anything
        const v = pop();
        const a = pop();
        const as = src(a);
        const vs = src(v);
        emit("STORE32", as, vs + 1, Math.min(ins.a + 4, 0xffffffff));
        emit("STORE32", as, vs, ins.a);
        break;
      }
      case 0x3f: emitDst("MEMSIZE", pushResult("i32")); break;
      case 0x40: { const d = pop(); const s = src(d); emitDst("MEMGROW", pushResult("i32"), s); break; }
      case 0x41: push("i32", "const", 0, ins.a); break;
      case 0x42: push("i64", "const", 0, ins.a, ins.b); break;
      case 0xa7: { // i32.wrap_i64: the lo slot of the pair, no instruction
        const x = pop();
        if (x.kind === "const") push("i32", "const", 0, x.lo);
        else push("i32", "slot", x.slot);
        break;
      }
      case 0xac: case 0xad: {
        const x = pop();
        if (x.kind === "const") { push("i64", "const", 0, x.lo, op === 0xac && (x.lo | 0) < 0 ? 0xffffffff : 0); break; }
        const dst = pushResult("i64");
        emitDst(op === 0xac ? "EXT32S64" : "ZEXT64", dst, x.slot);
        break;
      }
      case 0xfc0a: case 0xfc0b: emit(op === 0xfc0a ? "MEMCOPY" : "MEMFILL", popArgs(3)); break;
      default: {
        const m32 = BIN32[op];
        if (m32 !== undefined) { bin32(m32); break; }
        const m64 = BIN64[op] ?? CMP64[op];
        if (m64 !== undefined) {
          const y = pop();
          const x = pop();
          const xs = src(x);
          const ys = src(y);
          emitDst(m64, pushResult(CMP64[op] ? "i32" : "i64"), xs, ys);
          break;
        }
        const u32 = UN32[op];
        if (u32 !== undefined) { const x = pop(); const s = src(x); emitDst(u32, pushResult("i32"), s); break; }
        const u64 = UN64[op] ?? EXT64[op];
        if (u64 !== undefined) { const x = pop(); const s = src(x); emitDst(u64, pushResult("i64"), s); break; }
        if (op === 0x50) { const x = pop(); const s = src(x); emitDst("EQZ64", pushResult("i32"), s); break; }
        const ld = LOAD32[op];
        if (ld !== undefined) { const a = pop(); const s = src(a); emitDst(ld, pushResult("i32"), s, ins.a); break; }
        const ld64 = LOAD64[op];
        if (ld64 !== undefined) {
          const a = pop();
          const s = src(a);
          const dst = pushResult("i64");
          emit(ld64[0], dst, s, ins.a);
          emitDst(ld64[1], dst, dst);
          break;
        }
        const st = STORE[op];
        if (st !== undefined) {
          const v = pop();
          const a = pop();
          const as = src(a);
          emit(st, as, src(v), ins.a);
          break;
        }
        throw new CompileError("UnsupportedFeature", `WASM opcode 0x${op.toString(16)} is not supported (in ${name})`, { func: name });
      }
    }
  }
  if (frames.length) throw new CompileError("InvalidWasm", `unterminated block in ${name}`, { func: name });

  function bin32(m: Mnemonic): void {
    const y = pop();
    const x = pop();
    if (y.kind === "const") {
      const xs = src(x);
      emitDst(immForm(m), pushResult("i32"), xs, y.lo);
      return;
    }
    const sw = SWAPPED[m];
    if (x.kind === "const" && sw !== undefined) {
      emitDst(immForm(sw), pushResult("i32"), y.slot, x.lo);
      return;
    }
    const xs = src(x);
    const ys = src(y);
    emitDst(m, pushResult("i32"), xs, ys);
  }

  function call(f: number): void {
    const type = ctx.types[ctx.funcType(f)];
    if (type === undefined) throw new CompileError("InvalidWasm", `call to unknown function ${f} in ${name}`, { func: name });
    if (type.results.length > 1) throw new CompileError("UnsupportedFeature", `multi-value call in ${name}`, { func: name });
    const res = type.results.length ? intTy(type.results[0]!, `call result in ${name}`) : undefined;
    const intr = ctx.importOf(f);
    if (intr === undefined) {
      const k0 = popArgs(type.params.length);
      callFixups.push(emit("CALL", f, k0, ctx.saveSlotOf(f)));
      if (res) pushResult(res);
      return;
    }
    switch (intr) {
      case "read": case "commit": case "log": case "sha256_compress": {
        const y = pop();
        const x = pop();
        const xs = src(x);
        const ys = src(y);
        const m: Mnemonic = intr === "read" ? "READ" : intr === "commit" ? "COMMIT" : intr === "log" ? "LOG" : "SHA256";
        emit(m, xs, ys);
        break;
      }
      case "input_len": emitDst("INPUTLEN", pushResult("i32")); break;
      case "exit": { const x = pop(); emit("EXIT", src(x)); break; }
      case "fxmul": {
        const y = pop();
        const x = pop();
        const xs = src(x);
        const ys = src(y);
        emitDst("FXMUL", pushResult("i32"), xs, ys);
        break;
      }
      case "dot": { const k0 = popArgs(7); emitDst("DOT", pushResult("i32"), k0); break; }
      case "axpy": emit("AXPY", popArgs(7)); break;
      case "abort": emit("ABORT", popArgs(4)); break;
    }
  }

  return {
    pc: pc0,
    paramSlots,
    resultSlots,
    saveSlot,
    frameSlots: Math.max(maxSlot, saveSlot + 2),
    callFixups,
  };
}

function immForm(m: Mnemonic): Mnemonic {
  const imm = MNEMONIC_BY_OPCODE[ISA[m].op + IMM_FORM_DELTA];
  if (imm === undefined || ISA[imm].c !== "imm") throw new Error(`no immediate form of ${m}`);
  return imm;
}
