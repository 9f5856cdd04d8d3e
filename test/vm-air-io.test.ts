// VM AIR v4: the journal (COMMIT), the private input (READ, INPUTLEN) and two-row i64 (ADD64/SUB64). Honest runs
// satisfy the AIR; each forgery below breaks exactly one rule and must be caught by it (docs/vm-air.md §16).
import { describe, expect, it } from "vitest";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";
import { TABLE } from "../vm/air/index.ts";
import { PUB } from "../vm/air/cpu/columns.ts";
import { P } from "../verifier/fp.ts";
import { check, cloneTraces, cpu, expectFail, port, rowWith, setupProgram } from "./vm-air-helpers.ts";

// read the whole input to an unaligned address, commit parts of it (one range ending past what was read),
// and an empty commit at the very end of memory (allowed: ptr = memory size, len 0)
const IO: AsmInstr[] = [
  ["INPUTLEN", 0], ["CONST", 1, 13], ["READ", 1, 0],
  ["CONST", 2, 3], ["COMMIT", 1, 2],
  ["INPUTLEN", 3], ["CONST", 4, 65536], ["COMMIT", 4, 3],
  ["ADDI", 5, 1, 1], ["COMMIT", 5, 0],
  ["EXIT", 3],
];
const IO_INPUT = Uint8Array.of(1, 2, 3, 4, 5, 6);
// read into a word that already holds image data (read-modify-write keeps the other bytes), leave input unread
const RMW: AsmInstr[] = [
  ["CONST", 0, 2], ["CONST", 1, 13], ["READ", 1, 0],
  ["CONST", 2, 12], ["CONST", 3, 8], ["COMMIT", 2, 3],
  ["INPUTLEN", 4], ["EXIT", 4],
];
const RMW_OPTS = { segments: [{ addr: 12, bytes: new Uint8Array(8).fill(0xaa) }] };
// carries and borrows across the 32-bit halves, aliased sources, in-place destination
const I64: AsmInstr[] = [
  ["CONST64", 0, 0xffffffff, 0x7fffffff], ["CONST64", 2, 1, 0],
  ["ADD64", 4, 0, 2], ["SUB64", 6, 2, 0], ["ADD64", 8, 0, 0], ["ADD64", 0, 0, 2], ["SUB64", 10, 2, 2],
  ["EXIT", 5],
];

/** Moves RANGE16 lookups: removes one lookup of each `from` value and adds one of each `to` value (< 2^16). */
function relook(traces: Uint32Array[][], from: number[], to: number[]): void {
  const mult = traces[TABLE.range]![1]!;
  for (const v of from) mult[v]! -= 1;
  for (const v of to) if (v >= 0 && v < 65536) mult[v]! += 1;
}

describe("VM AIR v4: honest runs", () => {
  it("READ to an unaligned address, COMMIT (also past the read bytes and empty at the end of memory), INPUTLEN", () => {
    const s = setupProgram(IO, {}, IO_INPUT);
    expect([...s.journal]).toEqual([1, 2, 3, 2, 3, 4, 5, 6, 0]);
    expect(s.publics[PUB.journalLen]).toBe(9);
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    // one byte row per byte: 6 read + 9 committed, each a cycle of its own
    const bytes = cpu(s.traces, "fByte").reduce((a, x) => a + x, 0);
    expect(bytes).toBe(15);
    expect(s.publics[PUB.cycles]).toBe(IO.length + 15);
  });

  it("READ into a word with image data keeps its other bytes; unread input stays private (INPUTLEN)", () => {
    const s = setupProgram(RMW, RMW_OPTS, Uint8Array.of(7, 8, 9, 10, 11));
    expect([...s.journal]).toEqual([0xaa, 7, 8, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa]);
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
  });

  it("ADD64/SUB64: carries and borrows between the halves, aliased and in-place operands", () => {
    const s = setupProgram(I64);
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0x80000000);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    expect(cpu(s.traces, "hi").reduce((a, x) => a + x, 0)).toBe(5);
  });
});

describe("VM AIR v4: the journal and the input cannot be forged", () => {
  const io = () => setupProgram(IO, {}, IO_INPUT);

  it("another journal (same length, one byte changed) against the same trace: the JOURNAL bus", () => {
    const s = io();
    const j = s.journal.slice();
    j[4] ^= 1;
    expectFail(check(s.p, s.traces, s.publics, j), "LogupSumNonZero");
    // no journal at all
    expectFail(check(s.p, s.traces, s.publics, new Uint8Array(0)), "LogupSumNonZero");
  });

  it("a shorter or longer public journal length: the EXIT row's check", () => {
    const s = io();
    for (const d of [-1, 1]) {
      const pub = s.publics.slice();
      pub[PUB.journalLen] = s.journal.length + d;
      expectFail(check(s.p, s.traces, pub, s.journal), /exit-journal-length/);
    }
  });

  it("a COMMIT byte row committing another byte than memory holds", () => {
    const s = io();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fByte", (i) => cpu(t, "bRd")[i] === 0);
    cpu(t, "byte")[r]! ^= 1;
    cpu(t, "nb")[r]! ^= 1;
    expectFail(check(s.p, t, s.publics, s.journal), /byte-select/);
  });

  it("a byte row at another offset of its word (one-hot o shifted)", () => {
    const s = io();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fByte", (i) => cpu(t, "o1")[i] === 1);
    cpu(t, "o1")[r] = 0;
    cpu(t, "o2")[r] = 1;
    expectFail(check(s.p, t, s.publics, s.journal), /byte-offset$|byte-select/);
  });

  it("a head claiming another length, or a byte row claiming the instruction is done early", () => {
    const s = io();
    const t = cloneTraces(s.traces);
    const h = rowWith(t, "fCommit");
    cpu(t, "bn")[h]! -= 1;
    expectFail(check(s.p, t, s.publics, s.journal), /bulk-len/);
    const t2 = cloneTraces(s.traces);
    const r = rowWith(t2, "fByte", (i) => cpu(t2, "bn")[i] === 2);
    cpu(t2, "z")[r] = 1;
    expectFail(check(s.p, t2, s.publics, s.journal), /zero-test|bulk-rows-until-done/);
  });

  it("a byte row enabling a slot port (its decode is not fetched, so it is pinned)", () => {
    const s = io();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fByte");
    cpu(t, "en0")[r] = 1;
    expectFail(check(s.p, t, s.publics, s.journal), /byte-row-port0-off|port0/);
  });

  it("a READ byte of 256 + b (the word's lo limb recombined to match): its 8-bit lookup fails", () => {
    const s = setupProgram(RMW, RMW_OPTS, Uint8Array.of(7, 8, 9, 10, 11));
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fByte", (i) => cpu(t, "bRd")[i] === 1 && cpu(t, "nb")[i] === 7);
    const nb = cpu(t, "nb")[r]!;
    cpu(t, "nb")[r] = nb + 256;
    port(t, "v0", 3)[r]! += 256 * 256; // byte-store-lo still holds: lo = m0 + 256·nb'
    relook(t, [nb, nb * 256], [nb + 256]); // 256·nb' ≥ 2^16 has no row in RANGE16
    expectFail(check(s.p, t, s.publics, s.journal), "LogupSumNonZero");
  });

  it("INPUTLEN returning one more byte than remain", () => {
    const s = io();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fInLen");
    port(t, "v0", 2)[r]! += 1;
    expectFail(check(s.p, t, s.publics, s.journal), /inputlen/);
  });

  it("an input shorter than what was read: the cursor ends below zero (30-bit check at EXIT)", () => {
    const s = setupProgram([["CONST", 0, 2], ["CONST", 1, 8], ["READ", 1, 0], ["CONST", 2, 0], ["EXIT", 2]], {}, Uint8Array.of(4, 5));
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
    // claim one byte less of input on every row: the final value is −1 ≡ p − 1
    const shorter = (): Uint32Array[][] => {
      const t = cloneTraces(s.traces);
      const inRem = cpu(t, "inRem"), isReal = cpu(t, "isReal");
      for (let i = 0; i < inRem.length; i++) if (isReal[i] === 1) inRem[i] = (inRem[i]! + P - 1) % P;
      return t;
    };
    expectFail(check(s.p, shorter(), s.publics, s.journal), /exit-input-not-overread/);
    // with the EXIT row's limbs made to match p − 1, its high limb (0x7800) is not 14-bit
    const t = shorter();
    const e = rowWith(t, "fExit");
    const [d0, d1] = [cpu(t, "D0")[e]!, cpu(t, "D1")[e]!];
    cpu(t, "D0")[e] = (P - 1) & 0xffff;
    cpu(t, "D1")[e] = (P - 1) >>> 16;
    relook(t, [d0, d1 * 4], [(P - 1) & 0xffff, ((P - 1) >>> 16) * 4]);
    expectFail(check(s.p, t, s.publics, s.journal), "LogupSumNonZero");
  });
});

