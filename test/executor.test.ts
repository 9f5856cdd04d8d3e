// Executor semantics on hand-assembled programs: dispatch coverage, cycle accounting, limits (cycles,
// memory growth, call depth), indirect calls, tracing/replay/snapshots and error shapes.
import { describe, expect, it } from "vitest";
import { ISA, MNEMONIC_BY_OPCODE, type Mnemonic } from "../vm/isa.ts";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { execute, replayWindow, Machine, executeWithCheckpoints, machineAtCheckpoint, type ExecuteOptions } from "../vm/executor/index.ts";
import { isVmError, type VmError } from "../vm/errors.ts";
import type { FunctionInfo, Program } from "../vm/program.ts";

function trapOf(p: Program, input = new Uint8Array(0), opts: ExecuteOptions = {}): VmError {
  try {
    execute(p, input, opts);
  } catch (e) {
    if (isVmError(e)) return e;
    throw e;
  }
  throw new Error("expected a trap");
}

// f(n) = n == 0 ? 0 : f(n - 1) + 1, recursive; entry calls f(r0) and exits with the result.
const F_PC = 3;
const recursiveFn: FunctionInfo = { name: "f", pc: F_PC, sig: 0, paramSlots: 1, resultSlots: 1, saveSlot: 1, frameSlots: 4 };
function recursionProgram(n: number): Program {
  return asmProgram(
    [
      ["CONST", 0, n],
      ["CALL", F_PC, 0, 1],
      ["EXIT", 0],
      ["BRNZ", 0, F_PC + 3],
      ["CONST", 0, 0],
      ["RET", 1],
      ["SUBI", 3, 0, 1],
      ["CALL", F_PC, 3, 1],
      ["ADDI", 0, 3, 1],
      ["RET", 1],
    ],
    { functions: [recursiveFn], signatures: ["(i32)->(i32)"] },
  );
}

describe("dispatch", () => {
  it("implements every opcode of vm/isa.ts", () => {
    for (const m of Object.keys(ISA) as Mnemonic[]) {
      // Zero operands everywhere, then EXIT: whatever happens must not be "invalid opcode".
      const p = asmProgram([[m, 0, 0, 0], ["EXIT", 0]], { initialPages: 1 });
      try {
        execute(p, new Uint8Array(0), { maxCycles: 1000, log: () => {} });
      } catch (e) {
        if (!isVmError(e)) throw e;
        expect(e.message, m).not.toMatch(/invalid opcode/);
      }
    }
  });
  it("traps InvalidInstruction on an unknown opcode and on running off the code", () => {
    const bad = asmProgram([["CONST", 0, 1]]);
    bad.code[0] = 0xee;
    let e = trapOf(bad);
    expect(e.kind).toBe("InvalidInstruction");
    expect(e.pc).toBe(0);
    expect(MNEMONIC_BY_OPCODE[0]).toBeUndefined();
    e = trapOf(asmProgram([["CONST", 0, 1]]));
    expect(e.kind).toBe("InvalidInstruction");
    expect(e.pc).toBe(1);
    expect(trapOf(asmProgram([["RET", 0]])).kind).toBe("InvalidInstruction"); // empty call stack
  });
  it("rejects structurally invalid images before running", () => {
    expect(trapOf(asmProgram([["JMP", 7]])).kind).toBe("InvalidImage");
    expect(trapOf(asmProgram([["GGET", 0, 3], ["EXIT", 0]], { globals: [1] })).kind).toBe("InvalidImage");
    expect(trapOf(asmProgram([["EXIT", 0]], { entryPc: 5 })).kind).toBe("InvalidImage");
    expect(trapOf(asmProgram([["EXIT", 0]], { table: [4] })).kind).toBe("InvalidImage");
  });
});

