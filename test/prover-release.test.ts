import { describe, expect, it } from "vitest";
import { releaseSharedBuffers } from "../prover/workers/release.ts";
import { WorkerPool } from "../prover/workers/pool.ts";
import { ldeColumnsParallel } from "../prover/workers/parallel.ts";

// V8 does not collect dead SharedArrayBuffers on memory pressure (prover/workers/release.ts): without an explicit
// collection a joint proof kept every part's matrices resident and was OOM-killed.
describe("releaseSharedBuffers", () => {
  const MiB = 2 ** 20;
  const arrayBuffers = (): number => process.memoryUsage().arrayBuffers;

  function allocateAndDrop(count: number, bytes: number): void {
    for (let i = 0; i < count; i++) new Uint32Array(new SharedArrayBuffer(bytes)).fill(i + 1);
  }

  it("frees the backing stores of unreferenced SharedArrayBuffers", async () => {
    await releaseSharedBuffers();
    const before = arrayBuffers();
    allocateAndDrop(8, 32 * MiB);
    expect(arrayBuffers() - before).toBeGreaterThanOrEqual(200 * MiB); // still resident: nothing collected them
    await releaseSharedBuffers();
    expect(arrayBuffers() - before).toBeLessThan(40 * MiB);
  });

  it("keeps buffers that are still referenced", async () => {
    await releaseSharedBuffers();
    const before = arrayBuffers();
    const live = new Uint32Array(new SharedArrayBuffer(64 * MiB)).fill(7);
    allocateAndDrop(4, 32 * MiB);
    await releaseSharedBuffers();
    // Other small buffers of this process may be collected in the same pass (CI once saw 45 bytes fewer than
    // `before` + 64 MiB), so the bounds leave 1 MiB of slack: the live 64 MiB stay, the dead 128 MiB go.
    const grown = arrayBuffers() - before;
    expect(grown).toBeGreaterThanOrEqual(63 * MiB);
    expect(grown).toBeLessThan(100 * MiB);
    expect(live[live.length - 1]).toBe(7);
  });

  it("a worker that saw a buffer lets it go once idle: the backing store is freed after the main thread drops it", async () => {
    const pool = new WorkerPool(2);
    try {
      await releaseSharedBuffers();
      const before = arrayBuffers();
      await (async () => {
        // 16 shared columns of 2^20 values (64 MiB) read in place by the workers, and a 128 MiB shared output
        const cols = Array.from({ length: 16 }, (_, i) => new Uint32Array(new SharedArrayBuffer(4 << 20)).fill(i + 1));
        const m = await ldeColumnsParallel(cols, 1, 31, { pool, minParallelValues: 0 });
        expect(m.data.length).toBe(16 * 2 ** 21);
        expect(arrayBuffers() - before).toBeGreaterThanOrEqual(190 * MiB); // both still referenced here
      })();
      // the workers collect after 5 ms without a task; poll for up to 5 s (a loaded machine delays their timers)
      let grown = Infinity;
      for (let i = 0; i < 50 && grown >= 40 * MiB; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await releaseSharedBuffers();
        grown = arrayBuffers() - before;
      }
      expect(grown).toBeLessThan(40 * MiB);
    } finally {
      await pool.close();
    }
  });
});
