// Output conventions of every `zkvm` command: results on stdout (one JSON object with --json), errors
// as one line on stderr or {"error": {kind, message, ...}} with --json, and a non-zero exit status.
// Never a host stack trace.

import { errorInfo } from "../vm/api.ts";

/** Exit statuses: 0 ok, 1 the command failed (typed error), 2 bad usage, 70 internal bug. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;

export class UsageError extends Error {
  readonly kind = "InvalidArgument";
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Reports any thrown value and sets the exit status; returns nothing (the process ends normally). */
export function reportError(e: unknown, json: boolean): void {
  let info = errorInfo(e);
  let status: number = e instanceof UsageError ? EXIT.usage : EXIT.failed;
  if (info === undefined) {
    info = { kind: "InternalError", message: `internal error: ${(e as Error)?.message ?? String(e)}` };
    status = EXIT.internal;
  }
  if (json) printJson({ error: info });
  else {
    const where = typeof info.file === "string" && typeof info.line === "number" ? ` (${info.file}:${info.line})` : "";
    process.stderr.write(`error [${info.kind}]: ${oneLine(info.message)}${where}\n`);
  }
  process.exitCode = status;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " | ");

/** Wraps a command handler: any error → reportError. */
export function guarded<A extends { json?: boolean }>(fn: (args: A) => Promise<void> | void): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      await fn(args);
    } catch (e) {
      reportError(e, args.json === true);
    }
  };
}
