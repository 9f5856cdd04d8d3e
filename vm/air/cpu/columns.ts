// Column layout of the prototype CPU table (docs/vm-air.md §4.1, subset). Named indices so constraints and
// the trace builder cannot disagree.
import { DECODE_FIELDS } from "../program/decode.ts";

const CONTROL = ["isReal", "pc", "fp", "clk"] as const;
// Fetched decode columns (same names and order as the FETCH tuple), minus `pc` which is a control column.
const DECODE = DECODE_FIELDS.filter((f) => f !== "pc");
const PORT = ["addr", "v0", "v1", "p0", "p1", "pts", "d0", "d1"] as const;
/** Ports 0–2 address frame slots (fp + offset or absolute); port 3 addresses a linear-memory word. */
export const NUM_PORTS = 4;
// C: operand C; k0, k1: carries/borrow of the add gadget; S, z, inv: zero test (z = [S = 0]); D: B − C of a
// comparison; sB, sC: sign bits of B and C (signed comparisons)
// F0, F1: limbs of the callee's fp on CALL (bounded by 2^24 so slot addresses never reach 2^25 or wrap mod p)
// E0, E1, q: effective address of LOAD/STORE (E0 = 4·q: aligned words)
// hi: the second row of a two-row i64 instruction (not fetched: it copies the first row's decode, slot offsets
// + 1); cin: its carry/borrow in (row 0's k1)
// fByte: a byte row of READ/COMMIT (not fetched; bRd = 1 for READ); bn: bytes left after this row (the head
// holds the length); bp: this byte's address (the head holds ptr − 1); o0..o3: one-hot byte offset in its
// word; m0..m3: the word's previous bytes; nb: the byte's new value; byte: its previous value
// inRem: private input bytes not yet read; jpos: journal bytes committed so far (state, like fp)
// bb0..3, cb0..3: bytes of B and C (BIT, MUL); n0..3: their bytewise AND (one AND8 lookup per byte pair);
// P0..P3: limbs of the 64-bit product B·C; kk0..kk2: its limb carries
// shs, sht: a shift amount's low limb = shs + 32·sht; W0, W1: the POW2 multiplier's limbs; shl, shh: which
// product words the result takes (shLo/shHi, or by the zero flag of shs for right shifts); D0, D1 then hold the
// unsigned result (SHRS: before the sign fill)
// DIV/REM: rr0, rr1: |r|; dx, nx1: the carries of |d| = ~d + 1 and |n| = ~n + 1; sq: the quotient's sign;
// res0, res1, rs: the result's magnitude and sign; y0, y1: carries of its negation; tq: |q|'s top bit; ov = tq·(1 − sq)
// 64-bit shifts: h64 = bit 5 of the amount, hz = h64·[s = 0], neg = a negative SHRS64 (the product is of ~B)
// MUL64: mca, mcb: the carries of the hi word's two limbs (the second one's is dropped: mod 2^64)
// CLZ/CTZ/POPCNT: cv_i = f(b_i), cz_i = [b_i = 0] from BYTEPROP; cu, cw: the chained partial counts; cnt: the
// word's count
// MEMCOPY: bCr / bCw: a byte's read row (at bq, the source cursor) and write row (at bp); dir: backwards
// (dst > src); the head holds memBytes − src in rr0/rr1 and |dst − src| − dir in E0/E1
// DIVS64/REMS64 (row 0): na0..na2 / da0..da2 the carries of |n| = ~n + 1 / |d| = ~d + 1, ea0..ea3 those of the
// result's negation
// msz: the memory size in pages (state, like fp; the bounds of every access); MEMGROW: gok = it grew, gdelta = by
// how many pages
// sub-word loads: top = the highest loaded byte, sx = its sign bit on a signed load (0 otherwise); STORE16:
// e2 = the change of the byte after the offset (the value's byte 1 minus the old byte), 0 elsewhere
// nzin: on the hi row of a 64-bit comparison, 1 when the lo words differed (row 0's zero flag, negated)
// byte2: the byte after `byte` in its word (LOAD16U); bFl: a MEMFILL byte row; fill: the fill byte (value & 0xff, carried to the byte rows); fx: value's byte 1
// fHand: a segment's handoff row (its last real row when it is not the last segment: the next segment's starting
// state, sent on STATE; not fetched, no port); isFirst: 1 on the table's first row only (STATE receive)
// cend: on a DOT row the clock after the op (clk + 1 + n, checked by the DOT table through the COP tuple)
// tpc, sv: on a CALLI row the callee's pc and save slot looked up in TABLEFN (sv is 0 on every other row: it is
// added to the addresses of ports 1 and 2, whose decode offsets are b + 1 and b on CALLI)
const SCRATCH = [
  "C0", "C1", "k0", "k1", "z", "inv", "S", "D0", "D1", "sB", "sC", "F0", "F1", "E0", "E1", "q",
  "hi", "cin", "fByte", "bRd", "bn", "bp", "o0", "o1", "o2", "o3", "m0", "m1", "m2", "m3", "nb", "byte", "inRem", "jpos",
  "bb0", "bb1", "bb2", "bb3", "cb0", "cb1", "cb2", "cb3", "n0", "n1", "n2", "n3", "P0", "P1", "P2", "P3", "kk0", "kk1", "kk2",
  "bFl", "fill", "fx", "byte2", "nzin", "shs", "sht", "W0", "W1", "shl", "shh",
  "rr0", "rr1", "dx", "nx1", "sq", "res0", "res1", "rs", "y0", "y1", "tq", "ov",
  "h64", "hz", "neg", "mca", "mcb", "tpc", "sv",
  "cv0", "cv1", "cv2", "cv3", "cz0", "cz1", "cz2", "cz3", "cu", "cw",
  "bCr", "bCw", "bq", "dir", "top", "sx", "cnt", "e2", "msz", "gok", "gdelta", "ea0", "ea1", "ea2", "ea3", "da0", "da1", "da2", "na0", "na1", "na2", "cend", "fHand", "isFirst",
] as const;

