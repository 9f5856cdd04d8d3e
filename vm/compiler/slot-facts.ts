// What the frame slots are known to hold in straight-line code, so the translator can skip a move whose
// destination already holds that value. The case that pays: a coprocessor call in an unrolled loop materialises the
// same seven loop-invariant arguments into the same argument block before every DOT (MNIST's weight gradients:
// 6 of 9 CPU rows per call, ≈ 4.8 k cycles per training sample of exp1).
//
// A fact is "slot s holds a copy of slot t" (a MOV) or "slot s holds the constant k" (CONST/CONST64), recorded
// when the move is emitted and dropped when s or t is written. Facts hold only for code reached by falling
// through from where they were recorded: the translator clears them at every label, call, and any instruction
// rewrite it does after emission, and at the body of a rotated loop (reached by a raw branch, not a label).
import { ISA, type Mnemonic } from "../isa.ts";

type Fact = { readonly copyOf: number } | { readonly value: number };

export class SlotFacts {
  private readonly facts = new Map<number, Fact>();

  clear(): void {
    this.facts.clear();
  }

  /** Does `slot` hold a copy of slot `src` (unchanged since the copy)? */
  holdsCopy(slot: number, src: number): boolean {
    const f = this.facts.get(slot);
    return f !== undefined && "copyOf" in f && f.copyOf === src;
  }

  /** Does `slot` hold the u32 constant `value`? */
  holdsConst(slot: number, value: number): boolean {
    const f = this.facts.get(slot);
    return f !== undefined && "value" in f && f.value === value >>> 0;
  }

  /** `slot` was written: its fact and every copy of it are gone. */
  written(slot: number): void {
    this.facts.delete(slot);
    for (const [s, f] of this.facts) if ("copyOf" in f && f.copyOf === slot) this.facts.delete(s);
  }

  /** Update for an instruction just emitted (its slot writes from the ISA's operand kinds). */
  emitted(m: Mnemonic, a: number, b: number, c: number): void {
    const spec = ISA[m];
    // CALL/CALLI run a callee whose frame overlaps this frame's temporaries; RET leaves the function
    if (spec.group === "control" && (m === "CALL" || m === "CALLI" || m === "RET")) {
      this.clear();
      return;
    }
    if (spec.a === "dst" || spec.a === "rw") this.written(a);
    else if (spec.a === "dst64") {
      this.written(a);
      this.written(a + 1);
    }
    if (m === "MOV" && a !== b) this.facts.set(a, { copyOf: b });
    else if (m === "CONST") this.facts.set(a, { value: b >>> 0 });
    else if (m === "CONST64") {
      this.facts.set(a, { value: b >>> 0 });
      this.facts.set(a + 1, { value: c >>> 0 });
    }
  }
}
