// `buildGuest`: SDK resolution from anywhere on disk, reproducible image IDs, typed build errors, data
// segments (AssemblyScript and plain .wasm guests), and a 47 MB data file.

import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, execute, serializeImage, type Image } from "../vm/api.ts";
import { BuildError, DATA_DIRECTORY, parseDataSpec } from "../vm/build/index.ts";
import { CompileError } from "../vm/compiler/errors.ts";
import { isVmError } from "../vm/errors.ts";
import { wat } from "./compiler-util.ts";

const EX = join(import.meta.dirname, "../guests/examples");
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "zkvm-build-"));
});

function write(rel: string, text: string | Uint8Array): string {
  const p = join(tmp, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function buildError(p: Promise<unknown>): Promise<BuildError | CompileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BuildError || e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("build succeeded unexpectedly");
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };

function run(image: Image, input = new Uint8Array()) {
  const vm = execute(image, input, { log: () => {} });
  const wasm = execute(image, input, { engine: "wasm", log: () => {} });
  expect(hex(wasm.journal)).toBe(hex(vm.journal));
  expect(wasm.exitCode).toBe(vm.exitCode);
  return vm;
}

describe("reproducible builds", () => {
  it("same sources give the same image, byte for byte, from any directory", async () => {
    const a = await build(join(EX, "fib.ts"));
    const b = await build(join(EX, "fib.ts"));
    const elsewhere = join(tmp, "deep/er/project");
    mkdirSync(elsewhere, { recursive: true });
    copyFileSync(join(EX, "fib.ts"), join(elsewhere, "fib.ts"));
    const c = await build(join(elsewhere, "fib.ts"));
    expect(b.imageId).toBe(a.imageId);
    expect(c.imageId).toBe(a.imageId);
    expect(hex(serializeImage(c.image))).toBe(hex(serializeImage(a.image)));
    // Source-map paths are relative to the guest's folder.
    expect(a.image.program.sourceMap!.files).toContain("fib.ts");
    expect(a.image.program.sourceMap!.files.every((f) => !f.startsWith("/"))).toBe(true);
  });

  it("a changed source changes the ID", async () => {
    const src = write("variant/fib.ts", (await import("node:fs")).readFileSync(join(EX, "fib.ts"), "utf8").replace(": 1000;", ": 999;"));
    const a = await build(join(EX, "fib.ts"));
    const b = await build(src);
    expect(b.imageId).not.toBe(a.imageId);
  });
});

describe("typed build errors", () => {
  it("missing guest, unsupported file type, missing data file", async () => {
    expect((await buildError(build(join(tmp, "nope.ts")))).kind).toBe("FileNotFound");
    expect((await buildError(build(write("x.js", "")))).kind).toBe("UnsupportedInput");
    expect((await buildError(build(join(EX, "fib.ts"), { data: [{ name: "d", file: join(tmp, "missing.bin") }] }))).kind).toBe("FileNotFound");
  });

  it("bad --data specs and names", async () => {
    for (const bad of ["x", "=f", "x=", "a b=f", "é=f", "@directory=f"]) {
      expect(() => parseDataSpec(bad), bad).toThrow(BuildError);
    }
    expect(parseDataSpec("train-images=/a/b=c.bin")).toEqual({ name: "train-images", file: "/a/b=c.bin" });
    const dup = await buildError(build(join(EX, "fib.ts"), { data: [{ name: "a", bytes: new Uint8Array(1) }, { name: "a", bytes: new Uint8Array(1) }] }));
    expect(dup.kind).toBe("InvalidDataSpec");
  });

  it("an AssemblyScript error is AscError with asc's diagnostics", async () => {
    const e = await buildError(build(write("bad/guest.ts", "export function main(): void {\n  let x: i32 = undefinedThing;\n}\n")));
    expect(e.kind).toBe("AscError");
    expect(e.message).toMatch(/undefinedThing/);
    expect((e as BuildError).detail).toMatch(/guest\.ts/);
  });

  it("floats are rejected with the guest source line", async () => {
    const e = await buildError(build(write("float/guest.ts", 'import { commitU32, readU32 } from "zkvm-guest";\nexport function main(): void {\n  const x = <f64>readU32();\n  commitU32(<u32>(x * 1.5));\n}\n')));
    expect(e.kind).toBe("FloatNotAllowed");
    expect((e as CompileError).file).toBe("guest.ts");
    expect([3, 4]).toContain((e as CompileError).line);
  });
});

describe("SDK I/O", () => {
  it("exit(code) halts at once; log goes to the sink, not the journal; readU64/commitU64 round-trip", async () => {
    const guest = write("sdk/guest.ts", `import { commitU32, commitU64, exit, inputLen, log, readU64 } from "zkvm-guest";
export function main(): void {
  const v = readU64();
  log("left " + inputLen().toString());
  commitU64(v + 1);
  exit(3);
  commitU32(2);
}
`);
    const { image } = await build(guest);
    const input = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 9);
    for (const engine of ["vm", "wasm"] as const) {
      const logs: string[] = [];
      const r = execute(image, input, { engine, log: (m) => logs.push(m) });
      expect(r.exitCode).toBe(3);
      expect(hex(r.journal)).toBe("0000000002000000");
      expect(logs).toEqual(["left 1"]);
    }
  });
});

