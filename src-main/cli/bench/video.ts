import type { BenchSuite } from './suite';

// Not written yet: the issue that owns this suite replaces this file.
export const videoBench: BenchSuite = {
  name: 'video',
  summary: 'not written yet',
  async run() {
    return [];
  },
};
