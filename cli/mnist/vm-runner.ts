// Runs the training guest in OUR VM (vm/compiler + vm/executor) to measure cycles, until the SDK's
// `--data` segments exist. The guest is compiled against guests/mnist-train/vm-sdk, whose dataPtr
// reads a directory the host writes at 64 MiB; the segments follow it in the program's initial memory.
// The guest heap (< 64 MiB for every Table 2 configuration) never reaches that address.

import asc from "assemblyscript/asc";
import { join, relative } from "node:path";
import { compileWasm } from "../../vm/compiler/index.ts";
import { execute, type ExecuteResult } from "../../vm/executor/index.ts";
import { WASM_PAGE_BYTES, type Program } from "../../vm/program.ts";
import type { DataSegment } from "./dataset.ts";
import { SEGMENT_NAMES } from "./dataset.ts";
import { GUEST_DIR, GUEST_ENTRY, GuestBuildError } from "./v8-runner.ts";

export const VM_DATA_BASE = 64 << 20;
const VM_SDK = join(GUEST_DIR, "vm-sdk");
const ORDER = [SEGMENT_NAMES.trainImages, SEGMENT_NAMES.trainLabels, SEGMENT_NAMES.testImages, SEGMENT_NAMES.testLabels];

export async function compileGuestForVm(): Promise<Program> {
  let stderr = "";
  let wasm: Uint8Array | undefined;
  const { error } = await asc.main(
    [relative(process.cwd(), GUEST_ENTRY), "--runtime", "stub", "-O3", "--path", relative(process.cwd(), VM_SDK), "--outFile", "mnist-vm.wasm"],
    {
      writeFile: (name: string, data: Uint8Array | string) => {
        if (name.endsWith("mnist-vm.wasm") && data instanceof Uint8Array) wasm = data;
      },
      stdout: { write: () => true } as never,
      stderr: { write: (s: string) => { stderr += s; return true; } } as never,
    },
  );
  if (error || wasm === undefined) throw new GuestBuildError(`asc failed: ${error?.message ?? "no output"}\n${stderr}`);
  return compileWasm(wasm);
}

/** The program with the data directory and segments placed at VM_DATA_BASE. */
export function withData(program: Program, segments: DataSegment[]): Program {
  const byName = new Map(segments.map((s) => [s.name, s.bytes]));
  const dirBytes = 8 * ORDER.length;
  let total = dirBytes;
  for (const n of ORDER) total += byName.get(n)?.length ?? 0;
  const blob = new Uint8Array(total);
  const dv = new DataView(blob.buffer);
  let at = dirBytes;
  ORDER.forEach((n, i) => {
    const b = byName.get(n) ?? new Uint8Array(0);
    dv.setUint32(8 * i, VM_DATA_BASE + at, true);
    dv.setUint32(8 * i + 4, b.length, true);
    blob.set(b, at);
    at += b.length;
  });
  const pages = Math.ceil((VM_DATA_BASE + total) / WASM_PAGE_BYTES);
  return {
    ...program,
    segments: [...program.segments, { addr: VM_DATA_BASE, bytes: blob }],
    memory: { initialPages: Math.max(pages, program.memory.initialPages), maxPages: Math.max(pages, program.memory.maxPages) },
  };
}

export function runGuestVm(program: Program, input: Uint8Array, maxCycles?: number): ExecuteResult {
  return execute(program, input, { maxCycles, log: () => {} });
}
