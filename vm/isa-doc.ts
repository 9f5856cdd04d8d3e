// Markdown rendering of the ISA table (docs/ISA.md is generated from this; see scripts/gen-isa-doc.ts).
import { ISA, type CycleCost, type InstrSpec } from "./isa.ts";

export const ISA_TABLE_BEGIN = "<!-- isa-table:begin -->";
export const ISA_TABLE_END = "<!-- isa-table:end -->";

function cost(c: CycleCost): string {
  return c.perUnit ? `${c.rows} + ${c.perUnit}` : `${c.rows}`;
}

function operands(s: InstrSpec): string {
  return [s.a, s.b, s.c].map((k) => (k === "args" && s.argSlots ? `args[${s.argSlots}]` : k)).join(", ");
}

export function isaMarkdownTable(): string {
  const rows = Object.entries(ISA).map(
    ([name, s]) =>
      `| 0x${s.op.toString(16).padStart(2, "0")} | ${name} | ${s.group} | ${operands(s)} | ${cost(s.cycles)} | ${s.regAccesses} | ${s.memWords} | ${s.semantics.replaceAll("|", "\\|")} |`,
  );
  return [
    `${rows.length} instructions.`,
    "",
    "| opcode | mnemonic | group | a, b, c | cycles (rows) | slot accesses | memory words | semantics |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
