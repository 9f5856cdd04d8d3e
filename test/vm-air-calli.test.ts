// VM AIR v4: CALLI (call_indirect) through the public TABLEFN table (docs/vm-air.md §3). Honest runs calling
// through the table (several entries, different save slots, recursion through CALLI, mixed with CALL/RET)
// satisfy the AIR; every forgery below is caught by the rule named (docs/vm-air.md §16); a small CALLI program
// proves and verifies as a receipt, and the table is bound by the image ID.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { asmProgram, type AsmInstr, type AsmProgramOptions } from "../vm/executor/asm.ts";
import { isVmError } from "../vm/errors.ts";
import { buildVmTrace, TABLE, vmAir, VmAirError } from "../vm/air/index.ts";
import { DIGEST_LIMBS, digestLimbs, PUB } from "../vm/air/cpu/columns.ts";
import { prove as proveStark } from "../prover/stark.ts";
import { TABLEFN_COLS, tableFnColumns, tableFnTable } from "../vm/air/tablefn/constraints.ts";
import { configBytes, imageIdBytes, imageIdFromParts, parseConfig, type ImageId } from "../vm/image/image-id.ts";
import { decodeReceipt, encodeReceipt, proveReceipt, verifyReceipt } from "../vm/receipt/index.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { build, execute } from "../vm/api.ts";
import { checkConstraints } from "../prover/air-check.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";
import { airFor, check, cloneTraces, cpu, expectFail, port, rowWith, setupProgram } from "./vm-air-helpers.ts";
import type { FunctionInfo, Program } from "../vm/program.ts";

// Functions (pc, signature, save slot): INC(x) = x + 1, DBL(x) = 2x, REC(n) = n = 0 ? 0 : REC(n − 1) + 2 (calls
// itself through the table), SUB2(a, b) = a − b (two parameters: save slot 2). Signatures: 0 = (i32)->(i32),
// 1 = (i32,i32)->(i32). Table: [INC, null, DBL, REC, SUB2].
const INC = 17, DBL = 19, REC = 21, SUB2 = 29;
const MAIN: AsmInstr[] = [
  ["CONST", 0, 5], ["CONST", 1, 0], ["MOV", 4, 0], ["CALLI", 1, 4, 0], //  3: r4 = INC(5) = 6
  ["CONST", 1, 2], ["CALLI", 1, 4, 0], //                                   5: r4 = DBL(6) = 12
  ["CONST", 1, 3], ["CONST", 8, 3], ["CALLI", 1, 8, 0], //                 8: r8 = REC(3) = 6
  ["ADD", 0, 4, 8], ["CALL", INC, 0, 1], //                                 10: r0 = INC(18) = 19 (direct CALL)
  ["CONST", 1, 4], ["MOV", 12, 0], ["CONST", 13, 7], ["CALLI", 1, 12, 1], // 14: r12 = SUB2(19, 7) = 12
  ["EXIT", 12],
  ["TRAP"],
  ["ADDI", 0, 0, 1], ["RET", 1], //                                         INC = 17
  ["ADD", 0, 0, 0], ["RET", 1], //                                          DBL = 19
  ["BRNZ", 0, 24], ["CONST", 0, 0], ["RET", 1], //                          REC = 21
  ["CONST", 3, 3], ["ADDI", 4, 0, -1], ["CALLI", 3, 4, 0], ["ADDI", 0, 4, 2], ["RET", 1],
  ["SUB", 0, 0, 1], ["RET", 2], //                                          SUB2 = 29
];
const fn = (name: string, pc: number, sig: number, params: number, frameSlots: number): FunctionInfo =>
  ({ name, pc, sig, paramSlots: params, resultSlots: 1, saveSlot: Math.max(params, 1), frameSlots });
const FUNCTIONS = [fn("inc", INC, 0, 1, 3), fn("dbl", DBL, 0, 1, 3), fn("rec", REC, 0, 1, 8), fn("sub2", SUB2, 1, 2, 4)];
const OPTS: AsmProgramOptions = { functions: FUNCTIONS, signatures: ["(i32)->(i32)", "(i32,i32)->(i32)"], table: [0, -1, 1, 2, 3] };
const EXIT_CODE = 12;

