// Typed failures of `zkvm train`. The chain checks are what a verifier of the future receipts will do,
// so a failure here means the guest, the host emulator or the data disagree: never silently continue.

export type TrainErrorKind =
  | "InvalidArgument" // bad option value (also reported by yargs for unknown options / configs)
  | "ChainBroken" // a run's journal start hash is not the previous run's end hash
  | "JournalMismatch" // a journal's header does not echo the request (wrong batch range, config, …)
  | "WeightHashMismatch" // the host emulator's weights do not hash to the guest's committed end hash
  | "ImageCacheError" // the cached image cannot be written or read back
  | "OutputError" // the run directory cannot be written
  | "UnprovableImage" // --prove without --dev: the VM AIR cannot prove the training guest (yet)
  | "RunTooLong" // --prove: a run exceeds the cycles one receipt may claim (2^27)
  | "ReceiptInvalid"; // --prove: a receipt just produced does not verify (a bug, never expected)
// (A non-zero exit of the training guest is cli/mnist/image.ts GuestExitError, kind "GuestExitCode".)

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
