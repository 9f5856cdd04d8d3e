// Image format (strict parser, round trip) and image ID (what it binds, what it does not, page openings).

import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { builtinModules } from "node:module";
import { build as esbuild } from "esbuild";
import { asmProgram } from "../vm/executor/asm.ts";
import { execute } from "../vm/executor/index.ts";
import { parseImage, serializeImage, type Image } from "../vm/image/format.ts";
import { ImageError } from "../vm/image/errors.ts";
import {
  computeImageId, EMPTY_MEMORY_SUBTREE, imageIdParts, MEMORY_TREE_DEPTH, openMemoryPage, PAGE_BYTES, parseImageId, verifyMemoryPage,
} from "../vm/image/image-id.ts";
import type { Program } from "../vm/program.ts";

const seg = (addr: number, bytes: number[] | Uint8Array, name?: string) => ({ addr, bytes: Uint8Array.from(bytes), ...(name ? { name } : {}) });

/** A small but complete program: exits with the byte at address 70000 (a data segment), with every field filled. */
function sample(): Image {
  const program: Program = {
    ...asmProgram(
      [
        ["CONST", 0, 70000],
        ["LOAD8U", 1, 0, 0],
        ["EXIT", 1],
      ],
      { globals: [7, 0xffffffff], initialPages: 2, maxPages: 10, table: [0, -1], signatures: ["()->()"],
        functions: [{ name: "main", pc: 0, sig: 0, paramSlots: 0, resultSlots: 0, saveSlot: 0, frameSlots: 4 }],
        segments: [seg(16, [1, 2, 3], "@directory"), seg(64, [9, 9]), seg(70000, [42, 0, 5], "blob")] },
    ),
    sourceMap: { files: ["guest.ts", "~lib/x.ts"], pcs: Uint32Array.of(0, 2), fileIdx: Uint32Array.of(0, 1), lines: Uint32Array.of(3, 9) },
  };
  return { program, wasm: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0) };
}

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ImageError) return e.kind;
    throw e;
  }
  return "ok";
}

describe("image format", () => {
  it("round-trips every field", () => {
    const img = sample();
    const bytes = serializeImage(img);
    const back = parseImage(bytes);
    expect(back.program).toEqual(img.program);
    expect(back.wasm).toEqual(img.wasm);
    expect(serializeImage(back)).toEqual(bytes);
  });

  it("a parsed image runs: the data segment is in memory", () => {
    const back = parseImage(serializeImage(sample()));
    expect(execute(back.program, new Uint8Array()).exitCode).toBe(42);
  });

  it("rejects bad magic, other versions and trailing bytes", () => {
    const bytes = serializeImage(sample());
    const bad = bytes.slice();
    bad[0] ^= 1;
    expect(kindOf(() => parseImage(bad))).toBe("BadMagic");
    expect(kindOf(() => parseImage(new Uint8Array()))).toBe("BadMagic");
    const v2 = bytes.slice();
    v2[8] = 2;
    expect(kindOf(() => parseImage(v2))).toBe("UnsupportedVersion");
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(kindOf(() => parseImage(longer))).toBe("TrailingBytes");
  });

  it("rejects every truncation with a typed error", () => {
    const bytes = serializeImage(sample());
    for (let n = 0; n < bytes.length; n++) {
      const k = kindOf(() => parseImage(bytes.subarray(0, n)));
      expect(["BadMagic", "Truncated", "InvalidImage"]).toContain(k);
    }
  });

  it("rejects inconsistent fields", () => {
    const mk = (patch: Partial<Program>) => serializeImage({ ...sample(), program: { ...sample().program, ...patch } });
    expect(kindOf(() => parseImage(mk({ entryPc: 3 })))).toBe("InvalidImage");
    expect(kindOf(() => parseImage(mk({ table: Int32Array.of(5) })))).toBe("InvalidImage");
    expect(kindOf(() => parseImage(mk({ memory: { initialPages: 11, maxPages: 10 } })))).toBe("InvalidImage");
    expect(kindOf(() => parseImage(mk({ segments: [seg(2 * 65536 - 1, [1, 2])] })))).toBe("InvalidImage");
    expect(kindOf(() => parseImage(mk({ segments: [seg(10, [1, 2, 3]), seg(12, [1])] })))).toBe("InvalidImage");
    expect(kindOf(() => parseImage(mk({ code: new Uint32Array(6) })))).toBe("InvalidImage");
  });

  it("never throws anything but ImageError on random corruption", () => {
    const bytes = serializeImage(sample());
    let rejected = 0;
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
    for (let i = 0; i < 2000; i++) {
      const b = bytes.slice();
      const flips = 1 + (rnd() % 3);
      for (let f = 0; f < flips; f++) b[rnd() % b.length]! ^= 1 << (rnd() % 8);
      if (kindOf(() => parseImage(b)) !== "ok") rejected++;
    }
    // Flips inside segment bytes, names or the WASM copy give other valid images; structure flips do not.
    expect(rejected).toBeGreaterThan(500);
  });
});

