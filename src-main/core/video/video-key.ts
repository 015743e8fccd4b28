// A video's content key names its frame cache: sha256 of size + mtime + the first MiB. Cheap
// (one read of 1 MiB, whatever the file size) and it changes when the file is replaced.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export const KEY_HEAD_BYTES = 1 << 20;

export async function computeVideoKey(path: string): Promise<{ key: string; size: number; mtimeMs: number }> {
  const st = await stat(path);
  const h = createHash('sha256');
  h.update(`maskline-video-key/1\0${st.size}\0${Math.trunc(st.mtimeMs)}\0`);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(KEY_HEAD_BYTES, st.size));
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    h.update(buf.subarray(0, off));
  } finally {
    await fh.close();
  }
  return { key: h.digest('hex'), size: st.size, mtimeMs: st.mtimeMs };
}