/** The same code with other options (another table, another signature of a function). */
const withOpts = (o: Partial<AsmProgramOptions>): Program => asmProgram(MAIN, { ...OPTS, ...o });
/** CALLI rows of a trace, in order. */
const calliRows = (t: Uint32Array[][]): number[] => [...cpu(t, "fCalli").keys()].filter((r) => cpu(t, "fCalli")[r] === 1);

describe("CALLI: honest runs", () => {
  it("calls through several entries, with recursion through the table and a direct CALL in between", () => {
    const s = setupProgram(MAIN, OPTS);
    expect(s.publics[PUB.exit0]).toBe(EXIT_CODE);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    const rows = calliRows(s.traces);
    expect(rows.length).toBe(7); // INC, DBL, REC(3) and its three recursive calls, SUB2
    // the looked-up pcs and save slots
    expect(rows.map((r) => cpu(s.traces, "tpc")[r])).toEqual([INC, DBL, REC, REC, REC, REC, SUB2]);
    expect(rows.map((r) => cpu(s.traces, "sv")[r])).toEqual([1, 1, 1, 1, 1, 1, 2]);
    // TABLEFN multiplicities: INC once, DBL once, REC four times, SUB2 once; the null entry has no row
    const tf = tableFnColumns(s.p, s.p.code.length / 4);
    expect([...tf.rowOf.keys()]).toEqual([0, 2, 3, 4]);
    expect([...s.traces[TABLE.tablefn]![0]!.slice(0, 4)]).toEqual([1, 1, 4, 1]);
    expect(s.traces[TABLE.tablefn]![0]!.length).toBeGreaterThanOrEqual(64);
    // save slot 2: SUB2's return pc at fp' + 2, its caller's fp at fp' + 3 (fp' = fp + 12)
    const r = rows[rows.length - 1]!;
    const fp = cpu(s.traces, "fp")[r]!;
    expect([port(s.traces, "addr", 2)[r], port(s.traces, "addr", 1)[r]]).toEqual([fp + 14, fp + 15]);
    expect([port(s.traces, "v0", 2)[r], port(s.traces, "v0", 1)[r]]).toEqual([15, fp]);
  });

  it("a deep recursion through CALLI (REC(40)) and an empty call_indirect table elsewhere", () => {
    const deep = MAIN.map((ins, pc): AsmInstr => (pc === 7 ? ["CONST", 8, 40] : ins));
    const s = setupProgram(deep, OPTS);
    expect(s.publics[PUB.exit0]).toBe(EXIT_CODE + 74);
    expect(check(s.p, s.traces, s.publics)).toEqual({ ok: true });
    // a program without CALLI and without a table still has its (all-padding) TABLEFN table
    const plain = setupProgram([["CONST", 0, 3], ["EXIT", 0]]);
    expect(check(plain.p, plain.traces, plain.publics)).toEqual({ ok: true });
    expect(plain.traces[TABLE.tablefn]![0]!.every((x) => x === 0)).toBe(true);
  });

  it("the executor traps on a null entry, an index out of range and another signature: no trace", () => {
    const trapAt = (instr: AsmInstr): unknown => {
      const code = MAIN.map((ins, pc): AsmInstr => (pc === 1 ? instr : ins));
      try { buildVmTrace(asmProgram(code, OPTS)); } catch (e) { return e; }
      return undefined;
    };
    for (const idx of [1, 5, 0xffffffff]) {
      const e = trapAt(["CONST", 1, idx]);
      expect(isVmError(e) && e.kind).toBe("IndirectCallMismatch");
    }
    // SUB2 through a signature-0 call site
    const code = MAIN.map((ins, pc): AsmInstr => (pc === 1 ? ["CONST", 1, 4] : ins));
    let err: unknown;
    try { buildVmTrace(asmProgram(code, OPTS)); } catch (e) { err = e; }
    expect(isVmError(err) && err.kind).toBe("IndirectCallMismatch");
  });
});

