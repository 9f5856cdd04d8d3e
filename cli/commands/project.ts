// `zkvm new <dir>` (a guest project that builds and runs as is) and `zkvm demo` (what `npm start` runs
// until the flagship exists: build an example guest, run it in both engines, compare).

import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Argv, CommandModule } from "yargs";
import { build, execute } from "../../vm/api.ts";
import { guarded, hex, printJson, UsageError } from "../output.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const GUEST_TEMPLATE = `// A zkvm guest. Build and run it with:
//   npx zkvm build guest.ts -o guest.zkimg
//   npx zkvm execute guest.zkimg --input input.bin
// Integer-only AssemblyScript: floats are rejected at build time. Returning from main is exit code 0.
import { commitU32, inputLen, log, readU32 } from "zkvm-guest";

export function main(): void {
  // Private input: little-endian u32 values. The journal (public output) gets their count and sum.
  let count: u32 = 0;
  let sum: u32 = 0;
  while (inputLen() >= 4) {
    sum += readU32();
    count++;
  }
  log("summed " + count.toString() + " values"); // stderr only: not committed, not proven
  commitU32(count);
  commitU32(sum);
}
`;

function readme(dir: string): string {
  const zkvm = relative(resolve(dir), join(REPO, "bin/zkvm.js")) || "bin/zkvm.js";
  return `# zkvm guest

\`guest.ts\` is an AssemblyScript guest; \`zkvm-guest\` is the guest SDK (docs/guest-abi.md of the zkvm
repository). From this folder:

\`\`\`sh
node ${zkvm} build guest.ts -o guest.zkimg        # prints the image ID
node ${zkvm} execute guest.zkimg --input input.bin # exit code, cycles, journal
node ${zkvm} execute guest.zkimg --input input.bin --engine wasm   # same journal, run by V8
\`\`\`

(Inside the zkvm repository, \`npx zkvm ...\` works too.) \`input.bin\` holds three u32 values (1, 2, 3).
`;
}

interface NewArgs { dir: string; json?: boolean }

export const newCommand: CommandModule<object, NewArgs> = {
  command: "new <dir>",
  describe: "Create a guest project (guest.ts, input.bin, README.md) that builds and runs out of the box",
  builder: (y) =>
    (y as Argv)
      .positional("dir", { type: "string", demandOption: true })
      .option("json", { type: "boolean", default: false }) as unknown as Argv<NewArgs>,
  handler: guarded((a: NewArgs) => {
    const dir = resolve(String(a.dir));
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`${a.dir} exists and is not empty`);
    mkdirSync(dir, { recursive: true });
    const input = new Uint8Array(12);
    new DataView(input.buffer).setUint32(0, 1, true);
    new DataView(input.buffer).setUint32(4, 2, true);
    new DataView(input.buffer).setUint32(8, 3, true);
    writeFileSync(join(dir, "guest.ts"), GUEST_TEMPLATE);
    writeFileSync(join(dir, "input.bin"), input);
    writeFileSync(join(dir, "README.md"), readme(dir));
    const files = ["guest.ts", "input.bin", "README.md"];
    if (a.json) printJson({ dir, files });
    else process.stdout.write(`created ${a.dir}: ${files.join(", ")}\nnext: cd ${a.dir} && npx zkvm build guest.ts -o guest.zkimg\n`);
  }),
};

interface DemoArgs { json?: boolean }

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: "demo",
  describe: "Build the SHA-256 example guest, run it in both engines and compare with node:crypto",
  builder: (y) => (y as Argv).option("json", { type: "boolean", default: false }) as unknown as Argv<DemoArgs>,
  handler: guarded(async (a: DemoArgs) => {
    const { createHash } = await import("node:crypto");
    const entry = join(REPO, "guests/examples/sha256.ts");
    const input = new TextEncoder().encode("zkvm demo: the quick brown fox jumps over the lazy dog");
    const t0 = performance.now();
    const { image, imageId } = await build(entry);
    const buildMs = Math.round(performance.now() - t0);
    const vm = execute(image, input, { engine: "vm" });
    const wasm = execute(image, input, { engine: "wasm" });
    const expected = createHash("sha256").update(input).digest("hex");
    const agree = hex(vm.journal) === hex(wasm.journal) && vm.exitCode === wasm.exitCode;
    const correct = hex(vm.journal) === expected;
    if (a.json) {
      printJson({ guest: "guests/examples/sha256.ts", imageId, exitCode: vm.exitCode, cycles: vm.cycles, journal: hex(vm.journal), enginesAgree: agree, matchesNodeCrypto: correct, buildMs });
    } else {
      process.stdout.write(
        [
          `guest        guests/examples/sha256.ts (built in ${buildMs} ms)`,
          `image ID     ${imageId}`,
          `input        ${JSON.stringify(new TextDecoder().decode(input))}`,
          `vm engine    exit ${vm.exitCode}, ${vm.cycles} cycles`,
          `journal      ${hex(vm.journal)}`,
          `wasm engine  exit ${wasm.exitCode}, journal ${agree ? "identical" : "DIFFERENT: " + hex(wasm.journal)}`,
          `node:crypto  ${correct ? "same digest" : "DIFFERENT: " + expected}`,
        ].join("\n") + "\n",
      );
    }
    if (!agree || !correct) process.exitCode = 1;
  }),
};
