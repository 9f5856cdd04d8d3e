/**
 * A table's constraint DAG and the quotient's γ-combination compiled into one straight-line vector program for
 * the WASM kernel (assembly/program.ts): per block of S points the prover writes the transposed main and aux rows
 * (and periodic values) into the program's leaf buffers in kernel memory, runs the program once, and reads four
 * extension accumulators Σ_{k in domain} γ^k·C_k. Same values as the JavaScript evaluator (prover/vec-eval.ts).
 *
 * Layout (kernel scratch, valid while no other kernel call runs — the quotient loop makes none):
 *   main leaves  width × pitch   column c at c·pitch, its next-row values at c·pitch + sh
 *   aux leaves   4·auxWidth × pitch  (coordinate k of ext column c is base column 4c + k, so ext values have
 *                coordinate stride pitch — the stride of every extension vector of the program)
 *   one buffer per other needed node (base: pitch, ext: 4·pitch), the four accumulators, the program.
 * Nodes that do not depend on the row are evaluated once here and broadcast.
 */
import type { SymbolicTable } from "../verifier/symbolic.ts";
import { eAdd, eMul, eNeg, eSub, extOf, type Ext } from "../verifier/ext.ts";
import { mul } from "../verifier/field.ts";
import { kernels, type Kernels } from "./kernels/index.ts";
import { neededNodes } from "./vec-eval.ts";

const OP = {
  ADD_BB: 0, ADD_EB: 1, ADD_EE: 2, SUB_BB: 3, SUB_EB: 4, SUB_BE: 5, SUB_EE: 6, MUL_BB: 7, MUL_EB: 8, MUL_EE: 9,
  NEG_B: 10, NEG_E: 11, MACC_B: 12, MACC_E: 13, ZERO_E: 14,
} as const;
const R_MOD_P = 268435454; // 2^32 mod p
const DOMAINS = ["every", "transition", "first", "last"] as const;

export class QuotientProgram {
  readonly mainAt: number;
  readonly auxAt: number;
  /** per periodic column: the address of its leaf buffer, or −1 if no constraint reads it */
  readonly periodicAt: number[];
  readonly accAt: Record<(typeof DOMAINS)[number], number>;
  private readonly k: Kernels;
  private readonly progAt: number;
  private readonly count: number;

