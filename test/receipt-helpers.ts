// Shared by the receipt tests and `npm run fuzz:receipt`: small provable programs and a receipt made once.
import { asmProgram, type AsmInstr } from "../vm/executor/asm.ts";
import type { Program } from "../vm/program.ts";
import { DEFAULT_PARAMS, type StarkParams } from "../verifier/params.ts";

/** Non-ZK keeps each proof ~4 s; the ZK path is exercised through the CLI test. Still ≥ 100 bits. */
export const FAST_PARAMS: StarkParams = { ...DEFAULT_PARAMS, zk: false };

/** Σ_{i=1..n} i by a counted loop, exit code = the sum. */
export function sumProgram(n: number, globals: number[] = []): Program {
  const loop: AsmInstr[] = [["CONST", 0, n], ["CONST", 1, 0], ["ADD", 1, 1, 0], ["ADDI", 0, 0, -1], ["BRNZ", 0, 2], ["EXIT", 1]];
  return asmProgram(loop, { globals });
}

/** Sums a data segment's words through LOAD32 (touching one data page and one zero page): exit code 5 + 7. */
export function dataProgram(): Program {
  const code: AsmInstr[] = [["CONST", 0, 8], ["LOAD32", 1, 0, 0], ["LOAD32", 2, 0, 4], ["ADD", 1, 1, 2], ["LOAD32", 2, 0, 8192], ["ADD", 1, 1, 2], ["EXIT", 1]];
  return asmProgram(code, { initialPages: 1, maxPages: 1, segments: [{ addr: 8, bytes: Uint8Array.of(5, 0, 0, 0, 7, 0, 0, 0) }] });
}
