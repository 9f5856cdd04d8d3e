/**
 * Strict binary reader and growable writer for proof encodings.
 *
 * Reader rules (soundness.md step 5): every read checks the remaining length (Malformed), every field element is
 * canonical (< p, NonCanonical), every count is checked against an explicit bound BEFORE anything is allocated
 * (Malformed), and `end()` insists that nothing follows (TrailingBytes). All integers are little endian.
 */
import { VerifierError } from "./errors.ts";
import { P } from "./field.ts";

export class ByteReader {
  private o = 0;
  constructor(private readonly b: Uint8Array) {
    if (!(b instanceof Uint8Array)) throw new VerifierError("Malformed", "input must be a Uint8Array");
  }

  get offset(): number {
    return this.o;
  }

  get remaining(): number {
    return this.b.length - this.o;
  }

  private need(n: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.b.length - this.o)
      throw new VerifierError("Malformed", `truncated: ${what} needs ${n} bytes at offset ${this.o}, ${this.b.length - this.o} left`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.b[this.o++]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.b, o = this.o;
    this.o += 4;
    return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  }

  /** u64 that must be < 2^53 (a JS safe integer), else Malformed. */
  u64(what: string): number {
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi >= 0x20_0000) throw new VerifierError("Malformed", `${what}: u64 value ≥ 2^53`);
    return hi * 0x1_0000_0000 + lo;
  }

  /** A u32 count in [min, max] (Malformed otherwise). */
  count(what: string, max: number, min = 0): number {
    const v = this.u32(what);
    if (v < min || v > max) throw new VerifierError("Malformed", `${what} = ${v} outside [${min}, ${max}]`);
    return v;
  }

  /** A u32 that must equal `expected` (Malformed otherwise). */
  expectU32(what: string, expected: number): void {
    const v = this.u32(what);
    if (v !== expected) throw new VerifierError("Malformed", `${what} = ${v}, expected ${expected}`);
  }

  fe(what: string): number {
    const v = this.u32(what);
    if (v >= P) throw new VerifierError("NonCanonical", `${what}: element ${v} ≥ p`);
    return v;
  }

  /** n canonical base elements. */
  fields(n: number, what: string): Uint32Array {
    this.need(4 * n, what);
    const out = new Uint32Array(n);
    const b = this.b;
    let o = this.o;
    for (let i = 0; i < n; i++, o += 4) {
      const v = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
      if (v >= P) {
        this.o = o + 4;
        throw new VerifierError("NonCanonical", `${what}: element ${v} ≥ p`);
      }
      out[i] = v;
    }
    this.o = o;
    return out;
  }

  /** n extension elements, flat (4n canonical coefficients). */
  extsFlat(n: number, what: string): Uint32Array {
    return this.fields(4 * n, what);
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const r = this.b.slice(this.o, this.o + n);
    this.o += n;
    return r;
  }

  digest(what: string): Uint8Array {
    return this.bytes(32, what);
  }

  /** A u32 count in [0, max] followed by that many 32-byte digests. */
  digests(what: string, max: number): Uint8Array[] {
    const k = this.count(`${what} count`, max);
    this.need(32 * k, what);
    const out: Uint8Array[] = [];
    for (let i = 0; i < k; i++) out.push(this.digest(what));
    return out;
  }

  end(): void {
    if (this.o !== this.b.length) throw new VerifierError("TrailingBytes", `${this.b.length - this.o} bytes after the end`);
  }
}

export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initial = 1024) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  get length(): number {
    return this.len;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
  }

  u32(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RangeError(`u32 out of range: ${v}`);
    this.reserve(4);
    const b = this.buf, o = this.len;
    b[o] = v & 0xff;
    b[o + 1] = (v >>> 8) & 0xff;
    b[o + 2] = (v >>> 16) & 0xff;
    b[o + 3] = (v >>> 24) & 0xff;
    this.len += 4;
  }

  u64(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64 must be a non-negative safe integer: ${v}`);
    this.u32(v % 0x1_0000_0000);
    this.u32(Math.floor(v / 0x1_0000_0000));
  }

  /** Canonical base elements (the writer refuses a value ≥ p: a prover bug must not produce an unparsable proof silently). */
  fields(xs: ArrayLike<number>): void {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v >= P) throw new RangeError(`non-canonical field element ${v}`);
      this.u32(v);
    }
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  digest(d: Uint8Array): void {
    if (d.length !== 32) throw new RangeError("digest must be 32 bytes");
    this.bytes(d);
  }

  /** u32 count then the digests. */
  digests(ds: readonly Uint8Array[]): void {
    this.u32(ds.length);
    for (const d of ds) this.digest(d);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
