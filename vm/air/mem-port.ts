// One memory access port of a coprocessor table (offline memory checking, docs/vm-air.md §5): consumes the
// address's previous record (value, timestamp) and produces its new one, with the previous timestamp strictly
// earlier. The same rule as the CPU's ports.
import type { AirBuilder, Expr } from "../../verifier/air.ts";
import { BUS } from "./buses.ts";

export interface MemPort {
  readonly addr: Expr;
  /** previous value's limbs (a read passes its value here too) */
  readonly prev: readonly [Expr, Expr];
  /** new value's limbs */
  readonly val: readonly [Expr, Expr];
  readonly ts: Expr;
  readonly pts: Expr;
  /** ts − pts − 1 = d0 + 2^16·d1, d0 16-bit and d1 13-bit (timestamps < 2^29) */
  readonly d0: Expr;
  readonly d1: Expr;
  /** 0 or 1 (degree ≤ 1): the port is used on this row */
  readonly en: Expr;
}

export function memPort(b: AirBuilder, p: MemPort, name: string): void {
  b.assertZero(p.en.mul(p.ts.sub(p.pts).sub(1).sub(p.d0).sub(p.d1.mul(65536))), `${name}-ts-order`);
  b.send(BUS.RANGE, [p.d0], p.en, 1);
  b.send(BUS.RANGE, [p.d1], p.en, 1);
  b.send(BUS.RANGE, [p.d1.mul(8)], p.en, 1);
  b.receive(BUS.MEM, [p.addr, p.prev[0], p.prev[1], p.pts], p.en, 1);
  b.send(BUS.MEM, [p.addr, p.val[0], p.val[1], p.ts], p.en, 1);
}
