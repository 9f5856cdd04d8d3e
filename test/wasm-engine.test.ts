// The reference WASM engine: V8 traps map to the VM's error kinds, and I/O behaves exactly as in the VM.

import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, execute, type Image } from "../vm/api.ts";
import { isVmError } from "../vm/errors.ts";
import { executeWasm } from "../vm/wasm-engine/index.ts";
import { wat } from "./compiler-util.ts";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "zkvm-wasm-engine-"));
});

let n = 0;
async function imageOf(body: string, extra = ""): Promise<Image> {
  const text = `(module
    (import "zkvm" "read" (func $read (param i32 i32)))
    (import "zkvm" "input_len" (func $input_len (result i32)))
    (import "zkvm" "commit" (func $commit (param i32 i32)))
    (import "zkvm" "exit" (func $exit (param i32)))
    (import "zkvm" "log" (func $log (param i32 i32)))
    (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
    (memory (export "memory") 1 4)
    (type $v (func))
    (table 2 funcref)
    ${extra}
    (func (export "main") ${body}))`;
  const file = join(tmp, `g${n++}.wasm`);
  writeFileSync(file, wat(text));
  return (await build(file)).image;
}

function kinds(image: Image, input = new Uint8Array()): [string, string] {
  const out: string[] = [];
  for (const engine of ["vm", "wasm"] as const) {
    try {
      const r = execute(image, input, { engine, log: () => {} });
      out.push(`exit ${r.exitCode} ${Buffer.from(r.journal).toString("hex")}`);
    } catch (e) {
      if (!isVmError(e)) throw e;
      out.push(e.kind);
    }
  }
  return [out[0]!, out[1]!];
}

describe("V8 traps → VM error kinds", () => {
  const cases: [string, string, string?][] = [
    ["Unreachable", "unreachable"],
    ["MemoryOutOfBounds", "(drop (i32.load (i32.const 65534)))"],
    ["MemoryOutOfBounds", "(drop (memory.grow (i32.const 1))) (drop (i64.load (i32.const 131068)))"],
    ["DivideByZero", "(drop (i32.div_s (i32.const 1) (i32.const 0)))"],
    ["DivideByZero", "(drop (i64.rem_u (i64.const 1) (i64.const 0)))"],
    ["DivisionOverflow", "(drop (i32.div_s (i32.const 0x80000000) (i32.const -1)))"],
    ["DivisionOverflow", "(drop (i64.div_s (i64.const 0x8000000000000000) (i64.const -1)))"],
    ["IndirectCallMismatch", "(call_indirect (type $v) (i32.const 1))"],
    ["IndirectCallMismatch", "(call_indirect (type $v) (i32.const 7))"],
    ["InputExhausted", "(call $read (i32.const 0) (i32.const 5))"],
    ["MemoryOutOfBounds", "(call $commit (i32.const 65530) (i32.const 10))"],
    ["CallStackOverflow", "(call $rec)", "(func $rec (call $rec))"],
  ];
  for (const [kind, body, extra] of cases) {
    it(`${kind}: ${body}`, async () => {
      expect(kinds(await imageOf(body, extra))).toEqual([kind, kind]);
    });
  }

  it("i32.rem_s INT_MIN % -1 is 0 in both (no trap, as in WASM)", async () => {
    const img = await imageOf("(i32.store (i32.const 0) (i32.rem_s (i32.const 0x80000000) (i32.const -1))) (call $commit (i32.const 0) (i32.const 4))");
    expect(kinds(img)).toEqual(["exit 0 00000000", "exit 0 00000000"]);
  });
});

describe("I/O in the reference engine", () => {
  it("exit code, journal and input are the VM's", async () => {
    const img = await imageOf(`
      (i32.store (i32.const 100) (call $input_len))
      (call $read (i32.const 104) (i32.const 3))
      (call $commit (i32.const 100) (i32.const 7))
      (call $exit (i32.const 7))
      (call $commit (i32.const 100) (i32.const 4))`);
    expect(kinds(img, Uint8Array.of(9, 8, 7, 6))).toEqual(["exit 7 04000000090807", "exit 7 04000000090807"]);
  });

  it("abort reports message, file and line like the VM", async () => {
    // AssemblyScript strings: UTF-16LE with the byte length at ptr − 4.
    const img = await imageOf("(call $abort (i32.const 204) (i32.const 304) (i32.const 12) (i32.const 3))",
      `(data (i32.const 200) "\\04\\00\\00\\00o\\00k\\00") (data (i32.const 300) "\\0c\\00\\00\\00g\\00.\\00t\\00s\\00\\00\\00\\00\\00")`);
    for (const engine of ["vm", "wasm"] as const) {
      try {
        execute(img, new Uint8Array(), { engine });
        expect.unreachable();
      } catch (e) {
        if (!isVmError(e)) throw e;
        expect(e.kind).toBe("Abort");
        expect(e.extra.abortMessage).toBe("ok");
        expect(e.extra.line).toBe(12);
      }
    }
  });

  it("log goes to the sink, not the journal", async () => {
    const img = await imageOf("(call $log (i32.const 400) (i32.const 5))", `(data (i32.const 400) "hello")`);
    const logs: string[] = [];
    const r = executeWasm(img, new Uint8Array(), { log: (m) => logs.push(m) });
    expect(logs).toEqual(["hello"]);
    expect(r.journal.length).toBe(0);
  });

  it("a corrupt embedded module is InvalidImage, not a host error", async () => {
    const img = await imageOf("");
    const broken = { ...img, wasm: img.wasm.slice(0, 20) };
    try {
      executeWasm(broken, new Uint8Array());
      expect.unreachable();
    } catch (e) {
      expect(isVmError(e) && e.kind).toBe("InvalidImage");
    }
  });
});
