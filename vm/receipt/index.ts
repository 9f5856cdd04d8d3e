// Receipts: the proving side (prove.ts, Node) and the verifying side (verify.ts, browser-safe).
export { proveReceipt, DEFAULT_SEGMENT_CYCLES, type ProveReceiptOptions, type ProveReceiptResult, type ProvePhase } from "./prove.ts";
export { verifyReceipt, verifyReceiptOrThrow, type VerifyReceiptOptions, type VerifyReceiptResult, type VerifiedReceipt } from "./verify.ts";
export { decodeReceipt, encodeReceipt, type Receipt } from "./format.ts";
export { ReceiptError, type ReceiptErrorKind } from "./errors.ts";
