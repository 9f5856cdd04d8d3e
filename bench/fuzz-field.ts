/**
 * `npm run fuzz:field [-- --pairs N]`: base and extension field arithmetic against BigInt on N random pairs
 * (default 10^6), then the multiplication throughput of the two base-field multiply variants.
 */
import { randomBytes } from "node:crypto";
import { P, P_BIG, add, sub, mul, mulSplit, inv } from "../verifier/field.ts";
import { eMul, eMulAt, eInv, eEq, extOf, EXT_ONE } from "../verifier/ext.ts";

const arg = process.argv.indexOf("--pairs");
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;

function randomElements(n: number): Uint32Array {
  const out = new Uint32Array(n);
  let i = 0;
  while (i < n) {
    const w = new Uint32Array(randomBytes(4 * 65536).buffer);
    for (let j = 0; j < w.length && i < n; j++) if ((w[j]! & 0x7fffffff) < P) out[i++] = w[j]! & 0x7fffffff;
  }
  return out;
}

let bad = 0;
const a = randomElements(N), b = randomElements(N);
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const x = a[i]!, y = b[i]!;
  const X = BigInt(x), Y = BigInt(y);
  if (mul(x, y) !== Number((X * Y) % P_BIG)) bad++;
  if (mulSplit(x, y) !== Number((X * Y) % P_BIG)) bad++;
  if (add(x, y) !== Number((X + Y) % P_BIG)) bad++;
  if (sub(x, y) !== Number((X - Y + P_BIG) % P_BIG)) bad++;
  if (i % 1000 === 0 && x !== 0 && mul(x, inv(x)) !== 1) bad++;
}
console.log(`base field: ${N} pairs vs BigInt, ${bad} mismatches (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

let extBad = 0;
const ea = randomElements(4 * N), eb = randomElements(4 * N);
t0 = performance.now();
for (let i = 0; i < N; i++) {
  const u = ea.subarray(4 * i, 4 * i + 4), v = eb.subarray(4 * i, 4 * i + 4);
  const c = new Array<bigint>(7).fill(0n);
  for (let r = 0; r < 4; r++) for (let s = 0; s < 4; s++) c[r + s]! += BigInt(u[r]!) * BigInt(v[s]!);
  for (let k = 6; k >= 4; k--) c[k - 4]! += 11n * c[k]!;
  const got = eMul(u, v);
  for (let k = 0; k < 4; k++) if (got[k] !== Number(c[k]! % P_BIG)) extBad++;
  if (i % 64 === 0 && !eEq(eMul(u, eInv(u)), EXT_ONE)) extBad++;
}
console.log(`extension: ${N} products vs BigInt, ${extBad} mismatches (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

// throughput: a dependent chain (latency-bound, like Horner) and independent products (throughput-bound)
for (const [name, f] of [["mul (Barrett float quotient + imul)", mul], ["mulSplit (16-bit split, two %)", mulSplit]] as const) {
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    const out = new Uint32Array(N);
    const s = performance.now();
    for (let i = 0; i < N; i++) out[i] = f(a[i]!, b[i]!);
    best = Math.max(best, N / ((performance.now() - s) / 1000));
  }
  let chain = 1;
  const s = performance.now();
  for (let i = 0; i < N; i++) chain = f(chain, a[i]! | 1);
  const dep = N / ((performance.now() - s) / 1000);
  console.log(`${name}: ${(best / 1e6).toFixed(0)} M mul/s independent, ${(dep / 1e6).toFixed(0)} M mul/s dependent chain (${chain})`);
}
{
  const K = Math.floor(N / 4);
  const s = performance.now();
  let acc = extOf(1, 2, 3, 4);
  for (let i = 0; i + 4 <= N && i < 4 * K; i += 4) acc = eMul(acc, a.subarray(i, i + 4));
  console.log(`extension mul (eMul, allocating): ${(K / ((performance.now() - s) / 1000) / 1e6).toFixed(1)} M/s (${acc[0]})`);
  const out = new Uint32Array(4 * N);
  const s2 = performance.now();
  for (let i = 0; i < N; i++) eMulAt(out, 4 * i, ea, 4 * i, eb, 4 * i);
  console.log(`extension mul (eMulAt, flat, in place): ${(N / ((performance.now() - s2) / 1000) / 1e6).toFixed(1)} M/s`);
}
if (bad + extBad > 0) process.exit(1);
