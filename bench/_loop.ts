import { readFileSync } from "node:fs";
import { verify } from "../vm/api.ts";
const name = process.argv[2] ?? "data-blob";
const dir = process.argv[3] ?? "/tmp/vprof-base";
const rc = new Uint8Array(readFileSync(`${dir}/${name}.receipt`));
const id = readFileSync(`${dir}/${name}.id`, "utf8").trim();
const n = Number(process.argv[4] ?? 200);
for (let i = 0; i < 5; i++) verify(rc, id);
const t = performance.now();
for (let i = 0; i < n; i++) { const v = verify(rc, id); if (!v.valid) throw new Error(JSON.stringify(v)); }
console.log(name, "avg ms", ((performance.now() - t) / n).toFixed(2));
