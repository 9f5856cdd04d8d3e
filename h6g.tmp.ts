import { build, execute } from "./vm/api.ts";
import { GUEST_ENTRY } from "./cli/mnist/v8-runner.ts";
import { loadMnist, subset } from "./cli/mnist/idx.ts";
import { packSegments } from "./cli/mnist/dataset.ts";
import { encodeInput, decodeJournal } from "./cli/mnist/guest-io.ts";
import { FixedTrainer } from "./cli/mnist/fixed-reference.ts";
import { paramsHash, toHex } from "./cli/mnist/model.ts";
const train = loadMnist("train"), test = loadMnist("test");
let t = performance.now();
const { image, imageId } = await build(GUEST_ENTRY, { data: packSegments(train, test) });
console.log("build ms", performance.now() - t, imageId);
const spec = { layers: [784, 16, 10], batch: 16, lrRaw: 13107, seed: 11, samples: 60000 };
const input = encodeInput({ mode: "train", ...spec, startBatch: 30, numBatches: 2 });
for (const engine of ["vm", "wasm"] as const) {
  t = performance.now();
  const r = execute(image, input, { engine });
  const j = decodeJournal(r.journal) as any;
  console.log(engine, r.exitCode, r.cycles, performance.now() - t, j.endHash);
}
const em = new FixedTrainer(spec, train); em.trainBatches(30, 2); console.log("emu", toHex(paramsHash(em.params)));
