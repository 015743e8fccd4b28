import type { CliCommand } from '../command';

// Not implemented yet: the issue that defines this command replaces this file.
export const segmentAllCommand: CliCommand = {
  name: 'segment-all',
  summary: 'Propose every object on one frame (not implemented yet)',
  flags: {},
  async run() {
    console.error('maskline segment-all: not implemented yet');
    return 1;
  },
};
