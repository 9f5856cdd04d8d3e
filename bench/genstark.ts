/**
 * npm run bench:genstark [-- --sizes 12,14,16 --width 60 --field 32|128 --json]
 * The side-by-side baseline issue 4 asks for: genSTARK (npm @guildofweavers/genstark 0.7, AirScript, JavaScript /
 * its own WASM for 128-bit fields) proving the same wide AIR as `npm run bench:stark` (prover/examples/wide.ts:
 * W registers, r_j' = r_j·r_{j+1} + j + 1, degree 2), with settings as close to ours as it allows: extension
 * factor 8 (its minimum for degree 2; ours is 4), 43 trace queries and 43 FRI queries (ours: 43), SHA-256 Merkle
 * trees. Its field is 2^32 − 3·2^25 + 1 (≈ BabyBear's size, no WASM) or 2^128 − 9·2^32 + 1 (its WASM field);
 * it has no zero knowledge and no extension field, and it reports its own security estimate. Single-threaded.
 */
import { instantiateScript } from "@guildofweavers/genstark";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const sizes = (opt("sizes") ?? "12,14,16").split(",").map(Number);
const width = Number(opt("width") ?? 60);
const field = opt("field") === "128" ? "2^128 - 9 * 2^32 + 1" : "2^32 - 3 * 2^25 + 1";
const json = args.includes("--json");

function script(logN: number): string {
  const next = Array.from({ length: width }, (_, j) => `$r${j} * $r${(j + 1) % width} + ${j + 1}`).join(", ");
  const init = Array.from({ length: width }, (_, j) => (j === 0 ? "s" : `${j + 3}`)).join(", ");
  return `define Wide over prime field (${field}) {
    secret input s: element[1];
    transition ${width} registers {
        for each (s) {
            init { yield [${init}]; }
            for steps [1..${2 ** logN - 1}] { yield [${next}]; }
        }
    }
    enforce ${width} constraints {
        for all steps { enforce transition($r) = $n; }
    }
}`;
}

const silent = { debug() {}, info() {}, warn() {}, log() {}, start: () => () => {}, sub: () => () => {}, done() {} };
for (const logN of sizes) {
  const stark = instantiateScript(Buffer.from(script(logN)), { extensionFactor: 8, exeQueryCount: 43, friQueryCount: 43, hashAlgorithm: "sha256" }, silent as never);
  const assertions = [{ register: 0, step: 0, value: 3n }];
  const t0 = performance.now();
  const proof = stark.prove(assertions, [[3n]]);
  const proveS = (performance.now() - t0) / 1000;
  const bytes = stark.serialize(proof).length;
  const v0 = performance.now();
  const ok = stark.verify(assertions, proof);
  const verifyMs = performance.now() - v0;
  const row = { rows: 2 ** logN, columns: width, field, proveS: +proveS.toFixed(2), proofBytes: bytes, verifyMs: +verifyMs.toFixed(1), valid: ok, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), securityLevel: stark.securityLevel };
  console.log(json ? JSON.stringify(row) : `genSTARK 2^${logN} × ${width}: prove ${row.proveS} s, proof ${bytes} B, verify ${row.verifyMs} ms, peak RSS ${row.peakRssMiB} MiB (process), its security level ${row.securityLevel}, valid ${ok}`);
}
