// The VM executor (docs/executor.md).
export { execute, executeStepwise, replayWindow, type ExecuteOptions, type ExecuteResult, type TraceSink } from "./execute.ts";
export {
  Machine,
  type MachineOptions,
  type MachineSnapshot,
  DEFAULT_MAX_CYCLES,
  DEFAULT_MAX_CALL_DEPTH,
  DEFAULT_MAX_SLOTS,
  DEFAULT_MAX_MEMORY_PAGES,
} from "./machine.ts";
export { BASE_CYCLES, analyzeProgram, type ProgramLayout } from "./layout.ts";
export { executeWithCheckpoints, machineAtCheckpoint, type Checkpoint, type CheckpointedRun } from "./checkpoints.ts";
