// Embedded data: reads the segment "blob" (zkvm build --data blob=FILE) in place through dataPtr,
// zero copy. Journal: length (u32), byte sum (u32), FNV-1a 32 of the bytes (u32), and the byte at the
// offset given as input (u32, optional; 0xffffffff without input).
import { commitU32, dataLen, dataPtr, inputLen, readU32 } from "zkvm-guest";

export function main(): void {
  const p = dataPtr("blob");
  const n = dataLen("blob");
  let sum: u32 = 0;
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < n; i++) {
    const b = <u32>load<u8>(p + i);
    sum += b;
    h = (h ^ b) * 0x01000193;
  }
  commitU32(<u32>n);
  commitU32(sum);
  commitU32(h);
  if (inputLen() >= 4) {
    const at = <usize>readU32();
    assert(at < n, "offset outside the blob");
    commitU32(<u32>load<u8>(p + at));
  } else {
    commitU32(0xffffffff);
  }
}
