// Runs the real `zkvm` CLI (bin/zkvm.js) in a child process, as a user would, for the CLI tests.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";

export const REPO = join(import.meta.dirname, "..");
const BIN = join(REPO, "bin/zkvm.js");

export interface Run { status: number; stdout: string; stderr: string }

/**
 * A runner of `zkvm <args>` in `cwd`: status (−1 when killed), stdout and stderr, never a throw. A command still
 * running after `timeoutMs` (default 4 minutes; STARK-proven training takes longer) is killed.
 */
export function cliRunner(cwd: string, timeoutMs = 240_000): (args: string[]) => Promise<Run> {
  return async (args) => {
    try {
      const r = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: timeoutMs });
      return { status: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code?: number; stdout: string; stderr: string };
      return { status: typeof x.code === "number" ? x.code : -1, stdout: x.stdout, stderr: x.stderr };
    }
  };
}

/** The one JSON object a `--json` command prints. */
export const oneJson = (r: Run): Record<string, unknown> => {
  const lines = r.stdout.trim().split("\n");
  expect(lines, r.stdout + r.stderr).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
};

/** No host stack trace reaches the user. */
export const noStack = (r: Run) => expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
