// The example guests (guests/examples/), built with the real toolchain and run in both engines: each
// journal is compared with an independent TypeScript computation and between the VM and V8.

import { beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, execute, type Image } from "../vm/api.ts";
import { isVmError, type VmError } from "../vm/errors.ts";

const EX = join(import.meta.dirname, "../guests/examples");
const M64 = (1n << 64n) - 1n;

const u32s = (...v: number[]): Uint8Array => {
  const b = new Uint8Array(4 * v.length);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setUint32(4 * i, x, true));
  return b;
};
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const u64le = (v: bigint): Uint8Array => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v & M64, true); return b; };
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Runs in both engines, checks they agree, returns the VM result. */
function runBoth(image: Image, input: Uint8Array) {
  const vm = execute(image, input, { engine: "vm", log: () => {} });
  const wasm = execute(image, input, { engine: "wasm", log: () => {} });
  expect(wasm.exitCode).toBe(vm.exitCode);
  expect(hex(wasm.journal)).toBe(hex(vm.journal));
  return vm;
}

function faultBoth(image: Image, input: Uint8Array, opts: { maxCycles?: number } = {}): [VmError, VmError] {
  const errs: VmError[] = [];
  for (const engine of ["vm", "wasm"] as const) {
    try {
      execute(image, input, { engine, log: () => {}, ...opts });
      expect.unreachable(`${engine} engine did not fault`);
    } catch (e) {
      if (!isVmError(e)) throw e;
      errs.push(e);
    }
  }
  return [errs[0]!, errs[1]!];
}

const cycles: Record<string, number> = {};
const images: Record<string, Image> = {};
let blob: Uint8Array;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "zkvm-guests-"));
  blob = new Uint8Array(100_003).map((_, i) => (i * 7919 + (i >> 5)) & 0xff);
  writeFileSync(join(dir, "blob.bin"), blob);
  for (const name of ["fib", "sha256", "sort", "i64-math", "data-blob", "input"]) {
    const data = name === "data-blob" ? [{ name: "blob", file: join(dir, "blob.bin") }] : [];
    images[name] = (await build(join(EX, `${name}.ts`), { data })).image;
  }
});

