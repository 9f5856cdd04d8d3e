// What a coprocessor table's trace builder needs from the CPU trace builder, which owns the memory bookkeeping
// (last value and timestamp of every MEM-bus address) and the lookup multiplicities of the shared tables.

export interface CopContext {
  /** MEM-bus address `addr` is accessed at timestamp `ts` and holds `value` (u32) afterwards; returns its previous value and timestamp (and records the new ones). */
  access(addr: number, value: number, ts: number): { prev: number; pts: number };
  /** Counts one RANGE16 lookup of x (throws on x outside [0, 2^16)). */
  range(x: number): void;
  /** Counts one AND8 lookup of the byte pair (x, y). */
  and8(x: number, y: number): void;
}

/** A CopContext that also counts POW2 lookups (of s < 64). */
export interface CopContextPow2 extends CopContext {
  pow2(s: number): void;
}