describe("cycles", () => {
  it("counts base rows from the ISA and per-unit rows of bulk/coprocessor instructions", () => {
    const body: AsmInstr[] = [
      ["CONST", 0, 0], // xp
      ["CONST", 1, 64], // yp
      ["CONST", 2, 5], // n
      ["CONST", 3, 1],
      ["CONST", 4, 1],
      ["CONST64", 5, 0, 0],
      ["CONST", 7, 0],
      ["DOT", 8, 0],
      ["ADD64", 10, 5, 5],
      ["CONST", 12, 3],
      ["READ", 1, 12],
      ["EXIT", 8],
    ];
    const r = execute(asmProgram(body), new Uint8Array([1, 2, 3]));
    const base = body.reduce((acc, [m]) => acc + ISA[m].cycles.rows, 0);
    expect(r.cycles).toBe(base + 5 + 3); // DOT: 1 + n, READ: 1 + len
    expect(ISA.ADD64.cycles.rows).toBe(2);
  });
  it("charges every per-unit instruction of the ISA its units (n or len)", () => {
    // Slots 0..7 hold the arguments; for each instruction the unit count is 5.
    const setups: Partial<Record<Mnemonic, AsmInstr[]>> = {
      MEMCOPY: [["CONST", 0, 100], ["CONST", 1, 200], ["CONST", 2, 5], ["MEMCOPY", 0]],
      MEMFILL: [["CONST", 0, 100], ["CONST", 1, 7], ["CONST", 2, 5], ["MEMFILL", 0]],
      READ: [["CONST", 0, 100], ["CONST", 1, 5], ["READ", 0, 1]],
      COMMIT: [["CONST", 0, 100], ["CONST", 1, 5], ["COMMIT", 0, 1]],
      DOT: [["CONST", 0, 100], ["CONST", 1, 200], ["CONST", 2, 5], ["CONST", 3, 1], ["CONST", 4, 1], ["CONST", 7, 16], ["DOT", 9, 0]],
      AXPY: [["CONST", 0, 100], ["CONST", 1, 200], ["CONST", 2, 5], ["CONST", 3, 1], ["CONST", 4, 1], ["CONST", 5, 3], ["CONST", 6, 16], ["AXPY", 0]],
    };
    const perUnit = (Object.keys(ISA) as Mnemonic[]).filter((m) => (ISA[m].cycles as { perUnit?: string }).perUnit !== undefined);
    expect(perUnit.sort()).toEqual(Object.keys(setups).sort());
    for (const m of perUnit) {
      const body = [...setups[m]!, ["EXIT", 0] as AsmInstr];
      const r = execute(asmProgram(body), new Uint8Array(8));
      const base = body.reduce((acc, [mm]) => acc + ISA[mm].cycles.rows, 0);
      expect(r.cycles, m).toBe(base + 5);
    }
  });
  it("allows exactly maxCycles and traps CycleLimit one below", () => {
    const p = asmProgram([["CONST", 0, 100], ["SUBI", 0, 0, 1], ["BRNZ", 0, 1], ["EXIT", 0]]);
    const { cycles } = execute(p, new Uint8Array(0));
    expect(cycles).toBe(1 + 200 + 1);
    expect(execute(p, new Uint8Array(0), { maxCycles: cycles }).exitCode).toBe(0);
    const e = trapOf(p, new Uint8Array(0), { maxCycles: cycles - 1 });
    expect(e.kind).toBe("CycleLimit");
    expect(e.cycles).toBe(cycles - 1);
    expect(e.pc).toBe(3);
  });
  it("charges per-unit rows against the limit before a long DOT runs", () => {
    const p = asmProgram([
      ["CONST", 2, 1_000_000_000], // n (strides 0: would read the same word forever)
      ["DOT", 8, 0],
      ["EXIT", 8],
    ]);
    const e = trapOf(p, new Uint8Array(0), { maxCycles: 10_000 });
    expect(e.kind).toBe("CycleLimit");
    expect(e.pc).toBe(1);
  });
});

