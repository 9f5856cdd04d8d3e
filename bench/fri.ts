/**
 * `npm run bench:fri [-- --min 16 --max 20 --arity 2 --queries 43 --pow 16]`: FRI prove / verify times and proof
 * sizes for 2^min..2^max extension evaluations (degree bound = size / blowup).
 */
import { P } from "../verifier/field.ts";
import { Transcript } from "../verifier/transcript.ts";
import { friShape, verifyFri, encodeFriProof, decodeFriProof } from "../verifier/fri.ts";
import { DEFAULT_PARAMS, securityBits, securityTable } from "../verifier/params.ts";
import { friCommitPhase, friGrindAndQuery, friProof } from "../prover/fri.ts";
import { evaluate } from "../prover/ntt.ts";

const opt = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const params = {
  ...DEFAULT_PARAMS,
  logFoldingArity: opt("arity", DEFAULT_PARAMS.logFoldingArity),
  numQueries: opt("queries", DEFAULT_PARAMS.numQueries),
  powBits: opt("pow", DEFAULT_PARAMS.powBits),
  logBlowup: opt("blowup", DEFAULT_PARAMS.logBlowup),
};
console.log(securityTable({ ...params, zk: true }, 16, 24));
for (let logN = opt("min", 16); logN <= opt("max", 20); logN++) {
  const logD = logN - params.logBlowup;
  const shape = friShape(params, logD);
  const evals = new Uint32Array(4 << logN);
  for (let c = 0; c < 4; c++) {
    const co = new Uint32Array(1 << logD);
    for (let j = 0; j < co.length; j++) co[j] = Math.floor(Math.random() * P);
    const ev = evaluate(co, logN, 31);
    for (let i = 0; i < ev.length; i++) evals[4 * i + c] = ev[i]!;
  }
  const t = new Transcript("bench");
  let s = performance.now();
  const st = await friCommitPhase(t, shape, evals);
  const commitMs = performance.now() - s;
  s = performance.now();
  const { powNonce, indices } = friGrindAndQuery(t, st);
  const powMs = performance.now() - s;
  s = performance.now();
  const proof = friProof(st, powNonce, indices);
  const openMs = performance.now() - s;
  const bytes = encodeFriProof(proof, shape);
  const times: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    s = performance.now();
    const res = verifyFri(new Transcript("bench"), params, logD, decodeFriProof(bytes, shape), (idx) => idx.map((i) => evals.slice(4 * i, 4 * i + 4)));
    times.push(performance.now() - s);
    if (!res.ok) throw new Error(JSON.stringify(res.error));
  }
  const sec = securityBits(params, logN);
  console.log(
    `2^${logN} ext evals: commit ${commitMs.toFixed(0)} ms, grind ${powMs.toFixed(0)} ms, open ${openMs.toFixed(1)} ms, ` +
      `verify cold ${times[0]!.toFixed(1)} ms / warm ${Math.min(...times.slice(1)).toFixed(1)} ms, proof ${bytes.length} B, ` +
      `conjectured ${sec.conjectured} bits, proven ${sec.proven} bits`,
  );
}