  constructor(
    t: SymbolicTable, private readonly S: number, private readonly pitch: number, sh: number,
    publics: readonly number[], challenges: readonly Ext[], logupSum: Ext, gammas: readonly Ext[],
  ) {
    if (S % 4 !== 0 || S < 4 || pitch < S) throw new RangeError("block size must be a positive multiple of 4");
    const nodes = t.nodes;
    const need = neededNodes(t, t.constraints.map((c) => c.node));
    // row-independent nodes: evaluated once (as extension elements; base ones have zero coordinates 1–3)
    const stat: (Ext | undefined)[] = new Array(nodes.length);
    nodes.forEach((n, i) => {
      switch (n.op) {
        case "const": stat[i] = extOf(n.value); break;
        case "public": stat[i] = extOf(publics[n.index]!); break;
        case "challenge": stat[i] = challenges[n.index]!; break;
        case "logupSum": stat[i] = logupSum; break;
        case "add": if (stat[n.a] && stat[n.b]) stat[i] = eAdd(stat[n.a]!, stat[n.b]!); break;
        case "sub": if (stat[n.a] && stat[n.b]) stat[i] = eSub(stat[n.a]!, stat[n.b]!); break;
        case "mul": if (stat[n.a] && stat[n.b]) stat[i] = eMul(stat[n.a]!, stat[n.b]!); break;
        case "neg": if (stat[n.a]) stat[i] = eNeg(stat[n.a]!); break;
        default: break;
      }
    });
    const k = (this.k = kernels());
    let cursor = k.scratchBase();
    const alloc = (u32s: number): number => { const at = cursor; cursor = (cursor + 4 * u32s + 15) & ~15; return at; };
    this.mainAt = alloc(t.width * pitch);
    this.auxAt = alloc(4 * t.auxWidth * pitch);
    this.periodicAt = t.periodic.map(() => -1);
    const addr = new Int32Array(nodes.length).fill(-1);
    const fills: [number, Ext, boolean][] = [];
    const prog: number[] = [];
    const emit = (op: number, out: number, a: number, b: number, c?: Ext) => {
      prog.push(op, out, a, b);
      if (c) for (let j = 0; j < 4; j++) prog.push(mul(c[j]!, R_MOD_P)); // c·2^32: a Montgomery product gives a·c
      else prog.push(0, 0, 0, 0);
    };
    // Intermediate buffers are reused once their node's last reader has run (base and extension buffers in their own
    // free lists), and each constraint is accumulated right after its node: the CPU table's program (4,296 nodes,
    // blocks of 2,048 points) needs 10.8 MiB of kernel memory instead of 52.8 (one buffer per node), in every
    // quotient worker. Speed is unchanged (≈ 6 µs per point either way: the program is compute-bound).
    const lastUse = new Int32Array(nodes.length).fill(-1);
    const byNode = new Map<number, number[]>(); // node → the constraints on it
    t.constraints.forEach((c, ci) => {
      lastUse[c.node] = Math.max(lastUse[c.node]!, c.node);
      const l = byNode.get(c.node);
      if (l) l.push(ci); else byNode.set(c.node, [ci]);
    });
    nodes.forEach((n, i) => {
      if (!need[i] || stat[i]) return;
      if (n.op === "add" || n.op === "sub" || n.op === "mul") { lastUse[n.a] = Math.max(lastUse[n.a]!, i); lastUse[n.b] = Math.max(lastUse[n.b]!, i); }
      else if (n.op === "neg") lastUse[n.a] = Math.max(lastUse[n.a]!, i);
    });
    const pooled = new Uint8Array(nodes.length);
    const free: [number[], number[]] = [[], []]; // base, extension
    const take = (ext: boolean): number => free[ext ? 1 : 0].pop() ?? alloc(ext ? 4 * pitch : pitch);
    const release = (x: number, at: number) => {
      if (pooled[x] && lastUse[x] === at) { pooled[x] = 0; free[t.isExt[x] === 1 ? 1 : 0].push(addr[x]!); }
    };
    const accAt = {} as Record<(typeof DOMAINS)[number], number>;
    for (const d of DOMAINS) { accAt[d] = alloc(4 * pitch); emit(OP.ZERO_E, accAt[d], 0, 0); }
    this.accAt = accAt;
    nodes.forEach((n, i) => {
      if (!need[i]) return;
      const ext = t.isExt[i] === 1;
      const accumulate = () => {
        for (const ci of byNode.get(i) ?? []) {
          const c = t.constraints[ci]!;
          emit(ext ? OP.MACC_E : OP.MACC_B, accAt[c.domain], addr[i]!, 0, gammas[ci]!);
        }
      };
      if (stat[i]) { addr[i] = alloc(ext ? 4 * pitch : pitch); fills.push([addr[i]!, stat[i]!, ext]); accumulate(); return; }
      switch (n.op) {
        case "main": addr[i] = this.mainAt + 4 * (n.col * pitch + (n.next ? sh : 0)); accumulate(); return;
        case "aux": addr[i] = this.auxAt + 4 * (4 * n.col * pitch + (n.next ? sh : 0)); accumulate(); return;
        case "periodic":
          if (this.periodicAt[n.col]! < 0) this.periodicAt[n.col] = alloc(pitch);
          addr[i] = this.periodicAt[n.col]!;
          accumulate();
          return;
        case "add": case "sub": case "mul": {
          const out = (addr[i] = take(ext));
          pooled[i] = 1;
          const a = addr[n.a]!, b = addr[n.b]!, ea = t.isExt[n.a] === 1, eb = t.isExt[n.b] === 1;
          if (n.op === "add") {
            if (!ea && !eb) emit(OP.ADD_BB, out, a, b);
            else if (ea && eb) emit(OP.ADD_EE, out, a, b);
            else emit(OP.ADD_EB, out, ea ? a : b, ea ? b : a);
          } else if (n.op === "sub") {
            if (!ea && !eb) emit(OP.SUB_BB, out, a, b);
            else if (ea && eb) emit(OP.SUB_EE, out, a, b);
            else if (ea) emit(OP.SUB_EB, out, a, b);
            else emit(OP.SUB_BE, out, b, a); // base a − ext b: the kernel takes the ext operand first
          } else {
            if (!ea && !eb) emit(OP.MUL_BB, out, a, b);
            else if (ea && eb) emit(OP.MUL_EE, out, a, b);
            else emit(OP.MUL_EB, out, ea ? a : b, ea ? b : a);
          }
          accumulate();
          release(n.a, i);
          if (n.b !== n.a) release(n.b, i);
          release(i, i);
          return;
        }
        case "neg": {
          const out = (addr[i] = take(ext));
          pooled[i] = 1;
          emit(ext ? OP.NEG_E : OP.NEG_B, out, addr[n.a]!, 0);
          accumulate();
          release(n.a, i);
          release(i, i);
          return;
        }
        default: throw new Error(`node ${i} (${n.op}) has no value`);
      }
    });
    this.count = prog.length / 8;
    this.progAt = alloc(prog.length);
    k.ensure(cursor);
    const mem = k.u32();
    mem.set(prog, this.progAt >>> 2);
    for (const [at, v, ext] of fills) {
      const o = at >>> 2;
      mem.fill(v[0]!, o, o + pitch);
      if (ext) for (let j = 1; j < 4; j++) mem.fill(v[j]!, o + j * pitch, o + (j + 1) * pitch);
    }
  }

  /** A fresh view of kernel memory (the program never grows it; take it once per range). */
  memory(): Uint32Array {
    return this.k.u32();
  }

  run(): void {
    this.k.x.runProgram(this.progAt, this.count, this.S, this.pitch);
  }
}
