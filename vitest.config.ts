import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real AssemblyScript compiles and real proofs take seconds, not milliseconds.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // CI has 2 cores; more forks only add memory pressure.
    maxWorkers: 2,
    execArgv: ["--no-liftoff"],
  },
});
