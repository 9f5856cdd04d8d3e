// Random-program differential test: integer-only WASM programs (test/differential-gen.ts) run in our
// compiler + VM and in V8 with the same host functions; exit code, journal and trap kind must agree.
// `npm run fuzz:vm` runs many more seeds.
import { describe, expect, it } from "vitest";
import { generateWat, Rng } from "./differential-gen.ts";
import { runInV8, runInVm, runInWasmEngine, sameOutcome, watToWasm } from "./differential-harness.ts";

const MIN_CYCLES = 200_000; // rows; every instruction is 1–4 rows, so well over 10^5 instructions
const MIN_PROGRAMS = 120;

describe("VM vs V8 on random programs", () => {
  it(`agrees on every program (≥ ${MIN_CYCLES} VM cycles)`, () => {
    let cycles = 0;
    let programs = 0;
    const outcomes: Record<string, number> = {};
    const mismatches: { seed: number; v8: unknown; vm: unknown }[] = [];
    for (let seed = 1; cycles < MIN_CYCLES || programs < MIN_PROGRAMS; seed++) {
      const wasm = watToWasm(generateWat(seed));
      const r = new Rng(seed * 7919);
      const input = new Uint8Array(r.int(2) === 0 ? 0 : r.int(96));
      for (let i = 0; i < input.length; i++) input[i] = r.int(256);
      const v8 = runInV8(wasm, input);
      const vm = runInVm(wasm, input);
      cycles += vm.cycles;
      programs++;
      const key = v8.status === "exit" ? "exit" : v8.kind;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (!sameOutcome(v8, vm)) mismatches.push({ seed, v8, vm: { ...vm } });
    }
    expect(mismatches.map((m) => m.seed)).toEqual([]);
    expect(cycles).toBeGreaterThanOrEqual(MIN_CYCLES);
    // The generator must actually exercise both normal exits and several trap kinds.
    expect(outcomes.exit ?? 0).toBeGreaterThan(programs * 0.6);
    expect(Object.keys(outcomes).filter((k) => k !== "exit").length).toBeGreaterThanOrEqual(3);
    expect(outcomes.HostError).toBeUndefined();
  });

  it("the product's reference engine (vm/wasm-engine, `--engine wasm`) agrees with the VM too", () => {
    const mismatches: number[] = [];
    let traps = 0;
    for (let seed = 10_001; seed <= 10_060; seed++) {
      const wasm = watToWasm(generateWat(seed));
      const input = new Uint8Array([seed & 255, 1, 2, 3]);
      const vm = runInVm(wasm, input);
      const ref = runInWasmEngine(wasm, input);
      if (ref.status === "trap") traps++;
      if (!sameOutcome(vm, ref) || !sameOutcome(ref, runInV8(wasm, input))) mismatches.push(seed);
    }
    expect(mismatches).toEqual([]);
    expect(traps).toBeGreaterThan(0);
  });

  it("detects a mismatch when one engine differs (the comparison can fail)", () => {
    const wasm = watToWasm(generateWat(3));
    const v8 = runInV8(wasm, new Uint8Array(0));
    expect(v8.status).toBe("exit");
    if (v8.status === "exit") {
      const tampered = { ...v8, journal: v8.journal.slice(0, -2) + (v8.journal.endsWith("00") ? "01" : "00") };
      expect(sameOutcome(v8, tampered)).toBe(false);
      expect(sameOutcome(v8, { status: "trap", kind: "Unreachable", message: "" })).toBe(false);
    }
  });
});
