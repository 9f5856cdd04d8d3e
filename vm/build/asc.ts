// AssemblyScript → WASM for guests, through asc's API (no child process, outputs kept in memory).
//
// Fixed options, so a build depends only on the sources: --runtime stub (no GC: guests are short-lived
// and a collector would only add cycles), -O, --sourceMap, --exportStart _start (top-level code runs
// from an export, after the data segments are in memory in both engines), --path <sdk> (resolves the
// bare import `zkvm-guest` to guest-sdk/zkvm-guest/index.ts for a guest anywhere on disk), and
// --memoryBase above the data segments. A guest folder's asconfig.json is deliberately ignored.

import asc from "assemblyscript/asc";
import { promises as fs } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BuildError } from "./errors.ts";

/** guest-sdk/ of this checkout: the directory that contains `zkvm-guest/index.ts`. */
export const SDK_PATH = resolve(dirname(fileURLToPath(import.meta.url)), "../../guest-sdk");

export interface AscResult {
  readonly wasm: Uint8Array;
  /** Source map v3 JSON text; `sources` are relative to the guest's folder (SDK files as ~lib/...). */
  readonly sourceMap: string;
}

export interface AscOptions {
  /** Where AssemblyScript's static data starts (bytes below it are left to the data directory). */
  readonly memoryBase: number;
}

const OUT = "zkvm-guest-out.wasm";

export async function compileAssemblyScript(entryFile: string, opts: AscOptions): Promise<AscResult> {
  const abs = resolve(entryFile);
  const baseDir = dirname(abs);
  const outputs = new Map<string, Uint8Array | string>();
  let diagnostics = "";
  const argv = [
    basename(abs),
    "--baseDir", baseDir,
    "--config", "zkvm-ignores-asconfig.json",
    "--runtime", "stub",
    "-O",
    "--sourceMap",
    "--exportStart", "_start",
    "--path", SDK_PATH,
    "--memoryBase", String(opts.memoryBase),
    "--noColors",
    "--outFile", OUT,
  ];
  let result;
  try {
    result = await asc.main(argv, {
      readFile: async (name: string, dir: string) => {
        try {
          return await fs.readFile(resolve(dir, name), "utf8");
        } catch {
          return null;
        }
      },
      writeFile: (name: string, data: Uint8Array | string) => {
        outputs.set(name, data);
      },
      listFiles: async (dir: string, base: string) => {
        try {
          return (await fs.readdir(resolve(base, dir))).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
        } catch {
          return null;
        }
      },
      stdout: { write: () => true } as never,
      stderr: { write: (s: string | Uint8Array) => { diagnostics += typeof s === "string" ? s : new TextDecoder().decode(s); return true; } } as never,
    });
  } catch (e) {
    throw new BuildError("AscError", `AssemblyScript compiler failed: ${(e as Error)?.message ?? String(e)}`, diagnostics);
  }
  if (result.error) {
    const first = firstDiagnostic(diagnostics);
    throw new BuildError("AscError", `AssemblyScript: ${first ?? result.error.message}`, diagnostics.trim());
  }
  const wasm = outputs.get(OUT);
  const map = outputs.get(`${OUT}.map`);
  if (!(wasm instanceof Uint8Array) || map === undefined) throw new BuildError("InternalError", "asc produced no output");
  const mapText = typeof map === "string" ? map : new TextDecoder().decode(map);
  return { wasm, sourceMap: stripSourcesContent(mapText) };
}

/** First "ERROR ..." diagnostic with its location line, as one line. */
function firstDiagnostic(text: string): string | undefined {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const i = lines.findIndex((l) => /^ERROR/.test(l));
  if (i < 0) return undefined;
  const loc = lines.slice(i + 1, i + 6).find((l) => /\.ts\(\d+,\d+\)/.test(l) || /^at |^└─ in /.test(l));
  return loc ? `${lines[i]} (${loc.replace(/^└─ in /, "")})` : lines[i];
}

/** The compiler needs only `sources` and `mappings`; dropping the embedded sources keeps images small. */
function stripSourcesContent(mapText: string): string {
  try {
    const m = JSON.parse(mapText) as Record<string, unknown>;
    delete m.sourcesContent;
    delete m.sourceRoot;
    return JSON.stringify(m);
  } catch {
    return mapText;
  }
}