describe("example guests, VM vs V8 vs TypeScript", () => {
  it("fib", () => {
    const fib = (n: number) => { let a = 0n, b = 1n; for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & M64]; return a; };
    for (const n of [0, 1, 2, 93, 1000]) {
      const r = runBoth(images.fib!, u32s(n));
      expect(hex(r.journal)).toBe(hex(cat(u32s(n), u64le(fib(n)))));
      if (n === 1000) cycles.fib = r.cycles!;
    }
    // No input: the default n = 1000.
    expect(hex(runBoth(images.fib!, new Uint8Array()).journal)).toBe(hex(cat(u32s(1000), u64le(fib(1000)))));
  });

  it("sha256 matches node:crypto, including padding edge lengths", () => {
    for (const len of [0, 3, 55, 56, 63, 64, 65, 1000]) {
      const msg = new Uint8Array(len).map((_, i) => (i * 31 + 7) & 0xff);
      const r = runBoth(images.sha256!, msg);
      expect(hex(r.journal)).toBe(createHash("sha256").update(msg).digest("hex"));
      if (len === 1000) cycles.sha256 = r.cycles!;
    }
  });

  it("sort", () => {
    let s = 99;
    const vals = Array.from({ length: 200 }, () => (s = (s * 1664525 + 1013904223) >>> 0));
    vals.push(0, 0xffffffff, vals[3]!);
    const r = runBoth(images.sort!, u32s(vals.length, ...vals));
    expect(hex(r.journal)).toBe(hex(u32s(vals.length, ...[...vals].sort((a, b) => a - b))));
    cycles.sort = r.cycles!;
    expect(hex(runBoth(images.sort!, u32s(0)).journal)).toBe(hex(u32s(0)));
  });

  it("i64 math", () => {
    const signed = (x: bigint) => BigInt.asIntN(64, x);
    const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (64n - k))) & M64;
    const rotr = (x: bigint, k: bigint) => ((x >> k) | (x << (64n - k))) & M64;
    const powmod = (b: bigint, e: bigint, m: bigint) => { let r = 1n % m; b %= m; while (e) { if (e & 1n) r = (r * b) % m; b = (b * b) % m; e >>= 1n; } return r; };
    const gcd = (a: bigint, b: bigint) => { while (b) [a, b] = [b, a % b]; return a; };
    const clz = (x: bigint) => 64 - x.toString(2).length + (x === 0n ? 1 : 0);
    const ctz = (x: bigint) => { let n = 0; while (((x >> BigInt(n)) & 1n) === 0n) n++; return n; };
    const popcnt = (x: bigint) => [...x.toString(2)].filter((c) => c === "1").length;
    const twin = (seed: bigint, rounds: number) => {
      let x = seed;
      let digest = 0xcbf29ce484222325n;
      const P = 0xffffffff00000001n;
      for (let i = 0; i < rounds; i++) {
        x = (x * 6364136223846793005n + 1442695040888963407n) & M64;
        const s = signed(x);
        const d = (x >> 7n) | 1n;
        const q = s / d;
        const r = s % d;
        const u = x / ((x >> 33n) | 1n);
        const v = powmod(x, BigInt(i + 3), P);
        const g = gcd(x | 1n, (x >> 17n) | 1n);
        const bits = BigInt(clz(x) + ctz(x | (1n << 63n)) + popcnt(x));
        digest ^= rotl(q & M64, 13n) ^ (r & M64) ^ rotr(u, 7n) ^ v ^ g ^ bits;
        digest = (digest * 0x100000001b3n) & M64;
        digest = (digest + ((BigInt.asIntN(32, x) >> 3n) & M64) + (BigInt.asIntN(8, x) & M64) + (BigInt.asIntN(16, x) & M64)) & M64;
      }
      return digest;
    };
    for (const [seed, rounds] of [[0x0102030405060708n, 40], [M64, 3], [0n, 1]] as const) {
      const r = runBoth(images["i64-math"]!, cat(u64le(seed), u32s(rounds)));
      expect(hex(r.journal)).toBe(hex(u64le(twin(seed, rounds))));
      if (rounds === 40) cycles["i64-math"] = r.cycles!;
    }
  });

  it("embedded data blob read in place through dataPtr/dataLen", () => {
    let sum = 0;
    let h = 0x811c9dc5;
    for (const b of blob) { sum = (sum + b) >>> 0; h = Math.imul(h ^ b, 0x01000193) >>> 0; }
    const r = runBoth(images["data-blob"]!, u32s(12345));
    expect(hex(r.journal)).toBe(hex(u32s(blob.length, sum, h, blob[12345]!)));
    cycles["data-blob"] = r.cycles!;
    expect(hex(runBoth(images["data-blob"]!, new Uint8Array()).journal)).toBe(hex(u32s(blob.length, sum, h, 0xffffffff)));
  });

  it("input reading", () => {
    const r = runBoth(images.input!, cat(u32s(5), Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(9, 9)));
    expect(hex(r.journal)).toBe(hex(cat(u32s(5), Uint8Array.of(5, 4, 3, 2, 1), u32s(2))));
    cycles.input = r.cycles!;
  });

  it("reports per-guest cycles", () => {
    // Printed for the record (docs/cli.md quotes them); each must be a real, positive count.
    console.log("example guest cycles:", JSON.stringify(cycles));
    for (const k of ["fib", "sha256", "sort", "i64-math", "data-blob", "input"]) expect(cycles[k]).toBeGreaterThan(0);
  });
});

describe("guest faults are the same typed error in both engines", () => {
  it("InputExhausted", () => {
    const [vm, wasm] = faultBoth(images.input!, cat(u32s(10), Uint8Array.of(1, 2, 3)));
    expect(vm.kind).toBe("InputExhausted");
    expect(wasm.kind).toBe("InputExhausted");
  });

  it("Abort from a failed assert carries message, file and line", () => {
    const src = readFileSync(join(EX, "data-blob.ts"), "utf8").split("\n");
    const assertLine = src.findIndex((l) => l.includes("assert(at < n")) + 1;
    const [vm, wasm] = faultBoth(images["data-blob"]!, u32s(blob.length));
    for (const e of [vm, wasm]) {
      expect(e.kind).toBe("Abort");
      expect(e.extra.abortMessage).toBe("offset outside the blob");
      expect(e.extra.file).toMatch(/data-blob\.ts$/);
      expect(e.extra.line).toBe(assertLine);
    }
    expect(vm.pc).toBeTypeOf("number");
  });

  it("CycleLimit in the VM", () => {
    try {
      execute(images.fib!, u32s(100000), { maxCycles: 5000 });
      expect.unreachable();
    } catch (e) {
      expect(isVmError(e) && e.kind).toBe("CycleLimit");
    }
  });
});
