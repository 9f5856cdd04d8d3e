// `zkvm build`, `zkvm execute`, `zkvm inspect`: thin layers over vm/api.ts.

import type { Argv, CommandModule } from "yargs";
import { build, disassembleImage, execute, inspect, loadImage, parseDataSpec, readInputFile, type Engine } from "../../vm/api.ts";
import { guarded, hex, printJson, UsageError } from "../output.ts";

interface BuildArgs { guest: string; out: string; data?: string[]; json?: boolean }

export const buildCommand: CommandModule<object, BuildArgs> = {
  command: "build <guest>",
  describe: "Build an AssemblyScript (.ts) or WASM (.wasm) guest into an image; prints its image ID",
  builder: (y) =>
    (y as Argv)
      .positional("guest", { type: "string", demandOption: true, describe: "guest entry file (.ts or .wasm)" })
      .option("out", { alias: "o", type: "string", demandOption: true, describe: "image file to write" })
      .option("data", { type: "string", array: true, describe: "embed FILE's raw bytes as data segment NAME (repeatable)", requiresArg: true })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" }) as unknown as Argv<BuildArgs>,
  handler: guarded(async (a: BuildArgs) => {
    const data = (a.data ?? []).map((s) => parseDataSpec(String(s)));
    const t0 = performance.now();
    const { image, imageId } = await build(a.guest, { data, out: a.out });
    const ms = Math.round(performance.now() - t0);
    const s = inspect(image);
    if (a.json) {
      printJson({ imageId, out: a.out, instructions: s.instructions, imageBytes: s.imageBytes, dataSegments: s.dataSegments, buildMs: ms });
    } else {
      process.stdout.write(`${imageId}\n`);
      process.stderr.write(`wrote ${a.out}: ${s.instructions} instructions, ${s.imageBytes} bytes, ${ms} ms\n`);
    }
  }),
};

interface ExecuteArgs { image: string; input?: string; "input-hex"?: string; "max-cycles"?: number; engine: string; json?: boolean }

export const executeCommand: CommandModule<object, ExecuteArgs> = {
  command: "execute <image>",
  describe: "Run an image on private input; prints exit code, cycles and journal",
  builder: (y) =>
    (y as Argv)
      .positional("image", { type: "string", demandOption: true })
      .option("input", { alias: "i", type: "string", describe: "file with the private input bytes", requiresArg: true })
      .option("input-hex", { type: "string", describe: "private input as hex (instead of --input)", requiresArg: true })
      .option("max-cycles", { type: "number", describe: "stop with CycleLimit after N cycles", requiresArg: true })
      .option("engine", { type: "string", default: "vm", choices: ["vm", "wasm"], describe: "vm: our ISA executor; wasm: the embedded WASM in V8 (reference)" })
      .option("json", { type: "boolean", default: false })
      .conflicts("input", "input-hex") as unknown as Argv<ExecuteArgs>,
  handler: guarded((a: ExecuteArgs) => {
    const input = readInput(a);
    const max = a["max-cycles"];
    if (max !== undefined && !(Number.isSafeInteger(max) && max > 0)) throw new UsageError(`--max-cycles must be a positive integer, got ${max}`);
    const image = loadImage(a.image);
    const r = execute(image, input, { engine: a.engine as Engine, ...(max !== undefined ? { maxCycles: max } : {}) });
    if (a.json) {
      printJson({ imageId: r.imageId, exitCode: r.exitCode, cycles: r.cycles, journal: hex(r.journal) });
    } else {
      process.stdout.write(
        `image ID   ${r.imageId}\nengine     ${r.engine}\nexit code  ${r.exitCode}\ncycles     ${r.cycles ?? "(not counted by the wasm engine)"}\njournal    ${r.journal.length} bytes: ${hex(r.journal)}\n`,
      );
    }
  }),
};

/** The private input of --input FILE or --input-hex HEX (empty without either). */
export function readInput(a: { input?: string; "input-hex"?: string }): Uint8Array {
  const h = a["input-hex"];
  if (h !== undefined) {
    const s = String(h).replace(/^0x/, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new UsageError("--input-hex must be an even number of hex digits");
    return new Uint8Array(Buffer.from(s, "hex"));
  }
  return a.input !== undefined ? readInputFile(String(a.input), "input") : new Uint8Array();
}

interface InspectArgs { image: string; disasm?: boolean; json?: boolean }

export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: "inspect <image>",
  describe: "Show an image's ID, sizes, memory segments and source files (--disasm: the code)",
  builder: (y) =>
    (y as Argv)
      .positional("image", { type: "string", demandOption: true })
      .option("disasm", { type: "boolean", default: false, describe: "print the disassembly" })
      .option("json", { type: "boolean", default: false }) as unknown as Argv<InspectArgs>,
  handler: guarded((a: InspectArgs) => {
    const image = loadImage(a.image);
    const s = inspect(image);
    if (a.json) {
      printJson(a.disasm ? { ...s, disassembly: disassembleImage(image) } : s);
      return;
    }
    const lines = [
      `image ID      ${s.imageId}`,
      `code root     ${s.codeRoot}`,
      `memory root   ${s.memoryRoot}`,
      `config hash   ${s.configHash}`,
      `instructions  ${s.instructions} (entry pc ${s.entryPc}, ${s.functions} functions)`,
      `memory        ${s.memory.initialPages} initial pages, max ${s.memory.maxPages}`,
      `segments      ${s.segments.length} (${s.segments.reduce((t, x) => t + x.bytes, 0)} bytes)`,
      ...s.segments.filter((x) => x.name !== null).map((x) => `  ${x.name!.padEnd(20)} @ ${x.addr}  ${x.bytes} bytes`),
      `source files  ${s.sourceFiles.join(", ") || "(no source map)"}`,
      `wasm          ${s.wasmBytes} bytes; image file ${s.imageBytes} bytes`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    if (a.disasm) process.stdout.write(disassembleImage(image) + "\n");
  }),
};
