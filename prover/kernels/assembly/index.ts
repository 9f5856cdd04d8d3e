// Entry point of the prover kernels module: NTT (ntt.ts), batched SHA-256 (sha256.ts) and the base × extension
// products of linalg.ts, FRI's grouping and folding (fri.ts), the DEEP divisions and extension powers (deep.ts) and
// the OOD barycentric weights (bary.ts) share one memory.
export * from "./ntt";
export * from "./sha256";
export * from "./linalg";
export * from "./vecmul";
export * from "./program";
export * from "./fri";
export * from "./deep";
export * from "./bary";
