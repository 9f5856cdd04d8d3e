// Runs asc in a worker thread with plain Node module loading. Why: under tsx's loader hooks (how the
// `zkvm` command runs) importing asc and binaryen (~10 MB of JS) takes 10–20 s instead of ~1 s.
// Plain JavaScript on purpose, so it needs no TypeScript loader. One worker serves many builds.
// Protocol: request { id, argv } → reply { id, outputs: {name: Uint8Array|string}, diagnostics, error }.
import { parentPort } from "node:worker_threads";
import asc from "assemblyscript/asc";

const text = (s) => (typeof s === "string" ? s : new TextDecoder().decode(s));

async function compile(argv) {
  const outputs = {};
  let diagnostics = "";
  let error = null;
  try {
    const result = await asc.main(argv, {
      writeFile: (name, data) => {
        outputs[name] = data;
      },
      stdout: { write: () => true },
      stderr: {
        write: (s) => {
          diagnostics += text(s);
          return true;
        },
      },
    });
    if (result.error) error = result.error.message;
  } catch (e) {
    error = `AssemblyScript compiler failed: ${e?.message ?? String(e)}`;
  }
  return { outputs, diagnostics, error };
}

// Builds run one after the other (asc keeps global state while compiling).
let queue = Promise.resolve();
parentPort.on("message", ({ id, argv }) => {
  queue = queue.then(async () => parentPort.postMessage({ id, ...(await compile(argv)) }));
});
