// Declarations of the fixed-point and coprocessor instructions of the guest ABI (docs/architecture.md,
// "Fixed-point and coprocessor instruction semantics"). The compiler lowers each import to its ISA
// instruction; the V8 reference engine implements them in JS (vm/intrinsics.ts). Guests normally use
// the `fx` wrappers (fx.ts) instead of calling these directly.

/** Q16.16 rounding multiply R(a·b, 16); traps FixedPointOverflow if the result leaves i32. 1 cycle. */
@external("zkvm", "fxmul")
export declare function fxmul(a: i32, b: i32): i32;

/**
 * R(acc + Σ_{i<n} x[i]·y[i], shift) with x[i] the i32 at xp + 4·i·sx and y[i] at yp + 4·i·sy; the sum is
 * exact mod 2^64, the result must fit i32 (else FixedPointOverflow). Cost 1 + n cycles.
 */
@external("zkvm", "dot")
export declare function dot(xp: usize, yp: usize, n: i32, sx: i32, sy: i32, acc: i64, shift: i32): i32;

/** For i < n in order: y[i] += R(a·x[i], shift) (each step must fit i32). Cost 1 + n cycles. */
@external("zkvm", "axpy")
export declare function axpy(yp: usize, xp: usize, n: i32, sy: i32, sx: i32, a: i32, shift: i32): void;

/** One SHA-256 compression: 8 LE u32 state words at `state`, 64-byte block at `block`. Cost 1 + 64. */
@external("zkvm", "sha256_compress")
export declare function sha256Compress(state: usize, block: usize): void;
