// The training image, built once and reused. Building it (asc + our compiler + 55 MB of MNIST
// segments) takes 10–25 s, so it is cached under a key derived from everything it is made of: the
// guest's and SDK's sources, the toolchain's sources (compiler, image format, …), the assemblyscript
// version and the data segments themselves. A stale cache can therefore only mean a rebuild, never a
// wrong image; and the image ID is always recomputed from the loaded program, never trusted from disk.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { computeImageId, parseImage, serializeImage } from "../../vm/api.ts";
import type { DataSegment } from "../mnist/dataset.ts";
import type { MnistImage } from "../mnist/image.ts";
import { TrainError } from "./errors.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Folders whose sources determine the image (guest, SDK, and the whole toolchain under vm/). */
const SOURCE_DIRS = ["guests/mnist-train", "guest-sdk", "vm"];

export const DEFAULT_CACHE_DIR = join(REPO, "node_modules/.cache/zkvm-train");

function sourceFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|mjs|js|json)$/.test(name)) out.push(p);
  }
}

/** 32 hex digits naming the image that these sources and segments build. */
export function imageCacheKey(segments: readonly DataSegment[]): string {
  const h = createHash("sha256");
  h.update("zkvm-train/image-cache/v1\0");
  const files: string[] = [];
  for (const d of SOURCE_DIRS) sourceFiles(join(REPO, d), files);
  for (const f of files) {
    h.update(relative(REPO, f) + "\0");
    h.update(readFileSync(f));
  }
  const asc = createRequire(import.meta.url)("assemblyscript/package.json") as { version: string };
  h.update(`assemblyscript@${asc.version}\0`);
  for (const s of segments) {
    h.update(`${s.name}\0${s.bytes.length}\0`);
    h.update(s.bytes);
  }
  return h.digest("hex").slice(0, 32);
}

export interface CachedImage extends MnistImage {
  readonly path: string;
  /** True when the image was read from the cache, false when it was built now. */
  readonly reused: boolean;
  readonly buildMs: number;
}

/** Loads `<cacheDir>/mnist-train-<key>.zkimg`, or builds the image and stores it there (atomically). */
export async function cachedMnistImage(segments: readonly DataSegment[], cacheDir: string): Promise<CachedImage> {
  const t0 = performance.now();
  const path = join(cacheDir, `mnist-train-${imageCacheKey(segments)}.zkimg`);
  if (existsSync(path)) {
    let image;
    try {
      image = parseImage(new Uint8Array(readFileSync(path)));
    } catch (e) {
      throw new TrainError("ImageCacheError", `cached image ${path} is unreadable (${(e as Error).message}); delete it to rebuild`);
    }
    return { image, imageId: computeImageId(image.program), path, reused: true, buildMs: Math.round(performance.now() - t0) };
  }
  // Loaded only to build: its module imports the asc compiler (≈ 10 s of start-up under tsx).
  const { buildMnistImage } = await import("../mnist/image.ts");
  const built = await buildMnistImage(segments);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, serializeImage(built.image));
    renameSync(tmp, path);
    // Images of older sources are dead weight (55 MB each): keep only the current one.
    for (const f of readdirSync(cacheDir)) {
      if (/^mnist-train-[0-9a-f]{32}\.zkimg$/.test(f) && join(cacheDir, f) !== path) rmSync(join(cacheDir, f), { force: true });
    }
  } catch (e) {
    throw new TrainError("ImageCacheError", `cannot write the image cache ${path}: ${(e as Error).message}`);
  }
  return { ...built, path, reused: false, buildMs: Math.round(performance.now() - t0) };
}
