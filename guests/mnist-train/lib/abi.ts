// The zkvm imports this guest calls directly (docs/architecture.md, "Guest ABI"). Bulk input goes
// straight into its final buffer with `read`, and the DOT / AXPY / SHA-256 instructions are the
// inner loops of training, so they are declared here at the ABI level.

@external("zkvm", "read")
export declare function read(ptr: usize, len: i32): void;

@external("zkvm", "commit")
export declare function commit(ptr: usize, len: i32): void;

/** R(acc + Σ_{i<n} x[i]·y[i], shift), x[i] at xp + 4·i·sx, y[i] at yp + 4·i·sy; cost 1 + n. */
@external("zkvm", "dot")
export declare function dot(xp: usize, yp: usize, n: i32, sx: i32, sy: i32, acc: i64, shift: i32): i32;

/** y[i] += R(a·x[i], shift) for i < n; cost 1 + n. */
@external("zkvm", "axpy")
export declare function axpy(yp: usize, xp: usize, n: i32, sy: i32, sx: i32, a: i32, shift: i32): void;

/** One SHA-256 compression of the 64-byte block at `block` into the 8 LE u32 words at `state`. */
@external("zkvm", "sha256_compress")
export declare function sha256Compress(state: usize, block: usize): void;
