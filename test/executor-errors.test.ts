// Every guest error kind, provoked by real AssemblyScript guests (asc --runtime stub), run in our VM —
// with the faulting pc mapped back to the guest's source line — and, where the fault is not specific
// to our VM (cycle limit, configured call depth), in V8 with the same host functions: same kind.
import asc from "assemblyscript/asc";
import { describe, expect, it } from "vitest";
import { compileWasm } from "../vm/compiler/index.ts";
import { execute, type ExecuteOptions } from "../vm/executor/index.ts";
import { isVmError, type VmError } from "../vm/errors.ts";
import { runInV8 } from "./differential-harness.ts";

const PRELUDE = `
@external("zkvm", "read") declare function read(ptr: usize, len: usize): void;
@external("zkvm", "input_len") declare function input_len(): i32;
@external("zkvm", "commit") declare function commit(ptr: usize, len: usize): void;
@external("zkvm", "exit") declare function exit(code: i32): void;
@external("zkvm", "fxmul") declare function fxmul(a: i32, b: i32): i32;
@external("zkvm", "dot") declare function dot(xp: usize, yp: usize, n: i32, sx: i32, sy: i32, acc: i64, shift: i32): i32;
`;

interface Built {
  wasm: Uint8Array;
  map: string;
  /** 1-based line of the line marked `// FAULT` in the guest source. */
  faultLine: number;
}

async function buildAs(body: string): Promise<Built> {
  const src = PRELUDE + body;
  const outputs: Record<string, Uint8Array | string> = {};
  const r = await asc.main(["guest.ts", "--outFile", "guest.wasm", "--sourceMap", "--runtime", "stub", "--debug", "--initialMemory", "1"], {
    readFile: (name: string) => (name === "guest.ts" ? src : null),
    writeFile: (name: string, contents: Uint8Array | string) => {
      outputs[name] = contents;
    },
    listFiles: () => [],
  });
  if (r.error) throw new Error(`asc failed: ${r.error.message}\n${r.stderr.toString()}`);
  const faultLine = src.split("\n").findIndex((l) => l.includes("// FAULT")) + 1;
  return { wasm: outputs["guest.wasm"] as Uint8Array, map: String(outputs["guest.wasm.map"]), faultLine };
}

function vmTrap(b: Built, input = new Uint8Array(0), opts: ExecuteOptions = {}): VmError {
  const program = compileWasm(b.wasm, { sourceMap: b.map });
  try {
    execute(program, input, { log: () => {}, ...opts });
  } catch (e) {
    if (isVmError(e)) return e;
    throw e;
  }
  throw new Error("expected the guest to trap");
}

