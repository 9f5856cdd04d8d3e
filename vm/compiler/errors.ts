// Typed compile errors. Every rejection of a module is a CompileError with a stable `kind`; the CLI
// prints {"error": {kind, message, file?, line?, func?}}.

export type CompileErrorKind =
  | "InvalidWasm" // not a well-formed / valid WASM module
  | "FloatNotAllowed" // f32/f64/v128 type or instruction anywhere in the module
  | "UnsupportedImport" // an import outside the guest ABI (docs/architecture.md), or with the wrong signature
  | "UnsupportedFeature" // valid WASM the VM does not support (multi-value, reference types, passive segments, …)
  | "MissingMain" // no exported `main: () -> ()`
  | "InternalError"; // a compiler bug (reported as a typed error rather than a host exception)

export class CompileError extends Error {
  readonly kind: CompileErrorKind;
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** WASM function name (export/name section) when known. */
  readonly func: string | undefined;

  constructor(kind: CompileErrorKind, message: string, where: { file?: string; line?: number; func?: string } = {}) {
    super(message);
    this.name = "CompileError";
    this.kind = kind;
    this.file = where.file;
    this.line = where.line;
    this.func = where.func;
  }

  toJSON(): { kind: CompileErrorKind; message: string; file?: string; line?: number; func?: string } {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(this.line !== undefined ? { line: this.line } : {}),
      ...(this.func !== undefined ? { func: this.func } : {}),
    };
  }
}