describe("VM AIR v4: two-row i64 cannot be forged", () => {
  const i64 = () => setupProgram(I64);

  it("the hi row's carry in is the lo row's carry out", () => {
    const s = i64();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi", (i) => cpu(t, "cin")[i] === 1);
    // drop the carry and lower the result by one to keep the hi row's own addition consistent
    cpu(t, "cin")[r] = 0;
    port(t, "v0", 2)[r]! -= 1;
    expectFail(check(s.p, t, s.publics), /cin-is-previous-carry/);
  });

  it("a hi row reading another slot than the lo row's + 1", () => {
    const s = i64();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi");
    cpu(t, "off0")[r]! += 1;
    port(t, "addr", 0)[r]! += 1;
    expectFail(check(s.p, t, s.publics), /hi-copies-off0/);
  });

  it("an i64 instruction without its hi row (the row claims to be fetched instead)", () => {
    const s = i64();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi");
    cpu(t, "hi")[r] = 0;
    cpu(t, "cin")[r] = 0;
    expectFail(check(s.p, t, s.publics), /hi-row-follows-i64|cin/);
  });

  it("a hi row after a 32-bit instruction", () => {
    const s = setupProgram([["CONST", 0, 1], ["ADD", 1, 0, 0], ["EXIT", 1]]);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fAdd");
    cpu(t, "hi")[r] = 1;
    expectFail(check(s.p, t, s.publics), /hi-row-follows-i64/);
  });
});

// every BIT and MUL form on edge values: results compared with the executor (the trace builder checks every
// slot it reads against the machine) and the AIR satisfied
const EDGE = [0, 1, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff];
const bitMulProgram = (): AsmInstr[] => {
  const out: AsmInstr[] = [];
  let dst = 2;
  for (const x of EDGE) for (const y of [0, 1, 0xff, 0x8000, 0x80000001, 0xffffffff, 0x12345678]) {
    out.push(["CONST", 0, x], ["CONST", 1, y]);
    for (const op of ["AND", "OR", "XOR", "MUL"] as const) out.push([op, dst++ % 200 + 2, 0, 1]);
    for (const op of ["ANDI", "ORI", "XORI", "MULI"] as const) out.push([op, dst++ % 200 + 2, 0, y]);
    for (const op of ["SHLI", "SHRUI", "ROTLI", "ROTRI", "SHRSI"] as const) out.push([op, dst++ % 200 + 2, 0, y % 37]);
    for (const op of ["SHL", "SHRU", "SHRS", "ROTL", "ROTR"] as const) out.push([op, dst++ % 200 + 2, 0, 1]);
  }
  out.push(["MUL", 3, 0, 0], ["XOR", 4, 1, 1], ["EXIT", 3]);
  return out;
};

describe("VM AIR v4: bitwise operations and products", () => {
  it("AND/OR/XOR (+I), MUL/MULI, shifts/rotations by constants and by registers (amounts 0, 1, 31, 32+, huge) on edge values satisfy the AIR", () => {
    const s = setupProgram(bitMulProgram());
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    expect(cpu(s.traces, "fMul").reduce((a, x) => a + x, 0)).toBeGreaterThan(400);
  });

  const small = () => setupProgram([["CONST", 0, 0xdeadbeef], ["CONST", 1, 0x12345678], ["XOR", 2, 0, 1], ["MUL", 3, 0, 1], ["SHRUI", 4, 0, 7], ["EXIT", 2]]);

  it("a XOR result off by one bit", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fBit");
    port(t, "v0", 2)[r]! ^= 1;
    expectFail(check(s.p, t, s.publics), /bit-lo/);
  });

  it("a byte split that is not bytes (b0 + 256, b1 − 1): the AND8 lookup", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fBit");
    cpu(t, "bb0")[r]! += 256;
    cpu(t, "bb1")[r] = (cpu(t, "bb1")[r]! + P - 1) % P;
    // the split B0 = b0 + 256·b1 and the AND/XOR equations still hold: only the lookup of (b0, c0, n0) fails
    expectFail(check(s.p, t, s.publics), "LogupSumNonZero");
  });

  it("a product limb moved into its carry (P0 + 2^16, kk0 − 1, P1 − 1): the result and the range check", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fMul", (i) => cpu(t, "kk0")[i]! > 0 && cpu(t, "P1")[i]! > 0);
    cpu(t, "P0")[r]! += 65536;
    cpu(t, "kk0")[r]! -= 1;
    cpu(t, "P1")[r]! -= 1;
    // limbs 0 and 1 still hold; the claimed result no longer matches, and with it adjusted P0 is not 16-bit
    expectFail(check(s.p, t, s.publics), /mul-result-lo/);
  });

  it("SHRUI answering the low word instead of the high one", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fMul", (i) => cpu(t, "mulHi")[i] === 1);
    port(t, "v0", 2)[r] = cpu(t, "P0")[r]!;
    port(t, "v1", 2)[r] = cpu(t, "P1")[r]!;
    expectFail(check(s.p, t, s.publics), /mul-result/);
  });
});

describe("VM AIR v4: MEMFILL", () => {
  // fill 7 bytes from an unaligned address with 0x1234_56ab (only 0xab counts) over image data, commit them
  const FILL: AsmInstr[] = [
    ["CONST", 10, 13], ["CONST", 11, 0x123456ab], ["CONST", 12, 7], ["MEMFILL", 10],
    ["CONST", 0, 12], ["CONST", 1, 9], ["COMMIT", 0, 1],
    ["CONST", 12, 0], ["CONST", 10, 65536], ["MEMFILL", 10], // empty, at the end of memory
    ["EXIT", 1],
  ];
  const fill = () => setupProgram(FILL, RMW_OPTS);

  it("fills over image data (read-modify-write of partial words), also empty at the end of memory", () => {
    const s = fill();
    expect([...s.journal]).toEqual([0xaa, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0]);
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
  });

  it("a fill byte row writing another byte than the value's low byte", () => {
    const s = fill();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "bFl");
    cpu(t, "nb")[r]! ^= 1;
    expectFail(check(s.p, t, s.publics, s.journal), /byte-fill-value/);
    const t2 = cloneTraces(s.traces);
    const h = rowWith(t2, "fFill");
    cpu(t2, "fill")[h]! ^= 1;
    expectFail(check(s.p, t2, s.publics, s.journal), /fill-byte/);
  });

  it("a MEMFILL head claiming length zero (z = 1) to skip its byte rows: the zero test", () => {
    const s = fill();
    const t = cloneTraces(s.traces);
    const h = rowWith(t, "fFill", (i) => cpu(t, "bn")[i]! > 0);
    cpu(t, "z")[h] = 1;
    cpu(t, "inv")[h] = 0;
    expectFail(check(s.p, t, s.publics, s.journal), /zero-test/);
  });

  it("a fill byte row posing as a COMMIT row (sends the byte to the journal instead of writing it)", () => {
    const s = fill();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "bFl");
    cpu(t, "bFl")[r] = 0;
    expectFail(check(s.p, t, s.publics, s.journal), /byte-kind-fill|byte-fill|port3/);
  });
});