describe("CALLI: forgeries", () => {
  const honest = () => setupProgram(MAIN, OPTS);

  it("a CALLI jumping to another entry's pc than table[idx] (a whole consistent run of another table)", () => {
    // the run of the same code with entries 0 and 2 swapped calls DBL where this image's table says INC
    const swapped = setupProgram(MAIN, { ...OPTS, table: [1, -1, 0, 2, 3] });
    expect(check(swapped.p, swapped.traces, swapped.publics)).toEqual({ ok: true });
    expectFail(check(honest().p, swapped.traces, swapped.publics), "LogupSumNonZero");
    // in one row: the looked-up pc alone changed (the next row still at the old pc)
    const s = honest();
    const t = cloneTraces(s.traces);
    const r = calliRows(t)[0]!;
    cpu(t, "tpc")[r] = DBL;
    expectFail(check(s.p, t, s.publics), /cpu\/calli-pc/);
  });

  it("a forged signature: a run where entry 0's function has CALLI's signature, against the image where it has not", () => {
    const fake = setupProgram(MAIN, OPTS);
    const realSigs = [fn("inc", INC, 1, 1, 3), ...FUNCTIONS.slice(1)]; // INC is (i32,i32)->(i32) in the image
    const image = withOpts({ functions: realSigs });
    expect(() => buildVmTrace(image)).toThrow(/signature mismatch/);
    expectFail(check(image, fake.traces, fake.publics), "LogupSumNonZero");
  });

  it("a null entry or an index out of range made real: no TABLEFN row, and a padding row cannot stand in", () => {
    const fake = setupProgram(MAIN, OPTS);
    for (const table of [[-1, -1, 1, 2, 3], []]) {
      const image = withOpts({ table });
      expect(() => buildVmTrace(image)).toThrow(/IndirectCallMismatch|table entry 0 is null|out of range/);
      // the forged run's TABLEFN multiplicities put where the image's table has rows
      const t = cloneTraces(fake.traces);
      const tf = tableFnColumns(image, image.code.length / 4);
      const mult = new Uint32Array(tf.height);
      // entries 2, 3, 4 keep their counts; entry 0's call has nowhere to go
      const counts = new Map([[2, 1], [3, 4], [4, 1]]);
      for (const [idx, n] of counts) { const row = tf.rowOf.get(idx); if (row !== undefined) mult[row] = n; }
      t[TABLE.tablefn] = [mult];
      expectFail(check(image, t, fake.publics), "LogupSumNonZero");
      // a padding row (exists = 0) taking the lookup
      const pad = mult.slice();
      pad[tf.height - 1] = 1;
      t[TABLE.tablefn] = [pad];
      expectFail(check(image, t, fake.publics), /tablefn\/padding-not-looked-up/);
    }
  });

  it("an index ≡ a valid one mod p is no valid index: the lookup compares limbs (r[a] = p claims entry 0)", () => {
    // image X: r[1] = p = 0x78000001 before the first CALLI (the executor traps: index out of range). A cheating
    // prover writes p's limbs (1, 0x7800) consistently through every MEM record of slot 1 and keeps the rest of
    // the honest run, in which entry 0 (INC) is called: the field value 1 + 2^16·0x7800 = p ≡ 0, but the tuple
    // (1, 0x7800, INC, …) matches no TABLEFN row, whose index limbs are (0, 0)
    const code = MAIN.map((ins, pc): AsmInstr => (pc === 1 ? ["CONST", 1, 0x78000001] : ins));
    const x = asmProgram(code, OPTS);
    expect(() => buildVmTrace(x)).toThrow(/out of range/);
    const s = honest();
    const t = cloneTraces(s.traces);
    const at = (pc: number): number => cpu(t, "pc").indexOf(pc);
    const [lo, hi] = [1, 0x7800];
    cpu(t, "b0")[at(1)] = lo; cpu(t, "b1")[at(1)] = hi; // the fetched decode of X's CONST
    port(t, "v0", 2)[at(1)] = lo; port(t, "v1", 2)[at(1)] = hi; // its write
    for (const f of ["v0", "p0"] as const) port(t, f, 0)[at(3)] = lo; // the CALLI's read
    for (const f of ["v1", "p1"] as const) port(t, f, 0)[at(3)] = hi;
    port(t, "p0", 2)[at(4)] = lo; port(t, "p1", 2)[at(4)] = hi; // the next write of slot 1 consumes it
    expectFail(check(x, t, s.publics), "LogupSumNonZero");
    // the TABLEFN lookup is the only thing the forgery breaks: a table whose entry 0 had index limbs (1, 0x7800)
    // (what a single field element B0 + 2^16·B1 compared mod p would amount to) accepts it
    const air = airFor(x, t);
    const tf = tableFnColumns(x, code.length);
    const cols = tf.columns.map((c) => c.slice());
    cols[TABLEFN_COLS.idx0]![tf.rowOf.get(0)!] = lo;
    cols[TABLEFN_COLS.idx1]![tf.rowOf.get(0)!] = hi;
    const weak = { ...air, tables: air.tables.map((tb, i) => (i === TABLE.tablefn ? tableFnTable({ ...tf, columns: cols }) : tb)) };
    expect(checkConstraints(weak, t, s.publics)).toEqual({ ok: true });
  });

  it("a wrong save slot: the port addresses, the lookup, and sv on a non-CALLI row", () => {
    const s = honest();
    // sv + 1 alone: the write ports' addresses no longer match
    const t = cloneTraces(s.traces);
    const r = calliRows(t)[0]!;
    cpu(t, "sv")[r]! += 1;
    expectFail(check(s.p, t, s.publics), /cpu\/port[12]-addr/);
    // sv + 1 with the addresses moved too: (idx, pc, sig, save + 1) is no TABLEFN row
    port(t, "addr", 1)[r]! += 1;
    port(t, "addr", 2)[r]! += 1;
    expectFail(check(s.p, t, s.publics), "LogupSumNonZero");
    // a save offset on a CALL row (addresses moved to match): sv is pinned to 0 off CALLI rows
    const t2 = cloneTraces(s.traces);
    const c = rowWith(t2, "fCall");
    cpu(t2, "sv")[c] = 1;
    port(t2, "addr", 1)[c]! += 1;
    port(t2, "addr", 2)[c]! += 1;
    expectFail(check(s.p, t2, s.publics), /cpu\/save-only-on-calli/);
  });

  it("a wrong saved pc or saved fp on a CALLI row", () => {
    const s = honest();
    for (const [k, name] of [[2, /cpu\/call-saves-pc/], [1, /cpu\/call-saves-fp/]] as const) {
      const t = cloneTraces(s.traces);
      const r = calliRows(t)[2]!; // REC(3)
      port(t, "v0", k)[r]! += 1;
      expectFail(check(s.p, t, s.publics), name);
    }
    // a wrong callee fp (fp' ≠ fp + b)
    const t = cloneTraces(s.traces);
    const r = calliRows(t)[0]!;
    cpu(t, "fp")[r + 1]! += 1;
    expectFail(check(s.p, t, s.publics), /cpu\/call-fp$/);
  });
});

