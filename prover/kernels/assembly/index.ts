// Entry point of the prover kernels module: NTT (ntt.ts) and batched SHA-256 (sha256.ts) share one memory.
export * from "./ntt";
export * from "./sha256";
