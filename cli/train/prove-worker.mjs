// Worker entry of `zkvm train --prove --workers N`: registers tsx (resolved from this file, so any cwd
// works), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./prove-worker.ts");
