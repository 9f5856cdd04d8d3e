// Measurement-only stand-in for the SDK's data-segment lookup, for running the guest in our VM
// (cli/mnist/vm-runner.ts) before `zkvm build --data` exists. The host places a directory at
// DATA_BASE: four (ptr: u32, len: u32) entries for train-images, train-labels, test-images,
// test-labels, followed by the segments themselves. DATA_BASE is far above the guest's heap.

const DATA_BASE: usize = 64 << 20;

function slot(name: string): usize {
  if (name == "train-images") return 0;
  if (name == "train-labels") return 1;
  if (name == "test-images") return 2;
  if (name == "test-labels") return 3;
  assert(false, "unknown data segment");
  return 0;
}

export function dataPtr(name: string): usize {
  return load<u32>(DATA_BASE + 8 * slot(name));
}

export function dataLen(name: string): usize {
  return load<u32>(DATA_BASE + 8 * slot(name) + 4);
}
