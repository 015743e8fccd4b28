// The file writes of an export go through this small interface so that tests can put a disk
// that fills up (or fails otherwise) under the writers without touching the real one.
import { open, writeFile } from 'node:fs/promises';

export interface FileWriter {
  write(data: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface OutputFs {
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** a file written in pieces (JSON and text too big to hold twice in memory) */
  openWriter(path: string): Promise<FileWriter>;
}

export const nodeOutputFs: OutputFs = {
  writeFile: (path, data) => writeFile(path, data),
  async openWriter(path) {
    const fh = await open(path, 'w');
    return {
      async write(data) {
        await fh.write(typeof data === 'string' ? Buffer.from(data) : data);
      },
      close: () => fh.close(),
    };
  },
};