describe("VM AIR v4: sub-word loads and stores", () => {
  // bytes and halves at every offset of a word with image data, a STORE8 of a value's low byte, EXIT with a sum
  const SUB: AsmInstr[] = [
    ["CONST", 0, 12],
    ["LOAD8U", 1, 0, 0], ["LOAD8U", 2, 0, 1], ["LOAD8U", 3, 0, 2], ["LOAD8U", 4, 0, 3],
    ["LOAD16U", 5, 0, 0], ["LOAD16U", 6, 0, 1], ["LOAD16U", 7, 0, 2],
    ["CONST", 8, 0x1234], ["STORE8", 0, 8, 5], ["STORE8", 0, 0, 6], ["LOAD32", 9, 0, 4],
    ["STORE16", 0, 8, 1], ["STORE16", 0, 8, 8], ["LOAD32", 11, 0, 0], ["LOAD32", 12, 0, 8], ["XOR", 11, 11, 12], ["ADD", 9, 9, 11],
    ["ADD", 10, 1, 2], ["ADD", 10, 10, 3], ["ADD", 10, 10, 4], ["ADD", 10, 10, 5], ["ADD", 10, 10, 6], ["ADD", 10, 10, 7], ["ADD", 10, 10, 9],
    ["EXIT", 10],
  ];
  const OPTS = { segments: [{ addr: 12, bytes: Uint8Array.of(0x81, 0x42, 0xf3, 0x04, 0x10, 0x20, 0x30, 0x40) }] };
  const sub = () => setupProgram(SUB, OPTS);

  it("LOAD8U / LOAD16U at every offset, STORE8 (also of the base register itself): the executor's values", () => {
    const s = sub();
    // the word at 16 after the stores (17 ← 0x34, 18 ← 12, the base itself): 10 34 0c 40; then the halves 0x1234 at
    // 13 (inside the word at 12) and at 20 (an empty word): 0x04123481 ^ 0x00001234
    const expected = (0x81 + 0x42 + 0xf3 + 0x04 + 0x4281 + 0xf342 + 0x04f3 + 0x400c3410 + (0x04123481 ^ 0x00001234)) >>> 0;
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(expected >>> 0);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("a LOAD8U returning the byte at another offset of its word", () => {
    const s = sub();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fLdB", (i) => cpu(t, "o1")[i] === 1 && cpu(t, "ld16")[i] === 0);
    port(t, "v0", 2)[r] = cpu(t, "m2")[r]!;
    cpu(t, "byte")[r] = cpu(t, "m2")[r]!;
    expectFail(check(s.p, t, s.publics), /byte-select/);
  });

  it("a LOAD16U whose high byte is not the next byte of the word", () => {
    const s = sub();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "ld16");
    cpu(t, "byte2")[r]! ^= 1;
    port(t, "v0", 2)[r]! ^= 256;
    expectFail(check(s.p, t, s.publics), /load16-next-byte/);
  });

  it("a STORE16 leaving the second byte unchanged (its change e2 dropped)", () => {
    const s = sub();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "st16");
    cpu(t, "e2")[r] = 0;
    expectFail(check(s.p, t, s.publics), /byte-store|store16-change/);
  });

  it("a STORE8 writing another byte than the value's low byte, or touching a neighbour byte", () => {
    const s = sub();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fStB");
    cpu(t, "nb")[r]! ^= 1;
    expectFail(check(s.p, t, s.publics), /store8-byte|byte-store/);
    const t2 = cloneTraces(s.traces);
    port(t2, "v1", 3)[r]! ^= 1; // the word's other limb changed as well
    expectFail(check(s.p, t2, s.publics), /byte-store-hi/);
  });
});

describe("VM AIR v4: i64 bitwise and extensions", () => {
  const X64: AsmInstr[] = [
    ["CONST64", 0, 0xf0f0ff00, 0x8000000f], ["CONST64", 2, 0x0ff0f00f, 0xffff0001],
    ["AND64", 4, 0, 2], ["OR64", 6, 0, 2], ["XOR64", 8, 0, 2], ["XOR64", 0, 0, 0],
    ["CONST", 10, 0x80000001], ["ZEXT64", 12, 10], ["EXT32S64", 14, 10], ["CONST", 11, 5], ["EXT32S64", 16, 11],
    ["XOR", 18, 15, 13], ["EXIT", 18],
  ];
  const x64 = () => setupProgram(X64);

  it("AND64/OR64/XOR64 (also x ^ x in place), ZEXT64, EXT32S64 of a negative and a positive word", () => {
    const s = x64();
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0xffffffff); // hi of sext(−) ^ hi of zext
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("an EXT32S64 claiming the sign bit of a positive word (and the hi word to match)", () => {
    const s = x64();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fSext", (i) => cpu(t, "sB")[i] === 0);
    cpu(t, "sB")[r] = 1;
    port(t, "v0", 1)[r] = 0xffff;
    port(t, "v1", 1)[r] = 0xffff;
    expectFail(check(s.p, t, s.publics), "LogupSumNonZero"); // 2·(5 − 2^15) is no 16-bit value
  });

  it("a ZEXT64 with a non-zero hi word", () => {
    const s = x64();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fZext");
    port(t, "v0", 1)[r] = 1;
    expectFail(check(s.p, t, s.publics), /zext64-hi-lo/);
  });
});

/** A random program over every v4 family: a prologue that reads part of the private input into memory, then a
 *  counted loop of random 32- and 64-bit ALU operations, byte/half/word loads and stores, MEMFILL and COMMIT,
 *  EXIT of a random slot. The trace builder checks every value it reads against the executor. */
function randomV4Program(seed: number): AsmInstr[] {
  let x = seed >>> 0 || 1;
  const rnd = (n: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const word = (): number => ([0, 1, 0xff, 0xffff, 0x10000, 0xffffffff, 0x7fffffff, 0x80000000][rnd(8)]! + (rnd(2) ? rnd(2 ** 16) * 2 ** 16 : 0)) >>> 0;
  const r = (): number => rnd(8); // 32-bit slots 0..7, i64 pairs at 0, 2, 4, 6 (never a = b + 1)
  const pair = (): number => 2 * rnd(4);
  const out: AsmInstr[] = [];
  for (let i = 0; i < 8; i++) out.push(["CONST", i, word()]);
  // memory base 9 (a multiple of 4 below 200), loop counter 8, MEMFILL args at 10..12, lengths at 13
  out.push(["CONST", 9, 4 * rnd(50)], ["CONST", 13, 5 + rnd(5)], ["READ", 9, 13], ["CONST", 8, 1 + rnd(3)]);
  const body = out.length;
  for (let i = 0, n = 4 + rnd(14); i < n; i++) {
    const k = rnd(16);
    if (k === 0) out.push([(["AND", "OR", "XOR", "MUL"] as const)[rnd(4)], r(), r(), r()]);
    else if (k === 1) out.push([(["ANDI", "ORI", "XORI", "MULI"] as const)[rnd(4)], r(), r(), word() | 0]);
    else if (k === 2) out.push(rnd(2) ? [(["SHLI", "SHRUI", "ROTLI", "ROTRI", "SHRSI"] as const)[rnd(5)], r(), r(), rnd(40)] : [(["SHL", "SHRU", "SHRS", "ROTL", "ROTR"] as const)[rnd(5)], r(), r(), r()]);
    else if (k === 3) {
      if (rnd(3)) out.push([(["ADD64", "SUB64", "AND64", "OR64", "XOR64", "MUL64"] as const)[rnd(6)], pair(), pair(), pair()]);
      else out.push(["ORI", 16, r(), 1], ["MOV", 17, r()], [(["DIVU64", "REMU64", "REMS64"] as const)[rnd(3)], pair(), pair(), 16]); // divisor ≠ 0
    }
    else if (k === 4) out.push(rnd(2) ? [rnd(2) ? "ZEXT64" : "EXT32S64", pair(), r()] : [(["SHL64", "SHRU64", "SHRS64", "ROTL64", "ROTR64"] as const)[rnd(5)], pair(), pair(), r()]);
    else if (k === 5) out.push(rnd(2) ? [rnd(2) ? "LOAD8U" : "LOAD8S", r(), 9, rnd(24)] : [rnd(2) ? "EXT8S" : "EXT16S", r(), r()]);
    else if (k === 6) out.push([rnd(2) ? "LOAD16U" : "LOAD16S", r(), 9, 2 * rnd(12)]);
    else if (k === 7) out.push(rnd(2) ? ["STORE8", 9, r(), rnd(24)] : ["STORE16", 9, r(), 4 * rnd(6) + rnd(3)]);
    else if (k === 8) out.push(["STORE32", 9, r(), 4 * rnd(6)]);
    else if (k === 9) out.push(["LOAD32", r(), 9, 4 * rnd(6)]);
    else if (k === 10) {
      if (rnd(2)) out.push(["ADDI", 10, 9, rnd(20)], ["MOV", 11, r()], ["CONST", 12, rnd(9)], ["MEMFILL", 10]);
      else out.push(["ADDI", 10, 9, rnd(20)], ["ADDI", 11, 9, rnd(20)], ["CONST", 12, rnd(12)], ["MEMCOPY", 10]);
    }
    else if (k === 11) out.push(["ADDI", 14, 9, rnd(20)], ["CONST", 15, rnd(7)], ["COMMIT", 14, 15]);
    else if (k === 12) out.push(rnd(4) === 0 ? ["MEMGROW", r(), 13] : rnd(2) ? ["INPUTLEN", r()] : rnd(2) ? [(["CLZ", "CTZ", "POPCNT"] as const)[rnd(3)], r(), r()] : [(["CLZ64", "CTZ64", "POPCNT64"] as const)[rnd(3)], pair(), pair()]);
    else if (k === 13) out.push(["ADD", r(), r(), r()], ["ORI", 15, r(), 1 + rnd(7)], [(["DIVU", "REMU", "REMS"] as const)[rnd(3)], r(), r(), 15], ["SHRSI", 14, r(), 20], ["FXMUL", r(), 14, 15]);
    else if (k === 14) out.push(rnd(3) ? [(["EQ64", "NE64", "LTS64", "LTU64", "GTS64", "GTU64", "LES64", "LEU64", "GES64", "GEU64"] as const)[rnd(10)], r(), pair(), pair()] : ["EQZ64", r(), pair()]);
    else out.push([(["LTU", "GES", "EQ"] as const)[rnd(3)], r(), r(), r()]);
  }
  out.push(["ADDI", 8, 8, -1], ["BRNZ", 8, body], ["EXIT", r()]);
  return out;
}

describe("VM AIR v4: executor and constraints agree (random programs over every v4 family)", () => {
  it("40 random programs: honest traces satisfy the AIR, journals included", () => {
    const input = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
    let commits = 0;
    for (let seed = 1; seed <= Number(process.env.V4_SEEDS ?? 40); seed++) {
      const s = setupProgram(randomV4Program(seed), { initialPages: 1, segments: [{ addr: 40, bytes: input.slice(0, 30) }] }, input);
      commits += s.journal.length;
      expect(check(s.p, s.traces, s.publics, s.journal), `seed ${seed}`).toEqual({ ok: true });
    }
    expect(commits).toBeGreaterThan(20);
  });
});

describe("VM AIR v4: 64-bit comparisons", () => {
  const V = [[0, 0], [1, 0], [0, 1], [0xffffffff, 0xffffffff], [0, 0x80000000], [0xffffffff, 0x7fffffff], [5, 0x80000000], [4, 0x80000000], [7, 3], [7, 2], [6, 3]];
  const program = (): AsmInstr[] => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const [bl, bh] of V) for (const [cl, ch] of V) {
      out.push(["CONST64", 0, bl!, bh!], ["CONST64", 2, cl!, ch!]);
      for (const op of ["EQ64", "NE64", "LTS64", "LTU64", "GTS64", "GTU64", "LES64", "LEU64", "GES64", "GEU64"] as const) out.push([op, dst++ % 100 + 10, 0, 2]);
      out.push(["LTU64", 4, 0, 0], ["EQZ64", 5, 0]);
    }
    out.push(["EXIT", 4]);
    return out;
  };

  it("every form on 11 × 11 edge pairs (lo/hi borrows, signs, equal halves): the executor's results satisfy the AIR", () => {
    const s = setupProgram(program());
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = () => setupProgram([["CONST64", 0, 5, 9], ["CONST64", 2, 7, 9], ["LTU64", 4, 0, 2], ["EQ64", 5, 0, 2], ["EQZ64", 6, 0], ["EXIT", 4]]);

  it("the hi row ignoring the lo words' borrow (LTU64 of equal hi words)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi", (i) => cpu(t, "cin")[i] === 1);
    cpu(t, "cin")[r] = 0;
    expectFail(check(s.p, t, s.publics), /cin-is-previous-carry/);
  });

  it("EQ64 of values equal only in their hi words: the carried nonzero flag", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi", (i) => cpu(t, "nzin")[i] === 1);
    cpu(t, "nzin")[r] = 0;
    expectFail(check(s.p, t, s.publics), /nzin-is-previous-nonzero|zero-test/);
  });

  it("a hi row of a comparison that does not turn into a comparison row (fCmp not set)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "hi", (i) => cpu(t, "fCmp")[i] === 1);
    cpu(t, "fCmp")[r] = 0;
    cpu(t, "fCmpLo")[r] = 1;
    expectFail(check(s.p, t, s.publics), /hi-copies-fCmp/);
  });

  it("EQZ64 claiming zero for a value with a nonzero hi word", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fEqz64");
    port(t, "v0", 2)[r] = 1;
    cpu(t, "z")[r] = 1;
    cpu(t, "inv")[r] = 0;
    expectFail(check(s.p, t, s.publics), /zero-test/);
  });
});

