// Typed failures of `zkvm train`. The chain checks are what a verifier of the future receipts will do,
// so a failure here means the guest, the host emulator or the data disagree: never silently continue.

export type TrainErrorKind =
  | "InvalidArgument" // bad option value (also reported by yargs for unknown options / configs)
  | "ChainBroken" // a run's journal start hash is not the previous run's end hash
  | "JournalMismatch" // a journal's header does not echo the request (wrong batch range, config, …)
  | "WeightHashMismatch" // the host emulator's weights do not hash to the guest's committed end hash
  | "ImageCacheError" // the cached image cannot be written or read back
  | "OutputError" // the run directory cannot be written
  | "GuestExitCode"; // the training guest halted with a non-zero exit code

export class TrainError extends Error {
  readonly kind: TrainErrorKind;
  constructor(kind: TrainErrorKind, message: string) {
    super(message);
    this.name = "TrainError";
    this.kind = kind;
  }
  toJSON(): { kind: TrainErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

/**
 * The {kind, message, …} of a typed error from the MNIST modules (ConfigError, IdxError, JournalError,
 * GuestExitError, FixedPointOverflow, TrainError): all carry a string `kind` and a toJSON. vm/api.ts
 * errorInfo knows only the toolchain's classes, so the train command asks this first.
 */
export function typedErrorInfo(e: unknown): ({ kind: string; message: string } & Record<string, unknown>) | undefined {
  if (!(e instanceof Error)) return undefined;
  const kind = (e as { kind?: unknown }).kind;
  if (typeof kind !== "string") return undefined;
  const toJSON = (e as { toJSON?: () => unknown }).toJSON;
  const j = typeof toJSON === "function" ? toJSON.call(e) : undefined;
  const base = j !== null && typeof j === "object" ? (j as Record<string, unknown>) : {};
  return { ...base, kind, message: e.message };
}
