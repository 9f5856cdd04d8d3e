// Input reading: a u32 length n, then n bytes. Journal: n, the bytes reversed, and how many input bytes
// were left unread (u32). Asking for more bytes than given stops with InputExhausted.
import { commitBytes, commitU32, inputLen, readBytes, readU32 } from "zkvm-guest";

export function main(): void {
  const n = <i32>readU32();
  const bytes = readBytes(n);
  bytes.reverse();
  commitU32(<u32>n);
  commitBytes(bytes);
  commitU32(<u32>inputLen());
}
