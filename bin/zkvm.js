#!/usr/bin/env node
// Entry point of the `zkvm` command. The sources are TypeScript run through tsx, so a fresh
// clone works after `npm install` with no build step.
import { spawn } from "node:child_process";
import v8 from "node:v8";

// Transparent huge pages for the prover's buffers. On Linux a fresh 4 KiB page costs ~10 µs to
// fault in on the VMs we measure on (a 512 MiB SharedArrayBuffer: 1.3 s to first fill, 0.07 s to
// refill), and a proof allocates gigabytes of fresh matrices. glibc's malloc (which backs V8's
// ArrayBuffers) asks for huge pages when GLIBC_TUNABLES has glibc.malloc.hugetlb=1, and freed huge
// pages are reused at once: bench:stark 2^20 × 60 went from 19.6 s to 12.6 s. Tunables are read
// when the process starts, so the command re-executes itself once with the tunable set (ignored by
// other C libraries; ZKVM_HUGEPAGES=0 opts out).
const TUNABLE = "glibc.malloc.hugetlb";
const tunables = process.env.GLIBC_TUNABLES ?? "";
if (process.platform === "linux" && !tunables.includes(TUNABLE) && process.env.ZKVM_HUGEPAGES !== "0") {
  const env = { ...process.env, GLIBC_TUNABLES: tunables === "" ? `${TUNABLE}=1` : `${tunables}:${TUNABLE}=1` };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env });
  // The child owns the terminal's signals; a signal sent to this process alone is passed on.
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
  child.on("error", (e) => {
    process.stderr.write(`zkvm: cannot start ${process.execPath}: ${e.message}\n`);
    process.exit(1);
  });
} else {
  // WASM kernels must run in V8's optimizing tier: Liftoff sometimes keeps a hot kernel at half
  // speed (measured), and NODE_OPTIONS refuses --no-liftoff, so it is set here before any
  // module is compiled.
  v8.setFlagsFromString("--no-liftoff");
  // A closed pipe (`zkvm inspect --disasm | head`) is the reader's choice, not an error: exit quietly
  // instead of surfacing Node's EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e) => {
      if (e && e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
}
