/**
 * Fiat–Shamir transcript: a SHA-256 hash chain over a 32-byte state.
 *
 * Encoding (every field length-prefixed, every operation domain-tagged, so no two different absorb sequences
 * produce the same byte stream — e.g. fields [5,7] and [5,7,0,0] differ in their count prefix):
 *
 *   init:     S₀ = SHA-256("zkvm-ts/transcript/v1" ‖ 0x00 ‖ u32le(|label|) ‖ label)
 *   absorb:   S' = SHA-256(0x01 ‖ S ‖ u32le(|tag|) ‖ tag ‖ kind ‖ u32le(count) ‖ payload)
 *             kind: 0x62 'b' bytes (count = bytes), 0x66 'f' base elements (count = elements, payload u32le each),
 *                   0x65 'e' extension elements (count = elements, 4 × u32le each), 0x64 'd' a 32-byte digest,
 *                   0x75 'u' unsigned integers up to 2^53 (count = integers, u64le each)
 *   squeeze:  S' = SHA-256(0x02 ‖ S ‖ u32le(|tag|) ‖ tag);  output stream blocks B_j = SHA-256(0x03 ‖ S' ‖ u32le(j))
 *
 * Challenges are drawn from the output stream of one squeeze:
 *   - base element: next u32 word w (little endian) masked to 31 bits, accepted iff < p (else the next word):
 *     exact rejection sampling, acceptance p/2^31 ≈ 0.94, no modulo bias;
 *   - extension element: 4 base elements (coefficients of 1, X, X², X³);
 *   - index in [0, 2^k): the low k bits of the next word (exact: a power-of-two range needs no rejection);
 *   - index in [0, n) for general n: rejection of words ≥ n·⌊2^32/n⌋.
 * Tags are UTF-8 strings naming the message ("main/root", "fri/beta", …), so a reordering of prover messages or a
 * challenge drawn under another name is a different transcript.
 *
 * Seeding convention (`seed`, called by prover and verifier before anything else, soundness.md step 3):
 *   absorbUints("protocol", [protocolVersion]); absorbFields("params", params);   // encodeParams(...) of params.ts
 *   absorbDigest("air", airDigest); absorbUints("heights", logHeights or heights, in table order);
 *   absorbFields("public", publicInputs)   // every public input, canonical field elements, exact count
 * Then, in protocol order, every commitment root is absorbed (absorbDigest) before the challenge it determines.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { P } from "./field.ts";
import { extOf, type Ext } from "./ext.ts";
import { VerifierError } from "./errors.ts";
import { grindNonce, verifyPowNonce } from "./pow.ts";

const enc = new TextEncoder();
const INIT_DOMAIN = enc.encode("zkvm-ts/transcript/v1");
const OP_ABSORB = 0x01;
const OP_SQUEEZE = 0x02;
const OP_OUTPUT = 0x03;
const KIND_BYTES = 0x62;
const KIND_FIELDS = 0x66;
const KIND_EXTS = 0x65;
const KIND_DIGEST = 0x64;
const KIND_UINTS = 0x75;

function u32le(out: Uint8Array, off: number, v: number): void {
  out[off] = v & 0xff;
  out[off + 1] = (v >>> 8) & 0xff;
  out[off + 2] = (v >>> 16) & 0xff;
  out[off + 3] = (v >>> 24) & 0xff;
}

/** A lazily extended stream of 32-bit words from one squeeze. */
class Squeeze {
  private block = new Uint8Array(0);
  private pos = 32;
  private counter = 0;
  constructor(private readonly state: Uint8Array) {}
  nextWord(): number {
    if (this.pos + 4 > this.block.length) {
      const msg = new Uint8Array(1 + 32 + 4);
      msg[0] = OP_OUTPUT;
      msg.set(this.state, 1);
      u32le(msg, 33, this.counter++);
      this.block = sha256(msg);
      this.pos = 0;
    }
    const b = this.block;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }
  nextField(): number {
    for (;;) {
      const w = this.nextWord() & 0x7fff_ffff;
      if (w < P) return w;
    }
  }
  nextByte(): number[] {
    const w = this.nextWord();
    return [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24];
  }
}

