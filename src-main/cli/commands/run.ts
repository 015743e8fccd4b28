import type { CliCommand } from '../command';

// Not implemented yet: the issue that defines this command replaces this file.
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Video + prompts in, propagation, export out (not implemented yet)',
  flags: {},
  async run() {
    console.error('maskline run: not implemented yet');
    return 1;
  },
};