describe("CALLI: config parsing (the verifier's view of the table)", () => {
  it("parses configBytes back exactly and rejects malformed ones", () => {
    const p = withOpts({});
    const cfg = configBytes(p);
    const c = parseConfig(cfg)!;
    expect(c).toBeDefined();
    expect([...c.table]).toEqual([0, -1, 1, 2, 3]);
    expect(c.functions.map((f) => [f.pc, f.sig, f.saveSlot])).toEqual([[INC, 0, 1], [DBL, 0, 1], [REC, 0, 1], [SUB2, 1, 2]]);
    expect(c.signatureCount).toBe(2);
    expect([c.instructions, c.entryPc, c.globalSlots]).toEqual([MAIN.length, 0, 0]);
    // truncated, trailing bytes
    expect(parseConfig(cfg.subarray(0, cfg.length - 1))).toBeUndefined();
    expect(parseConfig(Uint8Array.from([...cfg, 0]))).toBeUndefined();
    // a table entry naming no function, a signature id out of range, a function pc outside the code
    expect(parseConfig(configBytes(withOpts({ table: [0, 4] })))).toBeUndefined();
    expect(parseConfig(configBytes(withOpts({ table: [0, -2] })))).toBeUndefined();
    expect(parseConfig(configBytes(withOpts({ functions: [fn("inc", INC, 2, 1, 3)] , table: [0] })))).toBeUndefined();
    expect(parseConfig(configBytes(withOpts({ functions: [fn("inc", MAIN.length, 0, 1, 3)], table: [0] })))).toBeUndefined();
    // a signature that is not UTF-8
    const bad = cfg.slice();
    bad[bad.length - 1] = 0xff;
    expect(parseConfig(bad)).toBeUndefined();
  });

  it("the AIR refuses a table it cannot represent (save slot ≥ 2^24 − 2)", () => {
    const p = withOpts({ functions: [{ ...FUNCTIONS[0]!, saveSlot: 2 ** 24 - 2 }], table: [0] });
    expect(() => tableFnColumns(p, MAIN.length)).toThrow(VmAirError);
  });
});

