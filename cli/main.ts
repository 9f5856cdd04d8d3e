// The `zkvm` command (bin/zkvm.js runs this file through tsx). Each command lives in cli/commands/ as a
// yargs CommandModule over the library API; to add one (prove, verify, train, ...), write its module
// and append it to COMMANDS. Output and error conventions: cli/output.ts and docs/cli.md.

import yargs, { type CommandModule } from "yargs";
import { hideBin } from "yargs/helpers";
import { demoCommand, newCommand } from "./commands/project.ts";
import { buildCommand, executeCommand, inspectCommand } from "./commands/toolchain.ts";
import { trainCommand } from "./commands/train.ts";
import { proveCommand, verifyCommand } from "./commands/receipt.ts";
import { aggregateCommand, verifyTrainingCommand } from "./commands/training.ts";
import { EXIT, reportError, UsageError } from "./output.ts";
import { readFileSync } from "node:fs";
import { RECEIPT_VERSION } from "../vm/receipt/format.ts";
import { VM_AIR_VERSION } from "../vm/air/air.ts";
import { PROOF_VERSION } from "../verifier/proof.ts";
import { PROTOCOL_VERSION } from "../verifier/protocol.ts";

/** `zkvm --version`: the package and the versions a receipt depends on (a verifier refuses other ones). */
function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return `${pkg.version} (receipt v${RECEIPT_VERSION}, VM AIR v${VM_AIR_VERSION}, STARK protocol v${PROTOCOL_VERSION}, proof format v${PROOF_VERSION})`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: CommandModule<any, any>[] = [buildCommand, executeCommand, proveCommand, verifyCommand, inspectCommand, newCommand, demoCommand, trainCommand, verifyTrainingCommand, aggregateCommand];

export async function main(argv: string[]): Promise<void> {
  const wantsJson = argv.includes("--json");
  let cli = yargs(argv)
    .scriptName("zkvm")
    .usage("$0 <command> [options]")
    .strict()
    .demandCommand(1, "give a command (zkvm --help lists them)")
    .recommendCommands()
    .help()
    .alias("help", "h")
    .version(versionLine())
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // Usage errors (unknown option, missing argument): one line (or JSON), never yargs' stack.
      if (err !== undefined && err !== null && !(err instanceof UsageError)) reportError(err, wantsJson);
      else reportError(new UsageError(msg ?? err?.message ?? "invalid arguments"), wantsJson);
      if (!wantsJson) process.stderr.write("(zkvm --help for usage)\n");
      process.exitCode = err && !(err instanceof UsageError) ? process.exitCode : EXIT.usage;
      throw new HandledFailure();
    });
  for (const c of COMMANDS) cli = cli.command(c);
  try {
    await cli.parseAsync();
  } catch (e) {
    if (!(e instanceof HandledFailure)) reportError(e, wantsJson);
  }
}

/** Thrown from yargs' fail hook to stop parsing once the error has been reported. */
class HandledFailure extends Error {}

await main(hideBin(process.argv));
