import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "../verifier/bytes.ts";
import { isVerifierError } from "../verifier/errors.ts";

function kindOf(fn: () => unknown): string {
  try { fn(); } catch (e) { return isVerifierError(e) ? e.kind : `untyped ${String(e)}`; }
  return "ok";
}

describe("strict byte reader / writer", () => {
  it("round-trips every type", () => {
    const w = new ByteWriter(16);
    w.u8(7);
    w.u32(0xffff_ffff);
    w.u64(2 ** 53 - 1);
    w.fields([0, 2013265920]);
    w.digests([new Uint8Array(32).fill(9)]);
    w.bytes(Uint8Array.of(1, 2, 3));
    const r = new ByteReader(w.finish());
    expect(r.u8("a")).toBe(7);
    expect(r.u32("b")).toBe(0xffff_ffff);
    expect(r.u64("c")).toBe(2 ** 53 - 1);
    expect([...r.fields(2, "d")]).toEqual([0, 2013265920]);
    expect(r.digests("e", 1)[0]).toEqual(new Uint8Array(32).fill(9));
    expect([...r.bytes(3, "f")]).toEqual([1, 2, 3]);
    expect(r.remaining).toBe(0);
    expect(kindOf(() => r.end())).toBe("ok");
  });

  it("rejects truncation, oversized counts, u64 ≥ 2^53, non-canonical elements and trailing bytes with typed errors", () => {
    expect(kindOf(() => new ByteReader(new Uint8Array(3)).u32("x"))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(5, 0, 0, 0)).count("n", 4))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(1, 0, 0, 0)).count("n", 4, 2))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(3, 0, 0, 0)).expectU32("n", 4))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(0, 0, 0, 0, 0, 0, 0x20, 0)).u64("n"))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(1, 0, 0, 0x78)).fe("x"))).toBe("NonCanonical");
    // a huge count is refused before anything is allocated
    expect(kindOf(() => new ByteReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).digests("d", 1000))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(Uint8Array.of(2, 0, 0, 0)).digests("d", 10))).toBe("Malformed");
    expect(kindOf(() => new ByteReader(new Uint8Array(8)).fields(3, "v"))).toBe("Malformed");
    const r = new ByteReader(new Uint8Array(5));
    r.u32("x");
    expect(kindOf(() => r.end())).toBe("TrailingBytes");
    expect(kindOf(() => new ByteReader("nope" as unknown as Uint8Array))).toBe("Malformed");
  });

  it("the writer refuses values it could not encode canonically", () => {
    const w = new ByteWriter();
    expect(() => w.u32(2 ** 32)).toThrow(RangeError);
    expect(() => w.u64(-1)).toThrow(RangeError);
    expect(() => w.fields([2013265921])).toThrow(RangeError);
    expect(() => w.digest(new Uint8Array(31))).toThrow(RangeError);
  });
});
