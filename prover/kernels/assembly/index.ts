// Entry point of the prover kernels module: NTT (ntt.ts), batched SHA-256 (sha256.ts) and the base × extension
// products of linalg.ts and FRI's grouping and folding (fri.ts) share one memory.
export * from "./ntt";
export * from "./sha256";
export * from "./linalg";
export * from "./vecmul";
export * from "./program";
export * from "./fri";
