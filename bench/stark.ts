/**
 * npm run bench:stark [-- --sizes 16,18,20 --width 60 --json --zk/--no-zk]
 * Proves and verifies the wide benchmark AIR (prover/examples/wide.ts) and prints, per size: prove seconds,
 * verify ms (cold = first verification in this process, warm = median of 5 more), proof bytes, peak RSS and
 * security bits. --json prints one JSON object per size.
 */
import { loadavg } from "node:os";
import { prove } from "../prover/stark.ts";
import { closeSharedPool } from "../prover/workers/pool.ts";
import { closeQuotientPool } from "../prover/quotient-parallel.ts";
import { verify } from "../verifier/stark.ts";
import { wideAir, wideTrace } from "../prover/examples/wide.ts";
import { DEFAULT_PARAMS, type StarkParams } from "../verifier/protocol.ts";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const sizes = (opt("sizes") ?? "16,18,20").split(",").map(Number);
const width = Number(opt("width") ?? 60);
const params: StarkParams = {
  ...DEFAULT_PARAMS,
  ...(opt("blowup") ? { logBlowup: Number(opt("blowup")) } : {}),
  ...(opt("queries") ? { numQueries: Number(opt("queries")) } : {}),
  ...(opt("pow") ? { powBits: Number(opt("pow")) } : {}),
  ...(args.includes("--no-zk") ? { zk: false } : {}),
};

let peakRss = 0;
const sample = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
const timer = setInterval(sample, 20);

const air = wideAir(width);
for (const logN of sizes) {
  peakRss = 0;
  const { traces, publics } = wideTrace(width, logN);
  sample();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await prove(air, traces, publics, { params, check: false });
  const proveS = (performance.now() - t0) / 1000;
  // CPU seconds of all threads (main + workers): on a shared machine the wall clock overstates our own cost.
  const cpu = process.cpuUsage(cpu0);
  const proveCpuS = (cpu.user + cpu.system) / 1e6;
  sample();
  const c0 = performance.now();
  const v = verify(air, r.bytes, publics, { params });
  const cold = performance.now() - c0;
  if (!v.ok) throw new Error(`verification failed: ${JSON.stringify(v.error)}`);
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const w0 = performance.now();
    verify(air, r.bytes, publics, { params });
    warm.push(performance.now() - w0);
  }
  warm.sort((a, b) => a - b);
  const row = {
    rows: 2 ** logN, logRows: logN, columns: width, params,
    proveSeconds: +proveS.toFixed(3), proveCpuSeconds: +proveCpuS.toFixed(3), loadAverage1m: +loadavg()[0]!.toFixed(2), verifyMsCold: +cold.toFixed(2), verifyMsWarm: +warm[2]!.toFixed(2),
    proofBytes: r.bytes.length, peakRssMiB: Math.round(peakRss / 2 ** 20),
    securityBitsConjectured: r.shape.security.conjectured, securityBitsProven: r.shape.security.proven,
    logLde: r.shape.logLde, phasesMs: r.timings,
  };
  if (json) console.log(JSON.stringify(row));
  else console.log(`2^${logN} × ${width}: prove ${row.proveSeconds} s (${row.proveCpuSeconds} CPU s, load ${row.loadAverage1m}), verify ${row.verifyMsWarm} ms warm / ${row.verifyMsCold} ms cold, proof ${(row.proofBytes / 1024).toFixed(1)} KiB, peak RSS ${row.peakRssMiB} MiB, security ${row.securityBitsConjectured} bits conjectured (${row.securityBitsProven} proven), LDE 2^${row.logLde}; phases ms ${JSON.stringify(r.timings)}`);
}
clearInterval(timer);
await closeSharedPool();
await closeQuotientPool();