describe("VM AIR v4: shifts by a register amount", () => {
  const prog = (): AsmInstr[] => [["CONST", 0, 0x80f0000f], ["CONST", 1, 36], ["SHRS", 2, 0, 1], ["SHRU", 3, 0, 1], ["SHL", 4, 0, 1], ["ROTR", 5, 0, 1], ["CONST", 6, 0], ["SHRS", 7, 0, 6], ["SHRSI", 8, 0, 31], ["EXIT", 2]];

  it("a negative SHRS by 36 ≡ 4 fills sign bits; by 0 it is the identity", () => {
    const s = setupProgram(prog());
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0xf80f0000);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("an amount split with another s (36 = 4 + 32·1 claimed as 5 + …): the split or the POW2 lookup", () => {
    const s = setupProgram(prog());
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fShift", (i) => cpu(t, "shDir")[i] === 1);
    cpu(t, "shs")[r]! += 1;
    expectFail(check(s.p, t, s.publics), /shift-amount/);
  });

  it("a multiplier that is not 2^s: the POW2 lookup", () => {
    const s = setupProgram(prog());
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fShift", (i) => cpu(t, "shDir")[i] === 0);
    // W claimed as 2^5 (the product and result would follow; the lookup (4, 2^5) has no row)
    cpu(t, "W0")[r] = 32;
    expectFail(check(s.p, t, s.publics), /bytes-w-lo|LogupSumNonZero/);
  });

  it("an arithmetic shift claiming a positive sign for a negative value", () => {
    const s = setupProgram(prog());
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fShiftA", (i) => cpu(t, "sB")[i] === 1);
    cpu(t, "sB")[r] = 0;
    expectFail(check(s.p, t, s.publics), /bytes-notb|shift-arith/);
  });

  it("a right shift by 0 taking the high word (which is 0) instead of the low one", () => {
    const s = setupProgram(prog());
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fShiftA", (i) => cpu(t, "shs")[i] === 0);
    cpu(t, "shl")[r] = 0;
    cpu(t, "shh")[r] = 1;
    expectFail(check(s.p, t, s.publics), /shift-take-low/);
  });
});

describe("VM AIR v4: division and remainder (the RISC Zero class, docs/vm-air.md §8)", () => {
  const EDGES = [0, 1, 2, 3, 7, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x10000, 0xffff, 1000000007];
  const program = (): AsmInstr[] => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const n of EDGES) for (const d of EDGES) {
      if (d === 0) continue;
      out.push(["CONST", 0, n], ["CONST", 1, d]);
      out.push(["DIVU", dst++ % 100 + 10, 0, 1], ["REMU", dst++ % 100 + 10, 0, 1], ["REMS", dst++ % 100 + 10, 0, 1]);
      if (!(n === 0x80000000 && d === 0xffffffff)) out.push(["DIVS", dst++ % 100 + 10, 0, 1]);
      out.push(["DIVUI", dst++ % 100 + 10, 0, d | 0], ["REMSI", dst++ % 100 + 10, 0, d | 0]);
    }
    out.push(["CONST", 2, 0xfffffff9], ["DIVSI", 3, 2, 2], ["EXIT", 3]); // −7 / 2 = −3 (truncation)
    return out;
  };

  it("every form on 13 × 12 edge pairs (signs, −2^31, −1, powers of two, −0 remainders) satisfies the AIR", () => {
    const s = setupProgram(program());
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0xfffffffd);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = (n: number, dv: number, op: "DIVU" | "DIVS" | "REMS" | "REMU" = "DIVU") => setupProgram([["CONST", 0, n], ["CONST", 1, dv], [op, 2, 0, 1], ["EXIT", 2]]);
  const divRow = (t: Uint32Array[][]) => rowWith(t, "fDivU", () => true);

  it("q + 2^31 for d = 2 (valid mod 2^32, not as an integer): the identity over 64 bits", () => {
    const s = small(10, 2);
    const t = cloneTraces(s.traces);
    const r = divRow(t);
    // |q| = 5 → 5 + 2^31: top byte + 128; the product's limb 2 would have to be non-zero
    cpu(t, "bb3")[r]! += 128;
    cpu(t, "res1")[r]! += 0x8000;
    port(t, "v1", 2)[r]! += 0x8000;
    expectFail(check(s.p, t, s.publics), /mul-limb|div-product-fits|div-identity|LogupSumNonZero/);
  });

  it("q − 1 with r + d (r no longer below d)", () => {
    const s = small(10, 3);
    const t = cloneTraces(s.traces);
    const r = divRow(t);
    cpu(t, "bb0")[r]! -= 1; // |q| 3 → 2
    cpu(t, "rr0")[r]! += 3; // |r| 1 → 4 ≥ d
    cpu(t, "res0")[r]! -= 1;
    port(t, "v0", 2)[r]! -= 1;
    expectFail(check(s.p, t, s.publics), /div-rem-below-d|mul-limb|LogupSumNonZero/);
  });

  it("a −0 remainder (REMS of −4 by 2 claiming the negation of 0 without its wrap)", () => {
    const s = small(0xfffffffc, 2, "REMS");
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivS");
    // honest: res = 0, rs = 1, y0 = y1 = 1, R = 0. Forge y1 = 0: R1 would be 2^16 (not a limb)
    cpu(t, "y1")[r] = 0;
    expectFail(check(s.p, t, s.publics), /div-result-hi/);
  });

  it("a division by zero made real (d = 0 claims |r| < |d|)", () => {
    const s = small(10, 1);
    const t = cloneTraces(s.traces);
    const r = divRow(t);
    // claim d = 0: the magnitude bytes of d zero, D = −1 has no 16-bit limbs
    cpu(t, "cb0")[r] = 0;
    expectFail(check(s.p, t, s.publics), /div-abs-d|div-rem-below-d|mul-limb|LogupSumNonZero/);
  });

  it("DIVS −2^31 / −1 (the executor traps): a row claiming the quotient 2^31 breaks only the overflow rule", () => {
    // REMS −2^31 by −1 is valid (0), with |q| = 2^31 and sq = 0 in its witness; relabel that row as the DIVS of
    // a program that has DIVS at that pc and make the row consistent with quotient 2^31 (= −2^31 as i32)
    const s = small(0x80000000, 0xffffffff, "REMS");
    const divs = asmProgram([["CONST", 0, 0x80000000], ["CONST", 1, 0xffffffff], ["DIVS", 2, 0, 1], ["EXIT", 2]]);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivS");
    expect([cpu(t, "tq")[r], cpu(t, "sq")[r], cpu(t, "ov")[r]]).toEqual([1, 0, 1]);
    cpu(t, "opcode")[r] = divs.code[8]!;
    cpu(t, "isRem")[r] = 0;
    cpu(t, "isDivS")[r] = 1;
    cpu(t, "res0")[r] = 0;
    cpu(t, "res1")[r] = 0x8000;
    cpu(t, "rs")[r] = 0;
    cpu(t, "y0")[r] = 0;
    cpu(t, "y1")[r] = 0;
    port(t, "v0", 2)[r] = 0;
    port(t, "v1", 2)[r] = 0x8000;
    const res = check(divs, t, s.publics);
    expectFail(res, /divs-no-overflow/);
});
});

