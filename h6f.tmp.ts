import { compileGuestForVm, withData } from "./cli/mnist/vm-runner.ts";
import { loadMnist } from "./cli/mnist/idx.ts";
import { packSegments } from "./cli/mnist/dataset.ts";
import { encodeInput } from "./cli/mnist/guest-io.ts";
import { FixedTrainer } from "./cli/mnist/fixed-reference.ts";
import { execute } from "./vm/executor/index.ts";
const train = loadMnist("train"), test = loadMnist("test");
const prog = withData(await compileGuestForVm(), packSegments(train, test));
const spec = { layers: [784, 64, 10], batch: 64, lrRaw: 13107, seed: 0, samples: 60000 };
const em = new FixedTrainer(spec, train);
for (const upto of [0, 100, 400]) {
  em.trainBatches(em === em ? 0 : 0, 0);
}
let done = 0;
for (const at of [0, 100, 600]) {
  em.trainBatches(done, at - done); done = at;
  const params = em.params;
  const r0 = execute(prog, encodeInput({ mode: "train", ...spec, startBatch: at, numBatches: 0, params }), { log: () => {} });
  const t = performance.now();
  const r = execute(prog, encodeInput({ mode: "train", ...spec, startBatch: at, numBatches: 2, params }), { log: () => {} });
  const ms = performance.now() - t;
  console.log("at batch", at, "cycles/sample", (r.cycles - r0.cycles) / 128, "Mcycles/s", (r.cycles / ms / 1000).toFixed(1), "hash-only cycles", r0.cycles);
}
