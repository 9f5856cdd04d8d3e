/**
 * Host side of the WASM kernels (prover/kernels/assembly/): loads the module once per thread, owns its linear
 * memory layout, and keeps the twiddle tables. The rest of the prover goes through prover/ntt.ts, prover/lde.ts
 * and prover/merkle.ts; only they touch raw pointers.
 *
 * Memory layout (byte addresses, all 16-byte aligned):
 *   [heapBase, tablesEnd)  forward twiddles for 2^logFwd points, inverse twiddles and one cached coefficient-scale
 *                          table for 2^logInv, all "constant tables" (value + Shoup companion, see
 *                          assembly/ntt.ts), 8 bytes per entry; rebuilt from scratch when a bigger size is needed
 *   [tablesEnd, …)         per-call scratch, reused by every call (calls never nest)
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { inv, mul, rootOfUnity, TWO_ADICITY } from "../../verifier/field.ts";
import { KernelError, invalid } from "./errors.ts";

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  fillPowers(ptr: number, n: number, base: number, start: number): void;
  toConstTable(src: number, tab: number, first: number, n: number): void;
  scale(ptr: number, n: number, c: number): void;
  mulPointwise(ptr: number, tab: number, n: number): void;
  bitReverse(ptr: number, logN: number): void;
  dif(ptr: number, logN: number, tw: number): void;
  dit(ptr: number, logN: number, tw: number, logStart: number): void;
  ldeSpread(src: number, dst: number, logN: number, logB: number, t: number): void;
  addMulPeriodic(dst: number, src: number, n: number, tab: number, logP: number): void;
  dotColumns(cols: number, numCols: number, len: number, w: number, acc: number): void;
  dotFinish(acc: number, numCols: number, out: number): void;
  combineColumns(cols: number, numCols: number, len: number, coeffs: number, acc: number): void;
  combineFinish(acc: number, len: number, out: number): void;
  vecMulBase(out: number, a: number, b: number, n: number): void;
  vecMulExtBase(out: number, e: number, s: number, n: number): void;
  vecMulExt(out: number, a: number, b: number, n: number): void;
  vecAdd(out: number, a: number, b: number, n: number): void;
  vecSub(out: number, a: number, b: number, n: number): void;
  extBatchInvForward(v: number, pre: number, n: number, total: number): void;
  runProgram(prog: number, count: number, n: number, st: number): void;
  transposeToRows(src: number, cols: number, rows: number, dst: number): void;
  extBatchInvBackward(v: number, pre: number, n: number, inv: number): void;
  friGroup(src: number, a: number, m: number, dst: number): void;
  friFold(src: number, m: number, k: number, consts: number, dst: number, work: number): void;
  deepDivide(t: number, q: number, n: number, consts: number, acc: number, carry: number): void;
  extPowers(z: number, n: number, out: number): void;
  baryForward(n: number, consts: number, out: number): void;
  baryBackward(n: number, consts: number, out: number): void;
  scratchBytes(itemBytes: number, saltBytes: number): number;
  hashBatch(
    src: number, stride: number, itemBytes: number, prefix: number, salt: number, saltBytes: number, count: number,
    out: number, scratch: number,
  ): void;
}

/** 2^32 mod p: the kernels' vector Montgomery product mont(a, b·R) = a·b, so constants are passed as b·R. */
const MONT_R = 268435454;
/** x in Montgomery form (x·2^32 mod p), as the kernels take their constant multipliers. */
export function toMont(x: number): number {
  return mul(x, MONT_R);
}

