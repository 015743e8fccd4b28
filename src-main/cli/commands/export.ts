import type { CliCommand } from '../command';

// Not implemented yet: the issue that defines this command replaces this file.
export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export the masks of a project (not implemented yet)',
  flags: {},
  async run() {
    console.error('maskline export: not implemented yet');
    return 1;
  },
};