describe("image ID", () => {
  const base = sample();
  const id = computeImageId(base.program);
  const withProgram = (patch: Partial<Program>) => computeImageId({ ...base.program, ...patch });

  it("is 64 lower-case hex digits and parses back", () => {
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(parseImageId(id.toUpperCase())).toBe(id);
    expect(parseImageId("xyz")).toBeUndefined();
  });

  it("binds code, memory, entry, globals, table and memory limits", () => {
    const code = base.program.code.slice();
    code[1]! ^= 1;
    const changed = [
      withProgram({ code }),
      withProgram({ entryPc: 1 }),
      withProgram({ globalsInit: Uint32Array.of(8, 0xffffffff) }),
      withProgram({ table: Int32Array.of(-1, -1) }),
      withProgram({ memory: { initialPages: 3, maxPages: 10 } }),
      withProgram({ memory: { initialPages: 2, maxPages: 11 } }),
      withProgram({ segments: [seg(16, [1, 2, 3], "@directory"), seg(64, [9, 8]), seg(70000, [42, 0, 5], "blob")] }),
      withProgram({ segments: [seg(16, [1, 2, 3], "@directory"), seg(64, [9, 9]), seg(70001, [42, 0, 5], "blob")] }),
      withProgram({ functions: [{ ...base.program.functions[0]!, frameSlots: 5 }] }),
    ];
    for (const c of changed) expect(c).not.toBe(id);
    expect(new Set(changed).size).toBe(changed.length);
  });

  it("ignores the source map, the WASM copy, names and segment boundaries", () => {
    const { sourceMap: _drop, ...noMap } = base.program;
    expect(computeImageId(noMap as Program)).toBe(id);
    expect(withProgram({ functions: [{ ...base.program.functions[0]!, name: "other" }] })).toBe(id);
    // Same memory content split differently: the commitment is over memory, not over segment records.
    expect(withProgram({ segments: [seg(16, [1, 2, 3]), seg(64, [9]), seg(65, [9]), seg(70000, [42, 0, 5])] })).toBe(id);
    // A segment of zeros is the same memory as no segment.
    expect(withProgram({ segments: [...base.program.segments, seg(100000, new Uint8Array(5000))] })).toBe(id);
  });

  it("opens single memory pages against the root (present, zero and far pages)", () => {
    const parts = imageIdParts(base.program);
    for (const pageIndex of [0, Math.floor(70000 / PAGE_BYTES), 5, 2 ** MEMORY_TREE_DEPTH - 1]) {
      const o = openMemoryPage(base.program.segments, pageIndex);
      expect(verifyMemoryPage(parts.memoryRoot, o)).toBe(true);
      const tampered = o.page.slice();
      tampered[7]! ^= 1;
      expect(verifyMemoryPage(parts.memoryRoot, { ...o, page: tampered })).toBe(false);
      expect(verifyMemoryPage(parts.memoryRoot, { ...o, pageIndex: pageIndex ^ 1 })).toBe(pageIndex === 5 || pageIndex === 2 ** 20 - 1 ? true : false);
    }
    const p0 = openMemoryPage(base.program.segments, 0);
    expect(Array.from(p0.page.subarray(16, 19))).toEqual([1, 2, 3]);
  });

  it("follows the documented hash rule (recomputed here with node:crypto)", () => {
    const sha = (...parts: Uint8Array[]) => { const h = createHash("sha256"); for (const p of parts) h.update(p); return new Uint8Array(h.digest()); };
    const zeroLeaf = sha(Uint8Array.of(0), new Uint8Array(PAGE_BYTES));
    expect(EMPTY_MEMORY_SUBTREE[0]).toEqual(zeroLeaf);
    expect(EMPTY_MEMORY_SUBTREE[1]).toEqual(sha(Uint8Array.of(1), zeroLeaf, zeroLeaf));
    const empty = asmProgram([["EXIT", 0]], { initialPages: 0, maxPages: 0 });
    const parts = imageIdParts(empty);
    expect(parts.memoryRoot).toEqual(EMPTY_MEMORY_SUBTREE[MEMORY_TREE_DEPTH]);
    // One instruction: the code root is the leaf of its four words.
    const words = new Uint8Array(empty.code.buffer.slice(0));
    expect(parts.codeRoot).toEqual(sha(Uint8Array.of(0), words));
    const expectId = Buffer.from(sha(new TextEncoder().encode("zkvm/image-id/v1"), parts.codeRoot, parts.memoryRoot, parts.configHash)).toString("hex");
    expect(parts.imageId).toBe(expectId);
  });
});

describe("image ID in the browser", () => {
  it("vm/image bundles for the browser without any Node built-in", async () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const seen: string[] = [];
    const r = await esbuild({
      entryPoints: ["vm/image/index.ts"],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      plugins: [{
        name: "forbid-node-builtins",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (builtins.has(args.path) || args.path.startsWith("node:")) {
              seen.push(`${args.path} (from ${args.importer})`);
              return { path: args.path, external: true };
            }
            return undefined;
          });
        },
      }],
    });
    expect(seen).toEqual([]);
    expect(r.outputFiles[0]!.text).toContain("zkvm/image-id/v1");
  });
});
