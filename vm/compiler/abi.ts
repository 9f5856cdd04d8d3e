// The guest ABI (docs/architecture.md, "Guest ABI"): the only imports a guest may declare, with their
// exact signatures, and the intrinsic each lowers to.

import type { ImportIntrinsic } from "./translate.ts";

export interface AbiImport {
  readonly intrinsic: ImportIntrinsic;
  readonly params: readonly ("i32" | "i64")[];
  readonly results: readonly ("i32" | "i64")[];
}

const i32 = "i32" as const;

export const GUEST_ABI: Readonly<Record<string, AbiImport>> = {
  "zkvm.read": { intrinsic: "read", params: [i32, i32], results: [] },
  "zkvm.input_len": { intrinsic: "input_len", params: [], results: [i32] },
  "zkvm.commit": { intrinsic: "commit", params: [i32, i32], results: [] },
  "zkvm.exit": { intrinsic: "exit", params: [i32], results: [] },
  "zkvm.log": { intrinsic: "log", params: [i32, i32], results: [] },
  "zkvm.fxmul": { intrinsic: "fxmul", params: [i32, i32], results: [i32] },
  "zkvm.dot": { intrinsic: "dot", params: [i32, i32, i32, i32, i32, "i64", i32], results: [i32] },
  "zkvm.axpy": { intrinsic: "axpy", params: [i32, i32, i32, i32, i32, i32, i32], results: [] },
  "zkvm.sha256_compress": { intrinsic: "sha256_compress", params: [i32, i32], results: [] },
  "env.abort": { intrinsic: "abort", params: [i32, i32, i32, i32], results: [] },
};

export function abiSignature(a: AbiImport): string {
  return `(${a.params.join(",")})->(${a.results.join(",")})`;
}
