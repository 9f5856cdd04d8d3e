// fx-traps: makes one fx operation fail, chosen by the private input (u32 selector, then two i32
// operands), so tests can check that each engine stops with the documented typed error: kind
// FixedPointOverflow for out-of-range results, DivideByZero, Abort for domain errors.

import { fx, readU32, commitU32 } from "zkvm-guest";

export function main(): void {
  const op = readU32();
  const a = <i32>readU32();
  const b = <i32>readU32();
  let r: i32 = 0;
  switch (op) {
    case 0: r = fx.add(a, b); break;
    case 1: r = fx.sub(a, b); break;
    case 2: r = fx.mul(a, b); break;
    case 3: r = fx.div(a, b); break;
    case 4: r = fx.exp(a); break;
    case 5: r = fx.fromInt(a); break;
    case 6: r = fx.neg(a); break;
    case 7: r = fx.abs(a); break;
    case 8: r = fx.ln(a); break;
    case 9: r = fx.sqrt(a); break;
    case 10: {
      const v = new StaticArray<i32>(2);
      v[0] = a;
      v[1] = b;
      r = fx.dot(changetype<usize>(v), changetype<usize>(v), 2);
      break;
    }
    case 11: {
      const y = new StaticArray<i32>(1);
      const x = new StaticArray<i32>(1);
      y[0] = a;
      x[0] = b;
      fx.axpy(changetype<usize>(y), changetype<usize>(x), 1, fx.ONE);
      r = y[0];
      break;
    }
    default: r = -1;
  }
  // Reached only when the operation succeeded.
  commitU32(<u32>r);
}