const cases: { kind: string; body: string; input?: number[]; v8?: boolean; opts?: ExecuteOptions }[] = [
  { kind: "Unreachable", body: `export function main(): void {\n  if (input_len() == 0) unreachable(); // FAULT\n}` },
  { kind: "MemoryOutOfBounds", body: `export function main(): void {\n  let p: usize = <usize>0x7ffffff0 + <usize>input_len();\n  let v = load<i32>(p); // FAULT\n  store<i32>(0, v);\n}` },
  { kind: "MemoryOutOfBounds", body: `export function main(): void {\n  let p: usize = <usize>0x10000 - 2 + <usize>input_len();\n  store<i32>(p, 1); // FAULT\n}` },
  { kind: "DivideByZero", body: `export function main(): void {\n  let d = input_len();\n  let q = 100 / d; // FAULT\n  store<i32>(0, q);\n}` },
  { kind: "DivideByZero", body: `export function main(): void {\n  let d = <i64>input_len();\n  let q = <i64>100 % d; // FAULT\n  store<i64>(0, q);\n}` },
  { kind: "DivisionOverflow", body: `export function main(): void {\n  let x = i32.MIN_VALUE + input_len();\n  let y = -1 - input_len();\n  let q = x / y; // FAULT\n  store<i32>(0, q);\n}` },
  { kind: "DivisionOverflow", body: `export function main(): void {\n  let x = i64.MIN_VALUE + <i64>input_len();\n  let y = <i64>-1 - <i64>input_len();\n  let q = x / y; // FAULT\n  store<i64>(0, q);\n}` },
  { kind: "InputExhausted", input: [1, 2, 3, 4], body: `export function main(): void {\n  read(0, 4);\n  read(4, 1); // FAULT\n}` },
  { kind: "Abort", body: `export function main(): void {\n  let x = input_len();\n  assert(x == 6, "x must be six"); // FAULT\n}` },
  { kind: "FixedPointOverflow", body: `export function main(): void {\n  let r = fxmul(0x7fffffff, 0x20000 + input_len()); // FAULT\n  store<i32>(0, r);\n}` },
  { kind: "InvalidOperand", body: `export function main(): void {\n  let r = dot(0, 0, -1 - input_len(), 1, 1, 0, 16); // FAULT\n  store<i32>(0, r);\n}` },
  { kind: "IndirectCallMismatch", body: `export function main(): void {\n  let r = call_indirect<i32>(<u32>(99 + input_len()), 1); // FAULT\n  store<i32>(0, r);\n}` },
  { kind: "CallStackOverflow", body: `function down(n: i32): i32 {\n  return n == 0 ? 0 : down(n + 1) + 1; // FAULT\n}\nexport function main(): void {\n  store<i32>(0, down(1 + input_len()));\n}` },
  { kind: "CycleLimit", v8: false, opts: { maxCycles: 100_000 }, body: `export function main(): void {\n  let i = 0;\n  while (input_len() == 0) { // FAULT\n    i++;\n  }\n  store<i32>(0, i);\n}` },
];

describe("every error kind from a real AssemblyScript guest", () => {
  it.each(cases.map((c, i) => [`${c.kind} #${i}`, c] as const))("%s", async (_name, c) => {
    const b = await buildAs(c.body);
    const input = new Uint8Array(c.input ?? []);
    const e = vmTrap(b, input, c.opts);
    expect(e.kind).toBe(c.kind);
    expect(typeof e.pc).toBe("number");
    expect(e.message.length).toBeGreaterThan(0);
    // The faulting pc maps back to the marked guest line (CycleLimit may stop anywhere in the loop).
    expect(e.source?.file).toMatch(/guest\.ts$/);
    if (c.kind === "CycleLimit") expect(Math.abs(e.source!.line - b.faultLine)).toBeLessThanOrEqual(2);
    else expect(e.source?.line).toBe(b.faultLine);
    const json = e.toJSON();
    expect(json).toMatchObject({ kind: c.kind, pc: e.pc });
    expect(JSON.stringify(json)).not.toMatch(/\n\s+at /); // never a host stack
    if (c.v8 !== false) expect(runInV8(b.wasm, input)).toMatchObject({ status: "trap", kind: c.kind });
  });

  it("Abort carries AssemblyScript's message, file and line", async () => {
    const b = await buildAs(`export function main(): void {\n  let x = input_len();\n  assert(x == 6, "x must be six ✓"); // FAULT\n}`);
    const e = vmTrap(b);
    expect(e.toJSON()).toMatchObject({ kind: "Abort", abortMessage: "x must be six ✓", file: "guest.ts", line: b.faultLine });
    expect(e.message).toContain("x must be six ✓");
  });

  it("a healthy guest exits with its code and journal in both engines; deep recursion of 10,000 frames works", async () => {
    const b = await buildAs(`function depth(n: i32): i32 {\n  return n == 0 ? 0 : depth(n - 1) + 1;\n}\nexport function main(): void {\n  store<i32>(0, depth(10000));\n  commit(0, 4);\n  exit(3);\n}`);
    const r = execute(compileWasm(b.wasm), new Uint8Array(0));
    expect(r.exitCode).toBe(3);
    expect(Buffer.from(r.journal).readInt32LE(0)).toBe(10000);
    expect(runInV8(b.wasm, new Uint8Array(0))).toEqual({ status: "exit", exitCode: 3, journal: Buffer.from(r.journal).toString("hex") });
  });
});
