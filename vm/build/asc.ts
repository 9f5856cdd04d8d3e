// AssemblyScript → WASM for guests, through asc's API (no child process, outputs kept in memory).
//
// Fixed options, so a build depends only on the sources: --runtime stub (no GC: guests are short-lived
// and a collector would only add cycles), -O, --sourceMap, --exportStart _start (top-level code runs
// from an export, after the data segments are in memory in both engines), --path <sdk> (resolves the
// bare import `zkvm-guest` to guest-sdk/zkvm-guest/index.ts for a guest anywhere on disk), and
// --memoryBase above the data segments. A guest folder's asconfig.json is deliberately ignored.

import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
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
  const reply = await runAscWorker(argv);
  if (reply.error !== null) {
    const first = firstDiagnostic(reply.diagnostics);
    throw new BuildError("AscError", `AssemblyScript: ${first ?? reply.error}`, reply.diagnostics.trim());
  }
  const outputs = new Map(Object.entries(reply.outputs));
  const wasm = outputs.get(OUT);
  const map = outputs.get(`${OUT}.map`);
  if (!(wasm instanceof Uint8Array) || map === undefined) throw new BuildError("InternalError", "asc produced no output");
  const mapText = typeof map === "string" ? map : new TextDecoder().decode(map);
  return { wasm, sourceMap: stripSourcesContent(mapText) };
}

interface WorkerReply {
  readonly outputs: Record<string, Uint8Array | string>;
  readonly diagnostics: string;
  readonly error: string | null;
}

/** asc in a worker thread (vm/build/asc-worker.mjs explains why): one per process, started on first use,
 * unref'd so it never keeps the process alive, restarted if it dies. */
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }>();

function ascWorker(): Worker {
  if (worker !== undefined) return worker;
  // execArgv []: V8 flags such as --no-liftoff are refused in a worker's execArgv, and no loader is needed.
  const w = new Worker(new URL("./asc-worker.mjs", import.meta.url), { execArgv: [] });
  w.unref();
  w.on("message", (m: WorkerReply & { id: number }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.resolve(m);
  });
  const fail = (why: string): void => {
    worker = undefined;
    for (const p of pending.values()) p.reject(new BuildError("AscError", `AssemblyScript compiler failed: ${why}`));
    pending.clear();
  };
  w.on("error", (e) => fail(e.message));
  w.on("exit", (code) => fail(`worker exited with code ${code}`));
  worker = w;
  return w;
}

function runAscWorker(argv: string[]): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const w = ascWorker();
    // While a build is pending the worker must keep the process alive; unref again when idle.
    w.ref();
    const done = (): void => { if (pending.size === 0) w.unref(); };
    pending.set(id, { resolve: (r) => { resolve(r); done(); }, reject: (e) => { reject(e); done(); } });
    w.postMessage({ id, argv });
  });
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