describe("memory", () => {
  it("grows to 256 MiB, bounds-checks against the current size, fails past the maximum", () => {
    const p = asmProgram(
      [
        ["CONST", 0, 4095],
        ["MEMGROW", 1, 0], // r1 = 1 (old size)
        ["MEMSIZE", 2], // 4096 pages
        ["CONST", 3, 256 * 1024 * 1024 - 4],
        ["CONST", 4, 0x12345678],
        ["STORE32", 3, 4, 0], // last word of 256 MiB
        ["LOAD32", 5, 3, 0],
        ["CONST", 0, 1],
        ["MEMGROW", 6, 0], // past max: −1
        ["SUB", 7, 5, 4], // 0 if the round trip worked
        ["ADD", 7, 7, 6], // −1
        ["ADD", 7, 7, 1], // 0
        ["SUBI", 7, 7, 4096],
        ["ADD", 7, 7, 2], // 0
        ["EXIT", 7],
      ],
      { initialPages: 1, maxPages: 4096 },
    );
    expect(execute(p, new Uint8Array(0)).exitCode).toBe(0);
    const oob = asmProgram([["CONST", 3, 65536 - 2], ["LOAD32", 5, 3, 0], ["EXIT", 0]], { initialPages: 1 });
    const e = trapOf(oob);
    expect(e.kind).toBe("MemoryOutOfBounds");
    expect(e.pc).toBe(1);
    // The same access succeeds once memory has grown: the check follows the current size.
    const grown = asmProgram([["CONST", 0, 1], ["MEMGROW", 1, 0], ["CONST", 3, 65536 - 2], ["LOAD32", 5, 3, 0], ["EXIT", 5]], { initialPages: 1 });
    expect(execute(grown, new Uint8Array(0)).exitCode).toBe(0);
    // Offset + address is computed in 33 bits: no wrap-around to a small address.
    const wrap = asmProgram([["CONST", 3, -4], ["LOAD32", 5, 3, 8], ["EXIT", 0]]);
    expect(trapOf(wrap).kind).toBe("MemoryOutOfBounds");
  });
  it("grows page by page in amortised time with new pages zero", () => {
    const p = asmProgram(
      [
        ["CONST", 0, 2000], // counter
        ["CONST", 1, 1],
        ["MEMGROW", 2, 1],
        ["SUBI", 0, 0, 1],
        ["BRNZ", 0, 2],
        ["MEMSIZE", 3],
        ["MULI", 4, 3, 65536],
        ["SUBI", 4, 4, 4],
        ["LOAD32", 5, 4, 0],
        ["ADD", 5, 5, 3],
        ["EXIT", 5],
      ],
      { initialPages: 1, maxPages: 65536 },
    );
    expect(execute(p, new Uint8Array(0)).exitCode).toBe(2001);
  });
});

describe("calls", () => {
  it("supports 10,000 nested frames and traps CallStackOverflow past the limit", () => {
    expect(execute(recursionProgram(10_000), new Uint8Array(0)).exitCode).toBe(10_000);
    expect(execute(recursionProgram(50_000), new Uint8Array(0)).exitCode).toBe(50_000);
    const e = trapOf(recursionProgram(1000), new Uint8Array(0), { maxCallDepth: 100 });
    expect(e.kind).toBe("CallStackOverflow");
    expect(e.pc).toBe(F_PC + 4);
    expect(trapOf(recursionProgram(10_000), new Uint8Array(0), { maxSlots: 20_000 }).kind).toBe("CallStackOverflow");
  });
  it("call_indirect checks range, null entries and signatures", () => {
    const functions: FunctionInfo[] = [recursiveFn];
    const make = (idx: number, sig: number) =>
      asmProgram(
        [
          ["CONST", 0, 7],
          ["CONST", 5, idx],
          ["CALLI", 5, 0, sig],
          ["EXIT", 0],
          ["BRNZ", 0, 7],
          ["CONST", 0, 0],
          ["RET", 1],
          ["SUBI", 3, 0, 1],
          ["CALL", 4, 3, 1],
          ["ADDI", 0, 3, 1],
          ["RET", 1],
        ],
        { functions: [{ ...functions[0]!, pc: 4 }], signatures: ["(i32)->(i32)", "()->()"], table: [0, -1] },
      );
    expect(execute(make(0, 0), new Uint8Array(0)).exitCode).toBe(7);
    for (const [idx, sig, what] of [[1, 0, /null/], [2, 0, /out of range/], [-1, 0, /out of range/], [0, 1, /signature/]] as const) {
      const e = trapOf(make(idx, sig));
      expect(e.kind).toBe("IndirectCallMismatch");
      expect(e.message).toMatch(what);
      expect(e.pc).toBe(2);
    }
  });
});

