/**
 * Trace rows carved from shared chunks. A run's trace builders make one row object per CPU row and per
 * coprocessor row — millions for an MNIST step — and a Uint32Array of its own per row gave each one an ArrayBuffer
 * with its own backing store, which V8's collector tracks one by one: measured, garbage collection took a third of
 * building and proving a segment. Views into 2,048-row chunks keep the rows mutable and independent (the chunk is
 * zeroed, a view never overlaps another) with one backing store per chunk.
 */
const CHUNK_ROWS = 2048;

/** A function returning a fresh zeroed row of `width` values on every call. */
export function rowAllocator(width: number): () => Uint32Array {
  let chunk = new Uint32Array(0);
  let used = 0;
  return () => {
    if (used + width > chunk.length) {
      chunk = new Uint32Array(width * CHUNK_ROWS);
      used = 0;
    }
    const row = chunk.subarray(used, used + width);
    used += width;
    return row;
  };
}
