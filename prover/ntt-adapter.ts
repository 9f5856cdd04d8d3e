/** Binding point to the NTT kernels (prover/ntt.ts, WASM SIMD). */
export { interpolate, interpolateCoset, evaluate } from "./ntt.ts";
