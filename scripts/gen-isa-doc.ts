// Regenerates the opcode table of docs/ISA.md from vm/isa.ts (the single source of truth), between
// the markers <!-- isa-table:begin --> and <!-- isa-table:end -->. `npx tsx scripts/gen-isa-doc.ts`.
// test/isa.test.ts fails when the committed table is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { isaMarkdownTable, ISA_TABLE_BEGIN, ISA_TABLE_END } from "../vm/isa-doc.ts";

const path = new URL("../docs/ISA.md", import.meta.url);
const doc = readFileSync(path, "utf8");
const i = doc.indexOf(ISA_TABLE_BEGIN);
const j = doc.indexOf(ISA_TABLE_END);
if (i < 0 || j < i) throw new Error("docs/ISA.md lacks the isa-table markers");
writeFileSync(path, doc.slice(0, i + ISA_TABLE_BEGIN.length) + "\n" + isaMarkdownTable() + doc.slice(j));
console.log("docs/ISA.md: table regenerated");
