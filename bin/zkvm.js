#!/usr/bin/env node
// Entry point of the `zkvm` command. The sources are TypeScript run through tsx, so a fresh
// clone works after `npm install` with no build step.
// WASM kernels must run in V8's optimizing tier: Liftoff sometimes keeps a hot kernel at half
// speed (measured), and NODE_OPTIONS refuses --no-liftoff, so it is set here before any
// module is compiled.
import v8 from "node:v8";
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
