import type { CliCommand } from '../command';

// Not implemented yet: the issue that defines this command replaces this file.
export const trackCommand: CliCommand = {
  name: 'track',
  summary: 'Track objects through a video headless (SAM 2.1) (not implemented yet)',
  flags: {},
  async run() {
    console.error('maskline track: not implemented yet');
    return 1;
  },
};
