#!/usr/bin/env node
// Compile the AssemblyScript kernels (prover/kernels/assembly/) to prover/kernels/build/kernels.wasm.
// Skips the compile when the .wasm is newer than every source (so pretest/prestart stay fast). Writes through a
// temporary file and a rename, so concurrent test processes never see a half-written module.
// Usage: node prover/kernels/build.mjs [--force]
import { readdirSync, statSync, mkdirSync, renameSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = join(here, "assembly");
const outDir = join(here, "build");
const outFile = join(outDir, "kernels.wasm");

function newestSource() {
  let t = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const f of readdirSync(srcDir)) t = Math.max(t, statSync(join(srcDir, f)).mtimeMs);
  return t;
}

export async function buildKernels(force = false) {
  if (!force && existsSync(outFile) && statSync(outFile).mtimeMs >= newestSource()) return { built: false, path: outFile };
  mkdirSync(outDir, { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  const { default: asc } = await import("assemblyscript/asc");
  const stderr = [];
  const { error } = await asc.main(
    [
      join(srcDir, "index.ts"),
      "--outFile", tmp,
      "--runtime", "stub",
      "--optimizeLevel", "3",
      "--shrinkLevel", "0",
      "--noAssert",
      "--enable", "simd",
      "--exportMemory",
      "--initialMemory", "32",
      "--maximumMemory", "65536",
    ],
    { stderr: { write: (s) => (stderr.push(String(s)), true) }, stdout: { write: () => true } },
  );
  if (error) throw new Error(`kernel build failed: ${error.message}\n${stderr.join("")}`);
  renameSync(tmp, outFile);
  return { built: true, path: outFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  buildKernels(process.argv.includes("--force")).then(
    (r) => console.log(r.built ? `built ${r.path} in ${Math.round(performance.now() - t0)} ms` : `kernels up to date (${r.path})`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
