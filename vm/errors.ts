// Typed guest/VM errors. Every failure of a guest run surfaces as a VmError value with a stable
// `kind`; the CLI prints `toJSON()` and maps `pc` to a source line through the image's source map.
// Both engines (our VM and the V8 reference engine) raise the same kinds for the same faults.

export type VmErrorKind =
  | "Unreachable" // WASM `unreachable` reached
  | "MemoryOutOfBounds" // access outside [0, current memory size)
  | "DivideByZero" // integer div/rem by zero
  | "DivisionOverflow" // signed INT_MIN / -1 (rem INT_MIN % -1 is 0, not a trap, as in WASM)
  | "CycleLimit" // maxCycles exhausted before the guest halted
  | "InputExhausted" // zkvm.read asked for more bytes than remain
  | "InvalidInstruction" // undecodable opcode, pc outside the code, malformed operand
  | "Abort" // AssemblyScript's env.abort (failed assert / throw): message, file, line, column
  | "FixedPointOverflow" // fxmul/dot/axpy result outside i32
  | "InvalidOperand" // e.g. dot with n < 0 or shift outside [0, 63]
  | "CallStackOverflow" // call depth beyond the configured frame limit
  | "IndirectCallMismatch" // call_indirect: null/out-of-range table entry or signature mismatch
  | "InvalidImage"; // program/image rejected before execution (bad entry, bad table, …)

export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/** Extra, kind-specific fields (e.g. Abort carries abortMessage/file/line/column, CycleLimit carries maxCycles). */
export type VmErrorExtra = Record<string, string | number | boolean | undefined>;

export interface VmErrorJson {
  kind: VmErrorKind;
  message: string;
  pc?: number;
  source?: SourceLocation;
  [extra: string]: unknown;
}

export class VmError extends Error {
  readonly kind: VmErrorKind;
  /** Program counter (instruction index) of the faulting instruction; undefined in the V8 reference engine. */
  pc: number | undefined;
  /** Guest source location, filled in by whoever holds the source map (CLI / API layer). */
  source: SourceLocation | undefined;
  /** Cycles executed before the fault (rows already in the trace), when known. */
  cycles: number | undefined;
  readonly extra: VmErrorExtra;

  constructor(kind: VmErrorKind, message: string, extra: VmErrorExtra = {}, pc?: number) {
    super(message);
    this.name = "VmError";
    this.kind = kind;
    this.pc = pc;
    this.source = undefined;
    this.cycles = undefined;
    this.extra = extra;
  }

  /** The user-facing shape: {kind, message, pc?, source?, cycles?, ...extra}. Never includes a host stack. */
  toJSON(): VmErrorJson {
    const out: VmErrorJson = { kind: this.kind, message: this.message };
    if (this.pc !== undefined) out.pc = this.pc;
    if (this.source !== undefined) out.source = this.source;
    if (this.cycles !== undefined) out.cycles = this.cycles;
    for (const [k, v] of Object.entries(this.extra)) if (v !== undefined && !(k in out)) out[k] = v;
    return out;
  }
}

export function isVmError(e: unknown): e is VmError {
  return e instanceof VmError;
}

export function vmError(kind: VmErrorKind, message: string, extra?: VmErrorExtra): VmError {
  return new VmError(kind, message, extra);
}