export type PortField = (typeof PORT)[number];

const names: string[] = [...CONTROL, ...DECODE];
for (let k = 0; k < NUM_PORTS; k++) for (const f of PORT) names.push(`${f}_${k}`);
names.push(...SCRATCH);

export const CPU_COLUMN_NAMES: readonly string[] = names;
export const CPU_WIDTH = names.length;

const INDEX = new Map(names.map((n, i) => [n, i]));

/** Index of a named CPU column. */
export function cpuCol(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`unknown CPU column ${name}`);
  return i;
}
export const portCol = (field: PortField, k: number): number => cpuCol(`${field}_${k}`);

/** Phase of each port: port 0 reads a slot, port 2 writes one, port 1 reads (phase 0) or, when the public
 *  `wr1` is set (CALL), writes (phase 3). */
export const PORT_PHASE: readonly number[] = [0, 0, 3, 1];
/** Linear-memory word w lives at address MEM_BASE + w of the one MEM bus: frame slots are < 2^25 (fp < 2^24 on
 *  CALL, offsets < 2^24), words < 2^28 (memory ≤ 1 GiB), so the two ranges are disjoint and below 2^29. */
export const MEM_BASE = 2 ** 25;
/** Provable memory: 16,384 pages of 64 KiB = 1 GiB (docs/vm-air.md §4.6). */
export const MAX_PROVABLE_PAGES = 2 ** 14;
export const SLOT_WRITE_PHASE = 3;

/** Limbs (16-bit) of a 32-byte digest among the public inputs. */
export const DIGEST_LIMBS = 16;

/**
 * Public inputs of the VM AIR (docs/receipt.md §1.1): the statement. The exit code, the cycle count and the
 * journal length are constrained on the EXIT row (the journal's bytes are public JOURNAL-bus tuples); the image
 * ID and journal digest are not read by any constraint — they enter the
 * transcript seed with every other public input, so a proof is bound to the statement it was made for (the
 * image ID also covers the memory root and config, which no table of this AIR reads yet).
 */
export const PUB = { entryPc: 0, fp0: 1, exit0: 2, exit1: 3, cycles: 4, imageId: 5, journalDigest: 5 + DIGEST_LIMBS, memPages: 5 + 2 * DIGEST_LIMBS, journalLen: 6 + 2 * DIGEST_LIMBS, maxPages: 7 + 2 * DIGEST_LIMBS, segFirst: 8 + 2 * DIGEST_LIMBS, segLast: 9 + 2 * DIGEST_LIMBS, segIndex: 10 + 2 * DIGEST_LIMBS } as const;
export const NUM_PUBLICS = 11 + 2 * DIGEST_LIMBS;

/** A 32-byte digest as 16 little-endian 16-bit limbs (canonical field elements). */
export function digestLimbs(d: Uint8Array): number[] {
  if (d.length !== 32) throw new RangeError(`digest of ${d.length} bytes, expected 32`);
  const out: number[] = [];
  for (let i = 0; i < 32; i += 2) out.push(d[i]! | (d[i + 1]! << 8));
  return out;
}
