// Public entry of the job registry: long-running work with throttled progress events,
// cancel by id and cancel-all on quit.
export { JobRegistry } from './registry';
export type { JobContext, JobFn, JobOptions, JobOutcome, JobHandle, JobRegistryOptions, JobListener, JobSnapshot, JobState } from './types';
export { computeRate, computeEta, nextEmitDelay, type ProgressSample } from './progress-math';
