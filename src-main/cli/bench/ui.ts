import type { BenchSuite } from './suite';

// Not written yet: the issue that owns this suite replaces this file.
export const uiBench: BenchSuite = {
  name: 'ui',
  summary: 'not written yet',
  async run() {
    return [];
  },
};
