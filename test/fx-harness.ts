// Test harness for the Q16.16 library: compiles guest-sdk/zkvm-guest/fx.ts with the real AssemblyScript
// compiler (asc API, --runtime stub, -O3) together with a small entry that exports every fx function,
// and instantiates it in V8 with the reference implementations of the zkvm intrinsics
// (vm/intrinsics.ts), so the tests exercise exactly the integer code a guest runs.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";
import * as intrinsics from "../vm/intrinsics.ts";
import { VmError, isVmError } from "../vm/errors.ts";

const SDK = fileURLToPath(new URL("../guest-sdk/zkvm-guest/", import.meta.url));

/** The entry module: re-exports fx and wraps what JS cannot call directly (Rng methods, defaults). */
const ENTRY = `
import * as fx from "./fx";
export { fromInt, toInt, toIntRound, add, sub, neg, abs, min, max, relu, addSat, subSat, mulSat,
  div, sqrt, exp, ln, sigmoid, tanh, softmax } from "./fx";
export function argmax(xp: usize, n: i32, sx: i32): i32 { return fx.argmax(xp, n, sx); }
export function mul(a: i32, b: i32): i32 { return fx.mul(a, b); }
export function dot(xp: usize, yp: usize, n: i32, sx: i32, sy: i32): i32 { return fx.dot(xp, yp, n, sx, sy); }
export function dotAcc(xp: usize, yp: usize, n: i32, sx: i32, sy: i32, acc: i64, shift: i32): i32 {
  return fx.dotAcc(xp, yp, n, sx, sy, acc, shift);
}
export function axpy(yp: usize, xp: usize, n: i32, a: i32, sy: i32, sx: i32): void { fx.axpy(yp, xp, n, a, sy, sx); }
let rng = new fx.Rng(0);
export function rngSeed(seed: u64, stream: u64): void { rng = new fx.Rng(seed, stream); }
export function rngNext(): u32 { return rng.nextU32(); }
export function rngUniform(): i32 { return rng.uniform(); }
export function rngBelow(bound: u32): u32 { return rng.below(bound); }
export function rngGaussian(): i32 { return rng.gaussian(); }
export function rngNormal(std: i32): i32 { return rng.normal(std); }
`;

/** The exported functions of the test module (raw Q16.16 values are JS numbers holding i32). */
export interface FxModule {
  memory: WebAssembly.Memory;
  fromInt(n: number): number;
  toInt(x: number): number;
  toIntRound(x: number): number;
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  neg(x: number): number;
  abs(x: number): number;
  min(a: number, b: number): number;
  max(a: number, b: number): number;
  relu(x: number): number;
  addSat(a: number, b: number): number;
  subSat(a: number, b: number): number;
  mulSat(a: number, b: number): number;
  mul(a: number, b: number): number;
  div(a: number, b: number): number;
  sqrt(x: number): number;
  exp(x: number): number;
  ln(x: number): number;
  sigmoid(x: number): number;
  tanh(x: number): number;
  argmax(xp: number, n: number, sx: number): number;
  softmax(xp: number, outp: number, n: number): void;
  dot(xp: number, yp: number, n: number, sx: number, sy: number): number;
  dotAcc(xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number): number;
  axpy(yp: number, xp: number, n: number, a: number, sy: number, sx: number): void;
  rngSeed(seed: bigint, stream: bigint): void;
  rngNext(): number;
  rngUniform(): number;
  rngBelow(bound: number): number;
  rngGaussian(): number;
  rngNormal(std: number): number;
}

/** Byte address of a scratch area the tests may use (above the module's static data and stub heap). */
export const SCRATCH = 1 << 20;
export const SCRATCH_BYTES = 1 << 20;

const ASC_ARGS = ["fx-entry.ts", "--runtime", "stub", "-O3", "--outFile", "fx.wasm"];

/**
 * Compiles the test module. The result is cached on disk under a hash of every source, so the several
 * fx test files (separate vitest workers) pay for one asc run, never for a stale one.
 */
export async function compileFx(): Promise<Uint8Array> {
  const files: Record<string, string> = {
    "fx-entry.ts": ENTRY,
    "fx.ts": readFileSync(SDK + "fx.ts", "utf8"),
    "intrinsics.ts": readFileSync(SDK + "intrinsics.ts", "utf8"),
  };
  const hash = createHash("sha256").update(JSON.stringify([files, ASC_ARGS])).digest("hex").slice(0, 24);
  const dir = join(tmpdir(), "zkvm-fx-test");
  const path = join(dir, `${hash}.wasm`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    // not cached yet
  }
  const wasm = await runAsc(files);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, wasm);
  renameSync(tmp, path); // atomic: a concurrent reader never sees half a file
  return wasm;
}

async function runAsc(files: Record<string, string>): Promise<Uint8Array> {
  const out: Record<string, Uint8Array | string> = {};
  let stderr = "";
  const { error } = await asc.main(
    ASC_ARGS,
    {
      readFile: (name: string) => (name in files ? files[name]! : null),
      writeFile: (name: string, data: Uint8Array | string) => { out[name] = data; },
      listFiles: () => [],
      stdout: { write: () => true } as never,
      stderr: { write: (s: string) => { stderr += s; return true; } } as never,
    },
  );
  const wasm = out["fx.wasm"];
  if (error || !(wasm instanceof Uint8Array)) throw new Error(`asc failed: ${error?.message}\n${stderr}`);
  return wasm;
}

/** Reads an AssemblyScript string (UTF-16, byte length at ptr − 4). */
function readAsString(mem: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const len = new DataView(mem.buffer).getUint32(ptr - 4, true);
  return new TextDecoder("utf-16le").decode(new Uint8Array(mem.buffer, ptr, len));
}

export async function instantiateFx(wasm: Uint8Array): Promise<FxModule> {
  let memory: WebAssembly.Memory | undefined;
  const view = () => new DataView(memory!.buffer);
  const imports = {
    zkvm: {
      fxmul: (a: number, b: number) => intrinsics.fxmul(a, b),
      dot: (xp: number, yp: number, n: number, sx: number, sy: number, acc: bigint, shift: number) =>
        intrinsics.dotBig(view(), xp, yp, n, sx, sy, acc, shift),
      axpy: (yp: number, xp: number, n: number, sy: number, sx: number, a: number, shift: number) =>
        intrinsics.axpy(view(), yp, xp, n, sy, sx, a, shift),
      sha256_compress: (state: number, block: number) => intrinsics.sha256Compress(view(), state, block),
    },
    env: {
      abort: (msg: number, file: number, line: number, col: number) => {
        throw new VmError("Abort", readAsString(memory!, msg), { file: readAsString(memory!, file), line, column: col });
      },
    },
  };
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), imports);
  const ex = instance.exports as unknown as FxModule;
  memory = ex.memory;
  const needPages = (SCRATCH + SCRATCH_BYTES) / 65536 - memory.buffer.byteLength / 65536;
  if (needPages > 0) memory.grow(needPages);
  return ex;
}

/** The kind of the typed error a call raises (V8's own traps mapped to the VM's kinds), or "none". */
export function trapKind(f: () => unknown): string {
  try {
    f();
    return "none";
  } catch (e) {
    if (isVmError(e)) return e.kind;
    const msg = e instanceof Error ? e.message : String(e);
    if (/divi(de|sion) by zero/i.test(msg)) return "DivideByZero";
    if (/unreachable/i.test(msg)) return "Unreachable";
    return `host:${msg}`;
  }
}
