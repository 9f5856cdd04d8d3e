// Sums a static table of 16 i32 (a data segment of the image, read through a plain pointer) and exits with the
// sum (80). The smallest AssemblyScript guest the VM AIR proves today: it uses only aligned word loads, adds,
// compares and branches (no input, no journal, no shifts — see docs/vm-air.md §18 for what is still missing).
import { exit } from "zkvm-guest";

const TABLE: usize = memory.data<i32>([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]);
const TABLE_BYTES: usize = 16 * 4;

export function main(): void {
  let s: i32 = 0;
  // A moving pointer rather than TABLE + (i << 2): shifts are not provable yet.
  for (let p = TABLE; p < TABLE + TABLE_BYTES; p += 4) s += load<i32>(p);
  exit(s);
}
