import { build, execute, inspect, loadImage, serializeImage } from "./vm/api.ts";
import { writeFileSync } from "node:fs";
writeFileSync("/tmp/h1b/blob.bin", new Uint8Array([7, 1, 2, 3, 4]));
const t0 = performance.now();
const { image, imageId } = await build("/tmp/h1b/g/guest.ts", { data: [{ name: "blob", file: "/tmp/h1b/blob.bin" }], out: "/tmp/h1b/g.zkimg" });
console.log("build ms", performance.now() - t0, imageId);
const input = new Uint8Array([5, 0, 0, 0]);
for (const engine of ["vm", "wasm"] as const) {
  const r = execute(image, input, { engine });
  console.log(engine, r.exitCode, r.cycles, Buffer.from(r.journal).toString("hex"));
}
const again = loadImage("/tmp/h1b/g.zkimg");
console.log(execute(again, input).cycles, inspect(again));
