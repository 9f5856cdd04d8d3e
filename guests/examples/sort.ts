// Sorting: reads n (u32) then n u32 values, sorts them with the standard library's comparator sort
// (indirect calls) and commits the sorted values; aborts if the result is not ordered.
import { commitU32, readU32 } from "zkvm-guest";

export function main(): void {
  const n = <i32>readU32();
  const values = new Array<u32>(n);
  for (let i = 0; i < n; i++) values[i] = readU32();
  values.sort((a: u32, b: u32): i32 => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < n; i++) assert(values[i - 1] <= values[i], "not sorted");
  commitU32(<u32>n);
  for (let i = 0; i < n; i++) commitU32(values[i]);
}
