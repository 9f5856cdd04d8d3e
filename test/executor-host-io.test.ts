// The host side of the guest I/O ABI (vm/host-io.ts), shared by both engines.
import { describe, expect, it } from "vitest";
import { HostIo, InputTape, Journal, abortError, decodeAsString, decodeLog } from "../vm/host-io.ts";
import { isVmError } from "../vm/errors.ts";

function kindOf(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (isVmError(e)) return e.kind;
    throw e;
  }
}

function asString(mem: Uint8Array, ptr: number, s: string): void {
  const dv = new DataView(mem.buffer);
  dv.setUint32(ptr - 4, s.length * 2, true);
  for (let i = 0; i < s.length; i++) dv.setUint16(ptr + 2 * i, s.charCodeAt(i), true);
}

describe("input tape", () => {
  it("reads in order, reports the remainder, and checks bounds before input", () => {
    const mem = new Uint8Array(16);
    const t = new InputTape(new Uint8Array([1, 2, 3, 4, 5]));
    t.read(mem, 8, 2);
    expect([...mem.subarray(8, 10)]).toEqual([1, 2]);
    expect(t.remaining()).toBe(3);
    expect(kindOf(() => t.read(mem, 15, 2))).toBe("MemoryOutOfBounds"); // memory first …
    expect(kindOf(() => t.read(mem, 0, 4))).toBe("InputExhausted"); // … then input
    expect(t.remaining()).toBe(3); // a failed read consumes nothing
    t.read(mem, 0, 3);
    expect(t.remaining()).toBe(0);
    t.read(mem, 16, 0); // zero bytes at the end of memory is fine
    expect(kindOf(() => t.read(mem, -1, 1))).toBe("MemoryOutOfBounds"); // pointers are unsigned
  });
});

describe("journal", () => {
  it("appends committed bytes, grows, and returns copies", () => {
    const j = new Journal();
    const mem = new Uint8Array(300).map((_, i) => i & 255);
    j.commit(mem, 10, 3);
    j.commit(mem, 0, 300);
    const b = j.bytes();
    expect(b.length).toBe(303);
    expect([...b.subarray(0, 3)]).toEqual([10, 11, 12]);
    expect(b[302]).toBe(299 & 255);
    b[0] = 99;
    expect(j.bytes()[0]).toBe(10);
    expect(kindOf(() => j.commit(mem, 299, 2))).toBe("MemoryOutOfBounds");
    expect(j.length).toBe(303);
  });
});

describe("strings", () => {
  it("decodes AssemblyScript strings and tolerates bad pointers", () => {
    const mem = new Uint8Array(64);
    asString(mem, 8, "héllo ✓");
    expect(decodeAsString(mem, 8)).toBe("héllo ✓");
    expect(decodeAsString(mem, 0)).toBeNull();
    expect(decodeAsString(mem, 1000)).toBeNull();
    new DataView(mem.buffer).setUint32(40, 1000, true); // length past the end of memory
    expect(decodeAsString(mem, 44)).toBeNull();
  });
  it("log decodes UTF-8 without ever throwing on invalid bytes", () => {
    const mem = new Uint8Array([0x68, 0x69, 0xff, 0xe2, 0x9c, 0x93]);
    expect(decodeLog(mem, 0, 6)).toBe("hi\ufffd✓");
    expect(kindOf(() => decodeLog(mem, 4, 5))).toBe("MemoryOutOfBounds");
  });
  it("abort builds a typed Abort error, even with unreadable strings", () => {
    const mem = new Uint8Array(128);
    asString(mem, 8, "bad value");
    asString(mem, 64, "assembly/index.ts");
    const e = abortError(mem, 8, 64, 42, 7);
    expect(e.toJSON()).toMatchObject({ kind: "Abort", abortMessage: "bad value", file: "assembly/index.ts", line: 42, column: 7 });
    const anon = abortError(mem, 0, 5000, 1, 1);
    expect(anon.kind).toBe("Abort");
    expect(anon.message).toMatch(/no message/);
  });
});

describe("HostIo", () => {
  it("routes log output to the injected sink", () => {
    const lines: string[] = [];
    const io = new HostIo(new Uint8Array(3), (s) => lines.push(s));
    io.log("x");
    expect(lines).toEqual(["x"]);
    expect(io.inputLen()).toBe(3);
  });
});
