// 64-bit integer arithmetic: modular exponentiation with 128-bit products from 64-bit halves, gcd,
// signed/unsigned division and remainder, rotates and bit counts, all mixed into a running digest.
// Input: a seed (u64 LE) and a round count (u32 LE). Journal: the final digest (u64 LE).
import { commitU64, readU32, readU64 } from "zkvm-guest";

/** (a · b) mod m without overflow: 128-bit product by 32-bit limbs, then shift-subtract reduction. */
function mulmod(a: u64, b: u64, m: u64): u64 {
  let r: u64 = 0;
  a %= m;
  while (b != 0) {
    if (b & 1) {
      r += a;
      if (r >= m || r < a) r -= m;
    }
    const a2 = a << 1;
    a = a2 >= m || a2 < a ? a2 - m : a2;
    b >>= 1;
  }
  return r;
}

function powmod(base: u64, exp: u64, m: u64): u64 {
  let r: u64 = 1 % m;
  let b = base % m;
  while (exp != 0) {
    if (exp & 1) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    exp >>= 1;
  }
  return r;
}

function gcd(a: u64, b: u64): u64 {
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function main(): void {
  let x = readU64();
  const rounds = readU32();
  const P: u64 = 0xffffffff00000001; // the Goldilocks prime
  let digest: u64 = 0xcbf29ce484222325;
  for (let i: u32 = 0; i < rounds; i++) {
    x = x * 6364136223846793005 + 1442695040888963407;
    const s = <i64>x;
    const d = <i64>((x >> 7) | 1);
    const q = s / d;
    const r = s % d;
    const u = x / ((x >>> 33) | 1);
    const v = powmod(x, <u64>(i + 3), P);
    const g = gcd(x | 1, (x >> 17) | 1);
    const bits = <u64>(clz(x) + ctz(x | (<u64>1 << 63)) + popcnt(x));
    digest ^= rotl(<u64>q, 13) ^ <u64>r ^ rotr(u, 7) ^ v ^ g ^ bits;
    digest *= 0x100000001b3;
    digest += <u64>(<i64>(<i32>x) >> 3) + <u64>(<i8>x) + <u64>(<i16>x);
  }
  commitU64(digest);
}
