import type { BenchSuite } from './suite';

// Not written yet: the issue that owns this suite replaces this file.
export const workflowBench: BenchSuite = {
  name: 'workflow',
  summary: 'not written yet',
  async run() {
    return [];
  },
};
