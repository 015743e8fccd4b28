// A video's content key names its frame cache: sha256 of size + mtime + the first MiB. Cheap
// (one read of 1 MiB, whatever the file size) and it changes when the file is replaced.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

export const KEY_HEAD_BYTES = 1 << 20;

/** The first `bytes` of a file (fewer when it is shorter). */
export async function readHead(path: string, bytes = KEY_HEAD_BYTES): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

/** The key's formula, also used to ask which key a moved file had with its old mtime. */
export function videoKeyOf(size: number, mtimeMs: number, head: Uint8Array): string {
  return createHash('sha256')
    .update(`maskline-video-key/1\0${size}\0${Math.trunc(mtimeMs)}\0`)
    .update(head)
    .digest('hex');
}

export async function computeVideoKey(path: string): Promise<{ key: string; size: number; mtimeMs: number }> {
  const st = await stat(path);
  const head = await readHead(path, Math.min(KEY_HEAD_BYTES, st.size));
  return { key: videoKeyOf(st.size, st.mtimeMs, head), size: st.size, mtimeMs: st.mtimeMs };
}
