// Code buffer for the compiler: fixed-width instructions, labels with forward fixups, and the WASM
// byte offset each instruction came from (for the pc → source line map).

import { INSTR_WORDS, ISA, type Mnemonic } from "../isa.ts";

export interface Label {
  pc: number; // −1 until bound
  fixups: { pc: number; field: 1 | 2 | 3 }[];
}

export class Emitter {
  private words: Uint32Array = new Uint32Array(4096);
  private n = 0; // instructions
  /** WASM byte offset of the instruction each emitted instruction lowers (−1 = none). */
  private offs: Int32Array = new Int32Array(1024);
  /** Offset recorded for instructions emitted from now on. */
  curOff = -1;

  get pc(): number {
    return this.n;
  }

  emit(m: Mnemonic, a = 0, b = 0, c = 0): number {
    if ((this.n + 1) * INSTR_WORDS > this.words.length) {
      const w = new Uint32Array(this.words.length * 2);
      w.set(this.words);
      this.words = w;
      const o = new Int32Array(this.offs.length * 2);
      o.set(this.offs);
      this.offs = o;
    }
    const w = this.n * INSTR_WORDS;
    this.words[w] = ISA[m].op;
    this.words[w + 1] = a >>> 0;
    this.words[w + 2] = b >>> 0;
    this.words[w + 3] = c >>> 0;
    this.offs[this.n] = this.curOff;
    return this.n++;
  }

  opcodeAt(pc: number): number {
    return this.words[pc * INSTR_WORDS]!;
  }

  field(pc: number, field: 1 | 2 | 3): number {
    return this.words[pc * INSTR_WORDS + field]!;
  }

  patch(pc: number, field: 1 | 2 | 3, value: number): void {
    this.words[pc * INSTR_WORDS + field] = value >>> 0;
  }

  /** Remove the last instruction (peepholes that fuse it into the next one). */
  dropLast(): void {
    this.n--;
  }

  /** Append a copy of the instruction at `pc` (loop rotation duplicates a loop's header). */
  copy(pc: number): number {
    const w = pc * INSTR_WORDS;
    const op = this.words[w]!;
    const at = this.emit("TRAP");
    this.words.copyWithin(at * INSTR_WORDS, w, w + INSTR_WORDS);
    this.words[at * INSTR_WORDS] = op;
    this.offs[at] = this.offs[pc]!;
    return at;
  }

  newLabel(): Label {
    return { pc: -1, fixups: [] };
  }

  /** pc at which the most recent label was bound (−1 = none yet). */
  lastBindPc = -1;

  bind(l: Label): void {
    // A JMP to this very label just before it is a no-op: drop it, unless another label is already bound
    // here (its fixups were patched with the current pc, which must keep meaning "after the JMP").
    const last = this.n - 1;
    if (last >= 0 && this.lastBindPc !== this.n && this.words[last * INSTR_WORDS] === ISA.JMP.op) {
      const k = l.fixups.findIndex((f) => f.pc === last && f.field === 1);
      if (k >= 0) {
        l.fixups.splice(k, 1);
        this.n--;
      }
    }
    this.lastBindPc = this.n;
    l.pc = this.n;
    for (const f of l.fixups) this.patch(f.pc, f.field, l.pc);
    l.fixups.length = 0;
  }

  /** Emit an instruction whose `field` is the pc of `l`. */
  emitJump(l: Label, m: Mnemonic, field: 1 | 2, a = 0, b = 0): number {
    const pc = this.emit(m, a, b, 0);
    if (l.pc >= 0) this.patch(pc, field, l.pc);
    else l.fixups.push({ pc, field });
    return pc;
  }

  finish(): { code: Uint32Array; offsets: Int32Array } {
    return { code: this.words.slice(0, this.n * INSTR_WORDS), offsets: this.offs.slice(0, this.n) };
  }
}
