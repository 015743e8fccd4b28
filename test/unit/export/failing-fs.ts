// A disk that fills up: the export's OutputFs with a byte budget; the write that crosses it
// writes what still fits and then fails with ENOSPC, as a real full disk does.
import { nodeOutputFs, type OutputFs } from '../../../src-main/core/export/output-fs';

function enospc(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', path });
}

export function fullDiskAfter(budget: number): OutputFs & { written: () => number } {
  let used = 0;
  const take = (n: number) => {
    const fits = Math.max(0, Math.min(n, budget - used));
    used += fits;
    return fits;
  };
  return {
    written: () => used,
    async writeFile(path, data) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      const fits = take(bytes.length);
      await nodeOutputFs.writeFile(path, bytes.subarray(0, fits));
      if (fits < bytes.length) throw enospc(path);
    },
    async openWriter(path) {
      const w = await nodeOutputFs.openWriter(path);
      return {
        async write(data) {
          const bytes = typeof data === 'string' ? Buffer.from(data) : data;
          const fits = take(bytes.length);
          await w.write(bytes.subarray(0, fits));
          if (fits < bytes.length) throw enospc(path);
        },
        close: () => w.close(),
      };
    },
  };
}
