// `zkvm prove` and `zkvm verify` (docs/receipt.md §4, docs/cli.md): thin layers over vm/api.ts.
import { writeFileSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { loadImage, prove, readInputFile, verify, type Image, type ImageId } from "../../vm/api.ts";
import { parseImageId } from "../../vm/image/image-id.ts";
import { EXIT, guarded, hex, printJson, UsageError } from "../output.ts";
import { readInput } from "./toolchain.ts";

interface ProveArgs { image: string; input?: string; "input-hex"?: string; out: string; dev?: boolean; zk: boolean; "fast-prove"?: boolean; "segment-cycles"?: number; json?: boolean }

export const proveCommand: CommandModule<object, ProveArgs> = {
  command: "prove <image>",
  describe: "Run an image on private input and prove the run; writes a receipt",
  builder: (y) =>
    (y as Argv)
      .positional("image", { type: "string", demandOption: true })
      .option("input", { alias: "i", type: "string", describe: "file with the private input bytes", requiresArg: true })
      .option("input-hex", { type: "string", describe: "private input as hex (instead of --input)", requiresArg: true })
      .option("out", { alias: "o", type: "string", demandOption: true, describe: "receipt file to write" })
      .option("dev", { type: "boolean", default: false, describe: "execute only: a dev receipt without proof (verify refuses it unless --allow-dev)" })
      .option("zk", { type: "boolean", default: true, describe: "zero knowledge (--no-zk: faster, the proof may leak the private input)" })
      .option("fast-prove", { type: "boolean", default: false, describe: "rate 1/4 and 43 queries also for runs up to 2^16 cycles (instead of rate 1/8 and 28): a faster prover, a larger receipt" })
      .option("segment-cycles", { type: "number", describe: "prove in segments whose tables hold < N rows each, i.e. N to ≈ 2N cycles (continuations: one joint proof per segment plus a memory proof; runs up to 2^27 cycles); default: one proof up to 2^17 cycles, segments of 2^17 beyond", requiresArg: true })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" })
      .conflicts("input", "input-hex") as unknown as Argv<ProveArgs>,
  handler: guarded(async (a: ProveArgs) => {
    const seg = a["segment-cycles"];
    if (seg !== undefined && !(Number.isInteger(seg) && seg >= 16 && seg <= 2 ** 27)) throw new UsageError(`--segment-cycles must be an integer in [16, 2^27], got ${seg}`);
    const image = loadImage(a.image);
    const input = readInput(a);
    const progress = phaseLine(!a.json && process.stderr.isTTY === true);
    let r;
    try {
      r = await prove(image.program, input, { dev: a.dev === true, zk: a.zk, fastProve: a["fast-prove"] === true, ...(seg !== undefined ? { segmentCycles: seg } : {}), onPhase: progress.phase, onPart: progress.part });
    } finally {
      progress.end();
    }
    writeFileSync(a.out, r.receipt);
    const summary = { imageId: r.imageId, journal: hex(r.journal), exitCode: r.exitCode, cycles: r.cycles, segments: r.segments, proofBytes: r.proofBytes, proveMs: r.proveMs, dev: r.dev };
    if (a.json) printJson(summary);
    else {
      process.stdout.write(`image ID   ${r.imageId}\nexit code  ${r.exitCode}\ncycles     ${r.cycles}\njournal    ${r.journal.length} bytes: ${hex(r.journal)}\n`);
      process.stderr.write(`wrote ${a.out}: ${r.dev ? "DEV receipt (no proof)" : `${r.segments} segment${r.segments === 1 ? "" : "s"}`}, ${r.proofBytes} bytes, ${(r.proveMs / 1000).toFixed(1)} s\n`);
    }
  }),
};

interface VerifyArgs { receipt: string; "image-id"?: string; image?: string; "allow-dev"?: boolean; json?: boolean }

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: "verify <receipt>",
  describe: "Check a receipt against an image ID (or an image file); prints the journal",
  builder: (y) =>
    (y as Argv)
      .positional("receipt", { type: "string", demandOption: true })
      .option("image-id", { type: "string", describe: "the image ID (64 hex digits) the receipt must be for", requiresArg: true })
      .option("image", { type: "string", describe: "or: the image file whose ID the receipt must be for", requiresArg: true })
      .option("allow-dev", { type: "boolean", default: false, describe: "accept a dev receipt (no proof)" })
      .option("json", { type: "boolean", default: false, describe: "print one JSON object" })
      .conflicts("image-id", "image")
      .check((a) => {
        if (a["image-id"] === undefined && a.image === undefined) throw new UsageError("give --image-id <hex> or --image <file>");
        return true;
      }) as unknown as Argv<VerifyArgs>,
  handler: guarded((a: VerifyArgs) => {
    let expected: ImageId | Image;
    if (a["image-id"] !== undefined) {
      const id = parseImageId(String(a["image-id"]));
      if (id === undefined) throw new UsageError("--image-id must be 64 hex digits");
      expected = id;
    } else expected = loadImage(String(a.image));
    const bytes = readInputFile(a.receipt, "receipt");
    const t0 = performance.now();
    const r = verify(bytes, expected, { allowDev: a["allow-dev"] === true });
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    if (!r.valid) {
      if (a.json) printJson({ valid: false, error: r.error });
      else process.stderr.write(`INVALID [${r.error.kind}]: ${r.error.message}\n`);
      process.exitCode = EXIT.failed;
      return;
    }
    if (a.json) printJson({ valid: true, imageId: r.imageId, journal: hex(r.journal), exitCode: r.exitCode, cycles: r.cycles, securityBits: r.securityBits, dev: r.dev, verifyMs: ms });
    else {
      process.stdout.write(`valid${r.dev ? " (DEV receipt: no proof)" : ""}\nimage ID   ${r.imageId}\nexit code  ${r.exitCode}\ncycles     ${r.cycles}\njournal    ${r.journal.length} bytes: ${hex(r.journal)}\n`);
      process.stderr.write(r.dev ? `checked in ${ms} ms: image and statement only, no proof\n` : `verified in ${ms} ms (${r.securityBits} bits conjectured security)\n`);
    }
  }),
};

/** One status line on a TTY ("proving… 12.3 s"), nothing otherwise. */
function phaseLine(enabled: boolean): { phase: (p: string) => void; part: (phase: "commit" | "prove", k: number, n: number) => void; end: () => void } {
  if (!enabled) return { phase: () => undefined, part: () => undefined, end: () => undefined };
  const t0 = performance.now();
  let current = "";
  let parts = "";
  const draw = (): void => void process.stderr.write(`\r\x1b[K${current}${parts}… ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    phase: (p) => {
      current = p === "execute" ? "executing" : p === "trace" ? "building the trace" : p === "prove" ? "proving" : "done";
      parts = "";
      draw();
    },
    // a segmented proof: the memory proof and the segments are committed (phase 1), then proven (phase 2)
    part: (phase, k, n) => {
      parts = `: ${k}/${n} parts ${phase === "commit" ? "committed (phase 1 of 2)" : "proven (phase 2 of 2)"}, the memory proof + ${n - 1} segments`;
      draw();
    },
    end: () => {
      clearInterval(timer);
      process.stderr.write("\r\x1b[K");
    },
  };
}