describe("tracing and replay", () => {
  const loop = asmProgram([
    ["CONST", 0, 50],
    ["CONST", 1, 0],
    ["CONST", 2, 4],
    ["READ", 1, 2], // 4 input bytes into memory[0..4)
    ["LOAD32", 3, 1, 0],
    ["ADD64", 4, 4, 4],
    ["ADD", 3, 3, 0],
    ["SUBI", 0, 0, 1],
    ["BRNZ", 0, 4],
    ["STORE32", 1, 3, 0],
    ["CONST", 2, 4],
    ["COMMIT", 1, 2],
    ["EXIT", 3],
  ]);
  const input = new Uint8Array([1, 0, 0, 0]);

  it("trace mode gives the fast-mode result and sees every instruction once", () => {
    const fast = execute(loop, input);
    const pcs: number[] = [];
    const cyc: number[] = [];
    const traced = execute(loop, input, { trace: { step: (m) => { pcs.push(m.pc); cyc.push(m.cycles); } } });
    expect(traced).toEqual(fast);
    expect(pcs[0]).toBe(0);
    expect(pcs.at(-1)).toBe(12);
    expect(pcs.length).toBe(3 + 1 + 50 * 5 + 4);
    // cycles before each step are strictly increasing and end one instruction before the total
    for (let i = 1; i < cyc.length; i++) expect(cyc[i]!).toBeGreaterThan(cyc[i - 1]!);
    expect(fast.cycles - cyc.at(-1)!).toBe(ISA.EXIT.cycles.rows);
  });

  it("replays a cycle window deterministically, and snapshots resume to the same result", () => {
    const full: [number, number][] = [];
    execute(loop, input, { trace: { step: (m) => full.push([m.pc, m.cycles]) } });
    const win: [number, number][] = [];
    const m = replayWindow(loop, input, 100, 140, { step: (mm) => win.push([mm.pc, mm.cycles]) });
    expect(win.length).toBeGreaterThan(0);
    expect(win[0]![1]).toBeGreaterThanOrEqual(100);
    const start = full.findIndex(([, c]) => c === win[0]![1]);
    expect(full.slice(start, start + win.length)).toEqual(win);
    // Resume from a snapshot taken mid-run: same exit code, cycles and journal as a straight run.
    const snap = m.snapshot();
    const resumed = Machine.restore(loop, input, snap);
    resumed.run();
    const straight = execute(loop, input);
    expect({ exitCode: resumed.exitCode, cycles: resumed.cycles, journal: resumed.io.journal.bytes() }).toEqual(straight);
  });
});

describe("errors", () => {
  it("carry kind, message, pc, cycles and the source line when the program has a source map", () => {
    const p: Program = {
      ...asmProgram([["CONST", 0, 1], ["CONST", 1, 0], ["DIVS", 2, 0, 1], ["EXIT", 2]]),
      sourceMap: { files: ["guest.ts"], pcs: Uint32Array.from([0, 2, 3]), fileIdx: Uint32Array.from([0, 0, 0]), lines: Uint32Array.from([3, 7, 8]) },
    };
    const e = trapOf(p);
    expect(e.toJSON()).toMatchObject({ kind: "DivideByZero", pc: 2, cycles: 2, source: { file: "guest.ts", line: 7 } });
    expect(JSON.stringify(e.toJSON())).not.toMatch(/at .*\.ts:\d+/); // no host stack in the user shape
    // tracing mode (executeStepwise, which the prover's trace builder runs on) throws the same typed error
    const traced = trapOf(p, new Uint8Array(0), { trace: { step: () => {} } });
    expect(traced.toJSON()).toEqual(e.toJSON());
  });
  it("reports abort messages, input exhaustion and fixed-point traps as typed errors", () => {
    // AS strings: u32 byte length at ptr − 4, UTF-16LE payload.
    const msg = "boom ✓";
    const file = "a/b.ts";
    const mem = new Uint8Array(256);
    const put = (ptr: number, s: string) => {
      new DataView(mem.buffer).setUint32(ptr - 4, s.length * 2, true);
      for (let i = 0; i < s.length; i++) new DataView(mem.buffer).setUint16(ptr + 2 * i, s.charCodeAt(i), true);
    };
    put(16, msg);
    put(64, file);
    const abort = asmProgram(
      [["CONST", 0, 16], ["CONST", 1, 64], ["CONST", 2, 12], ["CONST", 3, 5], ["ABORT", 0], ["EXIT", 0]],
      { segments: [{ addr: 0, bytes: mem }] },
    );
    expect(trapOf(abort).toJSON()).toMatchObject({ kind: "Abort", pc: 4, abortMessage: msg, file, line: 12, column: 5 });
    const read = asmProgram([["CONST", 0, 0], ["CONST", 1, 5], ["READ", 0, 1], ["EXIT", 0]]);
    expect(trapOf(read, new Uint8Array(4)).toJSON()).toMatchObject({ kind: "InputExhausted", pc: 2, requested: 5, remaining: 4 });
    const fx = asmProgram([["CONST", 0, 0x7fffffff], ["CONST", 1, 0x20000], ["FXMUL", 2, 0, 1], ["EXIT", 2]]);
    expect(trapOf(fx).toJSON()).toMatchObject({ kind: "FixedPointOverflow", pc: 2 });
    expect(trapOf(asmProgram([["TRAP"]])).kind).toBe("Unreachable");
  });
});

