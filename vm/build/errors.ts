// Typed errors of `zkvm build` (besides the compiler's own CompileError, which passes through).

export type BuildErrorKind =
  | "FileNotFound" // guest entry or a --data file missing / unreadable
  | "UnsupportedInput" // entry is neither .ts nor .wasm
  | "AscError" // AssemblyScript reported errors (diagnostics attached)
  | "InvalidDataSpec" // bad --data NAME=FILE argument or name
  | "DataTooLarge" // data does not fit the 32-bit address space / VM memory
  | "DataLayoutConflict" // a .wasm module's own data overlaps the data directory
  | "InternalError";

export class BuildError extends Error {
  readonly kind: BuildErrorKind;
  /** asc's diagnostics text (AscError) or the path concerned (FileNotFound). */
  readonly detail: string | undefined;

  constructor(kind: BuildErrorKind, message: string, detail?: string) {
    super(message);
    this.name = "BuildError";
    this.kind = kind;
    this.detail = detail;
  }

  toJSON(): { kind: BuildErrorKind; message: string; detail?: string } {
    return { kind: this.kind, message: this.message, ...(this.detail !== undefined ? { detail: this.detail } : {}) };
  }
}

export function isBuildError(e: unknown): e is BuildError {
  return e instanceof BuildError;
}
