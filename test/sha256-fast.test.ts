// The verifier's allocation-free SHA-256 (verifier/sha256.ts sha256Into / sha256NodeInto) against @noble/hashes.
import { describe, expect, it } from "vitest";
import { sha256 as noble } from "@noble/hashes/sha2.js";
import { sha256Into, sha256NodeInto } from "../verifier/sha256.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

describe("allocation-free SHA-256", () => {
  it("equals @noble/hashes on every length 0..300 and on long messages, at any offset", () => {
    const r = rng(1);
    for (const len of [...Array.from({ length: 301 }, (_, i) => i), 1000, 4096, 4097, 65_537]) {
      const buf = new Uint8Array(len + 7).map(() => r());
      const off = len % 7;
      const out = new Uint8Array(40).fill(0xee);
      sha256Into(buf, off, len, out, 3);
      expect(Buffer.from(out.subarray(3, 35)).toString("hex"), `len ${len}`).toBe(Buffer.from(noble(buf.subarray(off, off + len))).toString("hex"));
      expect(out[2]).toBe(0xee);
      expect(out[35]).toBe(0xee);
    }
    const zero = new Uint8Array(32);
    sha256Into(new Uint8Array(0), 0, 0, zero, 0);
    expect(Buffer.from(zero).toString("hex")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashes a 65-byte Merkle node (prefix ‖ left ‖ right) like @noble/hashes, also in place", () => {
    const r = rng(2);
    for (let k = 0; k < 500; k++) {
      const a = new Uint8Array(40).map(() => r()), b = new Uint8Array(40).map(() => r());
      const prefix = k % 3 === 0 ? 1 : r();
      const msg = new Uint8Array(65);
      msg[0] = prefix;
      msg.set(a.subarray(k % 8, (k % 8) + 32), 1);
      msg.set(b.subarray(k % 5, (k % 5) + 32), 33);
      const want = Buffer.from(noble(msg)).toString("hex");
      const out = new Uint8Array(32);
      sha256NodeInto(prefix, a, k % 8, b, k % 5, out, 0);
      expect(Buffer.from(out).toString("hex")).toBe(want);
      // output aliasing the left input
      sha256NodeInto(prefix, a, k % 8, b, k % 5, a, k % 8);
      expect(Buffer.from(a.subarray(k % 8, (k % 8) + 32)).toString("hex")).toBe(want);
    }
  });
});
