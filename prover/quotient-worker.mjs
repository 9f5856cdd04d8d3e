// Quotient worker entry: registers tsx (resolved from this file), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./quotient-worker.ts");
