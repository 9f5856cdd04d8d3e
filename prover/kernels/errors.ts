/** Typed errors of the prover kernels ({kind, message}, never a bare host exception for bad input). */
export type KernelErrorKind =
  | "KernelUnavailable" // the WASM module is missing and could not be built
  | "InvalidArgument" // a size, shift, width or index out of its domain
  | "OutOfMemory" // the kernel's linear memory cannot grow that far (wasm32: 4 GiB)
  | "WorkerFailed"; // a worker thread crashed or reported an error

export class KernelError extends Error {
  readonly kind: KernelErrorKind;
  constructor(kind: KernelErrorKind, message: string) {
    super(message);
    this.name = "KernelError";
    this.kind = kind;
  }
  toJSON(): { kind: KernelErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

export function invalid(message: string): never {
  throw new KernelError("InvalidArgument", message);
}
