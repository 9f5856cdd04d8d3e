// The AIR digest after the memoisation of verifier/symbolic.ts (per-table bytes, cached SHA-256 prefix states)
// equals the original one-shot computation, kept here verbatim as the reference, for the VM AIR (fresh per run,
// sharing table objects per image) and the example AIRs, on first use and on cache hits.
import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { symbolicAir, type SymbolicTable } from "../verifier/symbolic.ts";
import type { ConstraintDomain, ExprNode, PublicInteractions, Air } from "../verifier/air.ts";
import { fibonacciAir } from "../prover/examples/fibonacci.ts";
import { mulBusAir } from "../prover/examples/mul-bus.ts";
import { vmAir, vmAirOfRun, vmProgramAir } from "../vm/air/air.ts";
import { initPagesOf } from "../vm/air/index.ts";
import { asmProgram } from "../vm/executor/asm.ts";

class ByteWriter {
  private parts: number[] = [];
  u8(v: number): void {
    this.parts.push(v & 0xff);
  }
  u32(v: number): void {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  str(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    for (const x of b) this.parts.push(x);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const OP_CODES: Record<ExprNode["op"], number> = {
  const: 1, main: 2, aux: 3, periodic: 4, public: 5, challenge: 6, logupSum: 7, add: 8, sub: 9, mul: 10, neg: 11,
};
const DOMAIN_CODES: Record<ConstraintDomain, number> = { every: 0, first: 1, last: 2, transition: 3 };

function referenceDigest(name: string, numPublic: number, tables: readonly SymbolicTable[], pubs: readonly PublicInteractions[]): Uint8Array {
  const w = new ByteWriter();
  w.str("zkvm-ts/air/v2"); // v2: batched LogUp columns
  w.str(name);
  w.u32(numPublic);
  w.u32(tables.length);
  for (const t of tables) {
    w.str(t.name);
    w.u32(t.width);
    w.u32(t.auxWidth);
    w.u32(t.periodic.length);
    for (const c of t.periodic) {
      w.u32(c.length);
      for (const v of c) w.u32(v);
    }
    w.u32(t.nodes.length);
    for (const n of t.nodes) {
      w.u8(OP_CODES[n.op]);
      switch (n.op) {
        case "const": w.u32(n.value); break;
        case "main": case "aux": w.u32(n.col); w.u8(n.next ? 1 : 0); break;
        case "periodic": w.u32(n.col); break;
        case "public": case "challenge": w.u32(n.index); break;
        case "logupSum": break;
        case "add": case "sub": case "mul": w.u32(n.a); w.u32(n.b); break;
        case "neg": w.u32(n.a); break;
      }
    }
    w.u32(t.constraints.length);
    for (const c of t.constraints) {
      w.u32(c.node);
      w.u8(DOMAIN_CODES[c.domain]);
    }
    w.u32(t.interactions.length);
    for (const it of t.interactions) {
      w.u32(it.bus);
      w.u8(it.direction === "send" ? 0 : 1);
      w.u32(it.tuple.length);
      for (const x of it.tuple) w.u32(x);
      w.u32(it.multiplicity);
      w.u8(it.bound === undefined ? 0 : 1);
      if (it.bound !== undefined) { w.u32(it.bound % 2 ** 32); w.u32(Math.floor(it.bound / 2 ** 32)); }
    }
  }
  // Public tuples can be large (a VM's opened memory pages): hashed separately, little-endian u32 each.
  w.u32(pubs.length);
  for (const pi of pubs) {
    w.u32(pi.bus);
    w.u8(pi.direction === "send" ? 0 : 1);
    w.u32(pi.arity);
    w.u32(pi.tuples.length);
    const le = new Uint8Array(pi.tuples.length * 4);
    const dv = new DataView(le.buffer);
    pi.tuples.forEach((v, i) => dv.setUint32(4 * i, v, true));
    for (const x of sha256(le)) w.u8(x);
  }
  return sha256(w.bytes());
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const ref = (air: Air) => { const s = symbolicAir(air); return hex(referenceDigest(s.name, s.numPublicInputs, s.tables, s.publicInteractions)); };

describe("AIR digest memoisation", () => {
  it("equals the one-shot reference digest, on first use and on cache hits", () => {
    const p = asmProgram(
      [["CONST", 0, 8], ["LOAD32", 1, 0, 0], ["LOAD32", 2, 0, 4], ["ADD", 1, 1, 2], ["EXIT", 1]] as never,
      { initialPages: 1, maxPages: 2, segments: [{ addr: 8, bytes: Uint8Array.of(5, 0, 0, 0, 7, 0, 0, 0) }] },
    );
    const base = vmProgramAir(p);
    const airs: Air[] = [
      fibonacciAir, mulBusAir, { ...fibonacciAir, name: "renamed" },
      vmAir(p), vmAir(p, initPagesOf(p, [0])), vmAirOfRun(base, initPagesOf(p, [0]), Uint8Array.of(1, 2)),
      vmAirOfRun(base, initPagesOf(p, [0, 3]), Uint8Array.of(1, 2)), vmAirOfRun(base, [], Uint8Array.of(9)), vmAirOfRun(base),
    ];
    const seen = new Set<string>();
    for (let round = 0; round < 2; round++) {
      for (const a of airs) {
        const fresh = { ...a }; // a new AIR object: the per-AIR memo misses, the table and prefix memos hit
        const d = hex(symbolicAir(fresh).digest);
        expect(d).toBe(ref(a));
        if (round === 0) seen.add(d);
      }
    }
    expect(seen.size).toBe(airs.length - 1); // all different statements but vmAir(p) = vmAirOfRun(base)
  });
});