export class Transcript {
  private state: Uint8Array;

  /** `label` names the protocol instance (e.g. "zkvm-ts/stark"); different labels give unrelated transcripts. */
  constructor(label: string) {
    const l = enc.encode(label);
    const msg = new Uint8Array(INIT_DOMAIN.length + 1 + 4 + l.length);
    msg.set(INIT_DOMAIN, 0);
    msg[INIT_DOMAIN.length] = 0;
    u32le(msg, INIT_DOMAIN.length + 1, l.length);
    msg.set(l, INIT_DOMAIN.length + 5);
    this.state = sha256(msg);
  }

  /** Independent copy (e.g. for a prover that needs to try something without committing to it). */
  clone(): Transcript {
    const t = Object.create(Transcript.prototype) as Transcript;
    t.state = this.state.slice();
    return t;
  }

  /** The current 32-byte state (read-only copy; for tests and diagnostics). */
  get digest(): Uint8Array {
    return this.state.slice();
  }

  private absorb(tag: string, kind: number, count: number, payload: Uint8Array): void {
    const t = enc.encode(tag);
    const msg = new Uint8Array(1 + 32 + 4 + t.length + 1 + 4 + payload.length);
    let o = 0;
    msg[o++] = OP_ABSORB;
    msg.set(this.state, o);
    o += 32;
    u32le(msg, o, t.length);
    o += 4;
    msg.set(t, o);
    o += t.length;
    msg[o++] = kind;
    u32le(msg, o, count);
    o += 4;
    msg.set(payload, o);
    this.state = sha256(msg);
  }

  absorbBytes(tag: string, data: Uint8Array): void {
    this.absorb(tag, KIND_BYTES, data.length, data);
  }

  /** Absorb canonical base elements (caller guarantees canonical; parsers have already checked). */
  absorbFields(tag: string, xs: ArrayLike<number>): void {
    const payload = new Uint8Array(4 * xs.length);
    for (let i = 0; i < xs.length; i++) u32le(payload, 4 * i, xs[i]!);
    this.absorb(tag, KIND_FIELDS, xs.length, payload);
  }

  absorbExts(tag: string, xs: readonly Uint32Array[]): void {
    const payload = new Uint8Array(16 * xs.length);
    for (let i = 0; i < xs.length; i++) for (let k = 0; k < 4; k++) u32le(payload, 16 * i + 4 * k, xs[i]![k]!);
    this.absorb(tag, KIND_EXTS, xs.length, payload);
  }

  /** Absorb a flat vector of extension elements (element i at [4i, 4i+4)). */
  absorbExtsFlat(tag: string, flat: Uint32Array): void {
    if (flat.length % 4 !== 0) throw new RangeError("flat extension vector length must be a multiple of 4");
    const payload = new Uint8Array(4 * flat.length);
    for (let i = 0; i < flat.length; i++) u32le(payload, 4 * i, flat[i]!);
    this.absorb(tag, KIND_EXTS, flat.length / 4, payload);
  }

  absorbDigest(tag: string, d: Uint8Array): void {
    if (d.length !== 32) throw new RangeError("digest must be 32 bytes");
    this.absorb(tag, KIND_DIGEST, 32, d);
  }

