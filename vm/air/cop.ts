// What a coprocessor table's trace builder needs from the CPU trace builder that calls it while stepping the
// machine (docs/vm-air.md §9): the memory records of the accesses it makes and the lookup counts of the fixed
// tables. Shared by every coprocessor table (SHA256 now; DOT, AXPY, BULK later).

export interface CopContext {
  /** MEM-bus address `addr` is accessed at timestamp `ts` and holds `value` (u32) afterwards; returns its previous value and timestamp (and records the new ones). */
  access(addr: number, value: number, ts: number): { prev: number; pts: number };
  /** Counts one RANGE16 lookup of x (throws on x outside [0, 2^16)). */
  range(x: number): void;
  /** Counts one AND8 lookup of the byte pair (x, y). */
  and8(x: number, y: number): void;
}
