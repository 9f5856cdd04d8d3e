// Shared helpers of the VM AIR tests: honest traces of asm programs, column access, and assertions on the
// row-by-row constraint check.
import { expect } from "vitest";
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import { buildVmTrace, initPagesOf, touchedPages, vmAir, TABLE } from "../vm/air/index.ts";
import { cpuCol, portCol } from "../vm/air/cpu/columns.ts";
import { BOUNDARY_COLS } from "../vm/air/boundary/constraints.ts";
import { TREE_PAGES_PER_WASM_PAGE } from "../vm/air/memory-pages.ts";
import { checkConstraints, type CheckResult } from "../prover/air-check.ts";
import type { Program } from "../vm/program.ts";
import { prove as proveStark } from "../prover/stark.ts";
import { verify as verifyStark } from "../verifier/stark.ts";
import { FAST_PARAMS } from "./receipt-helpers.ts";

export interface Setup { p: Program; traces: Uint32Array[][]; publics: number[]; journal: Uint8Array }

export function setupProgram(instrs: AsmInstr[], opts: Parameters<typeof asmProgram>[1] = {}, input: Uint8Array = new Uint8Array(0)): Setup {
  const p = asmProgram(instrs, opts);
  const t = buildVmTrace(p, input);
  return { p, traces: t.traces, publics: t.publics, journal: t.journal };
}
/** The AIR of a (possibly forged) trace: the memory pages its BOUNDARY rows claim are opened from the image,
 *  as a cheating prover would choose them. */
export const airFor = (p: Program, traces: Uint32Array[][], journal?: Uint8Array) =>
  vmAir(p, initPagesOf(p, touchedPages(traces[TABLE.boundary]![BOUNDARY_COLS.addr]!).filter((i) => i < p.memory.initialPages * TREE_PAGES_PER_WASM_PAGE)), journal);
export const check = (p: Program, traces: Uint32Array[][], publics: number[], journal?: Uint8Array): CheckResult => checkConstraints(airFor(p, traces, journal), traces, publics);
export const cpu = (traces: Uint32Array[][], name: string): Uint32Array => traces[TABLE.cpu]![cpuCol(name)]!;
export const port = (traces: Uint32Array[][], f: Parameters<typeof portCol>[0], k: number): Uint32Array => traces[TABLE.cpu]![portCol(f, k)]!;
/** First CPU row with the given flag column set (and optional predicate). */
export function rowWith(traces: Uint32Array[][], flag: string, pred: (r: number) => boolean = () => true): number {
  const f = cpu(traces, flag);
  for (let r = 0; r < f.length; r++) if (f[r] === 1 && pred(r)) return r;
  throw new Error(`no ${flag} row`);
}
export function expectFail(res: CheckResult, constraint: RegExp | "LogupSumNonZero"): void {
  expect(res.ok).toBe(false);
  if (res.ok) return;
  if (constraint === "LogupSumNonZero") expect(res.kind).toBe("LogupSumNonZero");
  else {
    expect(res.kind).toBe("ConstraintFailed");
    if (res.kind === "ConstraintFailed") expect(res.constraint).toMatch(constraint);
  }
}
/** A deep copy of every table's columns. */
export const cloneTraces = (traces: Uint32Array[][]): Uint32Array[][] => traces.map((t) => t.map((c) => c.slice()));

/** A small seeded PRNG (mulberry32): uniform floats in [0, 1), the same sequence for the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Proves a forged trace anyway (the prover's checks off) and returns the STARK verifier's error kind (or "ok"). */
export async function starkVerdictOfForgery(p: Program, traces: Uint32Array[][], publics: number[], journal?: Uint8Array): Promise<string> {
  const air = airFor(p, traces, journal);
  const res = await proveStark(air, traces, publics, { params: FAST_PARAMS, check: false, testHooks: { allowInvalidWitness: true } });
  const v = verifyStark(air, res.bytes, publics, { params: FAST_PARAMS });
  return v.ok ? "ok" : v.error.kind;
}