describe("VM AIR v4: 64-bit shifts and rotations by a register amount", () => {
  const VALS = [[0x89abcdef, 0x01234567], [0x00000001, 0x80000000], [0xffffffff, 0xffffffff], [0x12345678, 0x7fffffff]];
  const AMOUNTS = [0, 1, 4, 31, 32, 33, 36, 63, 64, 100];
  const program = (): AsmInstr[] => {
    const out: AsmInstr[] = [];
    let dst = 20;
    for (const [lo, hi] of VALS) for (const n of AMOUNTS) {
      out.push(["CONST64", 0, lo!, hi!], ["CONST", 2, n]);
      for (const op of ["SHL64", "SHRU64", "SHRS64", "ROTL64", "ROTR64"] as const) { out.push([op, dst, 0, 2]); dst = dst >= 80 ? 20 : dst + 2; }
      out.push(["SHL64", 4, 0, 0], ["SHRS64", 0, 0, 2]); // the amount is the source's lo slot; in place
    }
    out.push(["EXIT", 21]);
    return out;
  };

  it("every form on 4 values × 10 amounts (0, 31, 32, 63, ≥ 64), in place and with the amount aliased to the source", () => {
    const s = setupProgram(program());
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = () => setupProgram([["CONST64", 0, 0x89abcdef, 0x81234567], ["CONST", 2, 36], ["SHRS64", 4, 0, 2], ["ROTL64", 6, 0, 2], ["EXIT", 5]]);

  it("a SHRS64 filling with zeros instead of sign bits (neg = 0 for a negative value)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fSar64");
    cpu(t, "neg")[r] = 0;
    expectFail(check(s.p, t, s.publics), /shift64-neg-sar|bytes-b64/);
  });

  it("the amount's bit 5 flipped (h = 0 for 36): the amount split", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fRotl64");
    cpu(t, "h64")[r] = 0;
    expectFail(check(s.p, t, s.publics), /shift64-amount/);
  });

  it("the hi row using another multiplier than row 0", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fSh64Hi");
    cpu(t, "W0")[r]! += 1;
    expectFail(check(s.p, t, s.publics), /shift64-carries-w-lo/);
  });

  it("a result hi word that is not the combination of the product words", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fSh64Hi", (i) => cpu(t, "fRotl64")[i - 1] === 1);
    cpu(t, "D0")[r]! ^= 1;
    port(t, "v0", 2)[r]! ^= 1;
    expectFail(check(s.p, t, s.publics), /shift64-rotl-hi0/);
  });
});

describe("VM AIR v4: MUL64", () => {
  const V = [[0, 0], [1, 0], [0xffffffff, 0xffffffff], [0x89abcdef, 0x01234567], [0, 1], [0xffffffff, 0], [0x80000000, 0x7fffffff]];
  const program = (): AsmInstr[] => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const [bl, bh] of V) for (const [cl, ch] of V) {
      out.push(["CONST64", 0, bl!, bh!], ["CONST64", 2, cl!, ch!], ["MUL64", dst, 0, 2]);
      dst = dst >= 60 ? 10 : dst + 2;
    }
    out.push(["MUL64", 4, 0, 0], ["MUL64", 0, 0, 2], ["EXIT", 11]);
    return out;
  };

  it("7 × 7 edge products (carries through both limbs, wrap mod 2^64), squared and in place", () => {
    const s = setupProgram(program());
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("a hi word missing a cross product's carry", () => {
    const s = setupProgram([["CONST64", 0, 0xffffffff, 0xffffffff], ["CONST64", 2, 0xffffffff, 3], ["MUL64", 4, 0, 2], ["EXIT", 5]]);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fMul64");
    cpu(t, "mca")[r]! -= 1;
    expectFail(check(s.p, t, s.publics), /mul64-hi-lo/);
  });

  it("a hi row whose bytes are not the hi words' (so a cross product would change)", () => {
    const s = setupProgram([["CONST64", 0, 5, 7], ["CONST64", 2, 9, 11], ["MUL64", 4, 0, 2], ["EXIT", 5]]);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fMul64Hi");
    cpu(t, "bb0")[r]! += 1;
    expectFail(check(s.p, t, s.publics), /mul64-hi|bytes-b/);
  });
});