const WASM_PATH = fileURLToPath(new URL("./build/kernels.wasm", import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL("./build.mjs", import.meta.url));
const PAGE = 65536;

function align16(x: number): number {
  return (x + 15) & ~15;
}

let compiled: WebAssembly.Module | undefined;

/** Missing, or older than a kernel source or the build script. */
function isStale(): boolean {
  if (!existsSync(WASM_PATH)) return true;
  const built = statSync(WASM_PATH).mtimeMs;
  const srcDir = fileURLToPath(new URL("./assembly/", import.meta.url));
  if (statSync(BUILD_SCRIPT).mtimeMs > built) return true;
  return readdirSync(srcDir).some((f) => statSync(srcDir + f).mtimeMs > built);
}

function loadModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (isStale()) {
    // `npx vitest run` skips the pretest hook: build on first use, or after the kernel sources changed.
    try {
      execFileSync(process.execPath, [BUILD_SCRIPT], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      throw new KernelError("KernelUnavailable", `could not build ${WASM_PATH}: ${(e as Error).message}`);
    }
  }
  // V8's baseline WASM tier (Liftoff) runs these kernels at about half speed until tier-up happens, so compile
  // them with the optimizing tier straight away. The flag is process-wide (workers share V8's flags; Node refuses
  // it in a worker's execArgv) and only changes speed, never results.
  setFlagsFromString("--no-liftoff");
  compiled = new WebAssembly.Module(readFileSync(WASM_PATH));
  return compiled;
}

/** One instantiated kernel module with its memory plan. Not re-entrant: calls must not interleave. */
export class Kernels {
  readonly x: KernelExports;
  private logFwd = -1;
  private logInv = -1;
  private twFwd = 0;
  private twInv = 0;
  private scaleTab = 0;
  private scaleKey = "";
  private tablesEnd = 0;

  constructor() {
    const inst = new WebAssembly.Instance(loadModule(), { env: { abort: () => { throw new KernelError("InvalidArgument", "kernel abort"); } } });
    this.x = inst.exports as unknown as KernelExports;
    this.tablesEnd = align16(this.x.heapBase());
  }

  get memory(): WebAssembly.Memory {
    return this.x.memory;
  }
  /** Fresh views: any memory growth detaches older ones. */
  u32(): Uint32Array {
    return new Uint32Array(this.x.memory.buffer);
  }
  u8(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer);
  }

  /** Make sure bytes [0, end) exist. */
  ensure(end: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > 4 * 1024 * 1024 * 1024) throw new KernelError("OutOfMemory", `kernel memory of ${end} bytes exceeds wasm32's 4 GiB`);
    try {
      this.x.memory.grow(Math.ceil((end - have) / PAGE));
    } catch (e) {
      throw new KernelError("OutOfMemory", `could not grow kernel memory to ${end} bytes: ${(e as Error).message}`);
    }
  }

  /** Start of the scratch area (valid until the next call that needs bigger tables). */
  scratchBase(): number {
    return this.tablesEnd;
  }

  /**
   * Ensure forward twiddles for NTTs of up to 2^logFwd points and inverse ones (and the coefficient-scale table)
   * for up to 2^logInv; returns [forward, inverse] pointers. Sized apart because an LDE runs its inverse NTT at
   * the trace size and only its forward one at the LDE size: a 2^20 → 2^22 LDE needs 48 MiB of tables, not 96.
   */
  twiddles(logFwd: number, logInv: number = logFwd): [number, number] {
    if (logFwd > this.logFwd || logInv > this.logInv) this.rebuildTables(Math.max(logFwd, this.logFwd, 16), Math.max(logInv, this.logInv, 16));
    return [this.twFwd, this.twInv];
  }

  /**
   * Constant table t[i] = shift^rev(i) · c for i < 2^logN, rev = logN-bit reversal: the per-coefficient factor
   * the LDE applies to the bit-reversed coefficients the inverse DIF leaves behind. Cached for the last key.
   */
  coeffScaleTable(logN: number, shift: number, c: number): number {
    const key = `${logN}:${shift}:${c}`;
    this.twiddles(0, logN);
    if (key !== this.scaleKey) {
      const n = 2 ** logN;
      const tmp = this.tablesEnd; // scratch: plain powers, permuted, then turned into a constant table
      this.ensure(tmp + 4 * n);
      this.x.fillPowers(tmp, n, shift, c);
      this.x.bitReverse(tmp, logN);
      this.x.toConstTable(tmp, this.scaleTab, 0, n);
      this.scaleKey = key;
    }
    return this.scaleTab;
  }

  /**
   * Constant table t[i] = start · base^i for i < n, written in the scratch area at `at` (returns the byte size
   * used, a multiple of 32). For one-off coset factors.
   */
  powersTable(at: number, n: number, base: number, start: number): number {
    const bytes = 32 * Math.ceil(n / 4);
    this.ensure(at + bytes + 4 * n);
    this.x.fillPowers(at + bytes, n, base, start);
    this.x.toConstTable(at + bytes, at, 0, n);
    return bytes;
  }

  private rebuildTables(logFwd: number, logInv: number): void {
    const logMax = Math.max(logFwd, logInv);
    if (logMax > TWO_ADICITY) invalid(`2^${logMax} points exceed BabyBear's two-adicity ${TWO_ADICITY}`);
    const base = align16(this.x.heapBase());
    this.twFwd = base;
    this.twInv = base + 8 * 2 ** logFwd;
    this.scaleTab = this.twInv + 8 * 2 ** logInv;
    this.tablesEnd = this.scaleTab + 8 * 2 ** logInv;
    const tmp = this.tablesEnd;
    this.ensure(tmp + 4 * 2 ** (logMax - 1));
    for (let k = 0; k < logMax; k++) {
      const h = 2 ** k;
      const w = rootOfUnity(k + 1);
      if (k < logFwd) {
        this.x.fillPowers(tmp, h, w, 1);
        this.x.toConstTable(tmp, this.twFwd, h, h);
      }
      if (k < logInv) {
        this.x.fillPowers(tmp, h, inv(w), 1);
        this.x.toConstTable(tmp, this.twInv, h, h);
      }
    }
    this.logFwd = logFwd;
    this.logInv = logInv;
    this.scaleKey = "";
  }
}

let instance: Kernels | undefined;

/** The kernels of this thread (each worker has its own instance and memory). */
export function kernels(): Kernels {
  instance ??= new Kernels();
  return instance;
}
