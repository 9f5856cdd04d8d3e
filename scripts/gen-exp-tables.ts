// Rewrites guests/mnist-train/lib/exp-tables.ts from cli/mnist/fixed-math.ts. `npx tsx scripts/gen-exp-tables.ts`.
import { writeFileSync } from "node:fs";
import { expTablesSource } from "../cli/mnist/exp-tables-source.ts";

writeFileSync(new URL("../guests/mnist-train/lib/exp-tables.ts", import.meta.url), expTablesSource());
console.log("guests/mnist-train/lib/exp-tables.ts: regenerated");
