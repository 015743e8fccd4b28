import type { CliCommand } from '../command';

// Not implemented yet: the issue that defines this command replaces this file.
export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Benchmarks (printed tables) (not implemented yet)',
  flags: {},
  async run() {
    console.error('maskline bench: not implemented yet');
    return 1;
  },
};