describe("VM AIR v4: CLZ, CTZ, POPCNT", () => {
  const V = [0, 1, 0x80, 0x100, 0x8000, 0x10000, 0x00800000, 0x01000000, 0x80000000, 0xffffffff, 0x00f0f000, 0x12345678, 0x7fffffff];
  it("every form on edge values (zero bytes at every position, 0 → 32) satisfies the AIR", () => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const x of V) { out.push(["CONST", 0, x]); for (const op of ["CLZ", "CTZ", "POPCNT"] as const) { out.push([op, dst, 0]); dst = dst >= 60 ? 10 : dst + 1; } }
    out.push(["CONST", 1, 0x00f0f000], ["CLZ", 2, 1], ["EXIT", 2]);
    const s = setupProgram(out);
    expect(s.publics[PUB.exit0]).toBe(8);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("CLZ64 / CTZ64 / POPCNT64 with zero and non-zero halves (0 → 64)", () => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const [lo, hi] of [[0, 0], [1, 0], [0, 1], [0x80000000, 0], [0, 0x80000000], [0xffffffff, 0xffffffff], [0x00f0f000, 0x10]]) {
      out.push(["CONST64", 0, lo!, hi!]);
      for (const op of ["CLZ64", "CTZ64", "POPCNT64"] as const) { out.push([op, dst, 0]); dst = dst >= 60 ? 10 : dst + 2; }
    }
    out.push(["CONST64", 0, 0, 0], ["CLZ64", 2, 0], ["EXIT", 2]);
    const s = setupProgram(out);
    expect(s.publics[PUB.exit0]).toBe(64);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("CLZ64 ignoring that the hi word is zero (adds nothing for the lo word)", () => {
    const s = setupProgram([["CONST64", 0, 0x100, 0], ["CLZ64", 2, 0], ["EXIT", 2]]);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fClz64");
    port(t, "v0", 2)[r] = 32; // the hi word's count alone
    expectFail(check(s.p, t, s.publics), /clz64/);
  });

  const small = () => setupProgram([["CONST", 0, 0x00f0f000], ["CLZ", 1, 0], ["CTZ", 2, 0], ["POPCNT", 3, 0], ["EXIT", 1]]);

  it("CLZ treating a zero top byte as non-zero (the chain stops early)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fClz");
    cpu(t, "cz3")[r] = 0; // the top byte is 0, so z3 = 1 in BYTEPROP
    port(t, "v0", 2)[r] = cpu(t, "cv3")[r]!; // claim CLZ = clz8(0) = 8
    expectFail(check(s.p, t, s.publics), "LogupSumNonZero"); // (kind 0, 0, 8, z = 0) has no BYTEPROP row
  });

  it("CTZ off by one / POPCNT off by one", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    port(t, "v0", 2)[rowWith(t, "fCtz")]! += 1;
    expectFail(check(s.p, t, s.publics), /count-result/);
    const t2 = cloneTraces(s.traces);
    port(t2, "v0", 2)[rowWith(t2, "fPop")]! += 1;
    expectFail(check(s.p, t2, s.publics), /count-result/);
  });
});

describe("VM AIR v4: MEMCOPY (overlap-safe: backwards when dst > src)", () => {
  // image bytes 12..19 = 1..8; copy forwards, backwards over itself, empty, then commit the result
  const COPY: AsmInstr[] = [
    ["CONST", 10, 20], ["CONST", 11, 12], ["CONST", 12, 8], ["MEMCOPY", 10], // [20, 28) = [12, 20)
    ["CONST", 10, 14], ["CONST", 11, 12], ["CONST", 12, 6], ["MEMCOPY", 10], // overlapping, dst > src
    ["CONST", 10, 21], ["CONST", 11, 23], ["CONST", 12, 5], ["MEMCOPY", 10], // overlapping, dst < src
    ["CONST", 12, 0], ["CONST", 10, 65536], ["MEMCOPY", 10], // empty, at the end of memory
    ["CONST", 0, 12], ["CONST", 1, 16], ["COMMIT", 0, 1], ["EXIT", 1],
  ];
  const OPTS = { segments: [{ addr: 12, bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }] };
  const copy = () => setupProgram(COPY, OPTS);

  it("copies like memmove (through a temporary buffer) in both directions, and an empty copy at the end", () => {
    const s = copy();
    const m = new Uint8Array(32);
    m.set([1, 2, 3, 4, 5, 6, 7, 8], 12);
    m.copyWithin(20, 12, 20);
    m.copyWithin(14, 12, 18);
    m.copyWithin(21, 23, 28);
    expect([...s.journal]).toEqual([...m.slice(12, 28)]);
    expect(check(s.p, s.traces, s.publics, s.journal)).toEqual({ ok: true });
  });

  it("a backward copy claimed forwards (dir = 0 with dst > src): the direction check", () => {
    const s = copy();
    const t = cloneTraces(s.traces);
    const h = rowWith(t, "fCopy", (i) => cpu(t, "dir")[i] === 1);
    cpu(t, "dir")[h] = 0;
    expectFail(check(s.p, t, s.publics, s.journal), /copy-direction/);
  });

  it("a write row storing another byte than its read row read", () => {
    const s = copy();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "bCw");
    cpu(t, "fill")[r]! ^= 1;
    expectFail(check(s.p, t, s.publics, s.journal), /copy-byte-carried|copy-write-value/);
  });

  it("a read row without its write row (the pair's second row claimed as a COMMIT row)", () => {
    const s = copy();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "bCw");
    cpu(t, "bCw")[r] = 0;
    expectFail(check(s.p, t, s.publics, s.journal), /copy-write-after-read|byte-count|clk/);
  });

  it("a read row reading the destination instead of the source", () => {
    const s = copy();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "bCr");
    cpu(t, "bq")[r] = cpu(t, "bp")[r]! + 1;
    expectFail(check(s.p, t, s.publics, s.journal), /copy-read-steps-src|byte-address/);
  });
});

describe("VM AIR v4: DIVU64 / REMU64", () => {
  const V: [number, number][] = [[0, 0], [1, 0], [7, 0], [0xffffffff, 0xffffffff], [0, 1], [0x89abcdef, 0x01234567], [0xffffffff, 0], [3, 0x80000000], [1000000007, 0]];
  it("edge pairs (d of one limb, of four, d > n, n = 2^64 − 1): the executor's results satisfy the AIR, 4 cycles each", () => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const [nl, nh] of V) for (const [dl, dh] of V) {
      if (dl === 0 && dh === 0) continue;
      out.push(["CONST64", 0, nl, nh], ["CONST64", 2, dl, dh], ["DIVU64", dst, 0, 2], ["REMU64", dst + 2, 0, 2]);
      dst = dst >= 60 ? 10 : dst + 4;
    }
    out.push(["DIVU64", 0, 0, 0], ["EXIT", 0]);
    const s = setupProgram(out);
    expect(s.publics[PUB.exit0]).toBe(1);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = () => setupProgram([["CONST64", 0, 10, 0], ["CONST64", 2, 2, 0], ["DIVU64", 4, 0, 2], ["EXIT", 4]]);

  it("q + 2^63 for d = 2 (valid mod 2^64, not as an integer): a product byte at or above 2^64", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDiv64Hi");
    cpu(t, "bb3")[r]! += 128; // q's top byte
    port(t, "v1", 2)[r]! += 0x8000;
    expectFail(check(s.p, t, s.publics), /div64-product-fits|div64-identity/);
  });

  it("q − 1 with r + d (r no longer below d)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivU64");
    cpu(t, "bb0")[r]! -= 1;
    cpu(t, "rr0")[r]! += 2;
    port(t, "v0", 2)[r]! -= 1;
    expectFail(check(s.p, t, s.publics), /div64-rem-below-d/);
  });

  it("a division by zero made real: d − r − 1 has no 16-bit limbs", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivU64");
    cpu(t, "cb0")[r] = 0; // claim d = 0 (its byte and C's limb would have to change too)
    expectFail(check(s.p, t, s.publics), /bytes-c|div64|LogupSumNonZero/);
  });
});

