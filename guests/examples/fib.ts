// Fibonacci: fib(n) mod 2^64 for n read from the input (default 1000 when no input is given).
// Journal: n (u32 LE) then fib(n) (u64 LE).
import { commitU32, commitU64, inputLen, readU32 } from "zkvm-guest";

function fib(n: u32): u64 {
  let a: u64 = 0;
  let b: u64 = 1;
  for (let i: u32 = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}

export function main(): void {
  const n = inputLen() >= 4 ? readU32() : 1000;
  commitU32(n);
  commitU64(fib(n));
}
