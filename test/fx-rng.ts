// TypeScript twin of fx.Rng (guest-sdk/zkvm-guest/fx.ts): the same PCG32 generator and Irwin–Hall
// Gaussian with BigInt for the 64-bit state, so a host (e.g. a reference trainer) can reproduce a
// guest's weight initialisation exactly. test/fx-rng.test.ts checks the two against each other.

const MASK64 = (1n << 64n) - 1n;
const MULTIPLIER = 6364136223846793005n;

export class Pcg32 {
  private state = 0n;
  private readonly inc: bigint;

  constructor(seed: bigint, stream = 0n) {
    this.inc = ((stream << 1n) | 1n) & MASK64;
    this.nextU32();
    this.state = (this.state + seed) & MASK64;
    this.nextU32();
  }

  nextU32(): number {
    const old = this.state;
    this.state = (old * MULTIPLIER + this.inc) & MASK64;
    const xorshifted = Number(((old >> 18n) ^ old) >> 27n & 0xffffffffn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  uniform(): number {
    return this.nextU32() >>> 16;
  }

  below(bound: number): number {
    const threshold = (2 ** 32 - bound) % bound;
    let r = this.nextU32();
    while (r < threshold) r = this.nextU32();
    return r % bound;
  }

  gaussian(): number {
    let s = 6;
    for (let i = 0; i < 12; i++) s += this.nextU32() >>> 16;
    return s - 6 * 65536;
  }

  /** mulSat(gaussian(), std): R(g·std, 16) (never saturates for |std| < 2^26). */
  normal(std: number): number {
    const p = BigInt(this.gaussian()) * BigInt(std);
    return Number((p + 32768n) >> 16n);
  }
}