describe("CALLI: receipts", () => {
  let receipt: Uint8Array;
  let id: ImageId;
  const program = withOpts({});

  beforeAll(async () => {
    const r = await proveReceipt(program, new Uint8Array(), { params: FAST_PARAMS });
    expect(r.exitCode).toBe(EXIT_CODE);
    receipt = r.receipt;
    id = r.imageId;
  }, 120_000);
  afterAll(async () => {
    await closeSharedPool();
  });

  it("a CALLI program proves and verifies", () => {
    expect(verifyReceipt(receipt, id)).toMatchObject({ valid: true, exitCode: EXIT_CODE, dev: false });
  });

  it("a config claiming another table: ImageIdMismatch; relabelled consistently, the proof fails", () => {
    const r0 = decodeReceipt(receipt);
    const other = withOpts({ table: [1, -1, 0, 2, 3] });
    const config = configBytes(other);
    const kind = (b: Uint8Array, pin: string): string => { const v = verifyReceipt(b, pin); return v.valid ? "ACCEPTED" : v.error.kind; };
    expect(kind(encodeReceipt({ ...r0, image: { ...r0.image, configBytes: config } }), id)).toBe("ImageIdMismatch");
    // pinned to the other image (whose table differs): the AIR's TABLEFN columns differ from the proof's
    const otherId = imageIdFromParts(r0.image.code, r0.image.memoryRoot, config).imageId;
    const relabelled = encodeReceipt({ ...r0, image: { ...r0.image, configBytes: config }, statement: { ...r0.statement, imageId: imageIdBytes(otherId) } });
    expect(["OodMismatch", "PublicInputMismatch", "LogupSumNonZero", "MerklePath", "FriFold", "AirMismatch"]).toContain(kind(relabelled, otherId));
    // a config whose table names no function (hashed consistently): Malformed before any proof work
    const badCfg = configBytes(withOpts({ table: [0, 7] }));
    const badId = imageIdFromParts(r0.image.code, r0.image.memoryRoot, badCfg).imageId;
    expect(kind(encodeReceipt({ ...r0, image: { ...r0.image, configBytes: badCfg }, statement: { ...r0.statement, imageId: imageIdBytes(badId) } }), badId)).toBe("Malformed");
  });
  it("a cheating prover's run of another table, proven against this image's AIR: LogupSumNonZero", async () => {
    // entries 0 and 2 swapped: DBL(5) then INC(10), exit code 11, same cycle count; the statement says so, the
    // image ID is this image's — only the TABLEFN lookups are unbalanced
    const swapped = buildVmTrace(withOpts({ table: [1, -1, 0, 2, 3] }));
    const r0 = decodeReceipt(receipt);
    expect([swapped.exitCode, swapped.cycles]).toEqual([11, r0.statement.cycles]);
    const publics = [...swapped.publics];
    publics.splice(PUB.imageId, DIGEST_LIMBS, ...digestLimbs(imageIdBytes(id)));
    const cheat = await proveStark(vmAir(program, swapped.pages), swapped.traces, publics, { params: FAST_PARAMS, check: false, testHooks: { allowInvalidWitness: true } });
    const v = verifyReceipt(encodeReceipt({ ...r0, statement: { ...r0.statement, exitCode: 11 }, proof: cheat.bytes }), id);
    expect(v).toMatchObject({ valid: false, error: { kind: "LogupSumNonZero" } });
  }, 120_000);
});

describe("CALLI: the AssemblyScript sort guest", () => {
  it("its honest trace (CALLI through the table of the comparator) satisfies the AIR; journal = the executor's", async () => {
    const image = (await build(join(import.meta.dirname, "../guests/examples/sort.ts"), {})).image;
    const input = Uint8Array.of(3, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0);
    const t = buildVmTrace(image.program, input);
    expect([...t.journal]).toEqual([...execute(image, input, { log: () => {} }).journal]);
    expect(calliRows(t.traces).length).toBeGreaterThan(0);
    expect(t.traces[TABLE.tablefn]![0]!.reduce((a, x) => a + x, 0)).toBe(calliRows(t.traces).length);
    expect(checkConstraints(vmAir(image.program, t.pages, t.journal), t.traces, t.publics)).toEqual({ ok: true });
  }, 120_000);
});
