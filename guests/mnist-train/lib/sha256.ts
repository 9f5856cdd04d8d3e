// SHA-256 of a memory range with the sha256_compress instruction: full 64-byte blocks are
// compressed in place (no copy), only the padded tail goes through a small buffer.

import { sha256Compress } from "zkvm-guest";

let state: usize = 0;
let tail: usize = 0;

/** Allocates the hash's buffers; call before any data segment is located (see main.ts). */
export function sha256Init(): void {
  state = heap.alloc(32);
  tail = heap.alloc(128);
}

/** out[0..32) = SHA-256(mem[ptr..ptr+len)). */
export function sha256(ptr: usize, len: usize, out: usize): void {
  store<u32>(state, 0x6a09e667);
  store<u32>(state + 4, 0xbb67ae85);
  store<u32>(state + 8, 0x3c6ef372);
  store<u32>(state + 12, 0xa54ff53a);
  store<u32>(state + 16, 0x510e527f);
  store<u32>(state + 20, 0x9b05688c);
  store<u32>(state + 24, 0x1f83d9ab);
  store<u32>(state + 28, 0x5be0cd19);
  const full = len & ~(<usize>63);
  for (let off: usize = 0; off < full; off += 64) sha256Compress(state, ptr + off);
  const r = len - full;
  memory.fill(tail, 0, 128);
  memory.copy(tail, ptr + full, r);
  store<u8>(tail + r, 0x80);
  const blocks: usize = r + 9 > 64 ? 2 : 1;
  const bits: u64 = <u64>len << 3;
  store<u64>(tail + 64 * blocks - 8, bswap<u64>(bits));
  sha256Compress(state, tail);
  if (blocks == 2) sha256Compress(state, tail + 64);
  for (let i: usize = 0; i < 8; i++) store<u32>(out + 4 * i, bswap<u32>(load<u32>(state + 4 * i)));
}
