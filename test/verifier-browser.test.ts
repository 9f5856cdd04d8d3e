/**
 * The verifier must run in a browser: bundle verifier/index.ts for platform "browser" with esbuild and fail on
 * any Node built-in import (esbuild errors on unresolvable "node:*"/"fs"/… when platform is browser; we also
 * mark them external and assert none is referenced).
 */
import { describe, expect, it } from "vitest";
import { build } from "esbuild";
import { builtinModules } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { fibProof, TEST_OPTS } from "./stark-helpers.ts";
import { proveReceipt } from "../vm/receipt/prove.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { FAST_PARAMS, sumProgram } from "./receipt-helpers.ts";

async function bundle(entry: string) {
    const seen: string[] = [];
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      plugins: [
        {
          name: "forbid-node-builtins",
          setup(b) {
            const names = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
            b.onResolve({ filter: /.*/ }, (args) => {
              if (names.has(args.path) || args.path.startsWith("node:")) {
                seen.push(`${args.path} (from ${args.importer})`);
                return { path: args.path, external: true };
              }
              return undefined;
            });
          },
        },
      ],
    });
    return { seen, result };
}

describe("verifier bundles for the browser", () => {
  it("has no Node built-in imports", async () => {
    const { seen, result } = await bundle("verifier/index.ts");
    expect(seen).toEqual([]);
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("LogupSumNonZero");
    expect(code.length).toBeGreaterThan(10_000);
  });

  it("the browser bundle itself verifies a proof and rejects a tampered one", async () => {
    const { result } = await bundle("verifier/index.ts");
    const dir = mkdtempSync(join(tmpdir(), "zkvm-verifier-"));
    const file = join(dir, "verifier.mjs");
    writeFileSync(file, result.outputFiles[0]!.text);
    try {
      const mod = (await import(pathToFileURL(file).href)) as typeof import("../verifier/index.ts");
      const { bytes, publics } = await fibProof(5);
      expect(mod.verify(fibonacciAir, bytes, publics, TEST_OPTS)).toMatchObject({ ok: true });
      const bad = bytes.slice();
      bad[bad.length - 1]! ^= 1;
      expect(mod.verify(fibonacciAir, bad, publics, TEST_OPTS)).toMatchObject({ ok: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the VM receipt verifier (vm/receipt/verify.ts) bundles for the browser and verifies a real receipt there", async () => {
    const { seen, result } = await bundle("vm/receipt/verify.ts");
    expect(seen).toEqual([]);
    expect(result.errors).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "zkvm-receipt-verifier-"));
    const file = join(dir, "receipt-verifier.mjs");
    writeFileSync(file, result.outputFiles[0]!.text);
    try {
      const mod = (await import(pathToFileURL(file).href)) as typeof import("../vm/receipt/verify.ts");
      const r = await proveReceipt(sumProgram(2), new Uint8Array(), { params: FAST_PARAMS });
      expect(mod.verifyReceipt(r.receipt, r.imageId)).toMatchObject({ valid: true, exitCode: 3 });
      const bad = r.receipt.slice();
      bad[bad.length - 1]! ^= 1;
      expect(mod.verifyReceipt(bad, r.imageId)).toMatchObject({ valid: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await closeSharedPool();
    }
  }, 60_000);

  it("the check itself catches a Node import (prover code uses node:crypto)", async () => {
    const { seen } = await bundle("prover/random.ts");
    expect(seen.some((s) => s.startsWith("node:crypto"))).toBe(true);
  });
});
