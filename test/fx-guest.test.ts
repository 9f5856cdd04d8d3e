// The fx library inside real guests built by the toolchain (vm/api.ts build + execute): guests/fx-all
// calls every fx function; its journal must be identical in our VM and in the V8 reference engine, and
// every committed result must be the exact / correctly rounded value. guests/fx-all/traps.ts checks
// that failing operations stop both engines with the same typed error, and that the VM's error carries
// the pc and the source line of the failing operation in fx.ts.

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { build, execute, errorInfo, type Image } from "../vm/api.ts";
import * as big from "./fx-bigmath.ts";
import { Pcg32 } from "./fx-rng.ts";

const GUEST = new URL("../guests/fx-all/main.ts", import.meta.url).pathname;
const TRAPS = new URL("../guests/fx-all/traps.ts", import.meta.url).pathname;
const FX_SOURCE = readFileSync(new URL("../guest-sdk/zkvm-guest/fx.ts", import.meta.url), "utf8").split("\n");

let guest: Image;
let traps: Image;
beforeAll(async () => {
  guest = (await build(GUEST)).image;
  traps = (await build(TRAPS)).image;
});

function u32s(...v: number[]): Uint8Array {
  return new Uint8Array(new Uint32Array(v.map((x) => x >>> 0)).buffer);
}

const B = BigInt;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
const clamp = (v: bigint) => (v > B(I32_MAX) ? I32_MAX : v < B(I32_MIN) ? I32_MIN : Number(v));
/** R(n/d) half up on exact rationals, d > 0. */
const roundDiv = (n: bigint, d: bigint) => big.floorDiv(2n * n + d, 2n * d);
const raw = (v: bigint) => Number(big.toRawRounded(v));

/** The exact expected result of each scalar record, by tag (see guests/fx-all/main.ts). */
const EXPECTED: Record<number, [string, (a: number, b: number) => number]> = {
  1: ["fromInt", (a) => a * 65536],
  2: ["toInt", (a) => Math.floor(a / 65536)],
  3: ["toIntRound", (a) => Math.floor(a / 65536 + 0.5)],
  4: ["add", (a, b) => a + b],
  5: ["sub", (a, b) => a - b],
  6: ["neg", (a) => -a | 0],
  7: ["abs", (a) => Math.abs(a)],
  8: ["min", (a, b) => Math.min(a, b)],
  9: ["max", (a, b) => Math.max(a, b)],
  10: ["relu", (a) => Math.max(a, 0)],
  11: ["addSat", (a, b) => clamp(B(a) + B(b))],
  12: ["subSat", (a, b) => clamp(B(a) - B(b))],
  13: ["mulSat", (a, b) => clamp(roundDiv(B(a) * B(b), 65536n))],
  14: ["mul", (a, b) => Number(roundDiv(B(a) * B(b), 65536n))],
  15: ["div", (a, b) => Number(b < 0 ? roundDiv(-B(a) * 65536n, -B(b)) : roundDiv(B(a) * 65536n, B(b)))],
  16: ["sqrt", (a) => Number(big.roundShift(big.isqrtBig(B(a) << (2n * big.FRAC - 16n)) , big.FRAC - 16n))],
  17: ["exp", (a) => raw(big.expBig(big.fromRaw(a)))],
  18: ["ln", (a) => raw(big.lnBig(big.fromRaw(a)))],
  19: ["sigmoid", (a) => raw(big.sigmoidBig(big.fromRaw(a)))],
  20: ["tanh", (a) => raw(big.tanhBig(big.fromRaw(a)))],
};

interface Rec { tag: number; a: number; b: number; r: number }

function records(journal: Uint8Array): Rec[] {
  expect(journal.length % 16).toBe(0);
  const w = new Int32Array(journal.buffer.slice(journal.byteOffset, journal.byteOffset + journal.length));
  const out: Rec[] = [];
  for (let i = 0; i < w.length; i += 4) out.push({ tag: w[i]!, a: w[i + 1]!, b: w[i + 2]!, r: w[i + 3]! });
  return out;
}