describe("data segments", () => {
  it("several segments, an empty one, and a missing name", async () => {
    const guest = write("multi/guest.ts", `import { commitU32, dataLen, dataPtr, hasData } from "zkvm-guest";
export function main(): void {
  commitU32(<u32>dataLen("first"));
  commitU32(<u32>load<u8>(dataPtr("first") + 2));
  commitU32(<u32>dataLen("second.bin"));
  commitU32(<u32>load<u32>(dataPtr("second.bin")));
  commitU32(<u32>dataLen("empty"));
  commitU32(hasData("nope") ? 1 : 0);
  commitU32(<u32>(dataPtr("second.bin") % 64));
  commitU32(<u32>dataPtr("nope"));
}
`);
    const second = Uint8Array.of(0x78, 0x56, 0x34, 0x12, 0xff);
    const { image } = await build(guest, { data: [{ name: "first", bytes: Uint8Array.of(1, 2, 3) }, { name: "second.bin", file: write("second.bin", second) }, { name: "empty", bytes: new Uint8Array() }] });
    for (const engine of ["vm", "wasm"] as const) {
      try {
        execute(image, new Uint8Array(), { engine, log: () => {} });
        expect.unreachable();
      } catch (e) {
        if (!isVmError(e)) throw e;
        expect(e.kind).toBe("Abort");
        expect(e.extra.abortMessage).toBe("no data segment named nope");
      }
    }
    // The journal up to the failing lookup, through a guest that stops before it.
    const ok = await build(write("multi/ok.ts", (await import("node:fs")).readFileSync(guest, "utf8").replace('  commitU32(<u32>dataPtr("nope"));\n', "")), {
      data: [{ name: "first", bytes: Uint8Array.of(1, 2, 3) }, { name: "second.bin", bytes: second }, { name: "empty", bytes: new Uint8Array() }],
    });
    const r = run(ok.image);
    const words = Array.from(new Uint32Array(r.journal.buffer.slice(r.journal.byteOffset, r.journal.byteOffset + r.journal.length)));
    expect(words).toEqual([3, 3, 5, 0x12345678, 0, 0, 0]);
    expect(ok.image.program.segments[0]!.addr).toBe(DATA_DIRECTORY);
  });

  it("plain .wasm guests build, run, and get their data above their initial memory", async () => {
    // main commits the first data segment: entry 0 of the directory at 16 holds (namePtr, nameLen, ptr, len).
    const module = wat(`(module
      (import "zkvm" "commit" (func $commit (param i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 1024) "hi")
      (func (export "main")
        (if (i32.eqz (i32.load (i32.const 16))) (then (call $commit (i32.const 1024) (i32.const 2)) (return)))
        (call $commit (i32.load (i32.const 32)) (i32.load (i32.const 36)))))`);
    const file = write("raw/guest.wasm", module);
    const plain = await build(file);
    expect(new TextDecoder().decode(run(plain.image).journal)).toBe("hi");
    const blob = randomBytes(70000);
    const withData = await build(file, { data: [{ name: "blob", bytes: blob }] });
    expect(hex(run(withData.image).journal)).toBe(hex(blob));
    const seg = withData.image.program.segments.find((s) => s.name === "blob")!;
    expect(seg.addr).toBeGreaterThanOrEqual(65536);
    expect(withData.image.program.memory.initialPages).toBe(Math.ceil((seg.addr + blob.length) / 65536));

    const clash = write("raw/clash.wasm", wat(`(module (memory (export "memory") 1) (data (i32.const 20) "x") (func (export "main")))`));
    expect((await buildError(build(clash, { data: [{ name: "d", bytes: Uint8Array.of(1) }] }))).kind).toBe("DataLayoutConflict");
    const noExport = write("raw/noexport.wasm", wat(`(module (memory 1) (func (export "main")))`));
    expect((await buildError(build(noExport, { data: [{ name: "d", bytes: Uint8Array.of(1) }] }))).kind).toBe("UnsupportedInput");
  });

  it("embeds a 47 MB file as raw bytes, quickly", async () => {
    const big = randomBytes(47_000_000);
    const file = write("big/data.bin", big);
    const guest = write("big/peek.ts", `import { commitU32, dataLen, dataPtr, readU32 } from "zkvm-guest";
export function main(): void {
  const p = dataPtr("mnist");
  commitU32(<u32>dataLen("mnist"));
  const at = <usize>readU32();
  commitU32(load<u32>(p + at));
}
`);
    const t0 = performance.now();
    await build(guest); // asc and the compiler warmed up, and a baseline without data
    const t1 = performance.now();
    const { image } = await build(guest, { data: [{ name: "mnist", file }], out: join(tmp, "big/peek.zkimg") });
    const t2 = performance.now();
    console.log(`build without data ${(t1 - t0).toFixed(0)} ms, with 47 MB ${(t2 - t1).toFixed(0)} ms (incl. image ID and writing the file)`);
    // The bound of the issue is 10 s for the whole build; on a loaded 2-core box asc alone can take
    // several seconds, so the test bounds what the data adds on top of the same build without data.
    expect(t2 - t1 - (t1 - t0)).toBeLessThan(8000);
    const seg = image.program.segments.find((s) => s.name === "mnist")!;
    expect(seg.bytes.length).toBe(big.length);
    expect(Buffer.compare(Buffer.from(seg.bytes), big)).toBe(0);
    const at = 46_999_990;
    const r = run(image, u32(at));
    expect(hex(r.journal)).toBe(hex(Uint8Array.of(...u32(big.length), ...big.subarray(at, at + 4))));
  });
});
