// The receipt layer's one error type (docs/receipt.md §3). Its kinds extend the STARK verifier's kinds
// (which pass through unchanged) with the checks only a VM receipt has.
import type { VerifierErrorKind } from "../../verifier/errors.ts";

export const RECEIPT_ERROR_KINDS = [
  "UnsupportedVersion", // receipt container or AIR version this verifier does not know
  "DevReceipt", // a dev-mode receipt (no proof) offered without allowDev
  "ImageIdMismatch", // the receipt's image parts do not hash to the image ID, or it is another image's receipt
  "UnprovableImage", // the image's code cannot be proven by this AIR (an unsupported instruction, huge operands)
  "MemoryMismatch", // the opened initial-memory pages do not hash to the image's memory root, or lie outside its memory
  "StatementMismatch", // journal digest ≠ SHA-256(journal), impossible cycle count or journal for this AIR
  "InvalidArgument", // the caller passed something that is not a receipt or an image ID
] as const;

export type ReceiptErrorKind = VerifierErrorKind | (typeof RECEIPT_ERROR_KINDS)[number];

export interface ReceiptErrorInfo {
  readonly kind: ReceiptErrorKind;
  readonly message: string;
}

export class ReceiptError extends Error implements ReceiptErrorInfo {
  constructor(
    readonly kind: ReceiptErrorKind,
    message: string,
  ) {
    super(message);
    this.name = `ReceiptError[${kind}]`;
  }
  toJSON(): ReceiptErrorInfo {
    return { kind: this.kind, message: this.message };
  }
}
