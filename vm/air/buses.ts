// Bus ids of the VM AIR (docs/vm-air.md §1). One module so every table agrees on them.
export const BUS = {
  FETCH: 1,
  MEM: 2,
  RANGE: 3,
  GLOBALS: 4,
  AND8: 5,
  POW2: 6,
  /** (kind, byte, clz8/ctz8/popcount8, [byte = 0]): CLZ/CTZ/POPCNT rows send, BYTEPROP receives */
  BYTEPROP: 7,
  /** (kind, clk, x0, x1, x2, x3, x4): a coprocessor op, sent once by its CPU row and received by the first row
   *  of the op in the coprocessor's table (COP_KIND; the x's per kind in docs/vm-air.md §9). */
  COP: 8,
  /** (pc, fp, clk, msz, inRem, jpos): a segment's handoff row sends its successor's starting state, the
   *  successor's first row receives it (docs/vm-air.md §11) */
  STATE: 9,
  /** (position, byte): COMMIT's byte rows send, the verifier receives the journal as public tuples */
  JOURNAL: 10,
  /** (idx0, idx1, pc, sig0, sig1, save): CALLI rows send, the public TABLEFN table (the call_indirect table's
   *  non-null entries) receives. 14: ids 7–9 and 11–13 are taken by buses docs/vm-air.md §1 plans. */
  TABLEFN: 14,
} as const;

/**
 * Coprocessor kinds: the first element of every BUS.COP tuple. The CPU sends (kind, clk, x0, …, x4) once per op,
 * the coprocessor table receives it on the op's first row (docs/vm-air.md §9). SHA256: x = (s0, s1, b0, b1, msz),
 * the limbs of the state and block byte pointers and the memory size in pages. DOT: (argBase, dst, clk + 1 + n, msz, 0);
 * AXPY: (argBase, clk + 1 + n, msz, 0, 0).
 * SHA256_SCHED_A/B are internal to the SHA256 table (its message-schedule relay, vm/air/sha256/constraints.ts):
 * sent and received by that table only, never by the CPU; distinct kinds keep them apart from every op tuple.
 */
export const COP_KIND = { DOT: 1, AXPY: 2, SHA256: 3, SHA256_SCHED_A: 0x5301, SHA256_SCHED_B: 0x5302 } as const;
/** Length of every BUS.COP tuple (kind, clk and five arguments; unused ones are 0). */
export const COP_ARITY = 7;

/**
 * Least height of every VM table. With zero knowledge each column hides h = numQueries + 2 evaluations (45 with
 * the default parameters), so a table's trace degree is ≥ n + h whatever its height n, and its quotient splits
 * into ≈ 3(n + h)/n chunks of n coefficients, each committed over the full LDE domain: a 4-row table cost 31
 * chunks (124 LDE columns), a 16-row one 7. At 64 rows (≥ h) every table needs ≤ 5. Padding rows are free.
 */
export const MIN_TABLE_HEIGHT = 64;

/** Memory access phases inside a row: ts = 4·clk + phase (docs/vm-air.md §4.4). */
export const PHASE = { SLOT_READ: 0, MEM_READ: 1, MEM_WRITE: 2, SLOT_WRITE: 3 } as const;

/** Typed error of the VM AIR layer (prototype: programs outside the supported subset). */
export class VmAirError extends Error {
  constructor(
    readonly kind: "UnprovableImage" | "TraceError",
    message: string,
  ) {
    super(message);
    this.name = "VmAirError";
  }
  toJSON(): { kind: string; message: string } {
    return { kind: this.kind, message: this.message };
  }
}