describe("robustness against malformed programs", () => {
  it("a RET whose saved frame pointer was overwritten traps instead of indexing outside the stack", () => {
    // f overwrites its caller-fp save slot (slot 2) with garbage before returning.
    const p = asmProgram(
      [["CALL", 2, 0, 1], ["EXIT", 0], ["CONST", 2, -5], ["RET", 1]],
      { functions: [{ name: "f", pc: 2, sig: 0, paramSlots: 0, resultSlots: 0, saveSlot: 1, frameSlots: 3 }], signatures: ["()->()"] },
    );
    const e = trapOf(p);
    expect(e.kind).toBe("InvalidInstruction");
    expect(e.pc).toBe(3);
  });
  it("a RET to a pc outside the code traps InvalidInstruction", () => {
    const p = asmProgram(
      [["CALL", 2, 0, 1], ["EXIT", 0], ["CONST", 1, 1_000_000], ["RET", 1]],
      { functions: [{ name: "f", pc: 2, sig: 0, paramSlots: 0, resultSlots: 0, saveSlot: 1, frameSlots: 3 }], signatures: ["()->()"] },
    );
    const e = trapOf(p);
    expect(e.kind).toBe("InvalidInstruction");
    expect(e.message).toMatch(/outside the code/);
  });
});

describe("snapshots", () => {
  it("restore a machine whose memory has grown and whose input is partly consumed", () => {
    const p = asmProgram([
      ["CONST", 0, 2],
      ["MEMGROW", 1, 0], // 3 pages now
      ["CONST", 2, 3 * 65536 - 8],
      ["CONST", 3, 4],
      ["READ", 2, 3], // first 4 input bytes at the end of page 3
      ["CONST", 4, 40],
      ["SUBI", 4, 4, 1], // spin a little so the snapshot lands mid-loop
      ["BRNZ", 4, 6],
      ["CONST", 5, 3 * 65536 - 4],
      ["READ", 5, 3], // next 4 bytes
      ["CONST", 3, 8],
      ["COMMIT", 2, 3],
      ["EXIT", 1],
    ], { initialPages: 1, maxPages: 8 });
    const input = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const straight = execute(p, input);
    expect(straight.exitCode).toBe(1);
    expect([...straight.journal]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const m = new Machine(p, input);
    expect(m.run(30)).toBe(false);
    const snap = m.snapshot();
    expect(snap.memory.length).toBe(3 * 65536);
    expect(snap.inputPosition).toBe(4);
    const r = Machine.restore(p, input, snap);
    expect(r.run()).toBe(true);
    expect({ exitCode: r.exitCode, cycles: r.cycles, journal: r.io.journal.bytes() }).toEqual(straight);
    // The original machine continues independently to the same end.
    expect(m.run()).toBe(true);
    expect(m.cycles).toBe(straight.cycles);
  });
  it("a trapped machine keeps its error and rethrows it", () => {
    const m = new Machine(asmProgram([["TRAP"]]), new Uint8Array(0));
    expect(() => m.run()).toThrow();
    expect(m.error?.kind).toBe("Unreachable");
    expect(() => m.run()).toThrow(m.error);
  });
});

describe("incremental checkpoints", () => {
  // Writes a rolling pattern into page 0, grows to 3 pages and touches page 2 half-way, reads input,
  // commits; ~1,600 cycles.
  const p = asmProgram([
    ["CONST", 0, 200], // counter
    ["CONST", 1, 0], // pointer
    ["CONST", 6, 4],
    ["READ", 1, 6], // input[0..4) → M[0..4)
    ["LOAD32", 2, 1, 0], // 4: loop
    ["ADD", 2, 2, 0],
    ["STORE32", 1, 2, 4],
    ["ADDI", 1, 1, 4],
    ["EQI", 3, 0, 100],
    ["BRZ", 3, 13],
    ["CONST", 4, 2],
    ["MEMGROW", 5, 4],
    ["STORE32", 5, 0, 2 * 65536],
    ["SUBI", 0, 0, 1], // 13
    ["BRNZ", 0, 4],
    ["CONST", 6, 64],
    ["COMMIT", 1, 6],
    ["EXIT", 2],
  ], { initialPages: 1, maxPages: 4 });
  const input = new Uint8Array([9, 0, 0, 0, 1]);

  it("records sparse page diffs and any checkpoint resumes to the same end", () => {
    const straight = execute(p, input);
    const run = executeWithCheckpoints(p, input, 100);
    expect({ exitCode: run.exitCode, cycles: run.cycles, journal: run.journal }).toEqual(straight);
    expect(run.checkpoints.length).toBeGreaterThan(10);
    expect(run.checkpoints[0]!.cycles).toBe(0);
    for (let i = 1; i < run.checkpoints.length; i++) {
      const c = run.checkpoints[i]!;
      expect(c.cycles).toBeGreaterThanOrEqual(i * 100);
      expect(c.cycles - i * 100).toBeLessThan(3); // the first boundary at or after i·interval
      for (const page of c.changedPages.keys()) expect([0, 2]).toContain(page); // page 1 never written
    }
    expect(run.checkpoints.some((c) => c.changedPages.has(2))).toBe(true);
    expect(run.checkpoints.at(-1)!.memoryPages).toBe(3);
    for (const k of [0, 1, 5, run.checkpoints.length - 1]) {
      const m = machineAtCheckpoint(p, input, run, k);
      expect(m.cycles).toBe(run.checkpoints[k]!.cycles);
      expect(m.run()).toBe(true);
      expect({ exitCode: m.exitCode, cycles: m.cycles, journal: m.io.journal.bytes() }).toEqual(straight);
    }
  });

  it("tracing from a checkpoint sees the same steps as the full trace", () => {
    const full: [number, number, number][] = [];
    execute(p, input, { trace: { step: (m) => full.push([m.pc, m.cycles, m.slots[m.fp + 2]!]) } });
    const run = executeWithCheckpoints(p, input, 250);
    const k = 3;
    const m = machineAtCheckpoint(p, input, run, k);
    const seen: [number, number, number][] = [];
    while (!m.halted && m.cycles < run.checkpoints[k + 1]!.cycles) {
      seen.push([m.pc, m.cycles, m.slots[m.fp + 2]!]);
      m.run(m.cycles + 1);
    }
    const start = full.findIndex(([, c]) => c === run.checkpoints[k]!.cycles);
    expect(start).toBeGreaterThan(0);
    expect(seen).toEqual(full.slice(start, start + seen.length));
  });
});

describe("robustness: random instruction streams", () => {
  it("either run or fail with a VmError — never a host exception", () => {
    const mnemonics = Object.keys(ISA) as Mnemonic[];
    let seed = 12345;
    const rnd = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const kinds = new Set<string>();
    let exits = 0;
    for (let iter = 0; iter < 3000; iter++) {
      const len = 4 + rnd(20);
      const instrs: AsmInstr[] = [];
      const operand = () => (rnd(10) === 0 ? rnd(2 ** 32) | 0 : rnd(len + 4));
      for (let i = 0; i < len; i++) instrs.push([mnemonics[rnd(mnemonics.length)]!, operand(), operand(), operand()]);
      if (rnd(2) === 0) instrs.push(["EXIT", 0]);
      const p = asmProgram(instrs, {
        globals: [1, 2, 3],
        functions: [{ name: "f", pc: rnd(len), sig: 0, paramSlots: 1, resultSlots: 1, saveSlot: 1, frameSlots: 4 }],
        signatures: ["(i32)->(i32)"],
        table: [0, -1],
        maxPages: 4,
      });
      if (rnd(5) === 0) p.code[rnd(p.code.length)] = rnd(2 ** 32); // raw garbage word
      try {
        execute(p, new Uint8Array([1, 2, 3]), { maxCycles: 5000, maxCallDepth: 200, log: () => {} });
        exits++;
      } catch (e) {
        if (!isVmError(e)) throw e;
        kinds.add(e.kind);
      }
    }
    expect(exits).toBeGreaterThan(10);
    expect(kinds.size).toBeGreaterThanOrEqual(6);
  });
});
