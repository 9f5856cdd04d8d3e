// Runs one request of the training guest: cli/mnist/image.ts runMnistGuest without its module's static
// import of the asc compiler (via v8-runner.ts), which costs ~10 s of start-up under tsx — `zkvm train`
// with a cached image must not pay for a compiler it does not use.

import { execute, type Engine } from "../../vm/api.ts";
import { decodeJournal, encodeInput, type GuestRequest } from "../mnist/guest-io.ts";
import type { GuestRun, MnistImage } from "../mnist/image.ts";
import { TrainError } from "./errors.ts";

export function runTrainingGuest(img: MnistImage, req: GuestRequest, engine: Engine): GuestRun {
  const r = execute(img.image, encodeInput(req), { engine, log: () => {} });
  if (r.exitCode !== 0) throw new TrainError("GuestExitCode", `training guest exited with code ${r.exitCode}`);
  return { journal: decodeJournal(r.journal), journalBytes: r.journal, cycles: r.cycles };
}
