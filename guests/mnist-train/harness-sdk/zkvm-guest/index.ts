// Test-only stand-in for the SDK's data-segment lookup, used when the guest is compiled with asc
// directly and run in V8 by cli/mnist/v8-runner.ts (before/without the real toolchain). The host
// places a segment in memory the first time its pointer is asked for. The real SDK
// (guest-sdk/zkvm-guest) replaces this file when the guest is built with `zkvm build`.

@external("harness", "data_ptr")
declare function hostDataPtr(name: usize): usize;

@external("harness", "data_len")
declare function hostDataLen(name: usize): usize;

export function dataPtr(name: string): usize {
  return hostDataPtr(changetype<usize>(name));
}

export function dataLen(name: string): usize {
  return hostDataLen(changetype<usize>(name));
}