describe("VM AIR v4: sign extensions (EXT8S, EXT16S, LOAD8S, LOAD16S)", () => {
  const prog = (): AsmInstr[] => [
    ["CONST", 0, 0x1234f680], ["EXT8S", 1, 0], ["EXT16S", 2, 0], ["CONST", 3, 0x7f7f], ["EXT8S", 4, 3], ["EXT16S", 5, 3],
    ["CONST", 6, 12], ["LOAD8S", 7, 6, 0], ["LOAD8S", 8, 6, 1], ["LOAD16S", 9, 6, 0], ["LOAD16S", 10, 6, 2], ["LOAD8U", 11, 6, 3],
    ["XOR", 12, 1, 7], ["EXIT", 12],
  ];
  const OPTS = { segments: [{ addr: 12, bytes: Uint8Array.of(0x80, 0x7f, 0x01, 0xff) }] };
  it("negative and positive bytes and halves, in registers and in memory", () => {
    const s = setupProgram(prog(), OPTS);
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0); // ext8s(0x80) twice
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  it("EXT8S with the sign of a positive byte flipped (and the result to match): the 7-bit check", () => {
    const s = setupProgram(prog(), OPTS);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fExt8", (i) => cpu(t, "sB")[i] === 0);
    cpu(t, "sB")[r] = 1;
    port(t, "v0", 2)[r]! += 0xff00;
    port(t, "v1", 2)[r] = 0xffff;
    expectFail(check(s.p, t, s.publics), "LogupSumNonZero");
  });

  it("LOAD8S zero-extending a negative byte (sx = 0)", () => {
    const s = setupProgram(prog(), OPTS);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fLdB", (i) => cpu(t, "sx")[i] === 1);
    cpu(t, "sx")[r] = 0;
    expectFail(check(s.p, t, s.publics), /load-sign/);
  });
});

describe("VM AIR v4: DIVS64 / REMS64", () => {
  const V: [number, number][] = [[0, 0], [1, 0], [7, 0], [0xffffffff, 0xffffffff], [0xfffffff9, 0xffffffff], [0, 0x80000000], [0xffffffff, 0x7fffffff], [0, 1], [2, 0], [0x89abcdef, 0xf1234567]];
  it("signs, −2^63, −1, −0 remainders, powers of two: the executor's results satisfy the AIR", () => {
    const out: AsmInstr[] = [];
    let dst = 10;
    for (const [nl, nh] of V) for (const [dl, dh] of V) {
      if (dl === 0 && dh === 0) continue;
      out.push(["CONST64", 0, nl, nh], ["CONST64", 2, dl, dh], ["REMS64", dst + 2, 0, 2]);
      if (!(nl === 0 && nh === 0x80000000 && dl === 0xffffffff && dh === 0xffffffff)) out.push(["DIVS64", dst, 0, 2]);
      dst = dst >= 60 ? 10 : dst + 4;
    }
    out.push(["CONST64", 0, 0xfffffff9, 0xffffffff], ["CONST64", 2, 2, 0], ["DIVS64", 4, 0, 2], ["EXIT", 4]); // −7 / 2 = −3
    const s = setupProgram(out);
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(0xfffffffd);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = () => setupProgram([["CONST64", 0, 0xfffffff6, 0xffffffff], ["CONST64", 2, 3, 0], ["DIVS64", 4, 0, 2], ["REMS64", 6, 0, 2], ["EXIT", 4]]);

  it("a quotient with the wrong sign (sq flipped)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivS64");
    cpu(t, "sq")[r] = 1 - cpu(t, "sq")[r]!;
    expectFail(check(s.p, t, s.publics), /divs64-quotient-sign/);
  });

  it("a remainder with the divisor's sign instead of the dividend's", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivS64", (i) => cpu(t, "isRem")[i] === 1);
    cpu(t, "rs")[r] = 0;
    expectFail(check(s.p, t, s.publics), /divs64-result-sign/);
  });

  it("the sign of n claimed positive on the hi row (so n would be read as 2^64 − 10)", () => {
    const s = small();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fDivS64Hi");
    cpu(t, "sB")[r] = 0;
    expectFail(check(s.p, t, s.publics), /divs64-sign-n-carried/);
  });
});

describe("VM AIR v4: BRTABLE, LOG, EXT8S64/EXT16S64", () => {
  // BRTABLE with index 0, 2 (in range) and 7 (default), LOG of a real range, 64-bit sign extensions
  const prog = (i: number): AsmInstr[] => [
    ["CONST", 0, i], ["BRTABLE", 0, 3], ["JMP", 6], ["JMP", 8], ["JMP", 10], ["JMP", 10],
    /* 6 */ ["CONST", 1, 10], ["JMP", 12], /* 8 */ ["CONST", 1, 20], ["JMP", 12], /* 10 */ ["CONST", 1, 30], ["JMP", 12],
    /* 12 */ ["ADDI", 1, 1, 1],
    ["CONST", 2, 16], ["CONST", 3, 5], ["LOG", 2, 3],
    ["CONST", 4, 0x80], ["EXT8S64", 6, 4], ["EXT16S64", 8, 4], ["XOR", 10, 7, 9], ["ADD", 1, 1, 10],
    ["EXIT", 1],
  ];
  it("every BRTABLE target (in range and the default), LOG, EXT8S64 and EXT16S64 satisfy the AIR", () => {
    for (const [i, exit] of [[0, 10], [1, 20], [2, 30], [7, 30]] as const) {
      const s = setupProgram(prog(i), { segments: [{ addr: 16, bytes: new TextEncoder().encode("hello") }] });
      expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(exit); // + 1, then + (−1 from the sign words)
      expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    }
  });

  it("BRTABLE taking another entry than min(r[a], b)", () => {
    const s = setupProgram(prog(2), { segments: [{ addr: 16, bytes: new TextEncoder().encode("hello") }] });
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fBrt");
    cpu(t, "pc")[r + 1]! += 1; // the next row claims the next JMP (its fetch would follow; the rule fails first)
    expectFail(check(s.p, t, s.publics), /brtable/);
  });

  it("EXT8S64 with a zero hi word for a negative byte", () => {
    const s = setupProgram(prog(0), { segments: [{ addr: 16, bytes: new TextEncoder().encode("hello") }] });
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fExt8", (i) => cpu(t, "ext64")[i] === 1);
    port(t, "v0", 1)[r] = 0;
    expectFail(check(s.p, t, s.publics), /ext64-hi-lo/);
  });
});

describe("VM AIR v4: a bulk head's pointer bound (the 30-bit room check needs pointers < 768 MiB)", () => {
  it("an empty COMMIT at 2^30 − 2^27 + 100 bytes past a 64 KiB memory (the executor traps) is rejected only by the pointer bound", () => {
    // honest run at ptr = 65536 (the end of memory: an empty commit there is fine), relabelled as the same program
    // with the wild pointer; every constraint holds (its room D = p − (ptr − mem) = 2^30 − 99 has 16 + 14-bit
    // limbs), and the lookups are rebalanced, except the pointer's own bound
    const X = 65536 + 2 ** 30 - 2 ** 27 + 100;
    const good = setupProgram([["CONST", 0, 65536], ["CONST", 1, 0], ["COMMIT", 0, 1], ["EXIT", 1]]);
    const bad = asmProgram([["CONST", 0, X], ["CONST", 1, 0], ["COMMIT", 0, 1], ["EXIT", 1]]);
    const t = cloneTraces(good.traces);
    const [x0, x1] = [X & 0xffff, X >>> 16];
    const c = rowWith(t, "fConst");
    cpu(t, "b0")[c] = x0; cpu(t, "b1")[c] = x1;
    port(t, "v0", 2)[c] = x0; port(t, "v1", 2)[c] = x1;
    const h = rowWith(t, "fCommit");
    const [oldB1, oldD0, oldD1] = [port(t, "v1", 0)[h]!, cpu(t, "D0")[h]!, cpu(t, "D1")[h]!];
    for (const f of ["p0", "v0"] as const) port(t, f, 0)[h] = x0;
    for (const f of ["p1", "v1"] as const) port(t, f, 0)[h] = x1;
    cpu(t, "bp")[h] = X - 1;
    const D = P - (X - 65536);
    expect(D).toBe(2 ** 30 - 99);
    cpu(t, "D0")[h] = D & 0xffff; cpu(t, "D1")[h] = D >>> 16;
    const bd = t[TABLE.boundary]!;
    const slot0 = bd[1]!.findIndex((a, i) => a === 0 && bd[0]![i] === 1);
    bd[2]![slot0] = x0; bd[3]![slot0] = x1;
    relook(t, [(oldB1 + 4096) * 4, oldD0, oldD1 * 4], [(x1 + 4096) * 4, D & 0xffff, (D >>> 16) * 4]);
    expect((x1 + 4096) * 4).toBeGreaterThanOrEqual(65536); // the bound's lookup has no row: the one failure
    expect(x1 * 4).toBeLessThan(65536); // while the former bound (ptr < 2^30, x1·4 16-bit) had one
    expect(((D >>> 16) * 4) < 65536).toBe(true); // the old check (ptr < 2^30 and a 30-bit room) would have passed
    expectFail(check(bad, t, good.publics), "LogupSumNonZero");
  });
});