  /** Absorb non-negative integers < 2^53 (heights, versions, nonces), u64le each. */
  absorbUints(tag: string, xs: readonly number[]): void {
    const payload = new Uint8Array(8 * xs.length);
    xs.forEach((x, i) => {
      if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`absorbUints: ${x} is not a non-negative safe integer`);
      u32le(payload, 8 * i, x % 0x1_0000_0000);
      u32le(payload, 8 * i + 4, Math.floor(x / 0x1_0000_0000));
    });
    this.absorb(tag, KIND_UINTS, xs.length, payload);
  }

  /** The seeding convention of the module comment (soundness.md step 3). */
  seed(protocolVersion: number, params: ArrayLike<number>, airDigest: Uint8Array, heights: readonly number[], publicInputs: ArrayLike<number>): void {
    this.absorbUints("protocol", [protocolVersion]);
    this.absorbFields("params", params);
    this.absorbDigest("air", airDigest);
    this.absorbUints("heights", heights);
    this.absorbFields("public", publicInputs);
  }

  private squeeze(tag: string): Squeeze {
    const t = enc.encode(tag);
    const msg = new Uint8Array(1 + 32 + 4 + t.length);
    msg[0] = OP_SQUEEZE;
    msg.set(this.state, 1);
    u32le(msg, 33, t.length);
    msg.set(t, 37);
    this.state = sha256(msg);
    return new Squeeze(this.state);
  }

  challengeField(tag: string): number {
    return this.squeeze(tag).nextField();
  }

  challengeFields(tag: string, n: number): Uint32Array {
    const s = this.squeeze(tag);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = s.nextField();
    return out;
  }

  challengeExt(tag: string): Ext {
    const s = this.squeeze(tag);
    return extOf(s.nextField(), s.nextField(), s.nextField(), s.nextField());
  }

  challengeExts(tag: string, n: number): Ext[] {
    const s = this.squeeze(tag);
    const out: Ext[] = [];
    for (let i = 0; i < n; i++) out.push(extOf(s.nextField(), s.nextField(), s.nextField(), s.nextField()));
    return out;
  }

  /** `count` independent uniform indices in [0, 2^logN), 0 ≤ logN ≤ 32 (duplicates possible, order kept). */
  challengeIndices(tag: string, count: number, logN: number): number[] {
    if (!Number.isInteger(logN) || logN < 0 || logN > 32) throw new RangeError(`challengeIndices: logN ${logN} out of range`);
    const s = this.squeeze(tag);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const w = s.nextWord();
      // 2^logN as a float divisor: exact for every logN ≤ 32 (no `1 << 32` trap).
      out.push(logN === 32 ? w : w % 2 ** logN);
    }
    return out;
  }

  /** One uniform index in [0, n) for any 1 ≤ n ≤ 2^32, by rejection (no modulo bias). */
  challengeIndexBelow(tag: string, n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`challengeIndexBelow: bad bound ${n}`);
    const s = this.squeeze(tag);
    const limit = n * Math.floor(2 ** 32 / n);
    for (;;) {
      const w = s.nextWord();
      if (w < limit) return w % n;
    }
  }

  /**
   * Prover: proof of work at this point of the transcript. Squeezes a 32-byte seed under `tag`, grinds a nonce with
   * `bits` leading zero bits (pow.ts), absorbs it under `tag`/nonce and returns it. `search` finds the nonce (default
   * pow.ts grindNonce; the prover plugs in a batched SHA-256 search with the same result).
   */
  grindPow(tag: string, bits: number, search: (seed: Uint8Array, bits: number) => number = grindNonce): number {
    const seed = this.challengeBytes(tag, 32);
    const nonce = search(seed, bits);
    this.absorbUints(`${tag}/nonce`, [nonce]);
    return nonce;
  }

  /** Verifier counterpart of `grindPow`: throws ProofOfWork if the nonce misses the difficulty, then absorbs it. */
  checkPow(tag: string, bits: number, nonce: number): void {
    const seed = this.challengeBytes(tag, 32);
    if (!verifyPowNonce(seed, bits, nonce)) throw new VerifierError("ProofOfWork", `proof-of-work nonce ${nonce} does not reach ${bits} leading zero bits`);
    this.absorbUints(`${tag}/nonce`, [nonce]);
  }

  challengeBytes(tag: string, n: number): Uint8Array {
    const s = this.squeeze(tag);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const b = s.nextByte();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = b[k]!;
    }
    return out;
  }
}
