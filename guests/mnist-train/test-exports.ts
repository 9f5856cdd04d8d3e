// Test entry: exposes the integer math of lib/mathlib.ts to the host so test/mnist-guest.test.ts
// can compare it with cli/mnist/fixed-math.ts value by value. Not part of the training image.

import * as m from "./lib/mathlib";

export function mix2(a: u32, b: u32): u32 {
  return m.mix2(a, b);
}
export function gaussianRaw(key: u32, i: u32): i32 {
  return m.gaussianRaw(key, i);
}
export function initStdRaw(fan: u32): i32 {
  return m.initStdRaw(fan);
}
export function initKey(seed: u32, l: u32): u32 {
  return m.initKey(seed, l);
}
export function feistelHalfBits(n: u32): u32 {
  return m.feistelHalfBits(n);
}
/** permute with the keys of (seed, epoch) */
export function permuteAt(seed: u32, epoch: u32, i: u32, n: u32): u32 {
  const keys = heap.alloc(4 * m.FEISTEL_ROUNDS);
  m.epochKeys(seed, epoch, keys);
  const r = m.permute(keys, m.feistelHalfBits(n), i, n);
  heap.free(keys);
  return r;
}
export function expNeg(d: i32): i32 {
  return m.expNeg(d);
}
/** expNeg of every d in [from, from + count) into out (i32 each): one call checks a whole range. */
export function expNegRange(from: i32, count: i32, out: usize): void {
  for (let i = 0; i < count; i++) store<i32>(out + 4 * i, m.expNeg(from + i));
}
export function alloc(n: usize): usize {
  return heap.alloc(n);
}
export function lnAtLeastOne(y: i32): i32 {
  return m.lnAtLeastOne(y);
}
/** The series the exp tables come from (values < 2^27 fit an i32). */
export function expSeries(x: i32): i32 {
  return <i32>m.expSeriesQ26(<i64>x);
}
