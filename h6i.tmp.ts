import { loadMnist } from "./cli/mnist/idx.ts";
import { FixedTrainer } from "./cli/mnist/fixed-reference.ts";
import { initParams, layerOffsets, paramsHash, toHex } from "./cli/mnist/model.ts";
import { packSegments } from "./cli/mnist/dataset.ts";
import { encodeInput, decodeJournal } from "./cli/mnist/guest-io.ts";
import { compileGuestForV8, runGuestV8 } from "./cli/mnist/v8-runner.ts";
const train = loadMnist("train"), test = loadMnist("test");
const segs = new Map(packSegments(train, test).map((s) => [s.name, s.bytes]));
const wasm = await compileGuestForV8();
for (const [B, big, px] of [[256, 2 ** 30 - 1, 406], [256, 2 ** 30 - 1, 400], [512, 2 ** 29, 406]] as const) {
  const spec = { layers: [784, 16, 10], batch: B, lrRaw: 13107, seed: 4, samples: 1024 };
  const p = initParams(spec.layers, 4);
  const o = layerOffsets(spec.layers)[0]!;
  p[o.w + px] = big;
  const em = new FixedTrainer(spec, train, p);
  let e1: any, e2: any;
  try { em.trainBatches(0, 1); } catch (e) { e1 = e; }
  let j: any;
  try { const r = await runGuestV8(wasm, encodeInput({ mode: "train", ...spec, startBatch: 0, numBatches: 1, params: p }), segs); j = decodeJournal(r.journal); } catch (e) { e2 = e; }
  console.log(B, big, "fallbacks", em.bigIntFallbacks, "emu err", e1?.kind, "guest err", e2?.kind, j && j.endHash === toHex(paramsHash(em.params)));
}