describe("guests/fx-all", () => {
  for (const seed of [1, 0xc0ffee]) {
    it(`gives identical journals in the VM and in V8, every result exact (seed ${seed})`, () => {
      const input = u32s(seed);
      const vm = execute(guest, input, { engine: "vm" });
      const wasm = execute(guest, input, { engine: "wasm" });
      expect(vm.exitCode).toBe(0);
      expect(wasm.exitCode).toBe(0);
      expect(Buffer.from(vm.journal).equals(Buffer.from(wasm.journal))).toBe(true);
      const recs = records(vm.journal);
      const seen = new Set<number>();
      for (const { tag, a, b, r } of recs) {
        seen.add(tag);
        const e = EXPECTED[tag];
        if (e === undefined) continue;
        expect(r, `${e[0]}(${a}, ${b})`).toBe(e[1](a, b));
      }
      // Every tag 1..27 appears: every fx function was called.
      for (let t = 1; t <= 27; t++) expect(seen.has(t), `tag ${t}`).toBe(true);
      // Eight Gaussian samples within the Irwin–Hall support [−6, 6), then a raw output and a normal(1/8).
      const rng = recs.filter((x) => x.tag === 27);
      expect(rng.length).toBe(10);
      for (const g of rng.slice(0, 8)) expect(Math.abs(g.r)).toBeLessThanOrEqual(6 * 65536);
      // Softmax outputs of one row sum to 1 within the per-element rounding.
      const sm = recs.filter((x) => x.tag === 26).map((x) => x.r);
      expect(sm.length).toBe(10);
      expect(Math.abs(sm.reduce((s, v) => s + v, 0) - 65536)).toBeLessThanOrEqual(5);
      const arg = recs.find((x) => x.tag === 25)!.r;
      expect(sm[arg]).toBe(Math.max(...sm));
    });
  }

  it("draws its random inputs from the same PCG32 stream as the TypeScript twin", () => {
    // The first random record is fromInt(n) with n = −32768 + below(65536) from Rng(seed).
    const recs = records(execute(guest, u32s(77), { engine: "vm" }).journal);
    const first = recs.find((x) => x.tag === 1)!;
    expect(first.a).toBe(-32768 + new Pcg32(77n).below(65536));
  });
});

/** The 1-based line range of `export function NAME(` in fx.ts, up to the next top-level declaration. */
function functionLines(name: string): [number, number] {
  const start = FX_SOURCE.findIndex((l) => l.startsWith(`export function ${name}(`));
  expect(start, name).toBeGreaterThanOrEqual(0);
  let end = start + 1;
  while (end < FX_SOURCE.length && !FX_SOURCE[end]!.startsWith("}")) end++;
  return [start + 1, end + 1];
}

const TRAP_IDS: Record<string, number> = { fromInt: 1, add: 2, sub: 3, neg: 4, abs: 5, div: 6, exp: 7 };

describe("guests/fx-all/traps.ts", () => {
  const cases: [string, number, number, number, string][] = [
    ["add", 0, I32_MAX, 1, "FixedPointOverflow"],
    ["sub", 1, I32_MIN, 1, "FixedPointOverflow"],
    ["div", 3, I32_MAX, 1 << 15, "FixedPointOverflow"],
    ["div", 3, 65536, 0, "DivideByZero"],
    ["exp", 4, 681392, 0, "FixedPointOverflow"],
    ["fromInt", 5, 32768, 0, "FixedPointOverflow"],
    ["neg", 6, I32_MIN, 0, "FixedPointOverflow"],
    ["abs", 7, I32_MIN, 0, "FixedPointOverflow"],
    ["ln", 8, 0, 0, "Abort"],
    ["sqrt", 9, -5, 0, "Abort"],
  ];
  for (const [fn, op, a, b, kind] of cases) {
    it(`${fn}(${a}, ${b}) stops both engines with ${kind}, the VM at fx.ts's ${fn}`, () => {
      const input = u32s(op, a, b);
      const errors = (["vm", "wasm"] as const).map((engine) => {
        try {
          execute(traps, input, { engine });
        } catch (e) {
          const info = errorInfo(e);
          expect(info, String(e)).toBeDefined();
          return info!;
        }
        throw new Error(`${engine}: ${fn} did not trap`);
      });
      const vm: Record<string, unknown> = errors[0]!;
      const wasm: Record<string, unknown> = errors[1]!;
      expect(vm.kind).toBe(kind);
      expect(wasm.kind).toBe(kind);
      expect(typeof vm.pc).toBe("number");
      const file = (vm.pcFile ?? vm.file) as string;
      const line = (vm.pcLine ?? vm.line) as number;
      expect(file).toMatch(/zkvm-guest\/fx\.ts$/);
      const [lo, hi] = functionLines(fn);
      expect(line).toBeGreaterThanOrEqual(lo);
      expect(line).toBeLessThanOrEqual(hi);
      // Software overflow checks name themselves in the fxmul operand: 65536 + id (docs/fixed-point.md).
      const id = TRAP_IDS[fn];
      if (kind === "FixedPointOverflow") {
        expect(vm.message).toContain(`2147483647 * ${65536 + id!}`);
        expect(wasm.message).toBe(vm.message);
      }
    });
  }

  it("mul, dot and axpy overflow trap inside their instructions with the same kind in both engines", () => {
    for (const [op, a, b] of [[2, 1 << 24, 1 << 24], [10, I32_MAX, I32_MAX], [11, I32_MAX, 1]] as const) {
      for (const engine of ["vm", "wasm"] as const) {
        let kind = "none";
        try {
          execute(traps, u32s(op, a, b), { engine });
        } catch (e) {
          kind = String(errorInfo(e)?.kind);
        }
        expect(kind, `op ${op} on ${engine}`).toBe("FixedPointOverflow");
      }
    }
    // In range, the same guest succeeds and commits the result.
    expect(Array.from(execute(traps, u32s(0, 1, 2), { engine: "vm" }).journal)).toEqual([3, 0, 0, 0]);
  });
});
