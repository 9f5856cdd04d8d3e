// Initial linear memory as the VM AIR sees it: the 4 KiB pages of the image that a run touches (docs/vm-air.md
// §5.4). The verifier gets them from the receipt (opened against the image's memory root); the prover from the
// image. Every word of each page becomes a public bus tuple (MEM_BASE + word index, lo16, hi16, ts 0) that the
// BOUNDARY table must consume — whole pages, so the receipt reveals which pages were touched, not which words.
// Pure: browser-safe.
import type { PublicInteractions } from "../../verifier/air.ts";
import { PAGE_BYTES } from "../image/image-id.ts";
import { BUS, VmAirError } from "./buses.ts";
import { MEM_BASE } from "./cpu/columns.ts";

/** u32 words per page of the memory tree. */
export const PAGE_WORDS = PAGE_BYTES / 4;
/** 4 KiB tree pages per 64 KiB WebAssembly page. */
export const TREE_PAGES_PER_WASM_PAGE = 65536 / PAGE_BYTES;

/** One page of initial memory: its index in the memory tree (address index · 4096) and its 4096 bytes. */
export interface InitPage {
  readonly index: number;
  readonly page: Uint8Array;
}

/** Checks a page list against a memory of `memPages` 64 KiB pages: exact page size, strictly increasing
 *  indices inside the initial memory. Throws VmAirError (TraceError). */
export function checkInitPages(pages: readonly InitPage[], memPages: number): void {
  const limit = memPages * TREE_PAGES_PER_WASM_PAGE;
  pages.forEach((p, i) => {
    if (!(p.page instanceof Uint8Array) || p.page.length !== PAGE_BYTES) throw new VmAirError("TraceError", `memory page ${p.index}: ${p.page?.length} bytes, not ${PAGE_BYTES}`);
    if (!Number.isInteger(p.index) || p.index < 0 || p.index >= limit) throw new VmAirError("TraceError", `memory page ${p.index} outside the ${memPages} initial 64 KiB pages`);
    if (i > 0 && p.index <= pages[i - 1]!.index) throw new VmAirError("TraceError", "memory pages must be listed once each, in increasing order");
  });
}

/** The word at byte offset 4·i of a page (little endian). */
export function pageWord(page: Uint8Array, i: number): number {
  return (page[4 * i]! | (page[4 * i + 1]! << 8) | (page[4 * i + 2]! << 16) | (page[4 * i + 3]! << 24)) >>> 0;
}

/** The public MEM-bus tuples of the pages' initial words. */
export function initMemoryTuples(pages: readonly InitPage[]): PublicInteractions {
  const tuples = new Uint32Array(pages.length * PAGE_WORDS * 4);
  let o = 0;
  for (const p of pages) {
    const base = MEM_BASE + p.index * PAGE_WORDS;
    for (let i = 0; i < PAGE_WORDS; i++) {
      const w = pageWord(p.page, i);
      tuples[o++] = base + i;
      tuples[o++] = w & 0xffff;
      tuples[o++] = w >>> 16;
      tuples[o++] = 0;
    }
  }
  return { bus: BUS.MEM, arity: 4, tuples, direction: "send" };
}
