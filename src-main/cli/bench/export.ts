import type { BenchSuite } from './suite';

// Not written yet: the issue that owns this suite replaces this file.
export const exportBench: BenchSuite = {
  name: 'export',
  summary: 'not written yet',
  async run() {
    return [];
  },
};
