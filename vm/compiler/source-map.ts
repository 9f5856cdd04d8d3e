// Source Map v3 reader for WASM modules (as asc emits them): every mapping is on generated line 1 and
// its generated column is a byte offset in the module. Lookup gives the guest source file and line of a
// module byte offset.

import { CompileError } from "./errors.ts";

export interface ByteSourceMap {
  readonly sources: string[];
  /** Sorted byte offsets; entry i covers [offsets[i], offsets[i+1]). */
  readonly offsets: Uint32Array;
  readonly sourceIdx: Int32Array;
  /** 1-based lines. */
  readonly lines: Uint32Array;
}

const B64 = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach((ch, i) => (B64[ch.charCodeAt(0)] = i));

/** Parse a source map given as a JSON string or an already-parsed object. */
export function parseSourceMap(input: unknown): ByteSourceMap {
  const bad = (why: string): never => {
    throw new CompileError("InvalidWasm", `invalid source map: ${why}`);
  };
  let json: unknown = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch {
      bad("not JSON");
    }
  }
  if (typeof json !== "object" || json === null) bad("not an object");
  const { sources, mappings } = json as { sources?: unknown; mappings?: unknown };
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === "string")) bad("sources must be an array of strings");
  if (typeof mappings !== "string") bad("mappings must be a string");
  const offs: number[] = [];
  const srcs: number[] = [];
  const lines: number[] = [];
  let col = 0;
  let src = 0;
  let line = 0;
  const text = mappings as string;
  let i = 0;
  const vlq = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const c = i < text.length ? text.charCodeAt(i++) : -1;
      const d = c >= 0 && c < 128 ? B64[c]! : -1;
      if (d < 0) bad("bad base64 VLQ");
      result += (d & 31) * 2 ** shift;
      shift += 5;
      if ((d & 32) === 0) break;
      if (shift > 35) bad("VLQ too long");
    }
    return result % 2 === 1 ? -(result - 1) / 2 : result / 2;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === "," || ch === ";") {
      // A ';' would start a new generated line; WASM maps have one, so columns keep accumulating.
      i++;
      continue;
    }
    col += vlq();
    if (i < text.length && text[i] !== "," && text[i] !== ";") {
      src += vlq();
      line += vlq();
      vlq(); // original column
      if (i < text.length && text[i] !== "," && text[i] !== ";") vlq(); // name
      offs.push(col);
      srcs.push(src);
      lines.push(line + 1);
    }
  }
  // Sort by offset (asc emits them in order; be safe).
  const order = offs.map((_, k) => k).sort((x, y) => offs[x]! - offs[y]!);
  return {
    sources: sources as string[],
    offsets: Uint32Array.from(order, (k) => offs[k]!),
    sourceIdx: Int32Array.from(order, (k) => srcs[k]!),
    lines: Uint32Array.from(order, (k) => lines[k]!),
  };
}

/** Source location of the mapping at or before byte offset `off`, if any. */
export function lookupOffset(map: ByteSourceMap, off: number): { file: string; line: number } | undefined {
  const o = map.offsets;
  if (o.length === 0 || off < o[0]!) return undefined;
  let lo = 0;
  let hi = o.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (o[mid]! <= off) lo = mid;
    else hi = mid - 1;
  }
  const file = map.sources[map.sourceIdx[lo]!];
  return file === undefined ? undefined : { file, line: map.lines[lo]! };
}
