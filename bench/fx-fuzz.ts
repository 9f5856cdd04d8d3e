// `npm run fuzz:fx`: exhaustive accuracy check of the unary fx functions over all 2^32 inputs (or a
// stride), against float64 with BigInt for near-ties (test/fx-measure.ts). Prints max / mean ulp and
// the number of results that are not correctly rounded; exits 1 if any is found.
// Usage: npm run fuzz:fx [-- --functions exp,ln,sqrt,sigmoid,tanh] [-- --stride N] [-- --json]
// About 7 minutes per function for the full 2^32 on one core.

import { compileFx, instantiateFx } from "../test/fx-harness.ts";
import { emptyStats, finish, formatStats, measureOne, unaryCases } from "../test/fx-measure.ts";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const stride = Number(opt("--stride") ?? 1);
if (!Number.isSafeInteger(stride) || stride < 1) {
  console.error(JSON.stringify({ error: { kind: "InvalidArgument", message: `--stride must be a positive integer` } }));
  process.exit(2);
}
const fx = await instantiateFx(await compileFx());
const cases = unaryCases(fx);
const names = (opt("--functions") ?? "exp,ln,sqrt,sigmoid,tanh").split(",");
const unknown = names.filter((n) => !(n in cases));
if (unknown.length > 0) {
  console.error(JSON.stringify({ error: { kind: "InvalidArgument", message: `unknown function(s) ${unknown.join(", ")}` } }));
  process.exit(2);
}

let bad = 0;
const results: Record<string, unknown> = {};
for (const name of names) {
  const c = cases[name as keyof typeof cases];
  // ln and sqrt are defined on positive / non-negative inputs only.
  const lo = name === "ln" ? 1 : name === "sqrt" ? 0 : -(2 ** 31);
  const hi = name === "exp" ? 681391 : 2 ** 31 - 1;
  const s = emptyStats();
  const t0 = Date.now();
  for (let x = lo; x <= hi; x += stride) measureOne(c, x, s);
  const f = finish(s);
  bad += f.misrounded;
  results[name] = { ...f, seconds: (Date.now() - t0) / 1000 };
  if (!json) console.log(`${formatStats(name, f)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
if (json) console.log(JSON.stringify({ stride, results }));
process.exit(bad === 0 ? 0 : 1);