describe("VM AIR v4: FXMUL (Q16.16, round half up, trap unless it fits i32)", () => {
  const Q = (x: number) => Math.round(x * 65536) >>> 0;
  const V = [0, 1, 0xffffffff, Q(1), Q(-1), Q(1.5), Q(-1.5), Q(0.5), Q(-0.5), 0x7fffffff, 0x80000000, Q(181), Q(-181), 0x8000, 0xffff8000, 3, 0xfffffffd];
  it("signs, exact halves (rounding up for negative products too), −2^31 results and near-overflow values satisfy the AIR", () => {
    const out: AsmInstr[] = [];
    let dst = 10;
    let n = 0;
    const fx = (a: number, b: number): number | null => {
      const p = BigInt(a | 0) * BigInt(b | 0) + 32768n;
      const r = p >> 16n;
      return r >= -(2n ** 31n) && r < 2n ** 31n ? Number(r) : null;
    };
    for (const a of V) for (const b2 of V) {
      if (fx(a, b2) === null) continue; // would trap
      out.push(["CONST", 0, a], ["CONST", 1, b2], ["FXMUL", dst, 0, 1]);
      dst = dst >= 60 ? 10 : dst + 1;
      n++;
    }
    out.push(["CONST", 0, Q(-0.5)], ["CONST", 1, 1], ["FXMUL", 2, 0, 1], ["EXIT", 2]);
    const s = setupProgram(out);
    expect(n).toBeGreaterThan(200);
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe(Number(((BigInt(Q(-0.5) | 0) + 32768n) >> 16n) & 0xffffffffn));
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
  });

  const small = (a: number, b: number) => setupProgram([["CONST", 0, a], ["CONST", 1, b], ["FXMUL", 2, 0, 1], ["EXIT", 2]]);

  it("a result rounded down instead of up (ρ one limb too big: its range check)", () => {
    const s = small(Q(1.5), Q(0.5) + 1);
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fFx");
    cpu(t, "rr0")[r]! += 65536;
    cpu(t, "k0")[r] = 0;
    expectFail(check(s.p, t, s.publics), /fx-round|fx-word|LogupSumNonZero/);
  });

  it("2^31 as a positive result (−2^31 · −1.0: the executor traps) breaks only the fits-i32 rule", () => {
    // honest: −2^31 · 1.0 = −2^31 (fits); relabel the factor 1.0 as −1.0 in a program that multiplies by −1.0:
    // same magnitudes and bytes, the signs and the rounding addend change, r[a] = 0x80000000 stays
    const s = small(0x80000000, Q(1));
    const bad = asmProgram([["CONST", 0, 0x80000000], ["CONST", 1, Q(-1)], ["FXMUL", 2, 0, 1], ["EXIT", 2]]);
    const t = cloneTraces(s.traces);
    const [m0, m1] = [Q(-1) & 0xffff, Q(-1) >>> 16];
    const c1 = rowWith(t, "fConst", (i) => cpu(t, "off2")[i] === 1);
    cpu(t, "b0")[c1] = m0; cpu(t, "b1")[c1] = m1;
    port(t, "v0", 2)[c1] = m0; port(t, "v1", 2)[c1] = m1;
    const r = rowWith(t, "fFx");
    for (const f of ["p0", "v0"] as const) port(t, f, 1)[r] = m0;
    for (const f of ["p1", "v1"] as const) port(t, f, 1)[r] = m1;
    cpu(t, "C0")[r] = m0; cpu(t, "C1")[r] = m1;
    const [oldRho, oldC1] = [cpu(t, "rr0")[r]!, 1];
    cpu(t, "sC")[r] = 1; cpu(t, "dx")[r] = 1; cpu(t, "sq")[r] = 0; cpu(t, "rs")[r] = 0;
    cpu(t, "rr0")[r] = 2 ** 15; cpu(t, "y0")[r] = 0; cpu(t, "y1")[r] = 0;
    const bd = t[TABLE.boundary]!;
    const slot1 = bd[1]!.findIndex((x, i) => x === 1 && bd[0]![i] === 1);
    bd[2]![slot1] = m0; bd[3]![slot1] = m1;
    relook(t, [oldRho, 2 * oldC1], [2 ** 15, 2 * (m1 - 0x8000)]);
    expect([port(t, "v0", 2)[r], port(t, "v1", 2)[r], cpu(t, "tq")[r]]).toEqual([0, 0x8000, 1]);
    expectFail(check(bad, t, s.publics), /fx-fits-i32/);
  });
});

describe("VM AIR v4: MEMGROW (the memory size as state; grown pages start zero)", () => {
  // grow by 2 pages, write and read the new memory (a fresh word, and a word read before any write: zero), fail to
  // grow past the maximum (−1), MEMSIZE before and after
  const GROW: AsmInstr[] = [
    ["MEMSIZE", 0], ["CONST", 1, 2], ["MEMGROW", 2, 1], ["MEMSIZE", 3],
    ["CONST", 4, 65536 + 8], ["CONST", 5, 0xabcd1234], ["STORE32", 4, 5, 0], ["LOAD32", 6, 4, 0], ["LOAD32", 7, 4, 65536],
    ["CONST", 8, 4], ["STORE8", 4, 8, 70000], ["LOAD8U", 9, 4, 70000],
    ["CONST", 1, 100], ["MEMGROW", 10, 1], ["MEMSIZE", 11],
    ["ADD", 12, 6, 7], ["ADD", 12, 12, 9], ["ADD", 12, 12, 3], ["ADD", 12, 12, 10], ["EXIT", 12],
  ];
  const grow = () => setupProgram(GROW, { initialPages: 1, maxPages: 4 });

  it("grows, uses the new zero pages, refuses to pass the maximum with −1, and MEMSIZE follows", () => {
    const s = grow();
    // 0xabcd1234 + 0 + 4 + 3 pages + (−1)
    expect(s.publics[PUB.exit0]! + 65536 * s.publics[PUB.exit1]!).toBe((0xabcd1234 + 4 + 3 - 1) >>> 0);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    expect(cpu(s.traces, "msz").reduce((a, x) => Math.max(a, x), 0)).toBe(3);
  });

  it("proves and verifies as a receipt (the maximum is a public input from the image's config)", async () => {
    const p = asmProgram(GROW, { initialPages: 1, maxPages: 4 });
    const r = await proveReceipt(p, new Uint8Array(), { params: FAST_PARAMS });
    expect(verifyReceipt(r.receipt, r.imageId)).toMatchObject({ valid: true, exitCode: (0xabcd1234 + 4 + 3 - 1) | 0 });
  });

  it("a MEMGROW claiming success past the maximum (gok = 1 for 100 pages)", () => {
    const s = grow();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fGrow", (i) => cpu(t, "gok")[i] === 0);
    cpu(t, "gok")[r] = 1;
    expectFail(check(s.p, t, s.publics), /grow-small|grow-fits|grow-result|grow-delta/);
  });

  it("a memory size that changes without MEMGROW", () => {
    const s = grow();
    const t = cloneTraces(s.traces);
    const r = rowWith(t, "fLoad");
    const msz = cpu(t, "msz");
    for (let i = r; i < msz.length; i++) if (cpu(t, "isReal")[i] === 1) msz[i]! += 1;
    expectFail(check(s.p, t, s.publics), /memory-size/);
  });

  it("an initial-memory word posing as grown (to start at zero instead of the image's byte)", () => {
    const data = setupProgram([["CONST", 0, 8], ["LOAD32", 1, 0, 0], ["EXIT", 1]], { initialPages: 1, maxPages: 2, segments: [{ addr: 8, bytes: Uint8Array.of(7, 0, 0, 0) }] });
    const t = cloneTraces(data.traces);
    const bd = t[TABLE.boundary]!;
    const w = bd[1]!.findIndex((a) => a === 2 ** 25 + 2);
    bd[13]![w] = 1; // grown
    expectFail(check(data.p, t, data.publics), /boundary\/grown-above-initial-memory/);
  });
});
