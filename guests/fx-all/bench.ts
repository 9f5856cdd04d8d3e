// fx-bench: runs one fx operation `count` times so bench/fx.ts can measure its cycle cost as
// (cycles(count) − cycles(count of the empty loop)) / count. Input: op (u32), count (u32). The result of
// every call is folded into a checksum that is committed, so no call can be optimised away and both
// engines can be compared.

import { fx, readU32, commitU32 } from "zkvm-guest";

/** Operand in [−8, 8): a sliding window over the Q16.16 range most ML values live in. */
// @ts-ignore: decorator
@inline function small(x: i32): i32 {
  return (x & 0xfffff) - 0x80000;
}

/** Operand in [2^−16, 2048]. */
// @ts-ignore: decorator
@inline function positive(x: i32): i32 {
  return (x & 0x7ffffff) + 1;
}

const N = 784;
const COLS = 64;

export function main(): void {
  const op = readU32();
  const count = <i32>readU32();
  let acc: i32 = 0;
  let x: i32 = 0x2545f491;
  // Vector operands: a 784-long input and a 784 × 64 row-major matrix (its column walk has stride 64).
  const v = new StaticArray<i32>(N);
  const m = new StaticArray<i32>(N * COLS);
  for (let i = 0; i < N; i++) v[i] = (i * 2654435761) >> 16;
  for (let i = 0; i < N * COLS; i++) m[i] = (i * 2246822519) >> 17;
  const vp = changetype<usize>(v);
  const mp = changetype<usize>(m);
  for (let i = 0; i < count; i++) {
    x += 0x9e3779b9;
    const a = small(x);
    const b = small(x >> 7);
    switch (op) {
      case 0: acc ^= a ^ b; break; // the loop, with one ALU instruction standing in for the operation
      case 1: acc ^= fx.add(a, b); break;
      case 2: acc ^= fx.sub(a, b); break;
      case 3: acc ^= fx.mul(a, b); break;
      case 4: acc ^= fx.mulSat(a, b); break;
      case 5: acc ^= fx.addSat(a, b); break;
      case 6: acc ^= fx.div(a, b | 0x10000); break;
      case 7: acc ^= fx.sqrt(positive(x)); break;
      case 8: acc ^= fx.exp(a); break;
      case 9: acc ^= fx.ln(positive(x)); break;
      case 10: acc ^= fx.sigmoid(a); break;
      case 11: acc ^= fx.tanh(a); break;
      case 12: acc ^= fx.relu(a); break;
      case 13: acc ^= fx.abs(a); break;
      case 14: acc ^= fx.min(a, b); break;
      case 15: acc ^= fx.toIntRound(a); break;
      case 16: acc ^= fx.fromInt(a >> 16); break;
      case 17: acc ^= fx.dot(vp, mp, N, 1, 1); break; // row walk, 784 MACs
      case 18: acc ^= fx.dot(vp, mp + (<usize>(i & 63) << 2), N, 1, COLS); break; // column walk
      case 19: fx.axpy(mp + (<usize>(i & 63) << 2), vp, N, a >> 8, COLS, 1); break; // 784 weights
      case 20: fx.softmax(vp, mp, 10); acc ^= load<i32>(mp); break;
      case 21: acc ^= fx.argmax(vp, 10); break;
      default: acc ^= a;
    }
  }
  commitU32(<u32>acc);
}
